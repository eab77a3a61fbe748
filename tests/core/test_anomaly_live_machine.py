"""The channels of one machine scored together on the live path ([anomaly] machines).

A pump's current, flow and pressure move together; a pressure that leaves its relation to the flow
while staying inside its own range is an anomaly only the relation shows. The live detector must
find it, say which other channel it broke with, and keep what the single-channel path promises:
causal, the same scores however the readings fall into batches, every reading scored.
"""

import itertools
import os
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from core.anomaly.detector import AnomalyDetector, ScoredBatch, machine_rows
from core.anomaly.process import DetectorProcess
from core.anomaly.settings import AnomalyConfig
from core.cli import run
from core.config import ConfigError, load_config
from core.engine.settings import check_sections
from core.readings import ReadingBatch, concat_batches
from tests.conftest import wait_until

T0 = 1_700_000_000_000_000
NAMES = ("current", "flow", "pressure")
PUMP = AnomalyConfig(machines=(NAMES,))
BREAK = 2827  # the flow crosses its middle here: pressure turns away without a jump


def pump(n: int = 3400, seed: int = 0, break_at: int | None = BREAK) -> np.ndarray:
    """Current wanders; flow follows it, pressure follows the flow. From ``break_at`` pressure
    mirrors its usual course (a blocked line): the same range and shape, the wrong direction."""
    rng = np.random.default_rng(seed)
    current = 10 + 2 * np.sin(np.arange(n) / 150) + rng.normal(0, 0.05, n)
    flow = 12.0 * current + rng.normal(0, 0.3, n)
    pressure = 0.04 * flow + rng.normal(0, 0.01, n)
    if break_at is not None:
        pressure[break_at:] = 0.04 * (240 - flow[break_at:]) + rng.normal(0, 0.01, n - break_at)
    return np.column_stack((current, flow, pressure))


def lines(x: np.ndarray, keep: np.ndarray | None = None, extra: bool = False) -> ReadingBatch:
    """One line per row, as the reader makes them: every reading of a line shares its time.
    ``keep`` (rows x channels) drops readings; ``extra`` adds an ungrouped channel to each line."""
    n, k = x.shape
    ts = T0 + np.arange(n, dtype=np.int64) * 1_000_000
    values = x
    names = NAMES
    if extra:
        values = np.column_stack((x, 20 + np.sin(np.arange(n) / 40)))
        names = (*NAMES, "temperature")
        k += 1
    keep = np.ones((n, k), bool) if keep is None else np.column_stack((keep, np.ones(n, bool)))[:, :k]
    codes = np.tile(np.arange(k, dtype=np.int32), n).reshape(n, k)
    return ReadingBatch(
        np.repeat(ts, k).reshape(n, k)[keep], codes[keep], values[keep], names
    )  # row-major: line by line


def cut(batch: ReadingBatch, at: list[int]) -> list[ReadingBatch]:
    """The batch cut before the readings of the given lines (never inside a line)."""
    starts = np.searchsorted(batch.ts_us, T0 + np.asarray(at, np.int64) * 1_000_000)
    return [
        ReadingBatch(batch.ts_us[a:b], batch.codes[a:b], batch.values[a:b], batch.names)
        for a, b in itertools.pairwise([0, *starts.tolist(), len(batch)])
    ]


def score(config: AnomalyConfig, batches: list[ReadingBatch]) -> ScoredBatch:
    """Score the batches in order with one detector; the result as one batch."""
    detector = AnomalyDetector(config)
    parts = [detector.update(b) for b in batches]
    offsets = np.cumsum([0, *[len(p) for p in parts]])
    why = {int(o + i): e for o, p in zip(offsets, parts, strict=False) for i, e in p.explanations.items()}
    return ScoredBatch(
        concat_batches(batches),
        np.concatenate([p.scores for p in parts]),
        np.concatenate([p.flags for p in parts]),
        why,
    )


def of(batch: ReadingBatch, channel: str) -> np.ndarray:
    return batch.codes == batch.names.index(channel)


def test_a_broken_relation_is_flagged_and_names_the_other_channel():
    """Pressure off its relation to the flow, inside its own range, raises an explained anomaly
    within a minute; scored alone, the same pressure readings stay unremarkable."""
    x = pump()
    before, after = x[:BREAK, 2], x[BREAK:, 2]
    assert before.min() < after.min() and after.max() < before.max()  # inside its usual range
    batch = lines(x)
    grouped, alone = score(PUMP, [batch]), score(AnomalyConfig(), [batch])
    pressure = of(batch, "pressure")
    row = np.arange(len(batch)) // 3
    window = pressure & (row >= BREAK) & (row < BREAK + 400)
    assert alone.scores[window].max() < 0.5 and not alone.flags[window].any()
    hits = np.flatnonzero(window & (grouped.scores >= 0.6))  # the anomaly alarm's threshold
    assert len(hits) and row[hits[0]] < BREAK + 60
    assert grouped.flags[hits[0]]
    why = grouped.explanations[hits[0]]
    assert why.kind == "relation" and why.params["other"] in ("current", "flow")
    assert why.describe().startswith("At ") and "off its usual relation to" in why.describe()
    assert min(before) < why.params["value"] < max(before)
    # Nothing about relations before the break.
    assert not any(e.kind == "relation" for i, e in grouped.explanations.items() if row[i] < BREAK)


