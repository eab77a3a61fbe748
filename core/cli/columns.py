"""Table columns that line up in a terminal when names hold Korean (or other wide) characters.

East Asian wide and full-width characters take two terminal cells; ``str.ljust`` counts them as
one, so a Korean channel name pushes the rest of its row to the right.
"""

from __future__ import annotations

import unicodedata


def cells(text: str) -> int:
    """Terminal cells ``text`` takes: wide and full-width characters count double, combining
    marks nothing."""
    total = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def left(text: str, width: int) -> str:
    return text + " " * max(0, width - cells(text))


def right(text: str, width: int) -> str:
    return " " * max(0, width - cells(text)) + text
