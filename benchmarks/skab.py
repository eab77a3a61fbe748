"""SKAB (a real water-pump testbed) with SKAB's own metrics, next to its published leaderboard.

Every run of ``valve1/`` and ``other/`` is scored row by row, causally, on all 8 sensors; the first
400 rows of a file are the leaderboard's "normal" part and are not scored (the detectors only learn
from them, as everything earlier). A row is an outlier when the detector says an anomaly is going
on (on any channel). Reported on the files held out from tuning:

- outlier detection: F1, false-alarm % (FP / (FP + TN)) and missed-alarm % (FN / (FN + TP)) over
  all scored rows;
- changepoint detection: the rows where that state switches, and where the detector reports an
  anomaly, are the predicted changepoints, scored
  as SKAB does: NAB with a 60 s window to the right of each labelled changepoint, standard, low-FP
  and low-FN profiles, only the first detection in a window counts, its reward falls from A_tp to
  A_fp across the window (tanh), every detection outside a window costs A_fp.

Split (fixed, by file number): files with an even number were used for tuning (the machine
scorer's ``lag`` and ``smooth`` were chosen on them), odd ones are held out. ``--all`` prints the
tuning files' figures too. SKAB's runs are short (about 570 normal rows before each fault), so the
machine reference must be ready within them: ``lag`` + ``smooth`` + 64 rows, then a refit.

    uv run python benchmarks/skab.py [--data DIR] [--all]
"""

from __future__ import annotations

import argparse
import itertools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from core.anomaly.multichannel import MachineScorer
from core.anomaly.scorer import ChannelScorer

DATA = Path("/work/shared/data/SKAB")
TRAIN_ROWS = 400  # the leaderboard's normal part of each file
WINDOW_S = 60
PROFILES = {"standard": (1.0, -0.11, -1.0), "low FP": (1.0, -0.22, -1.0), "low FN": (1.0, -0.11, -2.0)}
PUBLISHED_OUTLIER = {  # F1, FAR %, MAR % (SKAB leaderboard)
    "Conv-AE": (0.78, 13.6, 28.0),
    "MSET": (0.78, 39.7, 14.1),
    "T²+Q (PCA)": (0.76, 26.6, 24.9),
    "LSTM-AE": (0.74, math.nan, math.nan),
    "Isolation forest": (0.29, math.nan, math.nan),
}
PUBLISHED_CP = {  # NAB standard, low FP, low FN
    "MSCRED": (32.4, 16.5, 40.3),
    "Isolation forest": (26.2, math.nan, math.nan),
    "T²+Q (PCA)": (25.4, math.nan, math.nan),
    "Conv-AE": (23.6, math.nan, math.nan),
}


@dataclass
class Run:
    name: str
    ts_us: np.ndarray
    values: np.ndarray  # rows x sensors
    sensors: list[str]
    anomaly: np.ndarray
    changepoints: np.ndarray  # row indices

    @property
    def held_out(self) -> bool:
        return int(Path(self.name).stem) % 2 == 1


def load(data: Path) -> list[Run]:
    runs = []
    for folder in ("valve1", "other"):
        for path in sorted((data / folder).glob("*.csv"), key=lambda p: int(p.stem)):
            df = pd.read_csv(path, sep=";")
            ts = pd.to_datetime(df["datetime"]).to_numpy("datetime64[us]").astype(np.int64)
            sensors = [c for c in df.columns if c not in ("datetime", "anomaly", "changepoint")]
            runs.append(
                Run(
                    f"{folder}/{path.name}",
                    ts,
                    df[sensors].to_numpy(np.float64),
                    sensors,
                    df["anomaly"].to_numpy() > 0,
                    np.flatnonzero(df["changepoint"].to_numpy() > 0),
                )
            )
    return runs


# -- detectors ---------------------------------------------------------------------------------
# Each returns, per row of a run, (an anomaly is going on, a change is reported here). The changes
# are the changepoint predictions: where the state switches, and (Watchkeeper) every reported
# anomaly — a flag is the detector saying "something changed now".
def _switches(state: np.ndarray) -> np.ndarray:
    return np.r_[False, np.diff(state.astype(np.int8)) != 0]


def watchkeeper(run: Run) -> tuple[np.ndarray, np.ndarray]:
    """Watchkeeper's MachineScorer: every sensor alone and the machine's state across sensors."""
    result = MachineScorer(run.sensors).score(run.ts_us, run.values)
    return result.unusual, _switches(result.unusual) | result.flags


def watchkeeper_channels(run: Run) -> tuple[np.ndarray, np.ndarray]:
    """Without cross-channel evidence: a ChannelScorer per sensor, an anomaly episode on any one."""
    state = np.zeros(len(run.ts_us), dtype=bool)
    flags = state.copy()
    for j in range(run.values.shape[1]):
        result = ChannelScorer().score(run.ts_us, run.values[:, j])
        state |= result.unusual
        flags |= result.flags
    return state, _switches(state) | flags


