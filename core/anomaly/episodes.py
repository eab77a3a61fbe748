"""Episodes: report each anomaly once, and keep fresh anomalies out of what is learned.

An episode starts when the raw score reaches the threshold (that reading is flagged). Within it
the reported score is held just below the threshold — "still unusual, already reported" — unless
it escalates well above the episode's peak, which is reported (flagged) as news. The episode ends
once the raw score has stayed below ``release`` for ``quiet`` readings. A change soon after an
episode (within ``learn_pause`` readings of its start) that brings the signal back to the level it
had before the episode is its end, not news: it continues the episode unflagged. One event is one
detection,
as alarm management (one alarm per event) and NAB-style scoring (every extra detection costs) want.

What an episode teaches the calibrations is decided when it is understood: a blip (an episode in
which no more than ``quiet`` readings were strange by themselves, such as a spike or a brief
switch-over) is learned once it is over, so a pattern that keeps coming back stops being news; a
longer episode is not learned, so one fault does not teach the calibrations to ignore the next;
and past ``learn_pause`` readings a lasting change is learned from then on and becomes the new
normal.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from core.anomaly.calibration import CalibrationBank

HOLD_BELOW = 0.1  # inside an episode the score is held this far below the threshold
RELEASE = 0.6  # the episode ends once the score stays below this share of the threshold
ESCALATE = 0.3  # a raw score this far above the episode's peak is reported as news
RETURN_BAND = 3.0  # within this many sigmas of the level before an episode: a return, not news

Events = list[tuple[int, bool]]  # (reading index, learn what was held back?) after that reading


class EpisodeFilter:
    """Episode state of one channel's scores."""

    __slots__ = (
        "_age",
        "_base",
        "_high",
        "_peak",
        "_quiet",
        "_sigma",
        "lasting",
        "learn_pause",
        "quiet",
        "threshold",
    )

    def __init__(self, threshold: float, quiet: int, learn_pause: int) -> None:
        self.threshold = threshold
        self.quiet = quiet
        self.learn_pause = learn_pause
        self._peak: float | None = None  # raw score that opened (or escalated) the episode
        self._quiet = 0
        self._age = 0
        self._high = 0  # readings of the episode that were strange by themselves
        self._base = np.nan  # level (and its sigma) before the latest episode began
        self._sigma = np.nan
        self.lasting: list[int] = []  # of the last batch: readings where a change became the new normal

    @property
    def active(self) -> bool:
        return self._peak is not None

    def apply(
        self, raw: np.ndarray, single: np.ndarray, value: np.ndarray, base: np.ndarray, sigma: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, Events]:
        """``(reported scores, held back from learning, inside an episode, events)`` for raw scores.

        ``single`` is the part of each raw score that the reading earns by itself; ``value`` the
        judged value, ``base`` and ``sigma`` the level and scale it was judged against.
        """
        out = raw.copy()
        held = np.zeros(len(raw), dtype=bool)
        events: Events = []
        self.lasting = []
        if self._peak is None and (raw < self.threshold).all():  # the usual case: all quiet
            self._age += len(raw)
            return out, held, held.copy(), events
        inside = np.zeros(len(raw), dtype=bool)
        hold = self.threshold - HOLD_BELOW
        release = self.threshold * RELEASE
        peak, quiet, age, high = self._peak, self._quiet, self._age, self._high
        ref, ref_sigma = self._base, self._sigma
        for i, (v, alone) in enumerate(zip(raw.tolist(), single.tolist(), strict=True)):
            if peak is None:
                if v < self.threshold:
                    age += 1
                    continue
                back = age < self.learn_pause and abs(value[i] - ref) <= RETURN_BAND * ref_sigma
                if back:
                    out[i] = min(v, hold)
                else:
                    ref, ref_sigma, age = float(base[i]), float(sigma[i]), 0
                peak, quiet, high = v, 0, 0
            elif v >= peak + ESCALATE:
                peak, quiet = v, 0
            else:
                out[i] = min(v, hold)
                quiet = quiet + 1 if v < release else 0
            inside[i] = True
            age += 1
            high += alone >= release
            if age <= self.learn_pause:
                held[i] = True
                if age == self.learn_pause:
                    events.append((i, False))  # a lasting change: learn it from now on
                    self.lasting.append(i)
            if quiet >= self.quiet:
                if age <= self.learn_pause:
                    events.append((i, high <= self.quiet))
                peak = None
        self._peak, self._quiet, self._age, self._high = peak, quiet, age, high
        self._base, self._sigma = ref, ref_sigma
        return out, held, inside, events


class DeferredLearning:
    """Feed calibrations in reading order, holding back episode readings until they are understood.

    Each calibration bank gets a ``(rows, m)`` array of values per segment; what is held back and
    when it is learned is decided per reading, the same for every row.
    """

    __slots__ = ("_banks", "_pending")

    def __init__(self, banks: Sequence[CalibrationBank]) -> None:
        self._banks = list(banks)
        self._pending: list[list[np.ndarray]] = [[] for _ in self._banks]

    def feed(self, values: Sequence[np.ndarray], held: np.ndarray, events: Events) -> None:
        if not events and not held.any():  # nothing held back, nothing understood: learn it all
            for bank, v in zip(self._banks, values, strict=True):
                bank.learn(v)
            return
        for bank, v, pending in zip(self._banks, values, self._pending, strict=True):
            pieces = []
            prev = 0
            for i, keep in [*events, (v.shape[1] - 1, None)]:
                part, hold = v[:, prev : i + 1], held[prev : i + 1]
                pieces.append(part[:, ~hold])
                if hold.any():
                    pending.append(part[:, hold])
                if keep is not None:
                    if keep:
                        pieces.extend(pending)
                    pending.clear()
                prev = i + 1
            bank.learn(np.concatenate(pieces, axis=1))
