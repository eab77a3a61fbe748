"""The owner channel: another command reaches the process that holds a file, on a real store."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pandas as pd
import pytest

from core.engine.ipc import (
    Owner,
    OwnerKind,
    OwnerServer,
    RemoteError,
    Request,
    address_for,
    call,
    find_owner,
    owner_record_path,
    store_handlers,
)
from core.readings import ReadingBatch
from core.storage.csv_import import CsvImportError
from core.storage.export import ExportError
from core.storage.store import ReadingStore
from tests.core.test_alarm_cli import make_journal

T0_US = 1_767_225_600_000_000  # 2026-01-01T00:00:00Z


@pytest.fixture
def store(tmp_path):
    db = tmp_path / "plant.duckdb"
    make_journal(db)
    with ReadingStore(db) as s:
        s.append(ReadingBatch.from_records([(T0_US + i * 1_000_000, "temp", 20.0 + i) for i in range(10)]))
        yield s


@pytest.fixture
def served(store):
    server = OwnerServer(store.path, OwnerKind.RECORD, store_handlers(store))
    server.start()
    yield server
    server.close()


def _owner(store) -> Owner:
    owner = find_owner(store.path)
    assert owner is not None
    return owner


def test_the_owner_record_says_who_holds_the_file_and_only_its_user_may_read_it(served, store):
    """start() writes <db>.owner with this process, its kind, address and key, mode 0600."""
    record = owner_record_path(store.path)
    data = json.loads(record.read_text())
    assert data["pid"] == os.getpid() and data["kind"] == "record"
    assert data["address"] == address_for(store.path)
    assert bytes.fromhex(data["authkey"]) == served.owner.authkey
    if sys.platform != "win32":
        assert record.stat().st_mode & 0o777 == 0o600
        assert len(data["address"]) < 100  # the limit of a Unix socket path
    owner = _owner(store)
    assert (owner.pid, owner.kind) == (os.getpid(), OwnerKind.RECORD)


def test_info_export_alarms_and_import_are_answered_from_the_holders_store(served, store, tmp_path):
    """Each request returns what the command prints from, and files are written by the holder."""
    owner = _owner(store)
    info = call(owner, Request.INFO)
    assert set(info.channels["name"]) == {"temp"} and info.schema_version >= 1

    out = tmp_path / "out" / "temp.csv"
    assert call(owner, Request.EXPORT, out=str(out), channels=["temp"]) == 10
    assert len(pd.read_csv(out)) == 10

    end = pd.Timestamp("2026-01-02", tz="UTC")
    got = call(owner, Request.ALARMS, start=None, end=end, export=str(tmp_path / "events.csv"))
    assert got.exported == len(got.events) >= 5 and "boiler.HH" in set(got.latest["alarm_id"])
    assert got.start == got.events["ts"].min()

    csv = tmp_path / "more.csv"
    csv.write_text("timestamp,flow\n2026-01-01 00:00:00,1.5\n2026-01-01 00:01:00,1.6\n", encoding="utf-8")
    report = call(owner, Request.IMPORT, path=str(csv), timestamp_column=None, fmt=None, strict=False)
    assert report.stored == 2 and report.channels == ["flow"]
    assert store.count("flow") == 2


def test_a_user_error_in_the_holder_is_the_same_sentence_on_the_client(served, store, tmp_path):
    """An export of an unknown channel raises ExportError with the sentence a direct export says."""
    with pytest.raises(ExportError) as direct:
        store_handlers(store)[Request.EXPORT](out=str(tmp_path / "x.csv"), channels=["nope"])
    with pytest.raises(ExportError) as remote:
        call(_owner(store), Request.EXPORT, out=str(tmp_path / "x.csv"), channels=["nope"])
    assert str(remote.value) == str(direct.value) and "no channel named nope" in str(remote.value)
    with pytest.raises(CsvImportError, match="does not exist"):
        call(_owner(store), Request.IMPORT, path=str(tmp_path / "none.csv"))


def test_a_failing_handler_is_one_sentence_and_the_server_keeps_serving(store, caplog):
    """A bug in a handler is logged with its traceback; the client gets one RemoteError sentence."""

    def broken() -> None:
        raise KeyError("internal detail")

    server = OwnerServer(store.path, OwnerKind.WINDOW, {**store_handlers(store), Request.RAISE: broken})
    server.start()
    try:
        owner = _owner(store)
        with pytest.raises(RemoteError) as info:
            call(owner, Request.RAISE)
        text = str(info.value)
        assert f"process {os.getpid()}" in text and str(store.path) in text and "internal detail" not in text
        assert text.endswith(".") and "\n" not in text
        assert any("internal detail" in (r.exc_text or "") for r in caplog.records)
        with pytest.raises(RemoteError, match="cannot answer predict requests"):
            call(owner, Request.PREDICT)
        assert call(owner, Request.INFO).schema_version >= 1
    finally:
        server.close()


def test_a_wrong_key_or_garbage_is_refused_and_the_server_keeps_serving(served, store):
    """A client without the key gets a sentence; bytes that are no handshake are dropped."""
    owner = _owner(store)
    with pytest.raises(RemoteError, match="could not be reached"):
        call(replace(owner, authkey=b"not the key"), Request.INFO)
    if sys.platform != "win32":
        with socket.socket(socket.AF_UNIX) as raw:
            raw.connect(owner.address)
            raw.sendall(b"\x00\x00\x00\x05hello garbage that is no handshake")
            raw.recv(4096)  # the challenge; then our garbage fails it and the server hangs up
    assert call(owner, Request.INFO).schema_version >= 1


def test_many_concurrent_calls_are_each_answered(served, store):
    """Forty commands at once: every one gets the file's summary."""
    owner = _owner(store)
    with ThreadPoolExecutor(max_workers=20) as pool:
        infos = list(pool.map(lambda _: call(owner, Request.INFO), range(40)))
    assert all(set(i.channels["name"]) == {"temp"} for i in infos)


