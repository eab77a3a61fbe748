"""Several channels of one machine scored together: causal, batch-independent, relations explained."""

import itertools

import numpy as np
import pandas as pd

from core.anomaly.csv_detect import detect_csv
from core.anomaly.multichannel import MachineScorer

T0 = 1_700_000_000_000_000


def pump(n: int = 3000, seed: int = 0, break_at: int | None = 2000) -> np.ndarray:
    """Flow wanders; current follows it. From ``break_at`` current no longer follows the flow
    (a worn impeller), although each stays within the range it had."""
    rng = np.random.default_rng(seed)
    flow = 100 + 5 * np.sin(np.arange(n) / 200) + rng.normal(0, 0.3, n)
    current = 2.0 + 0.05 * (flow - 100) + rng.normal(0, 0.01, n)
    if break_at is not None:
        current[break_at:] = 2.0 - 0.05 * (flow[break_at:] - 100) + rng.normal(0, 0.01, n - break_at)
    return np.column_stack((flow, current))


def ts(n: int) -> np.ndarray:
    return T0 + np.arange(n, dtype=np.int64) * 1_000_000


def test_a_broken_relation_is_found_and_explained_by_the_other_channel():
    x = pump()
    result = MachineScorer(["flow", "current"]).score(ts(len(x)), x)
    after = [i for i in np.flatnonzero(result.flags) if i >= 2000]
    assert after and after[0] < 2300
    why = result.explanations[after[0]]
    assert why.kind in ("relation", "shift", "spike", "step")
    relation = [e for i, e in result.explanations.items() if i >= 2000 and e.kind == "relation"]
    assert relation and relation[0].params["other"] in ("flow", "current")
    assert "off its usual relation to" in relation[0].text


def test_a_healthy_machine_is_not_flagged_by_its_relations():
    x = pump(break_at=None, seed=1)
    result = MachineScorer(["flow", "current"]).score(ts(len(x)), x)
    assert int((result.relation >= 0.5).sum()) <= 1


def test_scores_are_causal_and_do_not_depend_on_batching():
    """Row k scores the same whether later rows exist, and however the rows are cut into calls."""
    x = pump(seed=2)
    whole = MachineScorer(["flow", "current"]).score(ts(len(x)), x)
    early = MachineScorer(["flow", "current"]).score(ts(2100), x[:2100])
    assert np.array_equal(early.scores, whole.scores[:2100])
    s = MachineScorer(["flow", "current"])
    cuts = [0, 5, 127, 128, 129, 1000, 2001, 2999, 3000]
    parts = [s.score(ts(len(x))[a:b], x[a:b]) for a, b in itertools.pairwise(cuts)]
    assert np.array_equal(np.concatenate([p.scores for p in parts]), whole.scores)
    assert np.array_equal(np.concatenate([p.unusual for p in parts]), whole.unusual)


def test_detect_scores_several_columns_together(tmp_path):
    x = pump(seed=3)
    stamps = pd.date_range("2024-01-01", periods=len(x), freq="1s").strftime("%Y-%m-%d %H:%M:%S")
    src, out = tmp_path / "pump.csv", tmp_path / "scores.csv"
    pd.DataFrame({"timestamp": stamps, "flow": x[:, 0], "current": x[:, 1]}).to_csv(src, index=False)
    result = detect_csv(src, out, column="flow,current")
    frame = pd.read_csv(out, keep_default_na=False)
    cols = ["timestamp", "flow", "current", "anomaly_score", "is_anomaly", "channel", "explanation"]
    assert list(frame.columns) == cols
    assert result.flagged == int(frame["is_anomaly"].sum()) > 0
    flagged = frame[frame["is_anomaly"] == 1]
    assert (flagged["explanation"] != "").all() and (
        frame.loc[frame["is_anomaly"] == 0, "explanation"] == ""
    ).all()
    assert set(flagged["channel"]) <= {"flow", "current"}
