"""A full disk and a read-only disk, for real: a 3 MB tmpfs (needs permission to mount)."""

import contextlib
import subprocess
import time

import numpy as np
import pytest

from core.readings import ReadingBatch
from core.storage.store import ReadingStore, StoreError
from core.storage.writer import StoreWriter

T0 = 1_767_225_600_000_000


@contextlib.contextmanager
def small_disk(folder, size="3m"):
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True, text=True
    )
    if done.returncode:
        pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.strip() or 'not permitted'})")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _fill(folder):
    """Take every free byte of the disk."""
    with contextlib.suppress(OSError), (folder / "filler").open("wb") as f:
        while True:
            f.write(b"\0" * 65536)
            f.flush()


def _batch(i, n=20_000):
    ts = T0 + (i * n + np.arange(n, dtype=np.int64)) * 1000
    return ReadingBatch(ts, (np.arange(n) % 4).astype(np.int32), np.random.rand(n), tuple("abcd"))


def test_a_full_disk_is_reported_as_such_and_everything_is_written_once_space_returns(tmp_path):
    """The operator reads that the disk is full (not "cannot rollback - no transaction is
    active"), readings wait in memory, and all of them are stored when space comes back."""
    with small_disk(tmp_path / "disk", size="4m") as disk:
        (disk / "filler").write_bytes(b"\0" * 1_500_000)  # the space that comes back later
        store = ReadingStore(disk / "plant.duckdb")
        errors: list[str] = []
        writer = StoreWriter(store, commit_interval=0.05, on_error=lambda m: errors.append(str(m)))
        writer.start()
        submitted = 0
        deadline = time.monotonic() + 60
        while not errors and time.monotonic() < deadline:
            writer.submit(_batch(submitted // 20_000))
            submitted += 20_000
            # One batch at a time: the backlog when the disk fills is one batch, however slow
            # the machine, so the space that comes back can hold it.
            settle = time.monotonic() + 10
            while not errors and writer.stats().pending and time.monotonic() < settle:
                time.sleep(0.01)
        assert errors, "the small disk never filled"
        db = disk / "plant.duckdb"
        expected = f"Cannot write to {db}: No space left on device; free some space on that disk"
        assert errors[0] == expected
        (disk / "filler").unlink()
        deadline = time.monotonic() + 30
        while errors[-1] != "" and time.monotonic() < deadline:
            time.sleep(0.05)
        writer.stop()
        stats = writer.stats()
        assert errors[-1] == "" and stats.pending == 0 and stats.dropped == 0  # recovered, announced
        assert store.count() == submitted
        store.close()


def test_a_new_database_on_a_full_disk_fails_with_one_sentence_and_leaves_no_file(tmp_path):
    """A start that cannot create the file says the disk is full and leaves nothing behind, so
    the next start (with space) is not blocked by an empty file."""
    with small_disk(tmp_path / "disk", size="1m") as disk:
        _fill(disk)
        with pytest.raises(StoreError) as info:
            ReadingStore(disk / "plant.duckdb")
        assert "full" in str(info.value) and str(disk / "plant.duckdb") in str(info.value)
        assert not (disk / "plant.duckdb").exists() and not (disk / "plant.duckdb.wal").exists()
        (disk / "filler").unlink()
        with ReadingStore(disk / "plant.duckdb") as store:
            store.append(_batch(0, 10))
            assert store.count() == 10


def test_a_new_database_in_a_missing_folder_on_a_read_only_disk_is_one_sentence(tmp_path):
    """mkdir on a read-only mount becomes a sentence that names the folder, not a traceback."""
    with small_disk(tmp_path / "disk") as disk:
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        target = disk / "plant" / "line1" / "plant.duckdb"
        with pytest.raises(StoreError) as info:
            ReadingStore(target)
        assert str(info.value) == (
            f"Cannot create the folder {target.parent} for the database (the disk is read-only); "
            "choose a writable place with --db."
        )
