"""DuckDB's memory is capped at what a plant PC can spare, for writers and readers alike."""

from core.storage.store import ReadingStore


def _setting(store: ReadingStore, name: str) -> str:
    return store.cursor().execute(f"SELECT current_setting('{name}')").fetchall()[0][0]


def test_store_caps_duckdb_memory(db_path):
    """Every open file runs under memory_limit (256 MB), not DuckDB's default of 80 % of RAM,
    and checkpoints its WAL at 4 MB, so rows waiting for a checkpoint hold little memory."""
    for read_only in (False, True):
        with ReadingStore(db_path, read_only=read_only) as store:
            assert _setting(store, "memory_limit") in ("244.1 MiB", "256.0 MB")
            assert _setting(store, "checkpoint_threshold") in ("3.8 MiB", "4.0 MB")
