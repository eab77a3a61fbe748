"""History from the database: bucket means at any interval, complete buckets only, newest first kept."""

import threading

import numpy as np
import pytest

from core.forecast import Forecaster, TrainingCancelled
from core.forecast.errors import ForecastInputError
from core.forecast.source import channel_history
from core.forecast.transform import to_us
from core.storage.store import ReadingStore

from .conftest import MINUTE_US, T0_US, TINY, sine


def test_one_minute_buckets_hold_the_mean_of_their_readings(history_db):
    with ReadingStore(history_db, read_only=True) as store:
        s = channel_history(store, "temp", MINUTE_US, 3, before_us=T0_US + 900 * MINUTE_US)
    assert s.start_us == T0_US and len(s) == 900
    np.testing.assert_allclose(s.values, sine(900, noise=0.2), atol=1e-9)


@pytest.mark.parametrize("step_s", [900, 3600, 20])
def test_other_intervals_average_whole_buckets(history_db, step_s):
    """15 min and 1 h come from the rollups, 20 s from raw samples; all are plain bucket means."""
    step = step_s * 1_000_000
    with ReadingStore(history_db, read_only=True) as store:
        s = channel_history(store, "temp", step, 0, before_us=T0_US + 900 * MINUTE_US)
        raw = store.readings(["temp"])
    t = to_us(raw["ts"])
    expected = raw.groupby(t // step)["value"].mean()
    assert s.start_us == T0_US
    np.testing.assert_allclose(s.values, expected.to_numpy()[: len(s)], atol=1e-9)


def test_the_newest_steps_and_only_complete_buckets_are_returned(history_db):
    """max_steps keeps the newest buckets; the bucket still filling at 'before' is left out."""
    with ReadingStore(history_db, read_only=True) as store:
        s = channel_history(store, "temp", MINUTE_US, 3, max_steps=100, before_us=T0_US + 500 * MINUTE_US + 5)
    assert len(s) == 100 and s.end_us == T0_US + 500 * MINUTE_US
    np.testing.assert_allclose(s.values, sine(900, noise=0.2)[400:500], atol=1e-9)


def test_an_unknown_channel_is_named_with_the_known_ones(history_db):
    with (
        ReadingStore(history_db, read_only=True) as store,
        pytest.raises(ForecastInputError, match="short, temp"),
    ):
        channel_history(store, "nope", MINUTE_US, 3)


def test_a_cancelled_training_saves_nothing(history_db, tmp_path):
    cancel = threading.Event()
    cancel.set()
    with ReadingStore(history_db, read_only=True) as store, pytest.raises(TrainingCancelled):
        Forecaster(tmp_path / "models").train_channel(store, "temp", TINY, cancel=cancel)
    assert not (tmp_path / "models").exists()
