"""``watchkeeper detect``: every row scored in order, causally and deterministically."""

import numpy as np
import pandas as pd
import pytest

from core.anomaly.csv_detect import DetectError, detect_csv
from core.anomaly.detector import AnomalyDetector
from core.anomaly.scorer import ChannelScorer
from core.anomaly.settings import parse_anomaly_config
from core.cli import run
from core.config import ConfigError
from core.readings import ReadingBatch


def write_series(path, n=1500, seed=0, shift_at=1100):
    rng = np.random.default_rng(seed)
    values = 10 + rng.normal(0, 1, n)
    values[shift_at:] += 6
    stamps = pd.date_range("2014-04-01", periods=n, freq="5min").strftime("%Y-%m-%d %H:%M:%S")
    pd.DataFrame({"timestamp": stamps, "value": values}).to_csv(path, index=False)
    return values


def test_detect_writes_every_row_with_score_and_flag(tmp_path, capsys):
    """The output has timestamp,value,anomaly_score,is_anomaly for every input row, in order."""
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    write_series(src)
    assert run(["detect", str(src), "--out", str(out)]) == 0
    result = pd.read_csv(out)
    assert list(result.columns) == ["timestamp", "value", "anomaly_score", "is_anomaly", "explanation"]
    assert len(result) == 1500 and result["timestamp"].iloc[0] == "2014-04-01 00:00:00"
    assert result["is_anomaly"].iloc[1100:1140].any()
    assert "Scored 1500 rows" in capsys.readouterr().out


def test_detect_is_causal_a_truncated_file_scores_its_rows_the_same(tmp_path):
    """Scores of the first k rows are identical whether the file ends at row k or continues."""
    src = tmp_path / "full.csv"
    write_series(src)
    detect_csv(src, tmp_path / "full_out.csv")
    full = (tmp_path / "full_out.csv").read_text().splitlines()
    lines = src.read_text().splitlines()
    for k in (300, 1120):
        (tmp_path / "part.csv").write_text("\n".join(lines[: k + 1]) + "\n")
        detect_csv(tmp_path / "part.csv", tmp_path / "part_out.csv")
        assert (tmp_path / "part_out.csv").read_text().splitlines() == full[: k + 1]


def test_detect_is_deterministic(tmp_path):
    """Two runs on the same file write byte-identical output."""
    src = tmp_path / "in.csv"
    write_series(src, seed=3)
    detect_csv(src, tmp_path / "a.csv")
    detect_csv(src, tmp_path / "b.csv")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_detect_uses_the_named_columns_and_keeps_non_numbers(tmp_path):
    """--timestamp-column and --column choose the columns; a non-number scores 0 but keeps its row."""
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text("when,temp,other\n2026-01-01T00:00:00Z,1.5,x\n2026-01-01T00:01:00Z,oops,y\n")
    assert run(["detect", str(src), "--timestamp-column", "when", "--column", "temp", "--out", str(out)]) == 0
    result = pd.read_csv(out, dtype=str)
    assert result["value"].tolist() == ["1.5", "oops"] and result["anomaly_score"].tolist() == ["0.0", "0.0"]


def test_detect_names_a_missing_column(tmp_path):
    """A missing column is one sentence naming it and the columns there are."""
    src = tmp_path / "in.csv"
    src.write_text("time,v\n2026-01-01,1\n")
    with pytest.raises(DetectError, match="no column 'timestamp' \\(columns: time, v\\)"):
        detect_csv(src, tmp_path / "o.csv")


def test_detect_reports_an_unreadable_time_with_its_line(tmp_path):
    """A time that cannot be read names its line."""
    src = tmp_path / "in.csv"
    src.write_text("timestamp,value\n2026-01-01,1\nnot a time,2\n")
    with pytest.raises(DetectError, match="line 3"):
        detect_csv(src, tmp_path / "o.csv")


def test_detector_scores_each_channel_as_its_own_scorer_would():
    """AnomalyDetector splits a mixed batch by channel; each gets what a lone scorer gives."""
    n = 600
    t = 1_767_225_600_000_000 + np.arange(n, dtype=np.int64) * 1_000_000
    a, b = np.sin(np.arange(n) / 20), np.random.default_rng(5).normal(size=n)
    records = [(int(t[i]), "a", float(a[i])) for i in range(n)] + [
        (int(t[i]), "b", float(b[i])) for i in range(n)
    ]
    records.sort(key=lambda r: r[0])
    scored = AnomalyDetector().update(ReadingBatch.from_records(records))
    chans = scored.batch.channels
    assert np.array_equal(scored.scores[chans == "a"], ChannelScorer().update(t, a)[0])
    assert np.array_equal(scored.scores[chans == "b"], ChannelScorer().update(t, b)[0])


def test_anomaly_config_sets_defaults_and_per_channel_overrides():
    """[anomaly] sets every channel's defaults; [anomaly.channels.X] overrides one channel."""
    cfg = parse_anomaly_config({"threshold": 0.6, "channels": {"flow": {"max_rate": 5.0}}})
    assert cfg.for_channel("temp").threshold == 0.6
    assert cfg.for_channel("flow").max_rate == 5.0 and cfg.for_channel("flow").threshold == 0.6


def test_anomaly_config_errors_name_the_key():
    """A wrong key or type is one sentence naming it."""
    with pytest.raises(ConfigError, match="unknown key 'treshold'"):
        parse_anomaly_config({"treshold": 0.5})
    with pytest.raises(ConfigError, match=r"anomaly\.channels\.flow\.window must be a whole number"):
        parse_anomaly_config({"channels": {"flow": {"window": 2.5}}})


def test_scored_batch_reports_each_channels_newest_reading():
    """ScoredBatch.latest gives every channel's last reading with its score and flag."""
    batch = ReadingBatch.from_records([(1, "a", 1.0), (2, "b", 2.0), (3, "a", 3.0)])
    assert AnomalyDetector().update(batch).latest() == {"a": (3, 3.0, 0.0, False), "b": (2, 2.0, 0.0, False)}
