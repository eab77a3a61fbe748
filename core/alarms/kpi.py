"""Alarm-system KPIs from the journal, as ISA-18.2 and EEMUA 191 define them.

An *alarm* here is an annunciation: a transition into active-unacknowledged. Rates are counted in
ten-minute periods of the reporting range (periods without alarms count as zero):

- alarms per 10 min, average and peak (EEMUA 191: an average of about 1 is very likely acceptable);
- flood: the share of periods with more than 10 alarms (ISA-18.2 target: under 1 % of the time);
- chattering alarms: 3 or more annunciations of one alarm within 60 seconds;
- stale alarms: alarms still active at the end of the range, activated more than 24 hours earlier;
- the share of all alarms that the 10 most frequent alarms account for (ISA-18.2: about 1-5 % at
  most; a high share means a few bad actors worth fixing first).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

PERIOD = pd.Timedelta(minutes=10)
FLOOD_ABOVE = 10
CHATTER_COUNT = 3
CHATTER_WINDOW = pd.Timedelta(seconds=60)
STALE_AFTER = pd.Timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class AlarmKpis:
    start: pd.Timestamp
    end: pd.Timestamp
    periods: int
    alarms: int
    average_per_10min: float
    peak_per_10min: int
    peak_period: pd.Timestamp | None
    flood_periods: int
    chattering: list[tuple[str, int]]  # (alarm, most annunciations within 60 s)
    stale: list[tuple[str, pd.Timestamp]]  # (alarm, active since)
    top10: list[tuple[str, int]]  # (alarm, annunciations)

    @property
    def flood_share(self) -> float:
        return self.flood_periods / self.periods if self.periods else 0.0

    @property
    def top10_share(self) -> float:
        return sum(n for _, n in self.top10) / self.alarms if self.alarms else 0.0


def _max_in_window(times: np.ndarray, window_us: int) -> int:
    """Most events within any ``window_us`` (inclusive) of sorted ``times``."""
    ends = np.searchsorted(times, times + window_us, side="right")
    return int((ends - np.arange(len(times))).max()) if len(times) else 0


def compute_kpis(
    events: pd.DataFrame, latest: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp
) -> AlarmKpis:
    """KPIs of ``[start, end)`` from the events in it and each alarm's ``latest`` event before ``end``.

    ``events`` has the journal's columns (``ts`` UTC); ``latest`` is :meth:`AlarmJournal.latest`.
    """
    first = start.floor(PERIOD)
    periods = max(1, int(np.ceil((end - first) / PERIOD)))
    events = events.assign(ts=pd.to_datetime(events["ts"], utc=True))
    raised = events[(events["state"] == "active_unack") & (events["ts"] >= start) & (events["ts"] < end)]
    counts = raised["ts"].dt.floor(PERIOD).value_counts()
    peak = int(counts.max()) if len(counts) else 0
    peak_period = counts.idxmax() if len(counts) else None
    chattering = []
    for alarm, group in raised.groupby("alarm_id"):
        times = np.sort(group["ts"].astype("datetime64[us, UTC]").astype("int64").to_numpy())
        most = _max_in_window(times, int(CHATTER_WINDOW / pd.Timedelta(microseconds=1)))
        if most >= CHATTER_COUNT:
            chattering.append((str(alarm), most))
    stale = []
    for row in latest.itertuples(index=False):
        if row.state in ("active_unack", "active_ack") and not pd.isna(row.activated_us):
            since = pd.Timestamp(int(row.activated_us), unit="us", tz="UTC")
            if end - since > STALE_AFTER:
                stale.append((row.alarm_id, since))
    per_alarm = raised["alarm_id"].value_counts()
    top10 = [
        (str(a), int(n))
        for a, n in per_alarm.sort_index().sort_values(ascending=False, kind="stable").head(10).items()
    ]
    return AlarmKpis(
        start,
        end,
        periods,
        len(raised),
        len(raised) / periods,
        peak,
        peak_period,
        int((counts > FLOOD_ABOVE).sum()),
        sorted(chattering, key=lambda c: (-c[1], c[0])),
        sorted(stale, key=lambda s: s[1]),
        top10,
    )
