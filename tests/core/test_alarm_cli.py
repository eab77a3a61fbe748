"""``watchkeeper alarms``: the KPI report, the alarms not normal, and the CSV export."""

import pandas as pd

from core.alarms.journal import AlarmJournal
from core.alarms.model import ManualClock
from core.cli import run
from core.storage.store import ReadingStore
from tests.core.test_alarm_engine import Rig


def make_journal(db_path):
    clock = ManualClock()
    with ReadingStore(db_path) as store:
        rig = Rig(journal=AlarmJournal(store), clock=clock)
        rig.run([90] * 6 + [80] * 6 + [97] * 6)
        rig.engine.acknowledge("boiler.HH", "firing reduced")


def test_alarms_prints_the_report_and_the_alarms_not_normal(db_path, capsys):
    """The report shows the KPIs of the range and the alarms that are not normal."""
    make_journal(db_path)
    assert run(["alarms", "--db", str(db_path), "--from", "2026-01-01", "--to", "2026-01-01T01:00"]) == 0
    out = capsys.readouterr().out
    assert "alarms raised                     3" in out
    assert "per 10 min, average               0.50" in out
    assert "top 10 alarms' share of the load  100.0 %" in out
    assert "boiler.HH" in out and "active_ack" in out and "Alarms not normal (2)" in out


def test_alarms_exports_the_journal(db_path, tmp_path, capsys):
    """--export writes the journal of the range to CSV."""
    make_journal(db_path)
    out_csv = tmp_path / "events.csv"
    assert run(["alarms", "--db", str(db_path), "--export", str(out_csv), "--to", "2026-01-02"]) == 0
    events = pd.read_csv(out_csv)
    assert len(events) >= 5 and "firing reduced" in set(events["comment"].dropna())


def test_alarms_on_a_missing_file_is_one_sentence(tmp_path, capsys):
    """A database that does not exist: one sentence, exit status 1."""
    assert run(["alarms", "--db", str(tmp_path / "none.duckdb")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_alarms_rejects_an_unreadable_time(db_path, capsys):
    """A --from that is not a time: one sentence naming it."""
    make_journal(db_path)
    assert run(["alarms", "--db", str(db_path), "--from", "yesterday-ish"]) == 1
    assert "cannot read the time 'yesterday-ish'" in capsys.readouterr().err


def test_record_prints_alarm_transitions_and_scores_readings(tmp_path, capsys):
    """'watchkeeper record' runs the alarm engine: transitions are printed and readings scored."""
    cfg = tmp_path / "c.toml"
    cfg.write_text("[alarms.channels.ch1]\nl = 1e9\non_delay = 0\noff_delay = 0\n", encoding="utf-8")
    db = tmp_path / "r.duckdb"
    args = ["record", "--port", "sim://?channels=2&rate=50", "--db", str(db), "--config", str(cfg)]
    assert run([*args, "--duration", "1.5", "--status-interval", "5"]) == 0
    out = capsys.readouterr().out
    assert "alarm ch1.L (medium) normal -> active_unack: LOW" in out
    assert "readings scored" in out


def test_alarms_not_normal_show_when_they_were_raised_not_acknowledged(db_path, capsys):
    """SINCE is the activation time; an acknowledgement a minute later does not move it."""
    clock = ManualClock()
    with ReadingStore(db_path) as store:
        rig = Rig(journal=AlarmJournal(store), clock=clock)
        rig.run([97] * 6)
        raised = rig.engine.status("boiler.HH").activated_us
        clock.advance(180)
        rig.engine.acknowledge("boiler.HH")
    assert run(["alarms", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "boiler.HH" in x and "active_ack" in x)
    assert pd.Timestamp(raised, unit="us", tz="UTC").strftime("%Y-%m-%d %H:%M") in line
