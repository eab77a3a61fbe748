"""DuckDB's memory is capped at what a plant PC can spare, for writers and readers alike."""

from core.storage.store import ReadingStore


def test_store_caps_duckdb_memory(db_path):
    """Every open file runs under memory_limit (256 MB), not DuckDB's default of 80 % of RAM."""
    for read_only in (False, True):
        with ReadingStore(db_path, read_only=read_only) as store:
            limit = store.cursor().execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
            assert limit in ("244.1 MiB", "256.0 MB"), limit