def test_a_stale_record_of_a_dead_process_is_ignored_and_replaced(store):
    """A record left by a process that has ended names no owner; the next holder replaces it."""
    code = "import os; print(os.getpid())"
    dead = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    pid = int(dead.stdout)
    record = owner_record_path(store.path)
    record.write_text(
        json.dumps({"pid": pid, "kind": "window", "address": address_for(store.path), "authkey": "00" * 32})
    )
    assert find_owner(store.path) is None
    server = OwnerServer(store.path, OwnerKind.RECORD, store_handlers(store))
    server.start()
    try:
        assert json.loads(record.read_text())["pid"] == os.getpid()
        assert _owner(store).kind is OwnerKind.RECORD
    finally:
        server.close()


def test_a_record_whose_process_does_not_answer_is_no_owner(store):
    """A live process (this one) named by a record with nothing listening: not an owner."""
    record = owner_record_path(store.path)
    data = {"pid": os.getpid(), "kind": "window", "address": address_for(store.path), "authkey": "00"}
    record.write_text(json.dumps(data))
    assert find_owner(store.path) is None


def test_close_unblocks_the_listener_and_removes_the_record(store):
    """close() ends the accept thread (blocked in accept) and leaves no record or socket behind."""
    before = {t.name for t in threading.enumerate()}
    server = OwnerServer(store.path, OwnerKind.RECORD, store_handlers(store))
    server.start()
    assert server.serving and "owner-server" not in before
    call(_owner(store), Request.INFO)
    server.close()
    assert not server.serving
    assert "owner-server" not in {t.name for t in threading.enumerate()}
    assert not owner_record_path(store.path).exists()
    if sys.platform != "win32":
        assert not os.path.exists(address_for(store.path))
    assert find_owner(store.path) is None
    server.close()  # twice is harmless
