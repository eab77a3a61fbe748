"""NAB-style scoring (benchmarks/nab_scoring.py): window weights, first detection only, probation,
normalisation."""

import numpy as np
import pytest
from nab_scoring import (
    NabFile,
    best_threshold,
    label_windows,
    normalised,
    probation_rows,
    scaled_sigmoid,
)

N = 4000
WINDOW = (2000, 2199)


def score(flags_at: list[int], windows=(WINDOW,)) -> float:
    flags = np.zeros(N, bool)
    flags[flags_at] = True
    return normalised([NabFile("f", N, list(windows)).score(flags)])


def test_probation_is_15_percent_capped_at_750_rows():
    """The first 15 % of rows, at most 750, are probation."""
    assert probation_rows(1000) == 150 and probation_rows(20_000) == 750


def test_sigmoid_rewards_early_detections():
    """The window's first row weighs ~0.987, its middle ~0.848, its end 0."""
    assert scaled_sigmoid(-1.0) == pytest.approx(0.98661, abs=1e-4)
    assert scaled_sigmoid(-0.5) == pytest.approx(0.84828, abs=1e-4)
    assert scaled_sigmoid(0.0) == 0.0


def test_null_detector_scores_0_and_perfect_scores_100():
    """No detections normalise to 0; one at the window's first row and nothing else to 100."""
    assert score([]) == 0.0
    assert score([WINDOW[0]]) == pytest.approx(100.0)


def test_only_the_first_detection_in_a_window_counts():
    """Later detections in the same window add nothing."""
    assert score([WINDOW[0], WINDOW[0] + 5, WINDOW[1]]) == pytest.approx(100.0)


def test_false_positive_before_any_window_costs_0_11():
    """A detection before every window costs A_FP = 0.11 of a window."""
    flags = np.zeros(N, bool)
    flags[1000] = True
    result = NabFile("f", N, [WINDOW]).score(flags)
    assert result.fp == 1 and result.raw == pytest.approx(-1.0 - 0.11)


def test_false_positive_just_after_a_window_costs_little():
    """Right after a window the penalty is small and grows with the distance."""
    near, far = (
        NabFile("f", N, [WINDOW]).score(np.isin(np.arange(N), [i])).raw for i in (WINDOW[1] + 5, 3500)
    )
    assert -1.0 - 0.11 < near < -1.0 and far == pytest.approx(-1.11, abs=1e-3)


def test_detections_in_probation_are_ignored():
    """A detection in the probation rows neither costs nor counts."""
    assert score([10]) == 0.0


def test_label_windows_follow_nab_rule():
    """Windows are 10 % of the rows divided by the number of anomalies, centred on each."""
    (lo, hi), _ = label_windows(4000, [1000, 3000])
    assert (lo, hi) == (900, 1100)


def test_best_threshold_finds_the_separating_score():
    """Sweeping thresholds finds the one that keeps the true detection and drops the false one."""
    scores = np.zeros(N)
    scores[WINDOW[0]] = 0.8
    scores[1000] = 0.6
    th, best = best_threshold([NabFile("f", N, [WINDOW])], [scores])
    assert 0.6 < th <= 0.8 and best == pytest.approx(100.0)
