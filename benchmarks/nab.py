"""NAB-style evaluation of the anomaly scorer on NAB's artificial streams and synthetic cases.

For every file: the detections (first row of each flagged run inside or outside the labelled
windows), the raw NAB score and the counts; then the normalised score (null detector 0, perfect
100) per corpus, at the scorer's own threshold and at the best threshold for that corpus (NAB's
optimised figure, for comparison only: the shipped threshold is the one that counts).

    uv run python benchmarks/nab.py [--data DIR] [--seeds N] [--quiet]

The synthetic cases are generated here, deterministically: spikes in Gaussian and heavy-tailed
noise, level shifts, variance up and down, a stuck sensor, drift on a daily cycle, a missing and an
extra daily peak, a jump in a random walk, a burst in daily counts, a regime change in a spiky
utilisation metric, a step in a quantised slow signal, and clean streams of the same kinds.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from nab_scoring import FileScore, NabFile, Profile, best_threshold, label_windows, normalised

from core.anomaly.scorer import ChannelScorer
from core.anomaly.settings import ScorerSettings

DATA = Path("/work/shared/data/NAB-artificial")
PROFILES = {"standard": Profile(), "low FP": Profile(fp=0.22), "low FN": Profile(fn=2.0)}
# NAB v1.1 scoreboard (standard / low FP / low FN), over the whole corpus of 58 real and artificial
# files with each detector's best threshold; NAB publishes no figure for the artificial files alone.
PUBLISHED = {
    "ARTime": (74.9, 65.1, 80.4),
    "Numenta HTM": (70.5, 62.6, 75.2),
    "CAD OSE": (69.9, 67.0, 73.2),
    "KNN CAD": (58.0, 43.4, 64.8),
    "Twitter ADVec": (47.1, 33.6, 53.5),
    "Windowed Gaussian": (39.6, 20.9, 47.4),
    "Random": (11.0, 1.2, 19.5),
}
STEP_US = 300 * 1_000_000  # NAB's artificial files: one row every 5 minutes
DAY = 288  # rows per day at 5-minute steps
N = 4032  # two weeks, as NAB's artificial files


@dataclass
class Case:
    name: str
    ts_us: np.ndarray
    values: np.ndarray
    windows: list[tuple[int, int]]


# -- data -------------------------------------------------------------------------------------
def nab_artificial(data: Path) -> list[Case]:
    labels = json.loads((data / "windows.json").read_text())
    cases = []
    for rel, wins in sorted(labels.items()):
        df = pd.read_csv(data / rel)
        ts_us = _us(pd.to_datetime(df["timestamp"], utc=True))
        index = {t: i for i, t in enumerate(ts_us.tolist())}
        rows = [
            (
                index[int(_us(pd.to_datetime([a], utc=True))[0])],
                index[int(_us(pd.to_datetime([b], utc=True))[0])],
            )
            for a, b in wins
        ]
        cases.append(Case(Path(rel).stem, ts_us, df["value"].to_numpy(float), rows))
    return cases


def _us(stamps) -> np.ndarray:
    return np.asarray(pd.DatetimeIndex(stamps).as_unit("us").asi8, np.int64)


def _daily(n: int, amp: float = 10.0, phase: float = 0.0) -> np.ndarray:
    return amp * np.sin(2 * np.pi * (np.arange(n) / DAY + phase))


def _ar1(rng: np.random.Generator, n: int, phi: float, sigma: float = 1.0) -> np.ndarray:
    e = rng.normal(0, sigma, n)
    out = np.empty(n)
    acc = 0.0
    for i in range(n):
        acc = phi * acc + e[i]
        out[i] = acc
    return out


def _at(rng: np.random.Generator, k: int = 1, lo: int = 900) -> list[int]:
    """``k`` anomaly rows after the probation, well apart."""
    slots = np.linspace(lo, N - 300, k + 1).astype(int)
    return sorted(int(rng.integers(a, b - 200)) for a, b in itertools.pairwise(slots))


def gen_spikes_gauss(rng):
    x = 50 + rng.normal(0, 1, N)
    a = _at(rng, 2)
    for i in a:
        x[i] += rng.choice([-1, 1]) * rng.uniform(7, 10)
    return x, a


def gen_spikes_heavy(rng):
    x = 10 + rng.standard_t(3, N)
    a = _at(rng, 2)
    for i in a:
        x[i] += 30
    return x, a


def gen_level_shift(rng):
    x = 20 + _ar1(rng, N, 0.5)
    a = _at(rng, 1)
    x[a[0] :] += 4 * 1.15
    return x, a


def gen_level_shift_back(rng):
    x = 100 + _daily(N, 5) + rng.normal(0, 1, N)
    a = _at(rng, 2)
    for i in a:
        x[i : i + 150] -= 6
    return x, a


def gen_variance_up(rng):
    x = 5 + rng.normal(0, 0.5, N)
    a = _at(rng, 1)
    x[a[0] : a[0] + 300] += rng.normal(0, 2.0, 300)
    return x, a


def gen_variance_down(rng):
    x = 40 + _daily(N, 3) + rng.normal(0, 1, N)
    a = _at(rng, 1)
    i = a[0]
    x[i : i + 300] = 40 + _daily(N, 3)[i : i + 300] + rng.normal(0, 0.1, 300)
    return x, a


def gen_stuck(rng):
    x = np.round(60 + _daily(N, 5) + rng.normal(0, 0.3, N), 2)
    a = _at(rng, 1)
    x[a[0] : a[0] + 100] = x[a[0]]
    return x, a


def gen_drift_daily(rng):
    x = 60 + _daily(N, 8) + rng.normal(0, 0.8, N)
    a = _at(rng, 1)
    x[a[0] :] += np.arange(N - a[0]) * 0.05
    return x, a


def gen_missing_peak(rng):
    day = np.arange(N) % DAY
    peak = ((day > 100) & (day < 160)) * 30.0
    x = 20 + peak + rng.normal(0, 1.5, N)
    d = int(rng.integers(5, 11))
    x[d * DAY + 101 : d * DAY + 160] -= 30
    return x, [d * DAY + 101]


def gen_extra_peak(rng):
    day = np.arange(N) % DAY
    x = 20 + ((day > 100) & (day < 160)) * 30.0 + rng.normal(0, 1.5, N)
    d = int(rng.integers(5, 11))
    x[d * DAY + 200 : d * DAY + 240] += 30
    return x, [d * DAY + 200]


def gen_random_walk_jump(rng):
    x = 30 + np.cumsum(rng.normal(0, 0.1, N))
    a = _at(rng, 1)
    x[a[0] :] += 1.5
    return x, a


def gen_counts_burst(rng):
    lam = 20 + 15 * np.sin(2 * np.pi * np.arange(N) / DAY)
    a = _at(rng, 1)
    lam[a[0] : a[0] + 6] *= 3.5
    return rng.poisson(lam).astype(float), a


def gen_cpu_regime(rng):
    x = 20 * np.exp(rng.normal(0, 0.15, N))
    x[rng.random(N) < 0.01] *= 2.5
    a = _at(rng, 1)
    x[a[0] : a[0] + 200] *= 2.2
    return np.minimum(x, 100), a


def gen_quantised_step(rng):
    x = 21 + np.cumsum(rng.normal(0, 0.02, N)) + _daily(N, 0.5)
    a = _at(rng, 1)
    x[a[0] :] += 1.0
    return np.round(x, 1), a


def null(f: Callable[[np.random.Generator], np.ndarray]) -> Callable:
    return lambda rng: (f(rng), [])


GENERATORS: dict[str, Callable] = {
    "spikes_gauss": gen_spikes_gauss,
    "spikes_heavy": gen_spikes_heavy,
    "level_shift": gen_level_shift,
    "level_shift_back": gen_level_shift_back,
    "variance_up": gen_variance_up,
    "variance_down": gen_variance_down,
    "stuck": gen_stuck,
    "drift_daily": gen_drift_daily,
    "missing_peak": gen_missing_peak,
    "extra_peak": gen_extra_peak,
    "random_walk_jump": gen_random_walk_jump,
    "counts_burst": gen_counts_burst,
    "cpu_regime": gen_cpu_regime,
    "quantised_step": gen_quantised_step,
    "null_random_walk": null(lambda r: 30 + np.cumsum(r.normal(0, 0.1, N))),
    "null_daily_noise": null(lambda r: 50 + _daily(N, 10) + r.normal(0, 1, N)),
    "null_heavy_tail": null(lambda r: 10 + r.standard_t(2, N)),
    "null_counts": null(lambda r: r.poisson(20 + 15 * np.sin(2 * np.pi * np.arange(N) / DAY)).astype(float)),
    "null_quantised": null(lambda r: np.round(21 + np.cumsum(r.normal(0, 0.02, N)), 1)),
    "null_periodic_spikes": null(lambda r: 5 + r.normal(0, 0.3, N) + 8 * (np.arange(N) % 50 == 0)),
    "null_trend": null(lambda r: 10 + 0.01 * np.arange(N) + r.normal(0, 1, N)),
    "null_ar_strong": null(lambda r: 20 + _ar1(r, N, 0.95)),
    "null_regimes": null(lambda r: np.repeat(r.choice([10.0, 14.0], N // 24), 24)[:N] + r.normal(0, 0.5, N)),
}


def simulator(hours: float = 3.0, rate_hz: float = 1.0) -> list[Case]:
    """Watchkeeper's own simulated device (spikes, steps, stuck values, dropouts), one file per channel.

    Each injected anomaly on a channel is labelled at its first sample; a dropout (no data on any
    channel) is not an anomaly of the values and is not labelled.
    """
    from core.simulation.simulator import AnomalyKind, SimulatedDevice

    device = SimulatedDevice(channels=4, rate_hz=rate_hz, seed=7)
    t0 = 1_767_225_600.0  # 2026-01-01 UTC
    t, values = device.samples_between(t0, t0 + hours * 3600)
    ts_us = np.round(t * 1e6).astype(np.int64)
    cases = []
    for ch, name in enumerate(device.channel_names):
        starts = [
            int(np.searchsorted(t, a.start - 1e-9))
            for a in device.anomalies_between(t0, t0 + hours * 3600)
            if a.channel == name and a.kind is not AnomalyKind.DROPOUT
        ]
        starts = [i for i in starts if i < len(t)]
        cases.append(Case(f"sim_{name}", ts_us, values[:, ch].copy(), label_windows(len(t), starts)))
    return cases


def synthetic(seeds: int) -> list[Case]:
    ts = 1_396_310_400_000_000 + np.arange(N, dtype=np.int64) * STEP_US  # 2014-04-01, as NAB
    cases = []
    for name, gen in GENERATORS.items():
        for seed in range(seeds):
            rng = np.random.default_rng([seed, sum(map(ord, name))])
            values, anomalies = gen(rng)
            cases.append(Case(f"{name}#{seed}", ts, np.asarray(values, float), label_windows(N, anomalies)))
    return cases


# -- evaluation -------------------------------------------------------------------------------
def baseline_scores(case: Case) -> np.ndarray:
    """A plain causal detector for comparison: |x - rolling median| / rolling MAD of the previous
    64 rows (as in many monitoring tools), as a score min(1, |z| / 10), with a 32-row refractory
    period after each detection at |z| >= 5."""
    x = pd.Series(case.values)
    med = x.rolling(64, min_periods=64).median().shift(1)
    mad = (x - med).abs().rolling(64, min_periods=64).median().shift(1) * 1.4826
    z = ((x - med).abs() / mad.where(mad > 0)).fillna(0.0).to_numpy()
    score = np.minimum(z / 10.0, 1.0)
    # Give it the usual refractory period, so it is not sunk by flagging every row of one event.
    quiet_until = -1
    for i in np.flatnonzero(score >= 0.5).tolist():
        if i <= quiet_until:
            score[i] = 0.49
        else:
            quiet_until = i + 32
    return score


def run_scorer(case: Case, settings: ScorerSettings) -> np.ndarray:
    scores, _ = ChannelScorer(settings).update(case.ts_us, case.values)
    return scores


def _describe(s: FileScore) -> str:
    parts = [f"{kind}@{row}({w:+.2f})" for row, kind, w in s.detections[:6]]
    more = f" …+{len(s.detections) - 6}" if len(s.detections) > 6 else ""
    return " ".join(parts) + more


def evaluate(title: str, cases: list[Case], settings: ScorerSettings, quiet: bool) -> tuple[list, list, list]:
    files = [NabFile(c.name, len(c.values), c.windows) for c in cases]
    started = time.perf_counter()
    scores = [run_scorer(c, settings) for c in cases]
    seconds = time.perf_counter() - started
    results = [f.score(s >= settings.threshold) for f, s in zip(files, scores, strict=True)]
    print(
        f"\n== {title}: {len(cases)} files, {sum(len(c.values) for c in cases)} rows, "
        f"scored in {seconds:.2f} s"
    )
    if not quiet:
        print(f"{'FILE':<30} {'WIN':>3} {'TP':>3} {'FP':>3} {'FN':>3} {'RAW':>7}  DETECTIONS (row, weight)")
        for r in results:
            print(f"{r.name:<30} {r.windows:>3} {r.tp:>3} {r.fp:>3} {r.fn:>3} {r.raw:>7.3f}  {_describe(r)}")
    th, best = best_threshold(files, scores)
    tp, fp, fn = (sum(getattr(r, k) for r in results) for k in ("tp", "fp", "fn"))
    print(
        f"{title}: normalised NAB score {normalised(results):.1f} at threshold {settings.threshold:g} "
        f"(TP {tp}, FP {fp}, FN {fn}); best threshold {th:.2f} gives {best:.1f}"
    )
    base = [baseline_scores(c) for c in cases]
    print(f"  {'':<48} {'standard':>9} {'low FP':>7} {'low FN':>7}")
    for name, runs, th_fixed in (
        ("Watchkeeper", scores, settings.threshold),
        ("rolling-MAD baseline", base, 0.5),
    ):
        fixed, tuned = [], []
        for profile in PROFILES.values():
            pf = [NabFile(c.name, len(c.values), c.windows, profile) for c in cases]
            fixed.append(normalised([f.score(s >= th_fixed) for f, s in zip(pf, runs, strict=True)]))
            tuned.append(best_threshold(pf, runs)[1])
        for label, row in (("shipped threshold", fixed), ("best threshold per profile", tuned)):
            print(f"  {name + ', ' + label:<48} {row[0]:>9.1f} {row[1]:>7.1f} {row[2]:>7.1f}")
    return files, scores, cases


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA, help="NAB-artificial folder with windows.json")
    ap.add_argument("--seeds", type=int, default=3, help="synthetic files per generator (default 3)")
    ap.add_argument("--quiet", action="store_true", help="corpus figures only")
    args = ap.parse_args(argv)
    settings = ScorerSettings()
    groups = []
    if (args.data / "windows.json").exists():
        groups.append(evaluate("NAB artificial", nab_artificial(args.data), settings, args.quiet))
    else:
        print(f"({args.data} not found: NAB artificial files skipped)")
    groups.append(evaluate("synthetic", synthetic(args.seeds), settings, args.quiet))
    groups.append(evaluate("simulator (1 Hz, 3 h)", simulator(), settings, args.quiet))
    files = [f for g in groups for f in g[0]]
    scores = [s for g in groups for s in g[1]]
    results = [f.score(s >= settings.threshold) for f, s in zip(files, scores, strict=True)]
    th, best = best_threshold(files, scores)
    print(
        f"\nAll files: normalised NAB score {normalised(results):.1f} at threshold {settings.threshold:g}; "
        f"best threshold {th:.2f} gives {best:.1f}"
    )
    base = [baseline_scores(c) for g in groups for c in g[2]]
    th_b, best_b = best_threshold(files, base)
    at5 = normalised([f.score(b >= 0.5) for f, b in zip(files, base, strict=True)])
    print(
        f"Baseline on the same files (rolling median/MAD z-score, 32-row refractory): {at5:.1f} at |z| >= 5; "
        f"its best threshold |z| >= {10 * th_b:.1f} gives {best_b:.1f}"
    )
    print("\nPublished NAB v1.1 scoreboard (whole NAB corpus, best threshold; standard / low FP / low FN):")
    for name, (std, low_fp, low_fn) in PUBLISHED.items():
        print(f"  {name:<48} {std:>9.1f} {low_fp:>7.1f} {low_fn:>7.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
