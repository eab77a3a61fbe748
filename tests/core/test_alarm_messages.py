"""Alarm messages as ids with parameters: raised by the engine, kept by the journal, English as before."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import duckdb
import numpy as np
import pandas as pd
import pytest

from core.acquisition.reader import PortEvent, PortState
from core.alarms.journal import AlarmJournal
from core.alarms.model import AlarmState
from core.anomaly.explain import Explanation
from core.messages import Message, MessageId, decode_params, encode_params
from core.readings import ReadingBatch
from core.storage.schema import migrate
from core.storage.store import ReadingStore
from tests.core.test_alarm_comm_loss import reporting
from tests.core.test_alarm_engine import Rig
from tests.core.test_alarm_predictive import TABLE, forecast

S = AlarmState


def raised(rig: Rig, alarm: str):
    return next(e for e in rig.events if e.alarm_id == alarm and e.state is S.ACTIVE_UNACK)


def test_a_limit_alarm_carries_its_id_and_the_english_of_today():
    """A HIGH-HIGH crossing raises an event whose message is LIMIT with the limit word and the
    values worded in the channel's unit; its English is the sentence the journal always had."""
    rig = Rig()
    rig.run([97] * 6)
    event = raised(rig, "boiler.HH")
    assert event.phrase.id is MessageId.LIMIT
    assert dict(event.phrase.params) == {"word": "HIGH-HIGH", "value": "97.0 °C", "limit": "95.0 °C"}
    assert event.message == event.phrase.english == "HIGH-HIGH 97.0 °C (limit 95.0 °C)"
    status = rig.engine.status("boiler.HH")
    assert status.phrase == event.phrase and status.message == event.message


def test_a_predictive_alarm_carries_its_id_the_time_and_the_wait():
    """A forecast reaching H in 35 min raises PREDICTED_AT with the local time and the wait."""
    rig = Rig(TABLE)
    rig.feed(70)
    forecast(rig, [70 + 2.5 * k for k in range(1, 13)])
    event = raised(rig, "boiler.predictive")
    assert event.phrase.id is MessageId.PREDICTED_AT
    params = dict(event.phrase.params)
    assert (params["word"], params["value"], params["wait"]) == ("HIGH", "85.0 °C", "35 min")
    assert re.fullmatch(r"\d\d:\d\d", params["at"])
    assert event.message == f"Predicted HIGH 85.0 °C at {params['at']} (in 35 min)" == str(event.phrase)


def test_an_anomaly_alarm_nests_the_explanation_as_a_message():
    """An anomaly alarm worded by the scorer's explanation is ANOMALY with the explanation as a
    nested message (a daily profile's usual level nested in it too), English as before."""
    rig = Rig()
    rig.clock.advance(1)
    batch = ReadingBatch.from_records([(rig.clock.now_us(), "boiler", 55.2)])
    why = Explanation(
        "spike",
        {"value": 55.2, "usual": 20.1, "sigma": 0.4, "seconds": 3.0, "direction": 1.0, "period": "day"},
    )
    rig.engine.process(batch, np.array([0.93]), {0: why})
    event = raised(rig, "boiler.anomaly")
    assert event.phrase.id is MessageId.ANOMALY and event.phrase.params["score"] == "0.93"
    nested = event.phrase.params["why"]
    assert nested.id is MessageId.JUMPED_IN and nested.params["dur"] == "3 s"
    assert nested.params["usual"] == Message.of(MessageId.AT_THIS_TIME_OF_DAY, usual="20.1")
    assert (
        event.message == "Jumped to 55.2 °C in 3 s; usual at this time of day 20.1 ± 0.4 (anomaly score 0.93)"
    )
    assert event.message == f"{why.describe('°C')} (anomaly score 0.93)"


def test_comm_loss_and_port_loss_carry_their_ids_and_the_ports_own_words():
    """Silence raises NO_READING with the wait; a lost port raises PORT_LOST_BECAUSE whose reason
    is the port's own sentence, kept as plain text; a reconnect says PORT_CONNECTED."""
    rig = Rig()
    reporting(rig)
    rig.wait(10)
    silent = raised(rig, "boiler.comm_loss")
    assert silent.phrase == Message.of(MessageId.NO_READING, wait="10 s")
    assert silent.message == "No reading for 10 s"
    at = datetime.fromtimestamp(rig.clock.now_us() / 1e6, UTC)
    rig.engine.port_event(PortEvent(PortState.LOST, at, "COM3", "cable pulled"))
    lost = raised(rig, "COM3.comm_loss")
    assert lost.phrase == Message.of(MessageId.PORT_LOST_BECAUSE, port="COM3", message="cable pulled")
    assert lost.message == "Port COM3 lost: cable pulled"
    rig.engine.port_event(PortEvent(PortState.CONNECTED, at, "COM3", ""))
    back = [e for e in rig.events if e.alarm_id == "COM3.comm_loss"][-1]
    assert back.message == "Port COM3 connected" and back.phrase.id is MessageId.PORT_CONNECTED


