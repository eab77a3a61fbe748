"""One row of a benchmark table: a stage, how many readings it handled, and how fast."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Row:
    stream: str
    stage: str
    count: int
    seconds: float
    unit: str = "readings"
    ratio: float | None = None
    note: str = ""

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds > 0 else float("inf")
