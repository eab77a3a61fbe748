"""Fast inference: the trained network's forward pass in numpy.

A forecast needs ~15 LSTM steps on one window. In numpy that is a few dozen small array
operations, about 0.1 ms, with no TensorFlow import, no graph tracing and no thread-safety worries,
so a forecast cycle can run on any thread and the window never waits for TensorFlow to load.
``benchmarks/forecast.py`` measures it next to ``model.predict`` and an XLA-compiled
``tf.function`` (:func:`xla_predictor`), and a test checks it matches Keras to float32 precision.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from core.forecast._tf import load_keras
from core.forecast.model import Architecture

_CHUNK = 4096  # windows per batch when evaluating many at once (bounds memory)


class NumpyForecaster:
    """Blended forecast ``blend * lstm + (1 - blend) * linear`` of z-scored windows."""

    def __init__(self, arch: Architecture, weights: dict[str, np.ndarray], blend: float) -> None:
        self.arch = arch
        self.blend = float(blend)
        u, w = arch.units, self.blend
        f32 = np.float32
        # Fold the blend into the weights once, so a forecast is one linear map plus the LSTM term.
        self._lin_k = ((1 - w) * weights["linear_kernel"]).astype(f32)
        self._bias = ((1 - w) * weights["linear_bias"] + w * weights["head_bias"]).astype(f32)
        self._head_k = (w * weights["head_kernel"]).astype(f32)
        # sigmoid(x) = 0.5 * tanh(x / 2) + 0.5: halve the input, forget and output gate columns
        # (Keras order i, f, c, o) so one tanh per step serves all four gates.
        scale = np.full(4 * u, 0.5, dtype=f32)
        scale[2 * u : 3 * u] = 1.0
        self._k = (weights["lstm_kernel"] * scale).astype(f32)
        self._rk = (weights["lstm_recurrent"] * scale).astype(f32)
        self._b = (weights["lstm_bias"] * scale).astype(f32)

    def predict(self, windows: np.ndarray) -> np.ndarray:
        """Forecasts ``(n, horizon)`` of z-scored windows ``(n, lookback)``; one window may be 1-D."""
        x = np.asarray(windows, dtype=np.float32)
        single = x.ndim == 1
        x = x.reshape(1, -1) if single else x
        if x.shape[1] != self.arch.lookback:
            raise ValueError(f"windows must have {self.arch.lookback} steps, got {x.shape[1]}")
        if len(x) <= _CHUNK:
            out = self._forward(x)
        else:
            out = np.concatenate([self._forward(x[i : i + _CHUNK]) for i in range(0, len(x), _CHUNK)])
        return out[0] if single else out

    def _forward(self, x: np.ndarray) -> np.ndarray:
        last = x[:, -1:]
        centred = x - last
        out = centred @ self._lin_k
        out += self._bias
        out += last
        if self.blend > 0:
            out += self._lstm_state(centred) @ self._head_k
        return out

    def _lstm_state(self, centred: np.ndarray) -> np.ndarray:
        a = self.arch
        u, n = a.units, len(centred)
        tokens = centred[:, a.crop :].reshape(n, a.tokens, a.patch)
        projected = tokens @ self._k + self._b  # input contribution of every step at once
        h = np.zeros((n, u), dtype=np.float32)
        c = np.zeros((n, u), dtype=np.float32)
        for t in range(a.tokens):
            z = np.tanh(projected[:, t] + h @ self._rk)
            gates = 0.5 * z + 0.5
            c = gates[:, u : 2 * u] * c + gates[:, :u] * z[:, 2 * u : 3 * u]
            h = gates[:, 3 * u :] * np.tanh(c)
        return h


def keras_model(arch: Architecture, weights: dict[str, np.ndarray]) -> Any:
    """The Keras model rebuilt from saved weights (imports TensorFlow)."""
    from core.forecast.model import build_model, set_weights

    model = build_model(arch)
    set_weights(model, weights)
    return model


def xla_predictor(model: Any, blend: float) -> Callable[[np.ndarray], np.ndarray]:
    """One-window forecasts through an XLA-compiled ``tf.function`` with a fixed input signature.

    Kept for comparison (see ``benchmarks/forecast.py``); the numpy path is what Watchkeeper uses.
    """
    tf, _ = load_keras()
    lookback = model.input_shape[-1]

    @tf.function(jit_compile=True, input_signature=[tf.TensorSpec((1, lookback), tf.float32)])
    def forward(x: Any) -> Any:
        out = model(x, training=False)
        return blend * out["lstm"] + (1.0 - blend) * out["linear"]

    def predict(window: np.ndarray) -> np.ndarray:
        return forward(np.asarray(window, dtype=np.float32).reshape(1, lookback)).numpy()[0]

    return predict