def test_grouping_only_adds_evidence():
    """Each channel of a machine keeps its own evidence as scored alone (its score is at least
    that, its flags are those); a healthy machine's relations add no flag."""
    batch = lines(pump(break_at=None, seed=1), extra=True)
    grouped, alone = score(PUMP, [batch]), score(AnomalyConfig(), [batch])
    assert np.all(grouped.scores >= alone.scores)
    np.testing.assert_array_equal(grouped.flags, alone.flags)
    temperature = of(batch, "temperature")  # not in the machine: untouched
    np.testing.assert_array_equal(grouped.scores[temperature], alone.scores[temperature])
    assert grouped.explanations == alone.explanations


def test_scores_do_not_depend_on_how_lines_fall_into_batches():
    """The same lines cut into batches anywhere between lines: the same scores, flags and
    explanations as in one batch, and as many readings as arrived."""
    batch = lines(pump(seed=2), extra=True)
    whole = score(PUMP, [batch])
    assert any(e.kind == "relation" for e in whole.explanations.values())
    for at in ([1, 2, 3, 127, 128, 129, 1000, BREAK, BREAK + 1, 3000], list(range(2800, 2900, 7))):
        parts = score(PUMP, cut(batch, at))
        np.testing.assert_array_equal(parts.scores, whole.scores)
        np.testing.assert_array_equal(parts.flags, whole.flags)
        assert parts.explanations == whole.explanations


def test_scores_are_causal():
    """A reading's score is the same whether later lines exist or not."""
    batch = lines(pump(seed=3))
    whole = score(PUMP, [batch])
    early = score(PUMP, cut(batch, [BREAK + 40])[:1])
    np.testing.assert_array_equal(early.scores, whole.scores[: len(early)])


def test_lines_missing_a_channel_are_scored_and_the_relation_still_found():
    """A line without the flow still has its current and pressure scored (by their own scorers,
    as alone); the relation is judged on the complete lines and still finds the break."""
    n = 3400
    keep = np.ones((n, 3), bool)
    keep[::37, 1] = False  # the flow is missing from every 37th line
    keep[5::211, 2] = False  # the pressure from a few more
    batch = lines(pump(n, seed=4), keep)
    assert len(batch) == keep.sum()
    grouped, alone = score(PUMP, [batch]), score(AnomalyConfig(), [batch])
    row = np.repeat(np.arange(n), 3).reshape(n, 3)[keep]
    incomplete = ~keep.all(axis=1)[row]
    assert np.isfinite(grouped.scores).all()
    np.testing.assert_array_equal(grouped.scores[incomplete], alone.scores[incomplete])
    assert np.all(grouped.scores >= alone.scores)
    relation = [i for i, e in grouped.explanations.items() if e.kind == "relation"]
    assert relation and BREAK <= row[min(relation)] < BREAK + 120
    parts = score(PUMP, cut(batch, [36, 37, 38, 500, BREAK, 2900]))
    np.testing.assert_array_equal(parts.scores, grouped.scores)


def test_a_channel_read_twice_in_a_line_keeps_its_order():
    """A channel that appears twice at one time starts a second row: each channel's readings keep
    their order, and each reading is in exactly one row."""
    ts = np.array([5, 5, 5, 5, 7, 7, 5], np.int64)
    column = np.array([0, 1, 0, 2, 1, 0, 1])
    row, row_ts = machine_rows(ts, column, 3)
    assert row.tolist() == [0, 0, 1, 0, 2, 2, 3]
    assert row_ts.tolist() == [5, 5, 7, 5]


def test_a_forecast_reaches_a_grouped_channel():
    """A forecast given to a channel of a machine judges its readings, as it does alone."""
    x = pump(break_at=None, seed=5)
    batch = lines(x)
    span = T0 + np.arange(2000, 3400, dtype=np.int64) * 1_000_000
    band = (span, np.full(len(span), 9.0), np.full(len(span), 8.9), np.full(len(span), 9.1))
    kinds = []
    for config in (PUMP, AnomalyConfig()):
        detector = AnomalyDetector(config)
        detector.set_forecast("pressure", *band)
        scored = detector.update(batch)
        kinds.append({e.kind for i, e in scored.explanations.items() if of(batch, "pressure")[i]})
    assert "forecast" in kinds[0] and kinds[0] == kinds[1]


