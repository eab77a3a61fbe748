"""Where Watchkeeper keeps its files for this user."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "Watchkeeper"


def data_dir() -> Path:
    """The per-user data directory (created on first use)."""
    path = user_data_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / "watchkeeper.duckdb"


def default_config_path() -> Path:
    return data_dir() / "watchkeeper.toml"
