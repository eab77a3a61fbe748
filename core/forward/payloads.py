"""JSON documents for the readings, alarms and forecasts a forwarder sends (MQTT, webhooks).

Times are ISO 8601 UTC with microseconds (``2026-01-31T08:00:00.250000Z``); each reading has the
stable id ``channel@ts_us`` so a target that gets it twice (after a crash) can drop the copy.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pandas as pd


def iso(ts_us: np.ndarray) -> list[str]:
    """ISO 8601 UTC texts for µs stamps."""
    return [t + "Z" for t in np.datetime_as_string(np.asarray(ts_us, dtype="datetime64[us]"), unit="us")]


def iso1(ts_us: int) -> str:
    return iso(np.array([ts_us]))[0]


def _num(v: Any) -> float | None:
    if v is None or v is pd.NA:
        return None
    v = float(v)
    return v if math.isfinite(v) else None


def reading_dicts(
    rows: dict[str, np.ndarray], start: int = 0, stop: int | None = None
) -> list[dict[str, Any]]:
    ts = rows["ts_us"][start:stop]
    channels = rows["channel"][start:stop].tolist()
    return [
        {"id": f"{c}@{t}", "ts": s, "channel": c, "value": _num(v), "unit": u}
        for t, s, c, v, u in zip(
            ts.tolist(),
            iso(ts),
            channels,
            rows["value"][start:stop].tolist(),
            rows["unit"][start:stop].tolist(),
            strict=True,
        )
    ]


def alarm_dicts(frame: pd.DataFrame) -> list[dict[str, Any]]:
    stamps = iso(frame["ts_us"].to_numpy())
    return [
        {
            "seq": int(r.seq),
            "ts": stamp,
            "alarm_id": r.alarm_id,
            "channel": r.channel,
            "kind": r.kind,
            "priority": r.priority,
            "state": r.state,
            "value": _num(r.value),
            "message": r.message,
            "comment": getattr(r, "comment", ""),
        }
        for r, stamp in zip(frame.itertuples(index=False), stamps, strict=True)
    ]


def forecast_cycles(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """One document per forecast cycle: every channel's points with their 80/95 % bands."""
    out = []
    for generated, cycle in frame.groupby("generated_us", sort=True):
        channels = []
        for channel, rows in cycle.groupby("channel", sort=True):
            stamps = iso(rows["target_us"].to_numpy())
            points = [
                {
                    "ts": s,
                    "value": _num(r.value),
                    "lower_80": _num(r.lower_80),
                    "upper_80": _num(r.upper_80),
                    "lower_95": _num(r.lower_95),
                    "upper_95": _num(r.upper_95),
                }
                for r, s in zip(rows.itertuples(index=False), stamps, strict=True)
            ]
            channels.append({"channel": channel, "model": str(rows["model"].iloc[0]), "points": points})
        out.append({"generated_at": iso1(int(generated)), "forecasts": channels})
    return out


def dumps(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
