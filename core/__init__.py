"""Watchkeeper's Qt-free core: acquisition, storage, configuration and the headless session."""

__version__ = "0.1.0"
