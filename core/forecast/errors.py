"""Forecasting errors: each message is one sentence the operator can act on."""

from __future__ import annotations


class ForecastError(Exception):
    """Base of every forecasting error that is the user's to fix (bad input, missing model, ...)."""


class NotEnoughHistory(ForecastError):
    """A channel has too little usable history to train or to forecast; the message says how much."""


class ModelError(ForecastError):
    """A saved model is missing, damaged or was written by an incompatible Watchkeeper."""


class ForecastInputError(ForecastError):
    """A CSV file or an option cannot be used (missing column, malformed rows, bad split, ...)."""


class TrainingCancelled(ForecastError):
    """Training stopped because the caller set the cancel event; nothing was saved."""
