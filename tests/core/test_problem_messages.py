"""Port and file problems, and a recording's notices, carry a message id with parameters beside
the English sentence the command line prints (unchanged), so the window can say them in the
operator's language."""

from __future__ import annotations

import errno
import socket
from datetime import UTC, datetime

import duckdb
import numpy as np
import pytest

from core.acquisition.modbus.commissioning import open_link
from core.acquisition.modbus.transport import Protocol
from core.acquisition.ports import PortError, SerialSettings, open_port
from core.acquisition.probe import probe_port
from core.engine.session import Notice, NoticeId
from core.messages import Message, MessageId
from core.readings import ReadingBatch
from core.storage.errors import write_problem, write_problem_message
from core.storage.store import NotADatabaseError, ReadingStore, StoreDamagedError, StoreError

M = MessageId
T0 = 1_767_225_600_000_000


def _closed_tcp_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_missing_port_says_not_found_by_id_and_in_todays_english(tmp_path):
    gone = str(tmp_path / "ttyGONE")
    with pytest.raises(PortError) as info:
        open_port(gone, SerialSettings())
    assert info.value.message == Message.of(M.PORT_NOT_FOUND, port=gone)
    assert str(info.value) == f"Port {gone} was not found: check the cable and the port name."


def test_a_gateway_that_refuses_keeps_the_systems_words_as_a_parameter_only():
    """The refusal's own text is the ``reason`` of our sentence, never the sentence itself."""
    address = f"socket://127.0.0.1:{_closed_tcp_port()}"
    with pytest.raises(PortError) as info:
        open_port(address, SerialSettings())
    message = info.value.message
    assert message.id is M.PORT_UNREACHABLE and message.params["port"] == address
    assert str(info.value) == f"Could not reach {address}: {message.params['reason']}."
    assert "refused" in message.params["reason"].lower()


def test_a_modbus_gateway_that_is_not_there_says_so_by_id():
    address = f"127.0.0.1:{_closed_tcp_port()}"
    with pytest.raises(PortError) as info:
        open_link(Protocol.MODBUS_TCP, address, SerialSettings(), timeout=0.2)
    assert info.value.message == Message.of(M.GATEWAY_UNREACHABLE, port=address, protocol="modbus-tcp")
    assert str(info.value) == (
        f"Could not reach {address} (modbus-tcp): check the address and that the gateway is on."
    )


def test_the_port_tests_verdicts_carry_their_ids(cable):
    """A silent port and a good one: the verdict by id, and the English verdict as before."""
    silent = probe_port(cable.a, SerialSettings(), seconds=0.3)
    assert silent.verdict_message == Message.of(M.PROBE_NO_DATA, seconds="0.3")
    assert silent.verdict == silent.verdict_message.english
    assert silent.verdict.startswith("No data arrived in 0.3 s: check the wiring")
    sent = []

    def send_once_open(_report) -> None:  # the port is open once the test reports: bytes are kept
        if not sent:
            sent.append(cable.write_b(b"temp=21.5,hum=40\n" * 3))

    good = probe_port(cable.a, SerialSettings(), seconds=1.5, on_update=send_once_open)
    assert good.verdict_message == Message.of(
        M.PROBE_LOOKS_RIGHT, good="3", lines="3", count="2", names="hum, temp"
    )
    assert good.verdict == "Looks right: 3 of 3 lines read, 2 channel(s): hum, temp."


def test_a_csv_file_is_refused_by_id_with_what_it_looks_like(tmp_path):
    path = tmp_path / "history.csv"
    path.write_text("timestamp,temp\n2026-01-01T00:00:00,20\n")
    with pytest.raises(NotADatabaseError) as info:
        ReadingStore(path)
    kind = Message.of(M.KIND_NAMED, suffix="CSV")
    assert info.value.message == Message.of(M.STORE_FOREIGN_FILE, path=str(path), kind=kind)
    assert str(info.value) == (
        f"The file {path} is a CSV file, not a Watchkeeper database; "
        "choose another file with --db (a new name starts a new database)."
    )


def test_a_damaged_file_is_refused_by_id(tmp_path):
    path = tmp_path / "plant.duckdb"
    n = 200_000
    with ReadingStore(path) as store:
        ts = T0 + np.arange(n, dtype=np.int64) * 100_000
        store.append(ReadingBatch(ts, (np.arange(n) % 4).astype(np.int32), np.random.rand(n), tuple("abcd")))
    with path.open("r+b") as f:
        f.truncate(path.stat().st_size // 2)
    with pytest.raises(StoreDamagedError) as info:
        ReadingStore(path)
    assert info.value.message == Message.of(M.STORE_DAMAGED, path=str(path))
    assert str(info.value).startswith(f"The database {path} is damaged (part of it is missing")


def test_a_file_of_a_newer_release_nests_the_reason_by_id(tmp_path):
    path = tmp_path / "plant.duckdb"
    ReadingStore(path).close()
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO schema_version (version, description) VALUES (999, 'from tomorrow')")
    con.close()
    with pytest.raises(StoreError) as info:
        ReadingStore(path)
    message = info.value.message
    assert message.id is M.CANNOT_USE and message.params["path"] == str(path)
    assert message.params["problem"].id is M.STORE_NEWER
    assert str(info.value) == (
        f"Cannot use {path}: the file was written by a newer Watchkeeper (schema 999, this one knows "
        f"{message.params['problem'].params['known']}); update Watchkeeper to open it."
    )


def test_why_a_commit_failed_is_an_id_and_the_english_is_unchanged():
    full = OSError(errno.ENOSPC, "No space left on device")
    assert write_problem_message(full) == Message.of(M.WRITE_NO_SPACE)
    assert write_problem(full) == "No space left on device; free some space on that disk"
    sentence = Message.of(M.CANNOT_WRITE, path="/data/plant.duckdb", problem=write_problem_message(full))
    assert sentence.english == (
        "Cannot write to /data/plant.duckdb: No space left on device; free some space on that disk"
    )


def test_a_recordings_notices_carry_their_ids_and_todays_english():
    now = datetime.now(UTC)
    flood = Notice(NoticeId.CHANNEL_LIMIT, now, {"port": "COM3", "limit": 64})
    assert flood.message == Message.of(M.CHANNEL_LIMIT, port="COM3", limit="64")
    assert flood.text == (
        "The device on COM3 sends more than 64 different channel names; lines with new names are "
        "not stored (raise [port] max_channels if this is expected)."
    )
    restarted = Notice(NoticeId.READER_RESTARTED, now, {"port": "COM3"})
    assert restarted.message.id is M.READER_RESTARTED
    assert restarted.text == (
        "Reading from COM3 stopped unexpectedly and was restarted; see the log for details."
    )
