"""Forecasting errors: each message is one sentence the operator can act on."""

from __future__ import annotations

from core.messages import MessageError


class ForecastError(MessageError):
    """Base of every forecasting error that is the user's to fix (bad input, missing model, ...);
    ``message`` is the sentence as an id with parameters (or a text)."""


class NotEnoughHistory(ForecastError):
    """A channel has too little usable history to train or to forecast; the message says how much."""


class ModelError(ForecastError):
    """A saved model is missing, damaged or was written by an incompatible Watchkeeper."""


class ForecastInputError(ForecastError):
    """A CSV file or an option cannot be used (missing column, malformed rows, bad split, ...)."""


class TrainingCancelled(ForecastError):
    """Training stopped because the caller set the cancel event; nothing was saved."""
