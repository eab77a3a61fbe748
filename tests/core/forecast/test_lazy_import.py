"""TensorFlow is imported only to train: the API, the commands and a whole forecast cycle run without it."""

import subprocess
import sys
from pathlib import Path

from core.forecast.artifacts import save_model

ROOT = Path(__file__).resolve().parents[3]

IMPORTS = """
import sys
import core.forecast, core.forecast.forecaster, core.forecast.backtest, core.forecast.batch
import core.forecast.train, core.forecast.model, core.forecast.inference, core.cli.forecast
heavy = sorted(m for m in ("tensorflow", "keras") if m in sys.modules)
print("loaded:", heavy)
"""

CYCLE_WITHOUT_TF = """
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split('.')[0] in {'tensorflow', 'keras'}:
            raise ImportError('blocked ' + name)
sys.meta_path.insert(0, Block())
from core.forecast import Forecaster
from core.storage.store import ReadingStore
with ReadingStore(sys.argv[1]) as store:
    cycle = Forecaster(sys.argv[2]).predict_cycle(store, out_csv=sys.argv[3], now="2026-01-01T15:00Z")
print(sorted(cycle.forecasts), cycle.skipped)
"""


def _run(code: str, *args: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_importing_the_forecasting_api_does_not_import_tensorflow():
    assert _run(IMPORTS) == "loaded: []"


def test_a_forecast_cycle_runs_with_tensorflow_blocked(history_db, tiny_model, tmp_path):
    """Loading models and forecasting use numpy only, so the window's cycle never waits for TensorFlow."""
    model, _ = tiny_model
    save_model(tmp_path / "models", model.info, model.weights)
    out = _run(CYCLE_WITHOUT_TF, str(history_db), str(tmp_path / "models"), str(tmp_path / "P.csv"))
    assert out == "['temp'] {}"
    assert (tmp_path / "P.csv").exists()
