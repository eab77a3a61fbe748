"""Alarm load of the demo plant over a simulated day, as ISA-18.2 / EEMUA 191 count it.

The demo's simulated device (its channels, limits, drift and injected faults) runs headless through
the real anomaly scorer, the real forecaster (a model trained on the week before, as the demo
trains its first one) and the real alarm engine with its journal in a DuckDB file, on an injected
clock: a day takes minutes, not a day. Then the journal is read back and the KPIs are printed:
alarms per 10 minutes (average and peak), periods in flood, chattering alarms, and for each
injected fault whether exactly one alarm was raised for it; for each HIGH crossing of the drifting
temperature, how far ahead the predictive alarm announced it and how often it was raised.

    uv run python benchmarks/alarm_load.py                 # 24 simulated hours (a few minutes)
    uv run python benchmarks/alarm_load.py --hours 48
    uv run python benchmarks/alarm_load.py --replay plant.csv --config watchkeeper.toml

``--replay`` runs any recorded series (a CSV: a time column, then one column per channel, or
``timestamp,channel,value`` rows) through the scorer and the alarm engine with the limits of
``--config`` (the demo's limits without one) and prints the same KPIs.

Targets (issue "Operator trust"): average <= 1 alarm per 10 min, 0 flood periods, 0 chattering
alarms, every injected anomaly alarmed exactly once, each drift crossing of HIGH predicted >= 15
min ahead with the predictive alarm raised once per crossing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.alarms import AlarmEngine, AlarmJournal, ManualClock
from core.alarms.config import AlarmConfig, parse_alarm_config
from core.alarms.kpi import compute_kpis
from core.anomaly.detector import AnomalyDetector
from core.forecast.settings import parse_interval
from core.readings import ReadingBatch
from core.simulation.demo import (
    DEMO_ALARMS,
    DEMO_ANOMALY_SPACING_S,
    DEMO_CHANNELS,
    DEMO_FORECAST_CYCLE,
    DEMO_RATE_HZ,
    demo_clock_shift,
    demo_forecast_settings,
)
from core.simulation.simulator import DRIFT_RESET_S, AnomalyKind, SimulatedDevice
from core.storage.store import ReadingStore

START = pd.Timestamp("2026-06-01 00:00", tz="UTC").timestamp()
FORECAST_CHANNEL = "temperature"  # the channel the demo trains its first model for
TRAIN_DAYS = 7
TRAIN_STEP_S = 10.0  # the demo's history backfill: one reading per 10 s


@dataclass
class Verdict:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"  {'OK  ' if self.ok else 'MISS'}  {self.name}: {self.detail}"


# -- the demo plant, headless ---------------------------------------------------------------------
class MinuteMeans:
    """1-minute bucket means of one channel, as the forecaster's history query makes them."""

    def __init__(self, step_us: int) -> None:
        self.step_us = step_us
        self.keys: list[int] = []
        self.means: list[float] = []
        self._key: int | None = None
        self._sum = 0.0
        self._n = 0

    def add(self, ts_us: np.ndarray, values: np.ndarray) -> None:
        keys = ts_us // self.step_us
        for key in np.unique(keys):
            part = values[keys == key]
            if self._key is not None and key != self._key:
                self._close()
            self._key = int(key)
            self._sum += float(part.sum())
            self._n += len(part)

    def _close(self) -> None:
        if self._n:
            self.keys.append(self._key)
            self.means.append(self._sum / self._n)
        self._sum, self._n = 0.0, 0

    def series(self, before_key: int, steps: int):
        """The newest ``steps`` complete buckets before ``before_key``, as a RegularSeries."""
        from core.forecast.transform import from_buckets

        keys = np.asarray(self.keys[-(steps + 5) :], np.int64)
        means = np.asarray(self.means[-(steps + 5) :], np.float64)
        keep = keys < before_key
        return from_buckets(keys[keep], means[keep], self.step_us, 5)


