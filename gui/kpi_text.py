"""The alarm KPIs (ISA-18.2 / EEMUA 191) worded for the window's KPI tab, in its language.

Core computes the figures (:class:`core.alarms.kpi.AlarmKpis`); the command line prints them in
English (core/alarms/kpi_report.py). Here each line is a translated sentence with the figures
filled in, and times are the PC's local time, so the Korean window reads Korean throughout.
Lines are "label: value" rather than padded columns: Korean letters are twice as wide in the
tab's fixed font.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from PySide6.QtCore import QCoreApplication

from core.alarms.kpi import FLOOD_ABOVE, AlarmKpis
from gui.i18n import local_date_time

translate = QCoreApplication.translate


def _local(ts: pd.Timestamp) -> str:
    """A KPI time (UTC) as the PC's local date and time, to the minute."""
    return local_date_time(datetime.fromtimestamp(ts.timestamp()))[:16]


def kpi_text(k: AlarmKpis, file_name: str) -> str:
    """The KPI report of ``k`` for the file called ``file_name``, one figure per line."""
    lines = [
        translate(
            "KpiReport", "Alarm report for {file}, {start} to {end} ({periods} ten-minute periods)"
        ).format(file=file_name, start=_local(k.start), end=_local(k.end), periods=k.periods),
        "",
        translate("KpiReport", "Alarms raised: {n}").format(n=k.alarms),
        translate("KpiReport", "Per 10 minutes, average: {n} (EEMUA 191: about 1 is manageable)").format(
            n=f"{k.average_per_10min:.2f}"
        ),
    ]
    if k.peak_period is not None:
        lines.append(
            translate("KpiReport", "Per 10 minutes, peak: {n} (from {at})").format(
                n=k.peak_per_10min, at=_local(k.peak_period)
            )
        )
    else:
        lines.append(translate("KpiReport", "Per 10 minutes, peak: {n}").format(n=k.peak_per_10min))
    lines.append(
        translate(
            "KpiReport",
            "Periods in flood (over {limit} in 10 min): {n} of {periods} ({share} %; ISA-18.2: under 1 %)",
        ).format(limit=FLOOD_ABOVE, n=k.flood_periods, periods=k.periods, share=f"{100 * k.flood_share:.1f}")
    )
    lines.append(
        translate("KpiReport", "Chattering (3 or more within 60 s): {n}").format(n=len(k.chattering))
    )
    lines += [
        "    " + translate("KpiReport", "{alarm}: {n} within 60 s").format(alarm=a, n=n)
        for a, n in k.chattering
    ]
    lines.append(translate("KpiReport", "Stale (active for over 24 h): {n}").format(n=len(k.stale)))
    lines += [
        "    " + translate("KpiReport", "{alarm}: active since {at}").format(alarm=a, at=_local(t))
        for a, t in k.stale
    ]
    lines.append(
        translate("KpiReport", "Share of the load from the 10 most frequent alarms: {share} %").format(
            share=f"{100 * k.top10_share:.1f}"
        )
    )
    lines += [f"    {i:>2}. {a}  {n}" for i, (a, n) in enumerate(k.top10, 1)]
    return "\n".join(lines)
