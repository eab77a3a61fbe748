"""CalibrationBank scores and learns exactly as one TailCalibrator per row; a seasonal profile told
that its times are in order predicts and learns exactly as one that checks."""

import numpy as np

from core.anomaly.calibration import CalibrationBank, TailCalibrator
from core.anomaly.profile import DAY_US, WEEK_US, SeasonalProfile


def test_bank_rows_are_tail_calibrators() -> None:
    rng = np.random.default_rng(3)
    for history in (50, 300):
        min_beta, min_count = [0.25, 0.25, 0.1, 0.1], [48, 48, 100, 48]
        cals = [
            TailCalibrator(history, min_beta=b, min_count=c) for b, c in zip(min_beta, min_count, strict=True)
        ]
        bank = CalibrationBank(history, min_beta, min_count)
        scale = np.array([[0.01], [1.0], [30.0], [5.0]])
        for step in range(120):
            m = int(rng.choice([1, 3, 10, 40, 2 * history]))
            values = rng.exponential(1.0, (4, m)) * scale
            values[rng.random((4, m)) < 0.2] = np.nan  # absent evidence
            if step % 9 == 0:
                values[1] = np.nan
            if step % 13 == 0:
                values = np.round(values)  # ties
            if step % 5 == 0:
                for cal in cals:
                    cal.refit()
                bank.refit()
            if step % 7 == 0 and bank.ready[0]:
                values[0, :1] = np.inf  # far past the tail
            expected = np.array([cal.surprise(values[r]) for r, cal in enumerate(cals)])
            np.testing.assert_array_equal(bank.surprise(values), expected)
            assert bank.ready.tolist() == [cal.ready for cal in cals]
            for r, cal in enumerate(cals):
                cal.learn(values[r])
            bank.learn(values)
            for r, cal in enumerate(cals):
                np.testing.assert_array_equal(bank.values(r), cal._hist)


def test_ordered_profile_is_the_same() -> None:
    rng = np.random.default_rng(5)
    for period, bins in ((DAY_US, 288), (WEEK_US, 2016)):
        told, checked = SeasonalProfile(period, bins, 7), SeasonalProfile(period, bins, 7)
        t = 1_700_000_000_000_000
        for _ in range(600):
            m = int(rng.choice([1, 4, 30, 300]))
            step = int(rng.choice([1_000_000, 60_000_000, 900_000_000]))
            ts = t + np.arange(m, dtype=np.int64) * step
            t = int(ts[-1]) + step
            x = 5 + np.sin(2 * np.pi * ts / period) + rng.normal(0, 0.1, m)
            a, b = told.predict(ts, x, ordered=True), checked.predict(ts, x)
            np.testing.assert_array_equal(a[0], b[0])
            np.testing.assert_array_equal(a[1], b[1])
        assert told._periods.keys() == checked._periods.keys()
        for k, acc in told._periods.items():
            for mine, theirs in zip(acc, checked._periods[k], strict=True):
                np.testing.assert_array_equal(mine, theirs)
