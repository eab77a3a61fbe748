"""Alarm KPIs (ISA-18.2 / EEMUA 191) from a hand-made journal."""

import pandas as pd
import pytest

from core.alarms.kpi import compute_kpis

START = pd.Timestamp("2026-01-01 00:00", tz="UTC")
END = pd.Timestamp("2026-01-01 01:00", tz="UTC")  # six 10-minute periods


def journal(rows):
    """rows: (minutes after START, alarm id, state)."""
    return pd.DataFrame(
        {
            "ts": [START + pd.Timedelta(minutes=m) for m, _, _ in rows],
            "alarm_id": [a for _, a, _ in rows],
            "state": [s for _, _, s in rows],
        }
    )


NO_LATEST = pd.DataFrame(columns=["alarm_id", "state", "activated_us"])


def test_alarms_per_10_minutes_average_and_peak():
    """12 alarms in one hour: 2.0 per 10 min on average; the busiest period had 7."""
    rows = [(1 + i * 0.1, f"a{i}", "active_unack") for i in range(7)]
    rows += [(25 + i, f"b{i}", "active_unack") for i in range(5)]
    rows += [(30, "b0", "active_ack"), (31, "b0", "normal")]  # not annunciations
    k = compute_kpis(journal(rows), NO_LATEST, START, END)
    assert k.alarms == 12 and k.periods == 6
    assert k.average_per_10min == pytest.approx(2.0) and k.peak_per_10min == 7
    assert k.peak_period == START


def test_flood_share_counts_periods_above_ten():
    """One period with 11 alarms out of six is a flood share of 1/6."""
    rows = [(12 + i * 0.5, f"x{i}", "active_unack") for i in range(11)]
    rows += [(45 + i, "y", "active_unack") for i in range(10)]  # exactly 10 is no flood
    k = compute_kpis(journal(rows), NO_LATEST, START, END)
    assert k.flood_periods == 1 and k.flood_share == pytest.approx(1 / 6)


def test_chattering_needs_three_within_sixty_seconds():
    """Three annunciations of one alarm within 60 s chatter; three spread over minutes do not."""
    rows = [(5.0, "chat", "active_unack"), (5.3, "chat", "active_unack"), (5.9, "chat", "active_unack")]
    rows += [(10, "calm", "active_unack"), (12, "calm", "active_unack"), (14, "calm", "active_unack")]
    k = compute_kpis(journal(rows), NO_LATEST, START, END)
    assert k.chattering == [("chat", 3)]


def test_stale_alarms_are_active_for_more_than_a_day():
    """An alarm active since 30 h before the end is stale; one active for 2 h, or cleared, is not."""

    def us(t):
        return int(t.value // 1000)

    latest = pd.DataFrame(
        {
            "alarm_id": ["old", "recent", "cleared"],
            "state": ["active_ack", "active_unack", "normal"],
            "activated_us": [
                us(END - pd.Timedelta(hours=30)),
                us(END - pd.Timedelta(hours=2)),
                us(END - pd.Timedelta(hours=40)),
            ],
        }
    )
    k = compute_kpis(journal([]), latest, START, END)
    assert [a for a, _ in k.stale] == ["old"]


def test_top_ten_share_of_the_load():
    """The ten most frequent of eleven alarms carry 30 of 31 annunciations."""
    rows = [(i * 0.1, "bad", "active_unack") for i in range(21)]
    rows += [(30 + i, f"other{i}", "active_unack") for i in range(10)]
    k = compute_kpis(journal(rows), NO_LATEST, START, END)
    assert k.top10[0] == ("bad", 21) and len(k.top10) == 10
    assert k.top10_share == pytest.approx(30 / 31)


def test_events_outside_the_range_are_ignored():
    """Only annunciations inside [start, end) count."""
    rows = [(-5, "early", "active_unack"), (61, "late", "active_unack"), (30, "in", "active_unack")]
    k = compute_kpis(journal(rows), NO_LATEST, START, END)
    assert k.alarms == 1
