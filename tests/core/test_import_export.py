"""CSV import (wide/long, idempotent, malformed rows), export to CSV/Parquet, and info."""

import pandas as pd
import pytest

from core.cli import run
from core.storage.csv_import import CsvImportError, import_csv
from core.storage.export import ExportError, export
from core.storage.schema import SCHEMA_VERSION
from core.storage.store import ReadingStore

WIDE = """date,OT,HUFL
2016-07-01 00:00:00,30.5,5.8
2016-07-01 01:00:00,abc,5.9
2016-07-01 02:00:00,31.5
not a date,1,2
2016-07-01 03:00:00,,7
2016-07-01 04:00:00,nan,7.5
"""


@pytest.fixture
def wide_csv(tmp_path):
    p = tmp_path / "input.csv"
    p.write_text(WIDE, encoding="utf-8")
    return p


def stored(store):
    return sorted((str(t)[:19], c, v) for t, c, v in store.readings().itertuples(index=False))


def test_wide_csv_imports_good_cells_and_reports_bad_rows_by_line(wide_csv, db_path):
    """Good rows land; malformed rows are listed with line numbers; empty and NaN cells are skipped."""
    with ReadingStore(db_path) as store:
        r = import_csv(store, wide_csv)
        assert stored(store) == [
            ("2016-07-01 00:00:00", "HUFL", 5.8),
            ("2016-07-01 00:00:00", "OT", 30.5),
            ("2016-07-01 03:00:00", "HUFL", 7.0),
            ("2016-07-01 04:00:00", "HUFL", 7.5),
        ]
    assert (r.format, r.timestamp_column, r.channels) == ("wide", "date", ["HUFL", "OT"])
    assert r.malformed_count == 3 and [line for line, _ in r.malformed] == [3, 4, 5]
    assert "abc" in r.malformed[0][1]
    assert (r.stored, r.skipped_values) == (4, 2)


def test_importing_the_same_file_twice_stores_each_reading_once(wide_csv, db_path):
    """A second import adds nothing and says the readings were already there."""
    with ReadingStore(db_path) as store:
        import_csv(store, wide_csv)
        again = import_csv(store, wide_csv)
        assert store.count() == 4
        rollup_n = store.cursor().execute("SELECT sum(n) FROM rollup_1h").fetchall()[0][0]
    assert (again.stored, again.duplicates) == (0, 4)
    assert rollup_n == 4


def test_strict_import_writes_nothing_when_a_row_is_malformed(wide_csv, db_path):
    """--strict aborts on the first malformed row and names its line."""
    with ReadingStore(db_path) as store:
        with pytest.raises(CsvImportError, match=r"3 malformed row.*line 3.*nothing was imported"):
            import_csv(store, wide_csv, strict=True)
        assert store.count() == 0


def test_long_csv_and_explicit_timestamp_column(tmp_path, db_path):
    """(timestamp, channel, value) files are detected as long; duplicates inside the file count once."""
    p = tmp_path / "long.csv"
    p.write_text(
        "when,channel,value\n2026-01-01T00:00:00Z,a,1\n2026-01-01T00:00:00Z,a,1\n2026-01-01T00:00:01Z,b,2\n",
        encoding="utf-8",
    )
    with ReadingStore(db_path) as store:
        r = import_csv(store, p, timestamp_column="when")
        assert stored(store) == [("2026-01-01 00:00:00", "a", 1.0), ("2026-01-01 00:00:01", "b", 2.0)]
    assert r.format == "long" and r.duplicates == 1


def test_naive_timestamps_can_be_read_in_the_plant_time_zone(tmp_path, db_path):
    """--timezone Asia/Seoul stores 09:00 local as 00:00 UTC."""
    p = tmp_path / "kst.csv"
    p.write_text("timestamp;temp\n2026-01-01 09:00:00;20\n", encoding="utf-8")
    with ReadingStore(db_path) as store:
        import_csv(store, p, timezone="Asia/Seoul")
        assert stored(store) == [("2026-01-01 00:00:00", "temp", 20.0)]
        with pytest.raises(CsvImportError, match="unknown time zone"):
            import_csv(store, p, timezone="Mars/Olympus")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty"),
        ("timestamp\n2026-01-01,1\n", "needs a timestamp column and at least one value"),
    ],
)
def test_unusable_files_get_one_sentence(tmp_path, db_path, text, message):
    """Empty or one-column files are refused with a reason."""
    p = tmp_path / "x.csv"
    p.write_text(text, encoding="utf-8")
    with ReadingStore(db_path) as store, pytest.raises(CsvImportError, match=message):
        import_csv(store, p)


def test_export_csv_parquet_wide_and_rollups(wide_csv, db_path, tmp_path):
    """Exports honour channel, time range, resolution and wide layout in both formats."""
    with ReadingStore(db_path) as store:
        import_csv(store, wide_csv)
        assert export(store, tmp_path / "all.parquet") == 4
        assert len(pd.read_parquet(tmp_path / "all.parquet")) == 4
        n = export(
            store, tmp_path / "w.csv", ["HUFL", "OT"], "2016-07-01 00:00", "2016-07-01 04:00", wide=True
        )
        wide = pd.read_csv(tmp_path / "w.csv")
        assert n == 2 and list(wide.columns) == ["ts", "HUFL", "OT"]
        export(store, tmp_path / "h.csv", ["HUFL"], resolution="1h")
        hourly = pd.read_csv(tmp_path / "h.csv")
        assert list(hourly.columns) == ["ts", "channel", "mean", "min", "max", "count"]
        assert hourly["count"].tolist() == [1, 1, 1]
        with pytest.raises(ExportError, match="no channel named nope"):
            export(store, tmp_path / "x.csv", ["nope"])
        with pytest.raises(ExportError, match=r"must end in \.csv or \.parquet"):
            export(store, tmp_path / "x.xlsx")
    assert not list(tmp_path.glob(".*.tmp"))


def test_cli_import_info_export_round_trip(wide_csv, db_path, tmp_path, capsys):
    """The three commands work end to end and speak in sentences."""
    assert run(["import", str(wide_csv), "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "readings stored  4" in out and "line 3:" in out
    assert run(["info", "--db", str(db_path)]) == 0
    info = capsys.readouterr().out
    assert f"schema version {SCHEMA_VERSION}" in info and "HUFL" in info and "2016-07-01 00:00:00" in info
    assert run(["export", "--db", str(db_path), "--out", str(tmp_path / "o.csv"), "--wide"]) == 0
    assert "Wrote 3 rows" in capsys.readouterr().out
    assert run(["import", str(tmp_path / "missing.csv"), "--db", str(db_path)]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_info_lines_up_korean_channel_names(db_path, tmp_path, capsys):
    """Korean names take two terminal cells a character: the columns after them still line up."""
    from core.cli.columns import cells

    csv = tmp_path / "korean.csv"
    rows = ["date,온도,pressure", "2024-01-01 00:00:00,21.5,3.9", "2024-01-01 00:01:00,21.6,4.0"]
    csv.write_text("\n".join(rows) + "\n", "utf-8")
    assert run(["import", str(csv), "--db", str(db_path)]) == 0
    capsys.readouterr()
    assert run(["info", "--db", str(db_path)]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith(("온도", "pressure"))]
    assert len(rows) == 2
    # The FIRST column starts in the same terminal cell on both rows.
    starts = [cells(row[: row.index("2024-01-01")]) for row in rows]
    assert starts[0] == starts[1], rows
