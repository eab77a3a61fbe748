"""AnomalyDetector: one :class:`ChannelScorer` per channel, fed with :class:`ReadingBatch` objects.

The channels of a machine (``[anomaly] machines``) are scored together by a :class:`MachineScorer`:
each channel by its own scorer, exactly as it would be alone, plus the evidence of how the
channels move together. The readings of one line (or one poll of a Modbus slave) share a
timestamp; those form one row of the machine. A reading whose line lacks another channel of the
machine is still scored, by its channel's own scorer alone: the row holds NaN for the missing
channel, which the relation evidence skips (for the rows whose smoothed state would include it).
Holding the missing channel's last value instead would compare a fresh reading with a stale one,
and a channel that stopped reporting would look as if it stood still; a row that is not there is
no evidence either way.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from core.anomaly.episodes import ESCALATE
from core.anomaly.explain import Explanation
from core.anomaly.multichannel import MachineScorer
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
        # channel -> (machine, its column); a machine's scorer is created at its first reading.
        machines = self.config.machines
        self._member = {c: (g, j) for g, group in enumerate(machines) for j, c in enumerate(group)}
        self._machines: list[MachineScorer | None] = [None] * len(self.config.machines)
        self._seen: set[str] = set()  # channels of machines that have had a reading

    @property
    def channels(self) -> list[str]:
        return sorted(set(self._scorers) | self._seen)

    def scorer(self, channel: str) -> ChannelScorer:
        """The channel's scorer (created with its settings if it has none yet); a machine's
        channel's own scorer inside the machine's."""
        if channel in self._member:
            g, _ = self._member[channel]
            return self._machine(g).scorer(channel)
        scorer = self._scorers.get(channel)
        if scorer is None:
            scorer = self._scorers[channel] = ChannelScorer(self.config.for_channel(channel))
        return scorer

    def _machine(self, g: int) -> MachineScorer:
        machine = self._machines[g]
        if machine is None:
            group = self.config.machines[g]
            machine = self._machines[g] = MachineScorer(
                list(group),
                self.config.default,
                channel_settings=[self.config.for_channel(c) for c in group],
                escalate=ESCALATE,
            )
        return machine

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
        if not n:
            return ScoredBatch(batch, scores, flags, explanations)
        alone = np.arange(n)
        if self._member:
            # Per channel code: its machine (-1: none) and its column there.
            lut = np.array([self._member.get(c, (-1, -1)) for c in batch.names], np.int64).reshape(-1, 2)
            machine_of = lut[batch.codes, 0]
            alone = np.flatnonzero(machine_of < 0)
            for g in np.unique(machine_of[machine_of >= 0]).tolist():
                part = np.flatnonzero(machine_of == g)
                self._score_machine(g, batch, part, lut[batch.codes[part], 1], scores, flags, explanations)
        if len(alone):
            order = alone[np.argsort(batch.codes[alone], kind="stable")]
            codes = batch.codes[order]
            bounds = [0, *(np.flatnonzero(codes[1:] != codes[:-1]) + 1).tolist(), len(order)]
            for lo, hi in itertools.pairwise(bounds):  # each channel's readings, in batch order
                part = order[lo:hi]
                name = batch.names[codes[lo]]
                r = self.scorer(name).score(batch.ts_us[part], batch.values[part])
                scores[part] = r.scores
                flags[part] = r.flags
                if r.explanations:
                    explanations.update({int(part[i]): e for i, e in r.explanations.items()})
        return ScoredBatch(batch, scores, flags, explanations)

    def _score_machine(
        self,
        g: int,
        batch: ReadingBatch,
        part: np.ndarray,
        column: np.ndarray,
        scores: np.ndarray,
        flags: np.ndarray,
        explanations: dict[int, Explanation],
    ) -> None:
        """Score a machine's readings (batch rows ``part``, in batch order) as rows of the machine."""
        machine = self._machine(g)
        k = len(machine.channels)
        ts = batch.ts_us[part]
        row, row_ts = machine_rows(ts, column, k)
        values = np.full((len(row_ts), k), np.nan)
        values[row, column] = batch.values[part]
        where = np.full((len(row_ts), k), -1, np.int64)  # batch row of each (row, column)
        where[row, column] = part
        self._seen.update(machine.channels[j] for j in np.unique(column).tolist())
        r = machine.score(row_ts, values)
        own = np.array([c.scores for c in r.per_channel])
        own_flags = np.array([c.flags for c in r.per_channel])
        # The relation evidence of a row is about one channel: it counts for that channel's reading.
        mine = r.relation_channel[row] == column
        relation = np.where(mine, r.relation[row], 0.0)
        scores[part] = np.maximum(own[column, row], relation)
        flags[part] = own_flags[column, row]
        for j, c in enumerate(r.per_channel):
            explanations.update({int(where[i, j]): e for i, e in c.explanations.items()})
        for i, (j, e) in r.relation_explanations.items():
            at = int(where[i, j])
            if at < 0:  # cannot happen: a row missing a channel has no relation evidence
                continue
            if not flags[at] or r.relation[i] > own[j, i]:
                explanations[at] = e
            flags[at] = True


def machine_rows(ts_us: np.ndarray, column: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The machine row of each reading and the time of each row.

    A row is the readings of one timestamp that follow each other in the batch (one line); a
    channel read twice there starts a second row, so every channel's readings keep their order.
    Rows are in batch order. Returns ``(row of each reading, time of each row)``.
    """
    m = len(ts_us)
    run = np.cumsum(np.concatenate(([True], ts_us[1:] != ts_us[:-1]))) - 1
    key = run * k + column
    order = np.argsort(key, kind="stable")
    sk = key[order]
    first = np.maximum.accumulate(np.where(np.concatenate(([True], sk[1:] != sk[:-1])), np.arange(m), 0))
    repeat = np.empty(m, np.int64)
    repeat[order] = np.arange(m) - first
    _, row = np.unique(run * (int(repeat.max()) + 1) + repeat, return_inverse=True)
    row_ts = np.empty(int(row.max()) + 1, np.int64)
    row_ts[row] = ts_us
    return row, row_ts
