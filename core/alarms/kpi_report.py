"""The alarm report in words: ISA-18.2 / EEMUA 191 KPIs and the alarms not normal, as text.

``watchkeeper alarms`` prints it, in English like the rest of the command line; the window's KPI
tab words the same figures in the operator's language (gui/kpi_text.py).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from core.alarms.kpi import FLOOD_ABOVE, AlarmKpis

_SHOWN = ("active_unack", "active_ack", "rtn_unack", "shelved", "suppressed", "out_of_service")


def _t(ts: pd.Timestamp) -> str:
    return ts.strftime("%Y-%m-%d %H:%M")


def report(k: AlarmKpis, db: Path) -> str:
    lines = [
        f"Alarm report for {db}, {_t(k.start)} to {_t(k.end)} UTC ({k.periods} ten-minute periods)",
        f"  alarms raised                     {k.alarms}",
        f"  per 10 min, average               {k.average_per_10min:.2f}   (EEMUA 191: about 1 is manageable)",
        f"  per 10 min, peak                  {k.peak_per_10min}"
        + (f"      ({_t(k.peak_period)})" if k.peak_period is not None else ""),
        f"  periods in flood (> {FLOOD_ABOVE} / 10 min)   {k.flood_periods} of {k.periods} "
        f"({100 * k.flood_share:.1f} %; ISA-18.2 target under 1 %)",
        f"  chattering (>= 3 in 60 s)         {len(k.chattering)}"
        + "".join(f"\n      {a}: {n} in 60 s" for a, n in k.chattering),
        f"  stale (active > 24 h)             {len(k.stale)}"
        + "".join(f"\n      {a}: active since {_t(t)} UTC" for a, t in k.stale),
        f"  top 10 alarms' share of the load  {100 * k.top10_share:.1f} %",
    ]
    lines += [f"    {i:>2}. {a:<40} {n}" for i, (a, n) in enumerate(k.top10, 1)]
    return "\n".join(lines)


def active_table(latest: pd.DataFrame) -> str:
    rows = latest[latest["state"].isin(_SHOWN)]
    if rows.empty:
        return "No active, unacknowledged, shelved, suppressed or out-of-service alarms."
    order = {"critical": 0, "high": 1, "medium": 2, "low": 3}
    rows = rows.assign(rank=rows["priority"].map(order).fillna(9)).sort_values(
        ["rank", "ts_us"], ascending=[True, False]
    )
    out = [
        f"Alarms not normal ({len(rows)}):",
        f"  {'PRIORITY':<9} {'STATE':<15} {'SINCE (UTC)':<17} {'ALARM':<32} MESSAGE",
    ]
    for r in rows.itertuples(index=False):
        # Since the alarm was raised (an acknowledgement does not move it).
        raised_us = r.ts_us if pd.isna(r.activated_us) else r.activated_us
        since = pd.Timestamp(int(raised_us), unit="us", tz="UTC")
        out.append(f"  {r.priority:<9} {r.state:<15} {_t(since):<17} {r.alarm_id:<32} {r.message}")
    return "\n".join(out)