def test_the_child_process_scores_machines_as_in_process():
    """The machines travel to the scoring process: it scores exactly as in process."""
    batches = cut(lines(pump(seed=6), extra=True), [700, 1400, 2100, 2850, 2900])
    remote = DetectorProcess(PUMP)
    try:
        local = AnomalyDetector(PUMP)
        relation = 0
        for b in batches:
            want, got = local.update(b), remote.update(b)
            np.testing.assert_array_equal(got.scores, want.scores)
            assert got.explanations == want.explanations
            relation += sum(e.kind == "relation" for e in got.explanations.values())
        assert relation and not remote.in_process
    finally:
        remote.close()


@pytest.mark.parametrize(
    ("machines", "sentence"),
    [
        ('"current"', "anomaly.machines must be a list of channel lists"),
        ('[["current"]]', "machine 1 needs at least two different channels"),
        ('[["flow", "flow"]]', "machine 1 needs at least two different channels"),
        ('[["a", "b", "a"]]', "machine 1 lists channel 'a' twice"),
        ('[["a", "b"], ["c", "b"]]', "channel 'b' is in machine 1 and machine 2"),
        ('[["a", 2]]', "machine 1 is ['a', 2]"),
        ('[{ name = "pump" }]', "anomaly.machines must be a list of channel lists"),
    ],
)
def test_a_bad_machine_list_is_one_sentence_naming_the_file(tmp_path, machines, sentence):
    path = tmp_path / "plant.toml"
    path.write_text(f"[anomaly]\nmachines = {machines}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        check_sections(load_config(path))
    assert sentence in str(err.value) and "plant.toml" in str(err.value)
    assert "\n" not in str(err.value)


def test_a_misspelt_key_names_machines_among_the_allowed(tmp_path):
    path = tmp_path / "plant.toml"
    path.write_text('[anomaly]\nmachine = [["a", "b"]]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown key 'machine' \(allowed: .*machines"):
        check_sections(load_config(path))


def test_machines_are_read_from_the_file(tmp_path):
    path = tmp_path / "plant.toml"
    path.write_text('[anomaly]\nmachines = [["current", "flow", "pressure"], ["a", "b"]]\n', encoding="utf-8")
    assert check_sections(load_config(path)).anomaly.machines == (NAMES, ("a", "b"))


def _opened(device: str) -> bool:
    """This process has the device open (the recorder runs in it)."""
    target = os.path.realpath(device)
    for fd in Path("/proc/self/fd").iterdir():
        try:
            if os.readlink(fd) == target:
                return True
        except OSError:
            continue
    return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads open files in /proc")
def test_record_raises_an_explained_relation_alarm_from_a_serial_line(cable, tmp_path, capsys):
    """'watchkeeper record' with a machine in its configuration: the pump's lines arrive over a
    serial cable, every reading is scored in the scoring process, and the pressure that left its
    relation raises an anomaly alarm that says which channel it broke with."""
    cfg = tmp_path / "plant.toml"
    cfg.write_text(
        f'[port]\ndevice = "{cable.a}"\n[anomaly]\nmachines = [["current", "flow", "pressure"]]\n',
        encoding="utf-8",
    )
    body = [b"%.4f,%.4f,%.4f\n" % tuple(r) for r in pump(seed=7)]

    def feed():
        # Lines written before the recorder opens its end of the cable are lost: wait for it.
        wait_until(lambda: _opened(cable.a), timeout=30)
        cable.write_b(b"current,flow,pressure\n")
        for a in range(0, len(body), 100):
            cable.write_b(b"".join(body[a : a + 100]))
            time.sleep(0.01)

    threading.Thread(target=feed, daemon=True).start()
    db = tmp_path / "r.duckdb"
    assert (
        run(["record", "--config", str(cfg), "--db", str(db), "--duration", "4", "--status-interval", "5"])
        == 0
    )
    out = capsys.readouterr().out
    assert "readings stored  10200" in out and "readings scored  10200" in out
    alarm = next(line for line in out.splitlines() if "alarm pressure.anomaly" in line)
    assert "normal -> active_unack: At " in alarm
    assert "off its usual relation to flow" in alarm or "off its usual relation to current" in alarm


def test_the_example_configuration_shows_a_machine_that_parses(tmp_path):
    """The example file's machine line, switched on, is a valid machine list."""
    example = Path(__file__).parents[2] / "resources" / "watchkeeper.example.toml"
    text = example.read_text(encoding="utf-8")
    assert "\n# machines = [[" in text
    path = tmp_path / "plant.toml"
    path.write_text(text.replace("\n# machines = [[", "\nmachines = [[", 1), encoding="utf-8")
    machines = check_sections(load_config(path)).anomaly.machines
    assert machines == (("pump_current", "feed_flow", "discharge_pressure"),)
