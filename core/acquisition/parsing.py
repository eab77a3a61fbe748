"""Line parsing: turn framed lines into readings, auto-detecting the format of every line.

Formats (see README): numbers separated by commas, semicolons or whitespace (optionally named by a
header line); ``key=value`` / ``key:value`` pairs; JSON objects (nested keys joined with dots).
Bad lines are counted by reason and never raise: whatever goes wrong with one line (a JSON
integer too large for a double, nesting deeper than the interpreter allows, a bug) rejects that
line only. The comma-separated numeric lines of a burst take a vectorised path that reads exactly
what the per-line path reads; the lines it does not fit (headers, garbage, other formats) take the
per-line path, in order. A parser creates at most ``max_channels`` channels: a
hostile or broken device sending ever new names would otherwise grow every per-channel structure
downstream (storage, scorer, alarms) without bound.
"""

from __future__ import annotations

import itertools
import json
import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from itertools import compress, repeat

import numpy as np

from core.acquisition.decimals import parse_fixed_layout
from core.readings import ReadingBatch, concat_batches

log = logging.getLogger(__name__)

MAX_CHANNELS = 256
BOM = "\ufeff"


class LineFormat(Enum):
    AUTO = "auto"
    CSV = "csv"
    KEY_VALUE = "kv"
    JSON = "json"


class Reject(Enum):
    """Why a line was not stored."""

    EMPTY = "empty"
    NOT_UTF8 = "not_utf8"
    NON_NUMERIC = "non_numeric"
    NOT_FINITE = "not_finite"
    BAD_JSON = "bad_json"
    WRONG_FORMAT = "wrong_format"
    OVERLONG = "overlong"
    OUT_OF_RANGE = "out_of_range"
    TOO_MANY_CHANNELS = "too_many_channels"
    PARSE_ERROR = "parse_error"  # anything unforeseen: the line is dropped and the error logged


@dataclass(frozen=True, slots=True)
class ChannelSpec:
    """Maps a field of the line to a stored channel: ``value * scale + offset``.

    ``field`` is a key (key=value, JSON path with dots, header name) or a 1-based column number.
    """

    field: str | int
    name: str
    unit: str = ""
    scale: float = 1.0
    offset: float = 0.0


class _Rejected(Exception):
    def __init__(self, reason: Reject) -> None:
        self.reason = reason


_CSV_SPLIT = re.compile(r"[,;\s]+")
_KV_SEP = re.compile(r"\s+(?=[=:])|(?<=[=:])\s+")  # spaces around = or :
_KV_SPLIT = re.compile(r"[\s,;]+")
_MAX_LAYOUTS = 64  # remembered header/column layouts (one per line width)
_MIN_FIXED_LINES = 16  # below this a byte matrix costs more than converting each field
_NAME = re.compile(r"^[A-Za-z_][\w.\-/%#]*$")


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise _Rejected(Reject.NON_NUMERIC) from None
    if not math.isfinite(value):
        raise _Rejected(Reject.NOT_FINITE)
    return value


def _flatten(obj: object, prefix: str, out: list[tuple[str, float]]) -> None:
    if isinstance(obj, dict):
        for key, val in obj.items():
            _flatten(val, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(obj, list):
        for i, val in enumerate(obj):
            _flatten(val, f"{prefix}.{i}" if prefix else str(i), out)
    elif isinstance(obj, bool) or obj is None:
        return  # flags and nulls are metadata, not readings
    elif isinstance(obj, int | float):
        try:
            value = float(obj)
        except OverflowError:  # a 400-digit integer: no double holds it
            raise _Rejected(Reject.OUT_OF_RANGE) from None
        if not math.isfinite(value):
            raise _Rejected(Reject.NOT_FINITE)
        out.append((prefix, value))
    elif isinstance(obj, str):
        try:
            value = float(obj)
        except ValueError:
            return  # text fields (ids, status words) are metadata
        if not math.isfinite(value):
            raise _Rejected(Reject.NOT_FINITE)
        out.append((prefix, value))


def parse_json(text: str) -> list[tuple[str, float]]:
    """Numeric fields of a JSON object, nested keys joined with dots."""
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError):
        raise _Rejected(Reject.BAD_JSON) from None
    if not isinstance(obj, dict):
        raise _Rejected(Reject.BAD_JSON)
    out: list[tuple[str, float]] = []
    try:
        _flatten(obj, "", out)
    except RecursionError:  # nesting json.loads accepted but the flattening cannot follow
        raise _Rejected(Reject.BAD_JSON) from None
    if not out:
        raise _Rejected(Reject.NON_NUMERIC)
    return out


