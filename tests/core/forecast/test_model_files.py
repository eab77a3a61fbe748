"""Model files and Prediction.csv as an operator meets them: wrong files are named, nothing half-made."""

import dataclasses
import json
import os
import stat

import pytest

from core.cli.main import run
from core.forecast import Forecaster
from core.forecast.artifacts import model_path, save_model, scan_models
from core.forecast.cycle import empty_frame, write_prediction_csv
from core.storage.store import ReadingStore

END = "2026-01-01T15:00Z"


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_written_files_follow_the_umask_not_0600(tmp_path, tiny_model, umask_022):
    """Prediction.csv and saved models are readable by others under a normal umask (0644)."""
    model, _ = tiny_model
    path = save_model(tmp_path / "models", model.info, model.weights)
    csv = write_prediction_csv(empty_frame(), tmp_path / "Prediction.csv")
    assert _mode(path) == _mode(path.with_suffix(".npz")) == _mode(csv) == 0o644
    assert not list(tmp_path.glob(".*.tmp")) and not list((tmp_path / "models").glob(".*.tmp"))


def test_predict_without_any_model_writes_no_prediction_csv(history_db, tmp_path, capsys):
    """No model: exit 1 with one sentence, and no header-only Prediction.csv for SCADA to import."""
    out = tmp_path / "Prediction.csv"
    rc = run(["predict", "--db", str(history_db), "--models", str(tmp_path / "none"), "--out", str(out)])
    assert rc == 1
    err = capsys.readouterr().err.strip().splitlines()
    none = tmp_path / "none"
    assert err == [
        f"watchkeeper: There are no forecast models in {none}; train one with 'watchkeeper train'."
    ]
    assert not out.exists()


def test_predict_whose_every_channel_fails_writes_no_prediction_csv(history_db, tiny_model, tmp_path, capsys):
    """A model that cannot forecast (its weights are damaged) leaves an earlier Prediction.csv alone."""
    model, _ = tiny_model
    path = save_model(tmp_path / "m", model.info, model.weights)
    path.with_suffix(".npz").write_bytes(b"garbage")
    out = tmp_path / "Prediction.csv"
    out.write_text("earlier forecast\n")
    rc = run(["predict", "--db", str(history_db), "--models", str(tmp_path / "m"), "--out", str(out)])
    assert rc == 1 and out.read_text() == "earlier forecast\n"
    assert "weights" in capsys.readouterr().err


def test_a_garbage_model_json_is_named_with_what_is_wrong(history_db, tiny_model, tmp_path, capsys):
    """A .json that is not JSON is reported by file, as damaged, not as "there is no model"."""
    model, _ = tiny_model
    folder = tmp_path / "m"
    path = save_model(folder, model.info, model.weights)
    path.write_text("{ this is not json")
    rc = run(["predict", "--db", str(history_db), "--models", str(folder), "--out", str(tmp_path / "P.csv")])
    err = capsys.readouterr().err
    assert rc == 1
    assert f"The forecast model {path} is damaged" in err and "not valid JSON at line 1" in err
    assert "There is no forecast model" not in err
    assert not (tmp_path / "P.csv").exists()


def test_a_model_json_naming_another_channel_says_so(history_db, tiny_model, tmp_path, capsys):
    """temp's file claiming to be flow's: temp's forecast does not vanish silently; the file is named."""
    model, _ = tiny_model
    folder = tmp_path / "m"
    save_model(folder, model.info, model.weights)
    flow = save_model(folder, dataclasses.replace(model.info, channel="flow"), model.weights)
    copied = model_path(folder, "temp")
    meta = json.loads(copied.read_text())
    meta["channel"] = "flow"
    copied.write_text(json.dumps(meta))
    found, problems = scan_models(folder)
    assert found == {"flow": flow}
    said = str(problems[copied.stem])
    assert "is for channel 'flow'" in said and flow.name in said
    with ReadingStore(history_db) as store:
        cycle = Forecaster(folder).predict_cycle(store, now=END)
        named = Forecaster(folder).predict_cycle(store, channels=["temp"], now=END)
    assert "is for channel 'flow'" in str(cycle.skipped[copied.stem])
    assert "belongs to channel 'flow', not 'temp'" in str(named.skipped["temp"])
