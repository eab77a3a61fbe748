"""ForecastService on an injected clock: a day of hourly cycles in a second, retraining checks,
the newest request wins, on-demand forecasts answer their caller, and close ends it all."""

from __future__ import annotations

import itertools
import threading
import time
from concurrent.futures import CancelledError

import pytest

from core.engine.forecasting import (
    RETRAIN_CHECK_S,
    CycleDone,
    ForecastCommand,
    ForecastRequest,
    ForecastService,
)
from core.forecast.settings import ForecastConfig
from core.storage.store import ReadingStore
from tests.conftest import wait_until


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(tmp_path):
    with ReadingStore(tmp_path / "f.duckdb") as s:
        yield s


def _service(store, tmp_path, clock, **config) -> tuple[ForecastService, list]:
    service = ForecastService(
        store, ForecastConfig(**config), tmp_path / "models", tmp_path / "Prediction.csv", clock=clock
    )
    events: list = []
    service.subscribe(events.append)
    return service, events


def test_a_day_of_hourly_cycles_on_an_injected_clock(store, tmp_path):
    """The first cycle comes at start, then one per [forecast].cycle of the clock, not of wall time."""
    clock = Clock()
    service, events = _service(store, tmp_path, clock, cycle="1h")
    service.start()
    try:
        cycles = lambda: sum(isinstance(e, CycleDone) for e in events)  # noqa: E731
        assert wait_until(lambda: cycles() == 1, timeout=30)
        for hour in range(1, 25):
            clock.now += 3600
            service.wake()
            assert wait_until(lambda hour=hour: cycles() == hour + 1, timeout=30), hour
        clock.now += 1800  # half a cycle: nothing due
        service.wake()
        time.sleep(0.3)
        assert cycles() == 25
        assert "no forecast models" in str(events[-1].result.skipped["*"])
    finally:
        service.close()


def test_retraining_is_looked_at_every_ten_minutes_when_configured(store, tmp_path, monkeypatch):
    clock = Clock()
    looks = []
    monkeypatch.setattr(ForecastService, "_retrain_due", lambda self: looks.append(clock.now))
    service, _ = _service(store, tmp_path, clock, cycle="1d", retrain="7d")
    service.start()
    try:
        assert wait_until(lambda: len(looks) == 1, timeout=30)
        for n in range(2, 8):  # an hour
            clock.now += RETRAIN_CHECK_S
            service.wake()
            assert wait_until(lambda n=n: len(looks) == n, timeout=30)
        assert [b - a for a, b in itertools.pairwise(looks)] == [RETRAIN_CHECK_S] * 6
        clock.now += 10 * RETRAIN_CHECK_S  # a PC that slept: one look, not ten to catch up
        service.wake()
        assert wait_until(lambda: len(looks) == 8, timeout=30)
        time.sleep(0.3)
        assert len(looks) == 8
    finally:
        service.close()


def test_a_newer_forecast_request_replaces_a_waiting_one_and_answers_both_callers(
    store, tmp_path, monkeypatch
):
    """While the service is busy, three requests for a forecast make one cycle, and each caller
    that waits for a result gets that cycle's."""
    clock = Clock()
    service, events = _service(store, tmp_path, clock, cycle="1d")
    release = threading.Event()
    original = service._predict

    def slow(request):
        release.wait(30)
        original(request)

    monkeypatch.setattr(service, "_predict", slow)
    service.start()  # its first cycle now waits in slow()
    try:
        assert wait_until(lambda: service.busy, timeout=30)
        answers = []
        callers = [
            threading.Thread(target=lambda: answers.append(service.predict(timeout=60))) for _ in range(2)
        ]
        for t in callers:
            t.start()
        service.predict_now()
        assert wait_until(lambda: len(service._pending) == 1, timeout=30)
        release.set()
        for t in callers:
            t.join(60)
        assert len(answers) == 2 and answers[0] is answers[1]
        assert wait_until(lambda: sum(isinstance(e, CycleDone) for e in events) == 2, timeout=30)
    finally:
        release.set()
        service.close()


def test_close_cancels_what_waits_and_joins_the_thread(store, tmp_path, monkeypatch):
    clock = Clock()
    service, _ = _service(store, tmp_path, clock, cycle="1d")
    release = threading.Event()
    monkeypatch.setattr(service, "_predict", lambda request: release.wait(30))
    service.start()
    assert wait_until(lambda: service.busy, timeout=30)
    waiting = ForecastRequest(ForecastCommand.TRAIN, ("temp",))
    service.submit(waiting)
    from concurrent.futures import Future

    reply: Future = Future()
    service.submit(ForecastRequest(ForecastCommand.PREDICT, out_csv=tmp_path / "x.csv", reply=reply))
    closer = threading.Thread(target=service.close)
    closer.start()
    with pytest.raises(CancelledError):
        reply.result(10)
    release.set()
    closer.join(30)
    assert not closer.is_alive() and service._thread is None