def parse_key_values(text: str) -> list[tuple[str, float]]:
    """``temp=23.5 hum=45.1``, ``temp:23.5;hum:45.1`` or ``temp=23.5,hum=45.1``."""
    out = []
    for token in _KV_SPLIT.split(_KV_SEP.sub("", text.strip())):
        if not token:
            continue
        key, sep, val = token.partition("=")
        if not sep:
            key, sep, val = token.partition(":")
        if not sep or not key:
            raise _Rejected(Reject.WRONG_FORMAT)
        out.append((key, _number(val)))
    if not out:
        raise _Rejected(Reject.EMPTY)
    return out


def split_fields(text: str) -> list[str]:
    return [t for t in _CSV_SPLIT.split(text.strip()) if t]


def _numeric_rows(
    lines: Sequence[bytes], fits: np.ndarray, k: int, values: np.ndarray | None = None
) -> tuple[np.ndarray | None, np.ndarray]:
    """Add the lines not yet in ``fits`` that hold ``k`` finite numbers separated by commas, if
    they all do, to ``values`` (one row per line in ``fits``, in order); else leave both."""
    commas = list(map(bytes.count, lines, repeat(b",")))
    if values is None and commas.count(k - 1) == len(lines):  # every line: one array, no masks
        flat = _finite_fields(lines)
        return (None, fits) if flat is None else (flat.reshape(-1, k), ~fits)
    rest = ~fits & (np.array(commas) == k - 1)
    flat = _finite_fields(list(compress(lines, rest))) if rest.any() else None
    if flat is None:
        return values, fits
    merged = fits | rest
    out = np.empty((int(merged.sum()), k))
    if values is not None:
        out[fits[merged]] = values
    out[rest[merged]] = flat.reshape(-1, k)
    return out, merged


def _finite_fields(lines: Sequence[bytes]) -> np.ndarray | None:
    """Every comma-separated field of ``lines`` as a number, or None if one is not a finite one."""
    try:
        flat = np.array(b",".join(lines).split(b","), dtype=np.float64)
    except ValueError:
        return None
    return flat if np.isfinite(flat).all() else None


