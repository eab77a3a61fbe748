"""The window refuses a file that is not a Watchkeeper database, as the command line does."""

import hashlib

import pytest


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _parquet(path):
    import duckdb

    duckdb.connect().execute(f"COPY (SELECT 1 AS a) TO '{path}' (FORMAT parquet)")


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("history.csv", lambda p: p.write_text("timestamp,temp\n2026-01-01T00:00:00,20\n")),
        ("history.parquet", _parquet),
    ],
)
def test_the_window_refuses_a_csv_or_parquet_file_and_leaves_it_alone(make_app, tmp_path, name, make):
    """Started on an existing CSV/Parquet file, the window does not record into an in-memory
    database: it says in one sentence that the file is not a database and leaves it untouched."""
    path = tmp_path / name
    make(path)
    before = _digest(path)
    wk = make_app(db=str(path), start=False)
    assert not wk.start()
    assert any(f"The file {path} is" in m and "not a Watchkeeper database" in m for m in wk.messages)
    assert wk.recorder is None and _digest(path) == before
