"""NAB-style scoring of anomaly detections (Numenta Anomaly Benchmark, "standard" profile).

A labelled anomaly window rewards its first detection, more the earlier it comes (a scaled sigmoid
of the position in the window); a window without a detection costs ``fn``; a detection outside
every window costs ``fp``, less if it comes soon after a window ends. The first 15 % of a file's
rows (at most 750) are probation: neither scored nor counted. A file's raw score is normalised
against the null detector (no detections: every window missed) and a perfect one (every window
detected at its first row, nothing else): ``100 * (raw - null) / (perfect - null)``.

Only benchmarks/nab.py scores this way, so it lives beside it rather than in the product.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True, slots=True)
class Profile:
    tp: float = 1.0
    fp: float = 0.11
    fn: float = 1.0


STANDARD = Profile()
PROBATION_PERCENT = 0.15


def scaled_sigmoid(position: float) -> float:
    """NAB's weight of a detection at ``position`` relative to a window (-1 start, 0 end, >0 after)."""
    if position >= 3.0:
        return -1.0
    return 2.0 / (1.0 + math.exp(5.0 * position)) - 1.0


def probation_rows(n: int) -> int:
    """Rows at the start of a file that are not scored."""
    return int(min(math.floor(PROBATION_PERCENT * n), PROBATION_PERCENT * 5000))


def label_windows(n: int, anomalies: Sequence[int], fraction: float = 0.10) -> list[tuple[int, int]]:
    """NAB's labelling rule: windows of ``fraction * n / len(anomalies)`` rows centred on each anomaly.

    Returns ``(first_row, last_row)`` pairs, merged where they overlap.
    """
    if not anomalies:
        return []
    length = int(fraction * n / len(anomalies))
    spans: list[list[int]] = []
    for a in sorted(anomalies):
        lo, hi = max(0, a - length // 2), min(n - 1, a + length // 2)
        if spans and lo <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], hi)
        else:
            spans.append([lo, hi])
    return [(lo, hi) for lo, hi in spans]


@dataclass(slots=True)
class FileScore:
    """One file scored at one threshold."""

    name: str
    rows: int
    windows: int
    raw: float
    null: float
    perfect: float
    tp: int = 0
    fp: int = 0
    fn: int = 0
    detections: list[tuple[int, str, float]] = field(default_factory=list)  # (row, TP/FP, weight)


class NabFile:
    """Per-row NAB weights of one labelled file, ready to score any set of detections."""

    def __init__(self, name: str, n: int, windows: Sequence[tuple[int, int]], profile: Profile = STANDARD):
        self.name, self.n, self.profile = name, n, profile
        probation = probation_rows(n)
        self.window_of = np.full(n, -1)
        self.weight = np.empty(n)
        max_tp = scaled_sigmoid(-1.0)
        prev_right, prev_width = None, None
        windows = sorted(windows)
        w = 0
        for i in range(n):
            inside = w < len(windows) and windows[w][0] <= i <= windows[w][1]
            if inside:
                lo, hi = windows[w]
                width = hi - lo + 1
                self.window_of[i] = w
                self.weight[i] = scaled_sigmoid(-(hi - i + 1) / width) * profile.tp / max_tp
                if i == hi:
                    prev_right, prev_width = hi, width
                    w += 1
            else:
                pos = 3.0 if prev_right is None else abs(prev_right - i) / max(prev_width - 1, 1)
                self.weight[i] = scaled_sigmoid(pos) * profile.fp
        self.scored = np.arange(n) >= probation
        # A window counts only if some of its rows are out of probation.
        self.windows = [k for k in range(len(windows)) if (self.scored & (self.window_of == k)).any()]

    def score(self, flags: np.ndarray) -> FileScore:
        """Score boolean detections (one per row)."""
        flags = np.asarray(flags, bool) & self.scored
        p = self.profile
        out = FileScore(
            self.name, self.n, len(self.windows), 0.0, -p.fn * len(self.windows), p.tp * len(self.windows)
        )
        rows = np.flatnonzero(flags)
        hit: set[int] = set()
        for i in rows.tolist():
            k = int(self.window_of[i])
            if k < 0:
                out.raw += self.weight[i]
                out.fp += 1
                out.detections.append((i, "FP", float(self.weight[i])))
            elif k not in hit:
                hit.add(k)
                out.raw += self.weight[i]
                out.tp += 1
                out.detections.append((i, "TP", float(self.weight[i])))
        missed = [k for k in self.windows if k not in hit]
        out.fn = len(missed)
        out.raw -= p.fn * len(missed)
        return out


def normalised(scores: Sequence[FileScore]) -> float:
    """The corpus score, 0 for the null detector and 100 for a perfect one."""
    raw = sum(s.raw for s in scores)
    null = sum(s.null for s in scores)
    perfect = sum(s.perfect for s in scores)
    return 100.0 * (raw - null) / (perfect - null) if perfect > null else 0.0


def best_threshold(
    files: Sequence[NabFile], scores: Sequence[np.ndarray], candidates: np.ndarray | None = None
) -> tuple[float, float]:
    """The threshold with the highest normalised score over the corpus (NAB's optimisation)."""
    if candidates is None:
        candidates = np.round(np.arange(0.05, 1.0001, 0.01), 2)
    best = (float(candidates[0]), -math.inf)
    for th in candidates:
        value = normalised([f.score(s >= th) for f, s in zip(files, scores, strict=True)])
        if value > best[1]:
            best = (float(th), value)
    return best
