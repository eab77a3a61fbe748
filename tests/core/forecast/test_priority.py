"""Training runs below normal priority unless the PC's owner asks for normal priority."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

_PROBE = (
    "import os; from core.forecast.subprocess_train import lower_priority; "
    "lower_priority(); print(os.nice(0))"
)


def _niceness_after_lowering(env_value: str | None) -> int:
    env = dict(os.environ)
    env.pop("WATCHKEEPER_TRAIN_PRIORITY", None)
    if env_value is not None:
        env["WATCHKEEPER_TRAIN_PRIORITY"] = env_value
    out = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


@pytest.mark.skipif(sys.platform == "win32", reason="niceness is a POSIX notion")
def test_training_lowers_its_priority_by_default():
    assert _niceness_after_lowering(None) == 19


@pytest.mark.skipif(sys.platform == "win32", reason="niceness is a POSIX notion")
def test_normal_priority_when_asked():
    assert _niceness_after_lowering("normal") == os.nice(0)
