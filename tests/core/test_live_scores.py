"""LiveBuffer scores: each reading's anomaly score lands in the reading's own slot, found by batch."""

import numpy as np

from core.live import LiveBuffer
from core.readings import ReadingBatch, concat_batches


def batch(ts, names, values):
    table = sorted(set(names))
    return ReadingBatch(
        np.array(ts, np.int64),
        np.array([table.index(n) for n in names], np.int32),
        np.array(values, float),
        tuple(table),
    )


def scores_of(buf, channel):
    return buf.scored_series(channel)[2].tolist()


def test_a_reading_shows_at_once_and_its_score_joins_it_later():
    """A pushed reading is there before scoring; the score fills its slot when it arrives."""
    buf = LiveBuffer()
    b = batch([1, 1, 2], ["a", "b", "a"], [1.0, 10.0, 2.0])
    buf.push(b)
    _, values, scores = buf.scored_series("a")
    assert values.tolist() == [1.0, 2.0] and np.isnan(scores).all()
    v = buf.score_version
    buf.set_scores(b, np.array([0.1, 0.9, 0.2]))
    assert buf.score_version > v
    assert np.allclose(scores_of(buf, "a"), [0.1, 0.2]) and np.allclose(scores_of(buf, "b"), [0.9])


def test_readings_with_the_same_timestamp_keep_their_own_scores():
    """Two readings of a channel stamped alike are told apart: scores are not matched by time."""
    buf = LiveBuffer()
    b = batch([5, 5, 5], ["a", "a", "a"], [1.0, 2.0, 3.0])
    buf.push(b)
    buf.set_scores(b, np.array([0.3, 0.6, 0.9]))
    assert np.allclose(scores_of(buf, "a"), [0.3, 0.6, 0.9])


def test_a_round_of_joined_batches_and_a_dropped_batch():
    """The scorer joins consecutive batches and may drop whole ones: each reading still gets its
    own score, and the dropped batch's readings stay unscored."""
    buf = LiveBuffer()
    b1 = batch([1, 2], ["a", "b"], [1.0, 2.0])
    b2 = batch([3, 4], ["b", "a"], [3.0, 4.0])  # dropped by the scorer
    b3 = batch([5, 6], ["a", "a"], [5.0, 6.0])
    for b in (b1, b2, b3):
        buf.push(b)
    round_ = concat_batches([b1, b3])
    buf.set_scores(round_, np.array([0.1, 0.2, 0.5, 0.6]))
    a = scores_of(buf, "a")
    assert np.allclose([a[0], a[2], a[3]], [0.1, 0.5, 0.6]) and np.isnan(a[1])
    b = scores_of(buf, "b")
    assert np.isclose(b[0], 0.2) and np.isnan(b[1])
    assert buf.unplaced_scores == 0


def test_scores_that_come_before_their_batch_is_pushed_wait_for_it():
    """The reader hands a batch to the scorer before it pushes it here: the score waits."""
    buf = LiveBuffer()
    b = batch([1, 2], ["a", "a"], [1.0, 2.0])
    buf.set_scores(b, np.array([0.4, 0.8]))
    buf.push(b)
    assert np.allclose(scores_of(buf, "a"), [0.4, 0.8])


def test_scores_find_their_readings_across_growth_and_wrap_around():
    """Readings get their scores after the ring grew and wrapped; scores that find no reading
    are counted, never placed elsewhere."""
    buf = LiveBuffer(capacity=1500)
    batches = [batch(range(i, i + 100), ["a"] * 100, range(i, i + 100)) for i in range(0, 2000, 100)]
    for i, b in enumerate(batches):  # the scorer five batches behind the reader
        buf.push(b)
        if i >= 5:
            buf.set_scores(batches[i - 5], batches[i - 5].values / 10_000)
    for b in batches[-5:]:
        buf.set_scores(b, b.values / 10_000)
    ts, values, scores = buf.scored_series("a")
    assert len(ts) == 1500 and np.allclose(scores, values / 10_000)
    assert buf.unplaced_scores == 0
    # A round matching no pushed batch waits for the push until the next round, then is counted.
    buf.set_scores(batches[0], batches[0].values)
    buf.set_scores(batches[1], batches[1].values)
    assert buf.unplaced_scores == 100
    assert np.allclose(buf.scored_series("a")[2], values / 10_000)


def test_explanations_of_flagged_readings_are_kept_per_channel():
    """What made a reading unusual is kept with its channel and time."""
    buf = LiveBuffer()
    b = batch([1, 2, 3], ["a", "b", "a"], [1.0, 2.0, 3.0])
    buf.push(b)
    buf.set_scores(b, np.array([0.0, 0.0, 0.9]), {2: "a spike"})
    ts, why = buf.explanations("a")
    assert ts.tolist() == [3] and why == ["a spike"]
    assert buf.explanations("b")[1] == [] and buf.explanations("zz")[1] == []


def test_unscored_batches_are_bounded_when_nothing_scores():
    """A recording without scoring keeps no more pending batches than the buffer holds readings."""
    buf = LiveBuffer(capacity=1000)
    for i in range(0, 50_000, 10):
        buf.push(batch(list(range(i, i + 10)), ["a"] * 10, [0.0] * 10))
    assert buf._unscored_readings <= 1000 and len(buf._unscored) <= 100


def test_series_from_a_time_on_is_the_same_before_and_after_wrap_around():
    """Asking from a time on gives exactly the readings from then, whichever part of the ring
    (before or after its write position) that time falls in."""
    buf = LiveBuffer(capacity=1200)
    for i in range(0, 3000, 70):
        buf.push(batch(range(i, i + 70), ["a"] * 70, range(i, i + 70)))
        ts_all, values_all, _ = buf.scored_series("a")
        for since in (
            -5,
            int(ts_all[0]),
            int(ts_all[len(ts_all) // 3]),
            int(ts_all[-1]),
            int(ts_all[-1]) + 9,
        ):
            ts, values = buf.series("a", since_us=since)
            keep = ts_all >= since
            assert ts.tolist() == ts_all[keep].tolist() and values.tolist() == values_all[keep].tolist()


def test_every_batch_of_a_long_recording_scored_in_joined_rounds_gets_its_scores():
    """Hours in: rounds of several joined batches, some dropped, some scored before they were
    pushed; every reading of a scored batch gets its own score, the dropped ones none."""
    buf = LiveBuffer(capacity=100_000)
    rng = np.random.default_rng(7)
    batches = [
        batch([i * 10 + k // 2 for k in range(6)], ["a", "b"] * 3, rng.normal(size=6)) for i in range(300)
    ]
    dropped = set(range(7, 300, 13))
    expected = {"a": [], "b": []}
    for start in range(0, 300, 4):  # the scorer joins four batches a round
        group = [b for i, b in enumerate(batches[start : start + 4], start) if i not in dropped]
        for b in batches[start : start + 3]:
            buf.push(b)
        scored = concat_batches(group)
        buf.set_scores(scored, scored.values * 10)  # the last batch is not pushed yet
        buf.push(batches[start + 3])
        for i, b in enumerate(batches[start : start + 4], start):
            for name in ("a", "b"):
                vals = b.values[np.asarray(b.names)[b.codes] == name]
                expected[name] += list(vals * 10) if i not in dropped else [np.nan] * len(vals)
    for name in ("a", "b"):
        assert np.allclose(buf.scored_series(name)[2], expected[name], equal_nan=True)
    assert buf.unplaced_scores == 0