class LineParser:
    """Parse framed lines into a :class:`ReadingBatch`, counting rejects by :class:`Reject` reason.

    Fields not named in ``channels`` are stored under their own name (CSV columns without a header:
    ``ch1..chN``). Not thread-safe: one parser per reader.
    """

    def __init__(
        self,
        channels: Iterable[ChannelSpec] = (),
        fmt: LineFormat = LineFormat.AUTO,
        max_channels: int = MAX_CHANNELS,
    ) -> None:
        if max_channels < 1:
            raise ValueError(f"max_channels must be at least 1, got {max_channels!r}")
        self.format = fmt
        self.specs = list(channels)
        self.max_channels = max_channels
        self._by_field: dict[str | int, ChannelSpec] = {s.field: s for s in self.specs}
        self._headers: dict[int, list[str]] = {}  # field count -> header names
        self._layouts: dict[int, tuple[tuple[str, ...], np.ndarray, np.ndarray]] = {}
        self._known: set[str] = set()  # channel names this parser has let through
        self.rejected: Counter[str] = Counter()
        self.lines_ok = 0
        self.headers_seen = 0
        self.channel_limit_reached = False  # set once, when the first line is refused for it

    # -- public -------------------------------------------------------------------------------
    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())

    def count_reject(self, reason: Reject, n: int = 1) -> None:
        if n:
            self.rejected[reason.value] += n

    def parse(self, lines: Sequence[bytes], ts_us: np.ndarray) -> ReadingBatch:
        """Parse ``lines`` received at ``ts_us`` (one stamp per line)."""
        if not lines:
            return ReadingBatch.empty()
        if self.format in (LineFormat.AUTO, LineFormat.CSV):
            try:
                fast = self._parse_uniform_csv(lines, ts_us)
            except Exception:  # never lose a burst to the shortcut: the per-line path decides
                log.exception("vectorised parsing failed; parsing line by line")
                fast = None
            if fast is not None:
                return fast
        return self._parse_each(lines, ts_us)

    @property
    def channel_count(self) -> int:
        """Channels this parser has let through so far (at most ``max_channels``)."""
        return len(self._known)

    def _admit(self, names: Iterable[str]) -> None:
        """Let ``names`` through, or reject the line if they would exceed ``max_channels``."""
        new = [n for n in names if n not in self._known]
        if not new:
            return
        new = list(dict.fromkeys(new))
        if len(self._known) + len(new) > self.max_channels:
            if not self.channel_limit_reached:
                self.channel_limit_reached = True
                log.warning(
                    "the device sent more than %d channel names; lines with new names are not "
                    "stored (first refused: %.80r)",
                    self.max_channels,
                    new[0],
                )
            raise _Rejected(Reject.TOO_MANY_CHANNELS)
        self._known.update(new)

    def _remember(self, cache: dict, key: int, value: object) -> None:
        """Keep per-width caches small: a stream of lines of ever new widths must not grow them."""
        if len(cache) >= _MAX_LAYOUTS and key not in cache:
            del cache[next(iter(cache))]
        cache[key] = value

    # -- CSV layout ---------------------------------------------------------------------------
    def _layout(self, n_fields: int) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
        layout = self._layouts.get(n_fields)
        if layout is None:
            header = self._headers.get(n_fields)
            names, scales, offsets = [], [], []
            for col in range(1, n_fields + 1):
                key = header[col - 1] if header else f"ch{col}"
                spec = self._by_field.get(col) or self._by_field.get(key)
                names.append(spec.name if spec else key)
                scales.append(spec.scale if spec else 1.0)
                offsets.append(spec.offset if spec else 0.0)
            layout = (tuple(names), np.array(scales), np.array(offsets))
            self._remember(self._layouts, n_fields, layout)
        return layout

    def _parse_uniform_csv(self, lines: Sequence[bytes], ts_us: np.ndarray) -> ReadingBatch | None:
        """Vectorised path for a burst of comma-separated numeric lines of one width, else None.

        Lines of one fixed layout are read as one byte matrix (:mod:`core.acquisition.decimals`),
        other numeric lines of the same width as one array of fields; the lines neither fits
        (headers, garbage, other widths) go through the per-line path, in order, so a header still
        names the lines after it and every reject is counted as it always was.
        """
        n = len(lines)
        if n < 8 or not lines[0]:
            return None
        ts_us = np.asarray(ts_us, np.int64)
        if n < _MIN_FIXED_LINES:  # every line one array of fields, or all of them line by line
            k = lines[0].count(b",") + 1
            if k > self.max_channels or list(map(bytes.count, lines, repeat(b","))).count(k - 1) != n:
                return None
            flat = _finite_fields(lines)
            return None if flat is None else self._csv_batch(flat.reshape(n, k), ts_us)
        fixed = parse_fixed_layout(lines, self.max_channels)
        if fixed is None:
            k = lines[0].count(b",") + 1
            values, fits = _numeric_rows(lines, np.zeros(n, bool), k)
        else:
            values, fits = fixed
            k = values.shape[1]
            if not fits.all():
                values, fits = _numeric_rows(lines, fits, k, values)
        if values is None or k > self.max_channels:
            return None
        if fits.all():
            return self._csv_batch(values, ts_us)
        edges = np.flatnonzero(np.diff(fits)) + 1
        if len(edges) > n // 8:  # scattered lines that fit: the per-line path is as quick
            return None
        pieces, row = [], 0
        for a, b in itertools.pairwise([0, *edges.tolist(), n]):
            if fits[a]:
                pieces.append(self._csv_batch(values[row : row + b - a], ts_us[a:b]))
                row += b - a
            else:
                pieces.append(self._parse_each(lines[a:b], ts_us[a:b]))
        return concat_batches(pieces)

    def _csv_batch(self, values: np.ndarray, ts_us: np.ndarray) -> ReadingBatch:
        """The readings of numeric CSV lines (one row of ``values`` per line) under today's names."""
        n, k = values.shape
        names, scales, offsets = self._layout(k)
        try:
            self._admit(names)
        except _Rejected as rej:
            self.rejected[rej.reason.value] += n
            return ReadingBatch.empty()
        self.lines_ok += n
        return ReadingBatch(
            np.repeat(ts_us, k),
            np.tile(np.arange(k, dtype=np.int32), n),
            (values * scales + offsets).ravel(),
            names,
        )

    # -- per-line path ------------------------------------------------------------------------
    def _parse_each(self, lines: Sequence[bytes], ts_us: np.ndarray) -> ReadingBatch:
        out_ts: list[int] = []
        out_names: list[str] = []
        out_vals: list[float] = []
        for line, ts in zip(lines, np.asarray(ts_us).tolist(), strict=True):
            try:
                fields = self._fields(line)
                if fields is not None:
                    self._admit(name for name, _ in fields)
            except _Rejected as rej:
                self.rejected[rej.reason.value] += 1
                continue
            except Exception:  # a bug or an input nobody foresaw: it costs this line only
                self.rejected[Reject.PARSE_ERROR.value] += 1
                log.exception("line could not be parsed: %.200r", line)
                continue
            if fields is None:
                continue  # a header line
            self.lines_ok += 1
            for name, value in fields:
                out_ts.append(ts)
                out_names.append(name)
                out_vals.append(value)
        if not out_vals:
            return ReadingBatch.empty()
        table: dict[str, int] = {}
        codes = np.fromiter((table.setdefault(n, len(table)) for n in out_names), np.int32, len(out_names))
        return ReadingBatch(np.array(out_ts, np.int64), codes, np.array(out_vals), tuple(table))

    def _fields(self, line: bytes) -> list[tuple[str, float]] | None:
        try:
            text = line.decode("utf-8").strip()
        except UnicodeDecodeError:
            raise _Rejected(Reject.NOT_UTF8) from None
        if text.startswith(BOM):  # Windows tools start a text stream with a byte-order mark
            text = text.lstrip(BOM).strip()
        if not text:
            raise _Rejected(Reject.EMPTY)
        fmt = self.format
        if fmt is LineFormat.AUTO:
            if text[0] == "{":
                fmt = LineFormat.JSON
            elif "=" in text or ":" in text:
                fmt = LineFormat.KEY_VALUE
            else:
                fmt = LineFormat.CSV
        if fmt is LineFormat.JSON:
            return self._map(parse_json(text))
        if fmt is LineFormat.KEY_VALUE:
            return self._map(parse_key_values(text))
        return self._csv_fields(text)

    def _csv_fields(self, text: str) -> list[tuple[str, float]] | None:
        tokens = split_fields(text)
        if len(tokens) > self.max_channels:
            raise _Rejected(Reject.TOO_MANY_CHANNELS)
        try:
            values = [float(t) for t in tokens]
        except ValueError:
            if all(_NAME.match(t) for t in tokens) and len(set(tokens)) == len(tokens):
                self._remember(self._headers, len(tokens), tokens)
                self._layouts.pop(len(tokens), None)
                self.headers_seen += 1
                return None
            raise _Rejected(Reject.NON_NUMERIC) from None
        if not all(map(math.isfinite, values)):
            raise _Rejected(Reject.NOT_FINITE)
        names, scales, offsets = self._layout(len(values))
        return [
            (name, v * s + o)
            for name, v, s, o in zip(names, values, scales.tolist(), offsets.tolist(), strict=True)
        ]

    def _map(self, fields: list[tuple[str, float]]) -> list[tuple[str, float]]:
        if not self._by_field:
            return fields
        out = []
        for key, value in fields:
            spec = self._by_field.get(key)
            out.append((spec.name, value * spec.scale + spec.offset) if spec else (key, value))
        return out
