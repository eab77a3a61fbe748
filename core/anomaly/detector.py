"""AnomalyDetector: one :class:`ChannelScorer` per channel, fed with :class:`ReadingBatch` objects."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.anomaly.explain import Explanation
from core.anomaly.scorer import ChannelScorer
from core.anomaly.settings import AnomalyConfig
from core.readings import ReadingBatch


@dataclass(frozen=True, slots=True)
class ScoredBatch:
    """A batch with the anomaly score and flag of every reading (same order as the batch)."""

    batch: ReadingBatch
    scores: np.ndarray
    flags: np.ndarray
    explanations: dict[int, Explanation] = field(default_factory=dict)  # flagged row -> why

    def __len__(self) -> int:
        return len(self.batch)

    def latest(self) -> dict[str, tuple[int, float, float, bool]]:
        """Per channel: ``(ts_us, value, score, flag)`` of its newest reading in this batch."""
        b = self.batch
        if not len(b):
            return {}
        # The last occurrence of each channel code: first occurrence in the reversed codes.
        codes, first = np.unique(b.codes[::-1], return_index=True)
        rows = len(b) - 1 - first
        return {
            b.names[c]: (int(b.ts_us[i]), float(b.values[i]), float(self.scores[i]), bool(self.flags[i]))
            for c, i in zip(codes.tolist(), rows.tolist(), strict=True)
        }


class AnomalyDetector:
    """Scores every reading of every channel; a channel's scorer is created at its first reading.

    Not thread-safe: use it from one thread (the monitor worker), as the scorers keep state.
    """

    def __init__(self, config: AnomalyConfig | None = None) -> None:
        self.config = config or AnomalyConfig()
        self._scorers: dict[str, ChannelScorer] = {}

    @property
    def channels(self) -> list[str]:
        return sorted(self._scorers)

    def scorer(self, channel: str) -> ChannelScorer:
        """The channel's scorer (created with its settings if it has none yet)."""
        scorer = self._scorers.get(channel)
        if scorer is None:
            scorer = self._scorers[channel] = ChannelScorer(self.config.for_channel(channel))
        return scorer

    def set_forecast(
        self, channel: str, ts_us: np.ndarray, value: np.ndarray, lower_95: np.ndarray, upper_95: np.ndarray
    ) -> None:
        """Give a channel's scorer the latest forecast (used for readings inside its span)."""
        self.scorer(channel).set_forecast(ts_us, value, lower_95, upper_95)

    def update(self, batch: ReadingBatch) -> ScoredBatch:
        """Score a batch; each channel's readings are taken in batch order."""
        n = len(batch)
        scores = np.zeros(n)
        flags = np.zeros(n, dtype=bool)
        explanations: dict[int, Explanation] = {}
        if n:
            order = np.argsort(batch.codes, kind="stable")
            codes = batch.codes[order]
            cuts = np.flatnonzero(np.diff(codes)) + 1
            for part in np.split(order, cuts):
                name = batch.names[batch.codes[part[0]]]
                r = self.scorer(name).score(batch.ts_us[part], batch.values[part])
                scores[part] = r.scores
                flags[part] = r.flags
                explanations.update({int(part[i]): e for i, e in r.explanations.items()})
        return ScoredBatch(batch, scores, flags, explanations)