def test_operator_commands_are_worded_by_id():
    """Shelving for a time says SHELVED_FOR with the wait and the UTC end; unshelving UNSHELVED."""
    rig = Rig()
    rig.run([90] * 6)
    rig.engine.shelve("boiler.H", 7200)
    shelved = rig.events[-1]
    assert shelved.phrase.id is MessageId.SHELVED_FOR and shelved.phrase.params["wait"] == "2 h 00 min"
    assert shelved.message.startswith("Shelved for 2 h 00 min (until ") and shelved.message.endswith(" UTC)")
    rig.engine.unshelve("boiler.H")
    assert rig.events[-1].phrase == Message.of(MessageId.UNSHELVED)


def test_a_message_takes_exactly_its_templates_parameters():
    """A parameter missing or unknown to the template is a programming error, said at once."""
    with pytest.raises(ValueError, match="takes"):
        Message.of(MessageId.NO_READING)
    with pytest.raises(ValueError, match="takes"):
        Message.of(MessageId.READINGS_AGAIN, wait="1 s")


def test_the_journal_keeps_id_and_parameters_through_a_reopened_file(db_path):
    """An anomaly alarm's nested message is journaled as its id and JSON parameters; after the
    file is closed and opened again, the row gives the same message back, and the engine that
    restores the alarm from it shows the same message."""
    with ReadingStore(db_path) as store:
        rig = Rig(journal=AlarmJournal(store))
        rig.clock.advance(1)
        why = Explanation("stuck", {"value": 131.2, "seconds": 600.0, "longest_seconds": 120.0, "sigma": 0.1})
        rig.engine.process(
            ReadingBatch.from_records([(rig.clock.now_us(), "boiler", 131.2)]), np.array([0.9]), {0: why}
        )
        event = raised(rig, "boiler.anomaly")
        clock = rig.clock
    with ReadingStore(db_path) as store:
        rows = AlarmJournal(store).frame()
        row = rows[rows["alarm_id"] == "boiler.anomaly"].iloc[0]
        assert row["message"] == event.message
        assert row["message_id"] == "anomaly"
        assert json.loads(row["message_params"])["why"]["id"] == "stuck"
        assert decode_params(row["message_id"], row["message_params"]) == event.phrase
        again = Rig(journal=AlarmJournal(store), clock=clock)
        status = again.engine.status("boiler.anomaly")
        assert status.state is S.ACTIVE_UNACK
        assert status.phrase == event.phrase and status.message == event.message


def journal_of_an_older_release(path) -> None:
    """A file of schema 7 (the journal without message ids) holding one raised HIGH-HIGH alarm
    of an hour ago, as that release journaled it."""
    con = duckdb.connect(str(path))
    con.execute("SET TimeZone = 'UTC'")
    migrate(con, target=7)
    con.execute(
        "INSERT INTO alarm_events (ts, alarm_id, channel, kind, priority, state, value, message) VALUES "
        "(now() - INTERVAL 1 HOUR, 'boiler.HH', 'boiler', 'HH', 'critical', 'active_unack', 97.0, "
        "'HIGH-HIGH 97.0 °C (limit 95.0 °C)')"
    )
    con.close()


def test_a_row_journaled_before_ids_were_kept_still_reads(db_path):
    """A file of schema 7 (the journal without message ids) opens; its rows have no id, and the
    engine restores their alarms with the English sentence as it was journaled."""
    journal_of_an_older_release(db_path)
    with ReadingStore(db_path) as store:
        rows = AlarmJournal(store).frame()
        assert rows["message_id"].isna().all() and rows["message_params"].isna().all()
        assert decode_params(rows["message_id"].iloc[0], rows["message_params"].iloc[0]) is None
        rig = Rig(journal=AlarmJournal(store))
        status = rig.engine.status("boiler.HH")
        assert status.state is S.ACTIVE_UNACK and status.phrase.id is None
        assert status.message == "HIGH-HIGH 97.0 °C (limit 95.0 °C)"
        # New events of the same file keep their ids beside the old row's.
        rig.engine.acknowledge("boiler.HH")
        rig.run([97] * 6)
        latest = AlarmJournal(store).frame()
    assert latest["message_id"].notna().any()


def test_the_csv_export_keeps_the_message_id_and_parameters(db_path, tmp_path):
    """The export keeps the English message with its id and JSON parameters beside it."""
    with ReadingStore(db_path) as store:
        rig = Rig(journal=AlarmJournal(store))
        rig.run([97] * 6)
        AlarmJournal(store).export_csv(tmp_path / "j.csv")
    frame = pd.read_csv(tmp_path / "j.csv")
    row = frame[frame["alarm_id"] == "boiler.HH"].iloc[0]
    assert row["message"] == "HIGH-HIGH 97.0 °C (limit 95.0 °C)" and row["message_id"] == "limit"
    assert json.loads(row["message_params"]) == {"limit": "95.0 °C", "value": "97.0 °C", "word": "HIGH-HIGH"}
    assert encode_params(Message.plain("a port's words")) == (None, None)
