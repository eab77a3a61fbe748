"""Anomaly scoring in a child process: same scores as in process, survives the child dying."""

import os
import signal
import sys

import numpy as np
import pytest

from core.anomaly.detector import AnomalyDetector
from core.anomaly.process import DetectorProcess
from core.engine.session import RecordingSession
from core.readings import ReadingBatch
from tests.conftest import wait_until

T0 = 1_700_000_000_000_000
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads process states in /proc")


def batches(n_batches: int = 6, per: int = 400, seed: int = 3) -> list[ReadingBatch]:
    """Two interleaved channels with a spike and a level shift, cut into batches."""
    rng = np.random.default_rng(seed)
    out = []
    for b in range(n_batches):
        records = []
        for i in range(per):
            k = b * per + i
            a = 20.0 + 0.2 * np.sin(k / 30) + rng.normal(0, 0.05) + (6.0 if k == 1500 else 0.0)
            p = 3.0 + rng.normal(0, 0.02) + (1.0 if k > 1800 else 0.0)
            records += [(T0 + k * 1_000_000, "a", a), (T0 + k * 1_000_000, "p", p)]
        out.append(ReadingBatch.from_records(records))
    return out


@pytest.fixture
def remote():
    det = DetectorProcess()
    yield det
    det.close()


def test_scores_equal_in_process_scoring(remote):
    """The child scores every batch exactly as an in-process detector does, forecasts included."""
    local = AnomalyDetector()
    peak = 0.0
    explained = 0
    ts = T0 + np.arange(2000, 2400) * 1_000_000
    band = (ts, np.full(400, 3.0), np.full(400, 2.9), np.full(400, 3.1))
    for i, b in enumerate(batches()):
        if i == 5:
            local.set_forecast("p", *band)
            remote.set_forecast("p", *band)
        want, got = local.update(b), remote.update(b)
        assert got.batch is b
        np.testing.assert_array_equal(got.scores, want.scores)
        np.testing.assert_array_equal(got.flags, want.flags)
        assert got.explanations == want.explanations  # what was unusual travels with the scores
        assert set(got.explanations) == set(np.flatnonzero(got.flags).tolist())
        explained += len(got.explanations)
        peak = max(peak, float(want.scores.max()))
    assert peak > 0.5  # the case is not trivially all-zero: the spike and the shift score high
    assert explained > 0
    assert not remote.in_process and remote.restarts == 0


def test_a_killed_child_is_replaced_and_scoring_goes_on(remote, caplog):
    """Killing the scoring process loses its learned state, not the readings: the next batch is
    scored by a new child, the restart is counted and logged."""
    data = batches()
    remote.update(data[0])
    first = remote.pid
    os.kill(first, signal.SIGKILL)
    assert wait_until(lambda: not _alive(first), timeout=5)
    scored = remote.update(data[1])
    assert len(scored.scores) == len(data[1]) and np.isfinite(scored.scores).all()
    assert remote.restarts == 1 and remote.pid not in (None, first)
    assert "anomaly scoring process stopped" in caplog.text


def test_if_no_child_can_start_scoring_moves_into_this_process(remote, monkeypatch, caplog):
    data = batches()
    remote.update(data[0])
    os.kill(remote.pid, signal.SIGKILL)

    def cannot_start(self):
        raise OSError("no processes left")

    monkeypatch.setattr(DetectorProcess, "_start", cannot_start)
    scored = remote.update(data[1])
    assert remote.in_process and len(scored.scores) == len(data[1])
    assert "could not be restarted" in caplog.text
    assert len(remote.update(data[2]).scores) == len(data[2])  # and it stays there


def test_a_bad_batch_is_an_error_for_that_batch_only(remote):
    data = batches()
    bad = ReadingBatch(data[0].ts_us, data[0].codes + 5, data[0].values, data[0].names)  # codes past names
    with pytest.raises(RuntimeError, match="anomaly scoring failed"):
        remote.update(bad)
    assert len(remote.update(data[1]).scores) == len(data[1]) and remote.restarts == 0


def test_close_ends_the_child(remote):
    remote.update(batches(1)[0])
    pid = remote.pid
    remote.close()
    assert wait_until(lambda: not _alive(pid), timeout=5)


def test_a_monitoring_session_scores_in_a_child_and_ends_it(db_path):
    session = RecordingSession("sim://?channels=2&rate=50", db_path, monitoring=True)
    session.start()
    try:
        assert isinstance(session.detector, DetectorProcess)
        assert wait_until(lambda: session.stats().monitor.scored >= 100, timeout=15)
        pid = session.detector.pid
    finally:
        session.stop()
    assert wait_until(lambda: not _alive(pid), timeout=5)


def _alive(pid: int) -> bool:
    """Running (not gone, not a zombie waiting to be reaped): read from /proc, reaping nothing."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