def rolling_mad(run: Run, window: int = 64, z: float = 5.0, hold: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Baseline: any sensor's |x - rolling median| / rolling MAD of the previous ``window`` rows at
    least ``z``; the state is held ``hold`` rows after the last such row."""
    hit = np.zeros(len(run.ts_us), dtype=bool)
    for j in range(run.values.shape[1]):
        x = pd.Series(run.values[:, j])
        med = x.rolling(window, min_periods=window).median().shift(1)
        mad = (x - med).abs().rolling(window, min_periods=window).median().shift(1) * 1.4826
        hit |= ((x - med).abs() / mad.where(mad > 0)).fillna(0.0).to_numpy() >= z
    state = pd.Series(hit).rolling(hold, min_periods=1).max().to_numpy() > 0
    return state, _switches(state)


def always(run: Run) -> tuple[np.ndarray, np.ndarray]:
    """Reference: every row an outlier (what F1 alone rewards when half the rows are anomalous)."""
    n = len(run.ts_us)
    return np.ones(n, dtype=bool), np.zeros(n, dtype=bool)


# -- metrics ---------------------------------------------------------------------------------
def outlier_metrics(runs: list[Run], states: list[np.ndarray]) -> tuple[float, float, float]:
    """(F1, false-alarm %, missed-alarm %) over the scored rows of every run."""
    tp = fp = fn = tn = 0
    for run, state in zip(runs, states, strict=True):
        y, p = run.anomaly[TRAIN_ROWS:], state[TRAIN_ROWS:]
        tp += int((y & p).sum())
        fp += int((~y & p).sum())
        fn += int((y & ~p).sum())
        tn += int((~y & ~p).sum())
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return f1, 100 * fp / max(fp + tn, 1), 100 * fn / max(fn + tp, 1)


def _tanh_reward(position: float, a_tp: float, a_fp: float) -> float:
    """SKAB's "improved" NAB reward at ``position`` in [0, 1] of a window: A_tp at 0, A_fp at 1."""
    x = -math.pi / 2 + math.pi * min(max(position, 0.0), 1.0)
    return (a_tp - a_fp) / 2 * -math.tanh(x) / math.tanh(math.pi / 2) + (a_tp - a_fp) / 2 + a_fp


def changepoint_scores(runs: list[Run], changes: list[np.ndarray]) -> dict[str, float]:
    """SKAB's NAB scores (60 s right windows) of the reported changes, summed over runs."""
    totals = {name: [0.0, 0.0, 0.0] for name in PROFILES}  # score, null, perfect
    for run, change in zip(runs, changes, strict=True):
        rows = np.flatnonzero(change)
        pred = run.ts_us[rows[rows >= TRAIN_ROWS]]
        cps = run.ts_us[run.changepoints[run.changepoints >= TRAIN_ROWS]]
        windows = [[int(c), int(c) + WINDOW_S * 1_000_000] for c in cps]
        for a, b in itertools.pairwise(windows):
            if a[1] >= b[0]:
                b[0] = a[1]  # SKAB's "cut right window"
        used = np.zeros(len(pred), dtype=bool)
        first_in: list[float | None] = []
        for lo, hi in windows:
            inside = (pred >= lo) & (pred <= hi)
            used |= inside
            first_in.append((float(pred[inside][0]) - lo) / (hi - lo) if inside.any() else None)
        false = int((~used).sum())
        for name, (a_tp, a_fp, a_fn) in PROFILES.items():
            t = totals[name]
            t[0] += a_fp * false + sum(
                a_fn if pos is None else _tanh_reward(pos, a_tp, a_fp) for pos in first_in
            )
            t[1] += a_fn * len(windows)
            t[2] += a_tp * len(windows)
    return {name: 100 * (s - null) / (perfect - null) for name, (s, null, perfect) in totals.items()}


DETECTORS: dict[str, Callable[[Run], tuple[np.ndarray, np.ndarray]]] = {
    "Watchkeeper (machine: channels + state)": watchkeeper,
    "channel scorers only, no machine state": watchkeeper_channels,
    "baseline: rolling median/MAD |z| >= 5": rolling_mad,
    "reference: every row an outlier": always,
}


def report(title: str, runs: list[Run]) -> None:
    print(f"\n== {title}: {len(runs)} runs, {sum(len(r.ts_us) - TRAIN_ROWS for r in runs)} scored rows")
    print(
        f"{'DETECTOR':<40} {'F1':>5} {'FAR %':>6} {'MAR %':>6}   {'NAB std':>7} {'low FP':>7} {'low FN':>7}"
    )
    for name, fn in DETECTORS.items():
        started = time.perf_counter()
        found = [fn(r) for r in runs]
        seconds = time.perf_counter() - started
        f1, far, mar = outlier_metrics(runs, [state for state, _ in found])
        cp = changepoint_scores(runs, [changes for _, changes in found])
        print(
            f"{name:<40} {f1:>5.2f} {far:>6.1f} {mar:>6.1f}   {cp['standard']:>7.1f} {cp['low FP']:>7.1f} "
            f"{cp['low FN']:>7.1f}   ({seconds:.1f} s)"
        )
    print("Published (SKAB leaderboard, offline, trained on each file's normal part):")
    for name, (f1, far, mar) in PUBLISHED_OUTLIER.items():
        cp = PUBLISHED_CP.get(name, (math.nan,) * 3)
        print(f"  {name:<38} {f1:>5.2f} {far:>6.1f} {mar:>6.1f}   {cp[0]:>7.1f} {cp[1]:>7.1f} {cp[2]:>7.1f}")
    print(f"  {'MSCRED':<38} {'':>5} {'':>6} {'':>6}   {32.4:>7.1f} {16.5:>7.1f} {40.3:>7.1f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA, help="SKAB folder with valve1/ and other/")
    ap.add_argument("--all", action="store_true", help="also the files used for tuning")
    args = ap.parse_args(argv)
    if not (args.data / "valve1").is_dir():
        print(f"{args.data} has no SKAB runs (valve1/, other/): nothing to score")
        return 1
    runs = load(args.data)
    held = [r for r in runs if r.held_out]
    tuned = [r for r in runs if not r.held_out]
    print(f"Held out: {', '.join(r.name for r in held)}")
    print(f"Tuned on: {', '.join(r.name for r in tuned)}")
    report("SKAB, held-out runs", held)
    if args.all:
        report("SKAB, tuning runs", tuned)
    print(
        "Targets on the held-out runs: outlier F1 >= 0.80, changepoint NAB standard >= 35 "
        f"(window {WINDOW_S} s)."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
