"""A recording told to judge machines whose channels it never sees says so once."""

from __future__ import annotations

from core.acquisition.ports import SerialSettings
from core.anomaly.settings import AnomalyConfig
from core.config import Config, PortConfig
from core.engine.session import NoticeId, RecordingSession, SessionEvents
from core.engine.settings import EngineConfig
from core.messages import MessageId
from tests.conftest import wait_until


def _session(cable, db_path, machines, notices, monkeypatch) -> RecordingSession:
    monkeypatch.setattr("core.engine.session.MACHINE_CHECK_S", 1.0)
    return RecordingSession(
        PortConfig(cable.a, SerialSettings(115200)),
        db_path,
        EngineConfig(Config(), anomaly=AnomalyConfig(machines=machines)),
        monitoring=True,
        events=SessionEvents(on_notice=notices.append),
        watch_interval=0.1,
    )


def test_a_machine_naming_channels_the_recording_lacks_is_said_once(cable, db_path, monkeypatch):
    """The device sends flow and ch2; [anomaly] machines names flow and 'presure' (misspelt): once
    the recording has run a while, one notice names the missing channel and the ones recorded."""
    notices = []
    session = _session(cable, db_path, (("flow", "presure"),), notices, monkeypatch)
    session.start()
    try:
        for _ in range(30):
            cable.write_b(b"flow=1.5,ch2=3\n")
            if wait_until(lambda: len(notices) > 0, timeout=0.1):
                break
        assert wait_until(lambda: len(notices) == 1, timeout=5)
        cable.write_b(b"flow=1.6,ch2=3\n" * 10)
        wait_until(lambda: False, timeout=0.5)
    finally:
        session.stop()
    assert [n.id for n in notices] == [NoticeId.MACHINE_CHANNELS_MISSING]
    said = notices[0].message
    assert said.id is MessageId.MACHINE_CHANNELS_MISSING
    assert said.params["missing"] == "presure" and said.params["recorded"] == "ch2, flow"
    assert notices[0].text.startswith("No readings of presure after 1 s of recording")


def test_machines_whose_channels_all_record_say_nothing(cable, db_path, monkeypatch):
    notices = []
    session = _session(cable, db_path, (("flow", "ch2"),), notices, monkeypatch)
    session.start()
    try:
        for _ in range(30):
            cable.write_b(b"flow=1.5,ch2=3\n")
            wait_until(lambda: False, timeout=0.1)
    finally:
        session.stop()
    assert notices == []
