"""Vectorised parsing of fixed-layout decimal lines: a burst of ``23.51,-0.07,1013.20`` in a few passes.

A fast RS485 device prints thousands of lines a second with one format string, so every line has
the same length and its commas, points and signs in the same columns. Such a burst is one byte
matrix; its digits times their powers of ten (one matrix product) give every field's mantissa, and
dividing by the field's power of ten gives its value. That is exact: a field of at most 15 digits
is an integer ``m`` below 2**53 over ``10**e``, both exact doubles, so one IEEE division yields the
correctly rounded value, the very double ``float(text)`` gives (Clinger's fast path).

Lines of another length or layout, and fields that are not plain decimals (exponents, ``+``,
spaces, ``nan``, more digits, empty fields) are left to the caller.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from itertools import compress

import numpy as np

MAX_DIGITS = 15  # 10**15 < 2**53: every such mantissa is an exact double
_POW10 = 10.0 ** np.arange(MAX_DIGITS + 1)
_FIELD = re.compile(rb"(-?)(\d*)(?:\.(\d*))?")
_ZERO = ord("0")
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_DENSE_WEIGHTS = 8192  # columns x fields of a layout read by one matrix product (64 KiB of weights)


def parse_fixed_layout(lines: Sequence[bytes], max_fields: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Values of the lines that share the layout of the first line of the most common length.

    That line must be plain decimal fields separated by commas; a line shares its layout if it
    has its length and the same bytes wherever it has no digit. Returns ``(values, fits)``:
    ``fits[i]`` says whether ``lines[i]`` shares it, and ``values`` holds one row of numbers per
    such line, in order, exactly as ``float()`` reads them. None when fewer than half the lines
    (or than two) have that length, or the line has more than ``max_fields`` fields.
    """
    n = len(lines)
    lengths = list(map(len, lines))
    width = lengths[0]
    m = lengths.count(width)
    if 2 * m < n:
        width = int(np.bincount(lengths).argmax())
        m = lengths.count(width)
    if 2 * m < n or m < 2 or not width:  # most lines of other lengths: no one layout to read
        return None
    same = np.array(lengths) == width if m < n else np.ones(n, bool)
    chosen = lines if m == n else list(compress(lines, same))
    if chosen[0].count(b",") >= max_fields:
        return None
    layout = _layout(chosen[0].translate(_DIGITS_AS_ZERO))
    if layout is None:
        return None
    base, span, weights, starts, divisors, signs = layout
    rows = np.frombuffer(b"".join(chosen), np.uint8).reshape(m, width)
    # A digit column holds a digit (0-9 above '0'); every other column holds row one's byte.
    digits = rows - base
    ok = digits <= span
    if ok.all():
        fits = same
    else:
        good = ok.all(axis=1)
        digits = digits[good]
        fits = same.copy()
        fits[same] = good
    if starts is None:
        values = digits.astype(np.float64) @ weights
    else:  # a wide line: its weights as one matrix would take more memory than the burst
        values = np.add.reduceat(digits * weights, starts, axis=1)
    values /= divisors
    values *= signs
    if len(values) < 2:
        return None
    return values, fits


@functools.lru_cache(maxsize=16)  # a device prints one or a few layouts; keyed by bytes, bounded
def _layout(line: bytes) -> tuple[np.ndarray, ...] | None:
    """What the lines of ``line``'s layout (its digits written as 0) hold where, or None if they
    are not plain decimals: per column the byte subtracted and the largest difference allowed (9
    for a digit, else 0); every column's weight in every field's mantissa; every field's divisor
    and sign. The arrays are shared by every call (read-only). The weights are one matrix
    (column x field) for a narrow line, else one row with the column where each field starts."""
    fields = line.split(b",")
    k = len(fields)
    width = len(line)
    base = np.frombuffer(line, np.uint8).copy()
    span = np.zeros(width, np.uint8)
    dense = width * k <= _DENSE_WEIGHTS
    weights = np.zeros((width, k) if dense else width)
    starts = np.zeros(k, np.intp)
    divisors = np.ones(k)
    signs = np.ones(k)
    col = 0
    for j, field in enumerate(fields):
        match = _FIELD.fullmatch(field)
        if match is None:
            return None
        minus, whole, frac = match.group(1), match.group(2), match.group(3) or b""
        n_digits = len(whole) + len(frac)
        if not 1 <= n_digits <= MAX_DIGITS:
            return None
        power = n_digits - 1
        for c in range(col, col + len(field)):
            if 48 <= line[c] <= 57:
                base[c], span[c] = _ZERO, 9
                weights[(c, j) if dense else c] = _POW10[power]
                power -= 1
        divisors[j] = _POW10[len(frac)]
        signs[j] = -1.0 if minus else 1.0
        starts[j] = col
        col += len(field) + 1
    for array in (base, span, weights, starts, divisors, signs):
        array.flags.writeable = False
    return base, span, weights, None if dense else starts, divisors, signs