def train_demo_model(device: SimulatedDevice, start: float):
    """The demo's first model: trained on the week before ``start`` (backfill resolution)."""
    from core.forecast.pipeline import train_series
    from core.forecast.transform import regularise

    settings = demo_forecast_settings()
    history = SimulatedDevice(
        DEMO_CHANNELS,
        rate_hz=1.0 / TRAIN_STEP_S,
        clock_shift_s=device.clock_shift_s,
        anomaly_spacing_s=device.anomaly_spacing_s,
    )
    times, values = history.samples_between(start - TRAIN_DAYS * 86_400, start - 1)
    col = history.channel_names.index(FORECAST_CHANNEL)
    stamps = pd.to_datetime((times * 1e6).astype(np.int64), unit="us", utc=True)
    series = regularise(stamps, values[:, col], settings.step_us, settings.max_gap_steps)
    t0 = time.perf_counter()
    model = train_series(series, FORECAST_CHANNEL, settings)
    print(
        f"trained the demo's {FORECAST_CHANNEL} model on {TRAIN_DAYS} days "
        f"in {time.perf_counter() - t0:.0f} s"
    )
    means = MinuteMeans(settings.step_us)
    keys = series.start_us // settings.step_us + np.arange(len(series))
    means.keys, means.means = keys.tolist(), series.values.tolist()
    return model, means


