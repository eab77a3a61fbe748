"""The columnar unit that travels from the reader to storage, the live buffer and the scorers (a leaf
module: every layer passes readings on, none owns them)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class ReadingBatch:
    """Readings in columns: ``names[codes[i]]`` read ``values[i]`` at ``ts_us[i]``.

    ``ts_us`` is UTC microseconds since the epoch. Channel names are kept as small integer codes
    into ``names`` so a burst of thousands of readings carries each name once.
    """

    ts_us: np.ndarray  # int64
    codes: np.ndarray  # int32
    values: np.ndarray  # float64
    names: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.values)

    def finite(self) -> ReadingBatch:
        """The readings that are numbers (a NaN or infinite value is no reading); self if all are."""
        keep = np.isfinite(self.values)
        if keep.all():
            return self
        return ReadingBatch(self.ts_us[keep], self.codes[keep], self.values[keep], self.names)

    @classmethod
    def empty(cls) -> ReadingBatch:
        """The batch without readings (one shared instance: it holds nothing to change)."""
        return _EMPTY

    @classmethod
    def from_records(cls, records: list[tuple[int, str, float]]) -> ReadingBatch:
        """Build a batch from ``(ts_us, channel, value)`` tuples (tests and small producers)."""
        if not records:
            return cls.empty()
        ts, chans, vals = zip(*records, strict=True)
        table: dict[str, int] = {}
        codes = [table.setdefault(c, len(table)) for c in chans]
        return cls(
            np.asarray(ts, np.int64),
            np.asarray(codes, np.int32),
            np.asarray(vals, np.float64),
            tuple(table),
        )

    @property
    def channels(self) -> np.ndarray:
        """Channel name of every reading (object array); convenient, not fast."""
        return np.asarray(self.names, dtype=object)[self.codes]

    def to_frame(self):
        """A pandas DataFrame with ``ts`` (UTC datetime64[us]), ``channel`` and ``value`` columns."""
        import pandas as pd  # lazily: the window starts without pandas

        return pd.DataFrame(
            {
                "ts": pd.to_datetime(self.ts_us, unit="us", utc=True),
                "channel": self.channels,
                "value": self.values,
            }
        )

    def records(self) -> list[tuple[int, str, float]]:
        return list(zip(self.ts_us.tolist(), self.channels.tolist(), self.values.tolist(), strict=True))


def _frozen(dtype: type) -> np.ndarray:
    array = np.empty(0, dtype)
    array.flags.writeable = False
    return array


_EMPTY = ReadingBatch(_frozen(np.int64), _frozen(np.int32), _frozen(np.float64), ())


def concat_batches(batches: list[ReadingBatch]) -> ReadingBatch:
    """Join batches, merging their channel-name tables."""
    batches = [b for b in batches if len(b)]
    if not batches:
        return ReadingBatch.empty()
    if len(batches) == 1:
        return batches[0]
    names: tuple[str, ...] = batches[0].names
    if all(b.names == names for b in batches):  # one device's bursts: nothing to renumber
        codes = [b.codes for b in batches]
    else:
        table: dict[str, int] = {}
        codes = []
        for b in batches:
            remap = np.fromiter((table.setdefault(n, len(table)) for n in b.names), np.int32, len(b.names))
            codes.append(remap[b.codes])
        names = tuple(table)
    return ReadingBatch(
        np.concatenate([b.ts_us for b in batches]),
        np.concatenate(codes, dtype=np.int32),
        np.concatenate([b.values for b in batches]),
        names,
    )
