"""BackgroundWorker: the newest request of a kind wins, stale ones are dropped, stop is cooperative."""

from __future__ import annotations

import threading

from PySide6 import QtCore

from gui.background import BackgroundWorker, Query


class InterruptibleStore:
    """Stands for a ReadingStore: a query waits until its cursor is interrupted."""

    def __init__(self) -> None:
        self.interrupted = threading.Event()

    def cursor(self):
        return self

    def interrupt(self) -> None:
        self.interrupted.set()


def test_only_the_newest_request_of_a_kind_is_answered(qtbot):
    """While one query runs, newer requests of its kind replace each other; only the newest is
    run after it and answered, and the overtaken running one's answer is dropped."""
    parent = QtCore.QObject()
    worker = BackgroundWorker("TestQueries", parent=parent)
    release = threading.Event()
    ran, answered = [], []

    def job(n):
        def run():
            ran.append(n)
            if n == 1:
                release.wait(10)
            return n

        return run

    worker.submit(Query.HISTORY, job(1), answered.append)
    qtbot.waitUntil(lambda: ran == [1], timeout=5_000)
    for n in (2, 3, 4):
        worker.submit(Query.HISTORY, job(n), answered.append)
    worker.submit(Query.JOURNAL, lambda: "journal", answered.append)  # another kind is kept
    release.set()
    qtbot.waitUntil(lambda: answered == [4, "journal"], timeout=5_000)
    assert ran == [1, 4]  # 2 and 3 were replaced before they started
    worker.stop()


def test_a_failing_query_reports_its_error_on_the_gui_thread(qtbot):
    """An exception in a query comes back as ``failed(error)``, on the thread that asked."""
    parent = QtCore.QObject()
    worker = BackgroundWorker("TestQueries", parent=parent)
    got = []

    def fail():
        raise ValueError("the file is busy")

    def failed(exc):
        got.append((str(exc), threading.current_thread() is threading.main_thread()))

    worker.submit(Query.ANOMALY_SPANS, fail, lambda _: None, failed)
    qtbot.waitUntil(lambda: got == [("the file is busy", True)], timeout=5_000)
    worker.stop()


def test_stop_interrupts_the_running_query_drops_the_rest_and_joins(qtbot):
    """stop() cuts the running query short through its cursor, runs nothing that waited, answers
    nothing, and returns with the thread finished; later requests are ignored."""
    store = InterruptibleStore()
    parent = QtCore.QObject()
    worker = BackgroundWorker("TestQueries", store, parent)
    started, ran, answered = threading.Event(), [], []

    def slow():
        started.set()
        store.interrupted.wait()  # what an interrupted DuckDB query does: it returns at once
        raise RuntimeError("INTERRUPT Error: Interrupted!")

    worker.submit(Query.HISTORY, slow, answered.append, answered.append)
    assert started.wait(10)
    worker.submit(Query.JOURNAL, lambda: ran.append("journal"), answered.append)
    worker.stop()
    assert worker.thread.isFinished() and store.interrupted.is_set()
    worker.submit(Query.HISTORY, lambda: ran.append("late"), answered.append)
    qtbot.wait(200)
    assert ran == [] and answered == []


def test_a_worker_whose_parent_goes_stops_its_thread_first(qtbot):
    """A parent deleted without stop() stops the worker's thread before the thread is destroyed
    (Qt aborts the process when a running thread is destroyed)."""
    parent = QtCore.QObject()
    worker = BackgroundWorker("TestQueries", parent=parent)
    thread = worker.thread
    finished = []
    thread.finished.connect(lambda: finished.append(True), QtCore.Qt.DirectConnection)
    parent.deleteLater()
    qtbot.waitUntil(lambda: finished == [True], timeout=5_000)
