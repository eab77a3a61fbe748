"""LiveTail (core.live): readings reduced as they come to fixed buckets, so a new one changes only the end."""

import numpy as np

from core.live import LiveTail


def _apply(drawn: tuple[np.ndarray, np.ndarray], step) -> tuple[np.ndarray, np.ndarray]:
    keep, x, y = step
    return np.concatenate((drawn[0][:keep], x)), np.concatenate((drawn[1][:keep], y))


def test_points_added_piece_by_piece_are_the_extremes_of_every_bucket_and_end_on_the_newest():
    """However the readings come in pieces, the points drawn are each closed bucket's min and max
    in time order, then the open bucket's min, max and newest reading; what stands is never
    changed again, and every spike is kept."""
    rng = np.random.default_rng(1)
    x = np.sort(rng.uniform(0, 100, 3000))
    y = rng.normal(0, 1, x.size)
    y[1234] = 40.0
    tail = LiveTail(origin=0.0, bucket_s=2.0)
    drawn = (np.empty(0), np.empty(0))
    cuts = np.sort(rng.choice(np.arange(1, x.size), 200, replace=False))
    for piece in np.split(np.arange(x.size), cuts):
        before = drawn
        step = tail.add(x[piece], y[piece])
        drawn = _apply(drawn, step)
        keep = step[0]
        assert np.array_equal(drawn[0][:keep], before[0][:keep])  # what stood still stands
        assert drawn[0][-1] == x[piece[-1]] and drawn[1][-1] == y[piece[-1]]  # ends on the newest
    buckets = np.floor(x / 2.0)
    assert np.all(np.diff(drawn[0]) > 0) and drawn[1].max() == 40.0
    for b in np.unique(buckets)[:-1]:
        inside = buckets == b
        in_drawn = np.floor(drawn[0] / 2.0) == b
        assert sorted(drawn[1][in_drawn]) == sorted({y[inside].min(), y[inside].max()})
    assert len(drawn[0]) <= 2 * len(np.unique(buckets)) + 1


def test_a_reading_in_a_new_bucket_keeps_every_point_before_it():
    """Slow readings, one a bucket: each adds a point and changes none before the bucket it
    closed (a bucket is drawn again once, when it closes)."""
    tail = LiveTail(origin=0.0, bucket_s=1.0)
    assert tail.add(np.array([0.5]), np.array([1.0]))[0] == 0
    keep, x, y = tail.add(np.array([1.5]), np.array([2.0]))
    assert keep == 0 and x.tolist() == [0.5, 1.5] and y.tolist() == [1.0, 2.0]
    keep, x, y = tail.add(np.array([1.7, 1.9]), np.array([5.0, 3.0]))
    assert keep == 1 and x.tolist() == [1.5, 1.7, 1.9] and y.tolist() == [2.0, 5.0, 3.0]
    assert tail.add(np.empty(0), np.empty(0))[0] == 1
