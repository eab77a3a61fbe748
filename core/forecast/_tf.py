"""The one place TensorFlow and Keras are imported, lazily.

Importing them costs seconds and hundreds of megabytes, so nothing at module level anywhere in
``core`` imports them: training calls :func:`load_keras` from its worker thread.
"""

from __future__ import annotations

import os
from types import ModuleType


def load_keras() -> tuple[ModuleType, ModuleType]:
    """``(tensorflow, keras)``, imported on first use with TensorFlow's C++ chatter turned down."""
    # Without this every command prints CUDA-not-found and cuInit errors on a CPU-only PC.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import keras
    import tensorflow as tf

    return tf, keras


def library_versions() -> dict[str, str]:
    """Versions recorded with each model (TensorFlow's only if it is already imported)."""
    import platform
    import sys

    import numpy as np

    from core import __version__

    versions = {"watchkeeper": __version__, "python": platform.python_version(), "numpy": np.__version__}
    for name in ("tensorflow", "keras"):
        module = sys.modules.get(name)
        if module is not None:
            versions[name] = getattr(module, "__version__", "?")
    return versions
