"""RecordingSession under hostile input over real virtual cables: a dying reader thread is
reported (comm-loss alarm) and restarted, and a channel-name flood is bounded and announced."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.acquisition.parsing import LineParser
from core.acquisition.ports import SerialSettings
from core.acquisition.reader import PortState
from core.alarms.config import parse_alarm_config
from core.alarms.model import AlarmKind
from core.anomaly.settings import AnomalyConfig
from core.config import Config, PortConfig
from core.engine.session import NoticeId, RecordingSession, SessionEvents
from core.engine.settings import EngineConfig
from core.storage.store import ReadingStore
from tests.conftest import wait_until

ROOT = Path(__file__).resolve().parents[2]
WATCHKEEPER = Path(sys.executable).parent / "watchkeeper"


class _Doomed(BaseException):
    """Not an Exception: nothing in the loop catches it, so the reader thread really ends."""


class _DeadlyParser(LineParser):
    def parse(self, lines, ts_us):
        if any(b"die" in ln for ln in lines):
            raise _Doomed("the reader loop meets something it was never meant to see")
        return super().parse(lines, ts_us)


def _count(db_path: Path, channel: str) -> int:
    with ReadingStore(db_path, read_only=True) as store:
        return store.count(channel)


def test_reader_thread_that_dies_is_reported_raises_comm_loss_and_is_restarted(cable, db_path, monkeypatch):
    """If the reader thread ends unexpectedly the session says so (a LOST port event, so the
    comm-loss alarm rises and the window shows it), restarts the reader, and readings sent
    afterwards are stored again while the alarm returns to normal."""
    monkeypatch.setattr("core.engine.session.LineParser", _DeadlyParser)
    events, alarms, notices = [], [], []
    session = RecordingSession(
        PortConfig(cable.a, SerialSettings(115200)),
        db_path,
        EngineConfig(
            Config(), anomaly=AnomalyConfig(enabled=False), alarms=parse_alarm_config({"comm_loss_after": 60})
        ),
        monitoring=True,
        events=SessionEvents(on_event=events.append, on_alarm=alarms.append, on_notice=notices.append),
        watch_interval=0.1,
    )
    session.start()
    try:
        cable.write_b(b"".join(b"v=%d\n" % i for i in range(100)))
        assert wait_until(lambda: session.stats().writer.stored == 100)
        cable.write_b(b"die=1\n")
        assert wait_until(lambda: any(e.state is PortState.LOST for e in events))
        assert wait_until(lambda: session.reader.restarts == 1 and session.reader.is_running)
        assert wait_until(lambda: [e.state for e in events][-1] is PortState.CONNECTED, timeout=5)
        cable.write_b(b"".join(b"v=%d\n" % i for i in range(100, 200)))
        assert wait_until(lambda: session.stats().writer.stored == 200)

        def comm_loss() -> list:
            return [a for a in alarms if a.kind is AlarmKind.COMM_LOSS]

        assert wait_until(lambda: any(not a.state.active for a in comm_loss()[1:]))
        comm = comm_loss()
    finally:
        session.stop()
    lost = next(e for e in events if e.state is PortState.LOST)
    assert "stopped unexpectedly" in lost.message
    assert comm[0].state.active, "the comm-loss alarm rose when the reader died"
    assert [n.id for n in notices] == [NoticeId.READER_RESTARTED]
    assert "restarted" in notices[0].text
    assert _count(db_path, "v") == 200


def test_channel_bound_rejects_new_names_and_tells_the_operator_once(cable, db_path):
    """Beyond max_channels, lines with new names are rejected as too_many_channels, known
    channels keep being stored, and one notice says so."""
    notices = []
    session = RecordingSession(
        PortConfig(cable.a, SerialSettings(115200), max_channels=10),
        db_path,
        events=SessionEvents(on_notice=notices.append),
        watch_interval=0.1,
    )
    session.start()
    try:
        cable.write_b(b"".join(b"k%d=1\nv=%d\n" % (k, k) for k in range(50)))
        assert wait_until(lambda: session.stats().writer.stored == 9 + 50)
        assert wait_until(lambda: len(notices) == 1)
        cable.write_b(b"k99=1\nv=50\n")
        assert wait_until(lambda: session.stats().writer.stored == 9 + 51)
        time.sleep(0.3)
    finally:
        session.stop()
    stats = session.stats()
    assert stats.reader.rejected == {"too_many_channels": 42}
    assert [n.id for n in notices] == [NoticeId.CHANNEL_LIMIT] and "10" in notices[0].text
    assert session.notices() == notices == list(stats.notices)
    with ReadingStore(db_path, read_only=True) as store:
        assert len(store.channels()) == 10


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_channel_name_flood_keeps_commits_flowing_and_survives_sigkill(cable, tmp_path):
    """3,000 random names among 5,000 valid lines over a real cable: `record` keeps committing,
    so a SIGKILL 2 s after the last valid line loses none of them."""
    db = tmp_path / "flood.duckdb"
    proc = subprocess.Popen(
        [str(WATCHKEEPER), "record", "--port", cable.a, "--baud", "115200",
         "--db", str(db), "--no-monitor", "--status-interval", "1"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert wait_until(lambda: proc.stdout.readline().startswith("Recording"), timeout=60)
        rng = random.Random(12)
        names = rng.sample(range(100_000, 1_000_000), 3000)
        valid = 0
        for chunk in range(50):  # about 5 s of traffic
            lines = [b"v=%d" % (valid + i) for i in range(100)]
            lines += [b"k%d=1" % k for k in names[chunk * 60 : (chunk + 1) * 60]]
            rng.shuffle(lines)
            valid += 100
            cable.write_b(b"\n".join(lines) + b"\n")
            time.sleep(0.1)
        time.sleep(2.0)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        _, err = proc.communicate()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert valid == 5000
    assert _count(db, "v") == 5000
    with ReadingStore(db, read_only=True) as store:
        assert len(store.channels()) == 256
    assert err.count("watchkeeper: The device on") == 1, err


def test_port_max_channels_is_read_from_the_config_and_checked():
    """[port] max_channels defaults to 256; a value below 1 is refused naming the key."""
    from core.config import ConfigError, config_from_dict

    assert config_from_dict({}).port.max_channels == 256
    assert config_from_dict({"port": {"max_channels": 40}}).port.max_channels == 40
    with pytest.raises(ConfigError, match=r"port\.max_channels"):
        config_from_dict({"port": {"max_channels": 0}})
