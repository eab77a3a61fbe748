"""The alarm journal: every transition persisted, restored after a restart, exported to CSV."""

import pandas as pd

from core.alarms.journal import AlarmJournal
from core.alarms.model import AlarmState, ManualClock
from core.storage.store import ReadingStore
from tests.core.test_alarm_engine import Rig

S = AlarmState


def test_every_transition_is_written(db_path):
    """Each event the subscribers see is a row of alarm_events, with its comment."""
    with ReadingStore(db_path) as store:
        rig = Rig(journal=AlarmJournal(store))
        rig.run([90] * 6)
        rig.engine.acknowledge("boiler.H", "checked the burner")
        rows = AlarmJournal(store).frame()
    h = rows[rows["alarm_id"] == "boiler.H"]
    assert h["state"].tolist() == ["active_unack", "active_ack"]
    assert h["comment"].tolist() == ["", "checked the burner"]
    assert h["message"].iloc[0] == "HIGH 90.0 °C (limit 85.0 °C)" and h["value"].iloc[0] == 90.0
    assert set(rows.columns) >= {"ts", "channel", "kind", "priority", "state", "value", "message", "comment"}


def test_active_alarms_survive_a_restart(db_path):
    """After closing and reopening the file the engine starts with the alarms as they were."""
    clock = ManualClock()
    with ReadingStore(db_path) as store:
        rig = Rig(journal=AlarmJournal(store), clock=clock)
        rig.run([97] * 6)
        rig.engine.acknowledge("boiler.HH")
    with ReadingStore(db_path) as store:
        again = Rig(journal=AlarmJournal(store), clock=clock)
        assert again.state("boiler.H") is S.ACTIVE_UNACK
        assert again.state("boiler.HH") is S.ACTIVE_ACK
        assert again.engine.status("boiler.HH").message == "HIGH-HIGH 97.0 °C (limit 95.0 °C)"
        assert again.engine.acknowledge("boiler.H")


def test_a_restored_alarm_clears_when_the_value_is_back(db_path):
    """A restored active alarm returns to normal through its off-delay once readings are normal."""
    clock = ManualClock()
    with ReadingStore(db_path) as store:
        rig = Rig(journal=AlarmJournal(store), clock=clock)
        rig.run([90] * 6)
        rig.engine.acknowledge("boiler.H")
    with ReadingStore(db_path) as store:
        again = Rig(journal=AlarmJournal(store), clock=clock)
        again.run([80] * 6)
        assert again.state("boiler.H") is S.NORMAL


def test_timed_shelving_survives_a_restart_and_still_expires(db_path):
    """A shelved alarm comes back shelved and unshelves itself when its time is up."""
    clock = ManualClock()
    with ReadingStore(db_path) as store:
        rig = Rig(journal=AlarmJournal(store), clock=clock)
        rig.run([90] * 6)
        rig.engine.shelve("boiler.H", 120)
    with ReadingStore(db_path) as store:
        again = Rig(journal=AlarmJournal(store), clock=clock)
        assert again.state("boiler.H") is S.SHELVED
        again.wait(125)
        assert again.state("boiler.H") is not S.SHELVED


def test_journal_exports_to_csv(db_path, tmp_path):
    """export_csv writes the events of a range with UTC times."""
    with ReadingStore(db_path) as store:
        rig = Rig(journal=AlarmJournal(store))
        rig.run([90] * 6 + [80] * 6)
        n = AlarmJournal(store).export_csv(tmp_path / "j.csv")
    out = pd.read_csv(tmp_path / "j.csv")
    assert n == len(out) >= 2
    assert out["ts"].iloc[0].endswith("Z") and "boiler.H" in set(out["alarm_id"])