def run_demo_plant(
    hours: float, rate_hz: float, batch_s: float, journal_db: Path, forecast_evidence: bool = True
) -> dict:
    shift = demo_clock_shift(START)
    device = SimulatedDevice(
        DEMO_CHANNELS, rate_hz=rate_hz, clock_shift_s=round(shift), anomaly_spacing_s=DEMO_ANOMALY_SPACING_S
    )
    units = dict(device.units)
    model, means = train_demo_model(device, START)
    cycle_s = parse_interval(DEMO_FORECAST_CYCLE, "cycle") / 1e6
    store = ReadingStore(journal_db)
    clock = ManualClock(int(START * 1e6))
    alarms = parse_alarm_config(DEMO_ALARMS, units)
    engine = AlarmEngine(alarms, units, clock, AlarmJournal(store))
    detector = AnomalyDetector()
    end = START + hours * 3600
    t, next_forecast, batches, readings = START, START, 0, 0
    t_wall = time.perf_counter()
    from core.forecast.pipeline import forecast_series

    while t < end:
        t1 = min(t + batch_s, end)
        times, values = device.samples_between(t, t1)
        if len(times):
            n, k = values.shape
            ts = np.repeat((times * 1e6).astype(np.int64), k)
            codes = np.tile(np.arange(k, dtype=np.int32), n)
            batch = ReadingBatch(ts, codes, values.reshape(-1), device.channel_names)
            clock.t_us = int(t1 * 1e6)
            scored = detector.update(batch)
            engine.process(batch, scored.scores)
            col = device.channel_names.index(FORECAST_CHANNEL)
            means.add((times * 1e6).astype(np.int64), values[:, col])
            readings += len(batch)
        clock.t_us = int(t1 * 1e6)
        engine.tick()
        if t1 >= next_forecast:
            series = means.series(int(t1 * 1e6) // means.step_us, model.info.history_steps)
            try:
                fc = forecast_series(model, series, FORECAST_CHANNEL)
            except Exception as exc:  # not enough history yet: like a skipped cycle
                print(f"forecast skipped at {pd.Timestamp(t1, unit='s', tz='UTC')}: {exc}")
            else:
                ts_fc = fc.times.as_unit("us").asi8
                v = fc.values
                engine.update_forecast(FORECAST_CHANNEL, ts_fc, v["forecast"], v["lower_95"], v["upper_95"])
                if forecast_evidence:
                    detector.set_forecast(
                        FORECAST_CHANNEL, ts_fc, v["forecast"], v["lower_95"], v["upper_95"]
                    )
            next_forecast += cycle_s
        batches += 1
        t = t1
    wall = time.perf_counter() - t_wall
    print(
        f"simulated {hours:g} h of {DEMO_CHANNELS} ch x {rate_hz:g} Hz ({readings:,} readings) "
        f"in {wall:.0f} s "
        f"({hours * 3600 / wall:,.0f}x real time)"
    )
    return {"store": store, "engine": engine, "device": device, "alarms": alarms, "end": end}


# -- replay ---------------------------------------------------------------------------------------
def read_replay(path: Path) -> tuple[pd.Series, pd.DataFrame]:
    frame = pd.read_csv(path)
    if {"timestamp", "channel", "value"} <= set(frame.columns):
        frame = frame.pivot_table(index="timestamp", columns="channel", values="value", aggfunc="last")
        frame = frame.reset_index()
    when = pd.to_datetime(frame.iloc[:, 0], utc=True, format="mixed")
    return when, frame.iloc[:, 1:].apply(pd.to_numeric, errors="coerce")


def run_replay(path: Path, config: Path | None, batch_s: float, journal_db: Path) -> dict:
    when, data = read_replay(path)
    if config is not None:
        from core.engine.settings import load_checked_config as load_config

        cfg = load_config(config)
        alarms = parse_alarm_config(cfg.extra.get("alarms"), cfg.units)
        units = dict(cfg.units)
    else:
        units = {c: "" for c in data.columns}
        alarms = parse_alarm_config(DEMO_ALARMS, units)
    names = tuple(str(c) for c in data.columns)
    ts = when.astype("datetime64[us, UTC]").astype("int64").to_numpy()
    values = data.to_numpy(np.float64)
    store = ReadingStore(journal_db)
    clock = ManualClock(int(ts[0]))
    engine = AlarmEngine(alarms, units, clock, AlarmJournal(store))
    detector = AnomalyDetector()
    step = int(batch_s * 1e6)
    lo = 0
    t_wall = time.perf_counter()
    while lo < len(ts):
        hi = int(np.searchsorted(ts, ts[lo] + step, side="left"))
        hi = max(hi, lo + 1)
        block = values[lo:hi]
        ok = np.isfinite(block)
        rows, cols = np.nonzero(ok)
        batch = ReadingBatch(ts[lo:hi][rows], cols.astype(np.int32), block[ok], names)
        clock.t_us = int(ts[hi - 1])
        engine.process(batch, detector.update(batch).scores)
        engine.tick()
        lo = hi
    print(f"replayed {len(ts):,} rows x {len(names)} channels in {time.perf_counter() - t_wall:.0f} s")
    return {"store": store, "engine": engine, "device": None, "alarms": alarms, "end": ts[-1] / 1e6 + 1}


# -- the report -----------------------------------------------------------------------------------
def raised(events: pd.DataFrame, alarm_id: str | None = None) -> pd.DataFrame:
    out = events[events["state"] == "active_unack"]
    return out if alarm_id is None else out[out["alarm_id"] == alarm_id]


def fault_verdicts(
    events: pd.DataFrame, device: SimulatedDevice, start: float, end: float, alarms: AlarmConfig
):
    """For each injected fault, the anomaly alarms of its channel raised during it (and until the
    alarm's off-delay after it). Dropouts shorter than the comm-loss time raise no alarm by design."""
    out, matched = [], set()
    grace = pd.Timedelta(seconds=alarms.anomaly_off_delay + 5)
    faults = [a for a in device.anomalies_between(start, end) if a.end <= end - 120]
    counts: dict[str, list[int]] = {}
    for a in faults:
        t0, t1 = pd.Timestamp(a.start, unit="s", tz="UTC"), pd.Timestamp(a.end, unit="s", tz="UTC")
        if a.kind is AnomalyKind.DROPOUT:
            comm = events[(events["kind"] == "comm_loss") & (events["state"] == "active_unack")]
            n = int(((comm["ts"] >= t0) & (comm["ts"] <= t1 + grace)).sum())
            expected = 1 if a.end - a.start >= alarms.comm_loss_after else 0
            counts.setdefault("dropout", []).append(int(n == expected))
            continue
        mine = raised(events, f"{a.channel}.anomaly")
        hits = mine[(mine["ts"] >= t0 - pd.Timedelta(seconds=1)) & (mine["ts"] <= t1 + grace)]
        matched.update(hits["seq"].tolist())
        n = len(hits)
        if n == 0 and any(
            s <= t0 and (e is None or e >= t0) for s, e, _ in episodes(events, f"{a.channel}.anomaly")
        ):
            n = 1  # the channel's anomaly alarm was already up: it takes this reading as its value
            counts.setdefault("during an active alarm", []).append(1)
        counts.setdefault(a.kind.value, []).append(n)
        if n != 1:
            out.append(
                f"    {a.kind.value} on {a.channel} at {t0:%H:%M:%S} ({a.end - a.start:.0f} s, "
                f"{a.magnitude:+.2f}): {n} alarms"
            )
    anomaly_alarms = raised(events)[raised(events)["kind"] == "anomaly"]
    unmatched = anomaly_alarms[~anomaly_alarms["seq"].isin(matched)]
    # The device's drift restarts every few hours (an exchanger cleaned): a real step of several
    # degrees on the first channel, not an injected fault; an alarm for it is no false alarm.
    resets = (
        np.arange(
            np.ceil((start + device.clock_shift_s) / DRIFT_RESET_S),
            (end + device.clock_shift_s) // DRIFT_RESET_S + 1,
        )
        * DRIFT_RESET_S
        - device.clock_shift_s
    )
    first = device.channel_names[0]
    at_reset = np.array(
        [
            r.channel == first and bool(np.any(np.abs(resets - r.ts.timestamp()) <= 240))
            for r in unmatched.itertuples()
        ],
        bool,
    )
    return faults, counts, unmatched[~at_reset] if len(unmatched) else unmatched, out, int(at_reset.sum())


def drift_crossings(device: SimulatedDevice, start: float, end: float, rule) -> list[pd.Timestamp]:
    """When the fault-free signal's minute means cross the HIGH limit upwards (re-armed once back
    below the limit by its deadband): the drift crossings a forecast should see coming."""
    clean = SimulatedDevice(DEMO_CHANNELS, rate_hz=1.0, clock_shift_s=device.clock_shift_s, anomalies=False)
    times, values = clean.samples_between(start, end)
    col = clean.channel_names.index(FORECAST_CHANNEL)
    minutes = (
        pd.Series(values[:, col], index=pd.to_datetime(times, unit="s", utc=True)).resample("1min").mean()
    )
    out, armed = [], True
    for at, v in minutes.items():
        if armed and v > rule.limit:
            out.append(at)
            armed = False
        elif not armed and v < rule.limit - rule.deadband:
            armed = True
    return out


def episodes(events: pd.DataFrame, alarm: str) -> list[tuple[pd.Timestamp, pd.Timestamp | None, str]]:
    """(raised, ended, how it ended) for each activation of ``alarm``."""
    rows = events[events["alarm_id"] == alarm]
    out, start = [], None
    for r in rows.itertuples():
        if r.state == "active_unack":
            start = r.ts
        elif start is not None and r.state in ("rtn_unack", "normal", "shelved", "suppressed"):
            out.append((start, r.ts, r.message))
            start = None
    if start is not None:
        out.append((start, None, "still active"))
    return out


def crossing_verdicts(events: pd.DataFrame, crossings: list[pd.Timestamp], start: float):
    """For each drift crossing: the HIGH alarm it raised, the predictions of it (predictive
    alarms raised since the previous HIGH alarm that did not end with "no crossing predicted"),
    and the lead of the first of them before the HIGH alarm."""
    highs = raised(events, f"{FORECAST_CHANNEL}.H")
    preds = episodes(events, f"{FORECAST_CHANNEL}.predictive")
    rows, last = [], pd.Timestamp(start, unit="s", tz="UTC")
    window = pd.Timedelta(minutes=15)
    for at in crossings:
        near = highs[(highs["ts"] >= at - window) & (highs["ts"] <= at + window)]["ts"]
        high = near.min() if len(near) else None
        until = high if high is not None else at
        mine = [p for p in preds if last < p[0] <= until and not p[2].startswith("No limit crossing")]
        lead = None if high is None or not mine else (high - mine[0][0]).total_seconds() / 60
        early = (at - pd.Timestamp(start, unit="s", tz="UTC")) < pd.Timedelta(hours=1)
        rows.append((at, high, len(mine), lead, early))
        last = until
    false = [p for p in preds if p[2].startswith("No limit crossing")]
    return rows, preds, false


def report(result: dict, start: float) -> int:
    store, device, alarms = result["store"], result["device"], result["alarms"]
    journal = AlarmJournal(store)
    t_start = pd.Timestamp(start, unit="s", tz="UTC")
    t_end = pd.Timestamp(result["end"], unit="s", tz="UTC")
    events = journal.frame(t_start, t_end)
    events["ts"] = pd.to_datetime(events["ts"], utc=True)
    kpis = compute_kpis(events, journal.latest(t_end), t_start, t_end)
    verdicts = [
        Verdict(
            "average alarms per 10 min",
            kpis.average_per_10min <= 1.0,
            f"{kpis.average_per_10min:.2f} (target <= 1; {kpis.alarms} alarms in {kpis.periods} periods)",
        ),
        Verdict(
            "peak alarms per 10 min", kpis.peak_per_10min <= 10, f"{kpis.peak_per_10min} (flood is > 10)"
        ),
        Verdict("periods in flood", kpis.flood_periods == 0, f"{kpis.flood_periods} (target 0)"),
        Verdict(
            "chattering alarms",
            not kpis.chattering,
            f"{len(kpis.chattering)} (target 0) {kpis.chattering[:5] if kpis.chattering else ''}".rstrip(),
        ),
    ]
    print("\nAlarms raised, by alarm:")
    for alarm, n in raised(events)["alarm_id"].value_counts().sort_index().items():
        print(f"  {alarm:28s} {n}")
    if device is not None:
        faults, counts, unmatched, misses, resets = fault_verdicts(
            events, device, start, result["end"], alarms
        )
        print("\nInjected faults (exactly one anomaly alarm each):")
        for kind, hits in sorted(counts.items()):
            if kind == "during an active alarm":
                print(f"  ({len(hits)} of them came while the channel's anomaly alarm was already active)")
                continue
            if kind == "dropout":
                print(
                    f"  dropout  {len(hits):4d}  handled as designed (no alarm under "
                    f"{alarms.comm_loss_after:g} s): {sum(hits)}"
                )
            else:
                once = sum(1 for h in hits if h == 1)
                print(
                    f"  {kind:8s} {len(hits):4d}  alarmed once: {once}  never: {hits.count(0)}  "
                    f"more than once: {sum(1 for h in hits if h > 1)}"
                )
        for line in misses[:20]:
            print(line)
        alarmed = [
            h for kind, hs in counts.items() if kind not in ("dropout", "during an active alarm") for h in hs
        ]
        verdicts.append(
            Verdict(
                "injected faults alarmed exactly once",
                all(h == 1 for h in alarmed),
                f"{sum(1 for h in alarmed if h == 1)} of {len(alarmed)}",
            )
        )
        print(f"  anomaly alarms at the drift's restarts (a real step of the device): {resets}")
        verdicts.append(
            Verdict(
                "anomaly alarms with no injected fault",
                len(unmatched) == 0,
                f"{len(unmatched)} in {(result['end'] - start) / 3600:g} h "
                + ", ".join(
                    f"{r.alarm_id} {r.ts:%H:%M:%S} ({r.message.rsplit('score ', 1)[-1]}"
                    for r in unmatched.head(8).itertuples()
                ),
            )
        )
        rule = next(r for r in alarms.rules(FORECAST_CHANNEL).limits if r.kind.value == "H")
        crossings = drift_crossings(device, start, result["end"], rule)
        rows, preds, false_preds = crossing_verdicts(events, crossings, start)
        print(
            f"\n{FORECAST_CHANNEL} drift crossings of HIGH: {len(rows)}; "
            f"predictive alarms raised: {len(preds)}"
        )
        for at, high, n, lead, early in rows:
            if high is None:
                print(f"  crossing at {at:%Y-%m-%d %H:%M}: no HIGH alarm within 15 min")
                continue
            lead_text = "not predicted" if lead is None else f"predicted {lead:.0f} min ahead"
            note = " (within the first hour: no forecast could see it sooner)" if early else ""
            print(f"  HIGH at {high:%Y-%m-%d %H:%M}: {lead_text}, predictive alarm raised {n}x{note}")
        judged = [r for r in rows if not r[4] and r[1] is not None]
        leads_ok = bool(judged) and all(lead is not None and lead >= 15 for _, _, _, lead, _ in judged)
        verdicts.append(
            Verdict(
                "each HIGH crossing predicted >= 15 min ahead",
                leads_ok,
                ", ".join("-" if r[3] is None else f"{r[3]:.0f} min" for r in judged)
                or "no crossing in the run",
            )
        )
        verdicts.append(
            Verdict(
                "predictive alarm raised once per crossing",
                bool(judged) and all(r[2] == 1 for r in judged),
                ", ".join(str(r[2]) for r in judged) or "no crossing",
            )
        )
        print(
            f"  predictive alarms that ended with no crossing (the forecast changed its mind): "
            f"{len(false_preds)} "
            + ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b, _ in false_preds if b is not None)
        )
        limit_during_faults = [
            f"{r.alarm_id} {r.ts:%H:%M:%S}"
            for r in raised(events)[raised(events)["kind"].isin(["H", "HH", "L", "LL"])].itertuples()
            if any(a.start - 5 <= r.ts.timestamp() <= a.end + 120 for a in faults if a.channel == r.channel)
        ]
        print(
            f"  limit alarms raised by injected faults (correct: the value was beyond the limit): "
            f"{len(limit_during_faults)} {', '.join(limit_during_faults[:6])}"
        )
    print("\nISA-18.2 / EEMUA 191 KPIs from the journal:")
    for v in verdicts:
        print(v.line())
    missed = [v.name for v in verdicts if not v.ok]
    print(
        f"\n{len(verdicts) - len(missed)} of {len(verdicts)} targets met"
        + (f"; missed: {', '.join(missed)}" if missed else "")
    )
    store.close()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--hours", type=float, default=24.0, help="simulated hours (default 24)")
    parser.add_argument("--rate", type=float, default=DEMO_RATE_HZ, help="readings per second per channel")
    parser.add_argument("--batch", type=float, default=1.0, help="seconds of readings per batch")
    parser.add_argument("--replay", type=Path, help="a CSV file of recorded readings to replay instead")
    parser.add_argument("--config", type=Path, help="a watchkeeper.toml whose [alarms] the replay uses")
    parser.add_argument("--keep", type=Path, help="keep the journal in this DuckDB file")
    parser.add_argument(
        "--no-forecast-evidence",
        action="store_true",
        help="do not give the forecast to the anomaly scorer (to see that evidence's share)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.keep or Path(tmp) / "alarm_load.duckdb"
        if args.replay is not None:
            result = run_replay(args.replay, args.config, args.batch, db)
            first = result["engine"].clock.now_us()  # unused: the report reads the journal's range
            del first
            journal_start = read_replay(args.replay)[0].iloc[0].timestamp()
            return report(result, journal_start)
        result = run_demo_plant(args.hours, args.rate, args.batch, db, not args.no_forecast_evidence)
        return report(result, START)


if __name__ == "__main__":
    sys.exit(main())
