"""MachineScorer: the channels of one machine scored together, each alone and in relation.

Sensors on one machine move together (pump current, flow, pressure, vibration); a fault is often
visible only in how they move together, or as a slow change no single channel's recent window
notices. Besides a :class:`ChannelScorer` per channel, the machine's state — the mean of each
channel over its last ``smooth`` rows — is compared with the states the machine had when it ran
normally (their mean and covariance, the covariance shrunk towards its diagonal so it stays well
conditioned with few rows). Two pieces of evidence per channel: how far it is from its own normal
level, and how far from what the other channels say it should be (its residual given the others
under that Gaussian). Each is calibrated on its own past, like every other evidence, and the
strongest counts, corrected for the number looked at: a score means what a channel's does.

The reference is the machine as it ran before: a state joins it only ``lag`` rows later, and
only if no anomaly began meanwhile, so a fault that builds up slowly is compared with the machine
before it began. Causal and batch-independent like the channel scorers: the reference and the
calibrations are refitted at fixed row counts from earlier rows only, never from rows inside a
fresh anomaly; a change that lasts ``adopt`` rows is the machine's new normal and is learned from
then on. Memory is bounded by ``history``.

A channel's own evidence must clear a threshold raised by log10 of the channel count (k channels
find k times more chance anomalies), and for the machine it counts on the flagged row only: the
machine is "unusual" while its state is off, or where a channel reports an anomaly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from core.anomaly.calibration import TailCalibrator
from core.anomaly.explain import Explanation
from core.anomaly.rolling import trailing_mean
from core.anomaly.scorer import ChannelScorer, ChannelScores
from core.anomaly.settings import SCORE_DECADES, ScorerSettings

SHRINK = 0.1  # weight of the diagonal in the covariance (keeps it invertible with few rows)
RELEASE = 0.6  # the relation anomaly ends once its score stays below this share of the threshold


@dataclass(frozen=True, slots=True)
class MachineScores:
    """Per row: the strongest score and flag of any evidence, and whether an anomaly is going on."""

    scores: np.ndarray
    flags: np.ndarray
    # The machine is off its normal state (the relation evidence's episode), or a channel reports
    # an anomaly on this row. A channel's own episode does not last for the machine: with several
    # channels, the chance episodes of each would add up to a machine that is always unusual.
    unusual: np.ndarray
    relation: np.ndarray  # the relation evidence's own score
    channel: np.ndarray  # index of the channel each flag is about (-1: none)
    explanations: dict[int, Explanation] = field(default_factory=dict)
    per_channel: tuple[ChannelScores, ...] = ()  # each channel's own scores (its column's rows)
    # The channel the relation evidence of each row is about (-1: none), and the explanation of
    # each row where that evidence reached the threshold (row -> (channel index, explanation)).
    relation_channel: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    relation_explanations: dict[int, tuple[int, Explanation]] = field(default_factory=dict)


class MachineScorer:
    """Score rows of several channels (same times) of one machine, causally."""

    def __init__(
        self,
        channels: list[str],
        settings: ScorerSettings | None = None,
        relations: bool = True,
        smooth: int = 12,
        history: int = 2000,
        adopt: int = 1800,
        lag: int = 200,
        channel_settings: Sequence[ScorerSettings] | None = None,
        escalate: float | None = None,
    ) -> None:
        """``channel_settings``: each channel's own settings, used as given (the live detector
        keeps a grouped channel's own evidence what it is ungrouped, since each channel has its
        own alarm there); by default every channel takes ``settings`` with the threshold raised
        for the channel count (one verdict for the whole machine). ``escalate``: inside a relation
        anomaly, a score this far above its peak is reported again, as a channel's is (the live
        detector's alarms act on a score above the threshold); None reports each anomaly once."""
        self.channels = list(channels)
        self.settings = s = (settings or ScorerSettings()).validate()
        self.relations = relations and len(self.channels) >= 2
        self.smooth, self.history, self.adopt, self.lag = smooth, history, adopt, lag
        self.escalate = escalate
        # Looking at k channels finds k times more chance anomalies: each channel's own evidence
        # must be k times less likely to count for the machine (as within a channel's evidence).
        k = len(self.channels)
        per_channel = (
            replace(s, threshold=min(1.0, s.threshold + np.log10(k) / SCORE_DECADES)) if k > 1 else s
        )
        if channel_settings is not None:
            if len(channel_settings) != k:
                raise ValueError(f"{k} channels but {len(channel_settings)} channel settings")
            self._scorers = [ChannelScorer(c) for c in channel_settings]
        else:
            self._scorers = [ChannelScorer(per_channel) for _ in self.channels]
        # One calibration per channel for its own level and one for its relation to the others.
        self._cals = [TailCalibrator(s.history, min_beta=0.1, min_count=100) for _ in range(2 * k)]
        self._tail = np.empty((0, k))  # the last raw rows (for the smoothed state)
        self._ref = np.empty((0, k))  # smoothed states of normal rows
        self._pending = np.empty((0, k))  # the last ``lag`` rows' states (NaN: not to be learned)
        self._feat_hist = np.empty((0, 2 * k))  # evidence of normal rows not learned yet
        self._fit: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # mean, precision, sigma
        self._n = 0
        self._active = False
        self._quiet = 0
        self._age = 0
        self._peak = 0.0

    def scorer(self, channel: str) -> ChannelScorer:
        """The channel's own scorer (to give it a forecast)."""
        return self._scorers[self.channels.index(channel)]

    def score(self, ts_us: np.ndarray, values: np.ndarray) -> MachineScores:
        """Score a time-ordered batch of rows (``values``: rows x channels, NaN for missing)."""
        ts = np.asarray(ts_us, np.int64)
        x = np.asarray(values, np.float64).reshape(len(ts), len(self.channels))
        n = len(ts)
        per = [scorer.score(ts, x[:, j]) for j, scorer in enumerate(self._scorers)]
        flagged = np.array([np.where(r.flags, r.scores, -1.0) for r in per]).reshape(-1, n)
        best = np.array([r.scores for r in per]).reshape(-1, n).max(axis=0, initial=0.0)
        flags = (flagged >= 0).any(axis=0)
        unusual = flags.copy()
        which = np.where(flags, flagged.argmax(axis=0), -1)
        explanations = {i: per[which[i]].explanations[i] for i in np.flatnonzero(flags).tolist()}
        relation, about, rel_expl = np.zeros(n), np.full(n, -1, np.int64), {}
        if self.relations and n:
            relation, rel_unusual, about, rel_expl = self._relations(ts, x)
            rel_flags = relation >= self.settings.threshold
            for i, (j, e) in rel_expl.items():
                if not flags[i] or relation[i] > best[i]:
                    which[i], explanations[i] = j, e
            best = np.maximum(best, relation)
            flags |= rel_flags
            unusual |= rel_unusual
        return MachineScores(best, flags, unusual, relation, which, explanations, tuple(per), about, rel_expl)

    # -- the relation evidence --------------------------------------------------------------------
    def _relations(self, ts: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict]:
        refresh = self.settings.refresh
        n = len(ts)
        scores, unusual, about = np.zeros(n), np.zeros(n, dtype=bool), np.full(n, -1, np.int64)
        found: dict[int, tuple[int, Explanation]] = {}
        j = 0
        while j < n:
            if self._n % refresh == 0:
                self._refit()
            end = min(n, j + refresh - self._n % refresh)
            sc, un, ab, ex = self._segment(x[j:end])
            scores[j:end], unusual[j:end], about[j:end] = sc, un, ab
            found.update({j + i: e for i, e in ex.items()})
            j = end
        return scores, unusual, about, found

    def _segment(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict]:
        m, k, w = len(x), x.shape[1], self.smooth
        full = np.concatenate((self._tail, x))
        h = len(self._tail)
        state = np.full((m, k), np.nan)
        first = max(0, w - 1 - h)
        if first < m:
            for c in range(k):
                state[first:, c] = trailing_mean(full[:, c], h + first, w)
        feats = np.full((m, 2 * k), np.nan)
        if self._fit is not None:
            mean, prec, sigma = self._fit
            d = state - mean
            diag = np.diag(prec)
            feats[:, :k] = np.abs(d) / sigma  # off its own normal level
            feats[:, k:] = np.abs(d @ prec) / np.sqrt(diag)  # off what the other channels say
        surprise = np.column_stack([cal.surprise(feats[:, c]) for c, cal in enumerate(self._cals)])
        ready = max(1, sum(cal.ready for cal in self._cals))
        point = np.maximum(surprise.max(axis=1) - np.log10(ready), 0.0)
        raw = np.clip(point / SCORE_DECADES, 0.0, 1.0)
        raw[self._n + np.arange(m) < self.settings.probation] = 0.0
        scores, unusual, learn = self._episodes(raw)
        ok = learn & np.isfinite(state).all(axis=1)
        # A state joins the reference only ``lag`` rows later, and only if no anomaly began in
        # between: a fault that develops slowly is compared with the machine before it began.
        self._pending = np.concatenate((self._pending, np.where(ok[:, None], state, np.nan)))
        started = np.flatnonzero(unusual & ~learn)
        if len(started):
            self._pending[len(self._pending) - m + started[0] - min(self.lag, len(self._pending)) :] = np.nan
        ready = self._pending[: max(0, len(self._pending) - self.lag)]
        self._pending = self._pending[len(ready) :]
        ready = ready[np.isfinite(ready).all(axis=1)]
        self._ref = np.concatenate((self._ref, ready))[-self.history :]
        learned = ok & np.isfinite(feats).all(axis=1)
        self._feat_hist = np.concatenate((self._feat_hist, feats[learned]))
        found = {}
        for i in np.flatnonzero(scores >= self.settings.threshold).tolist():
            found[i] = self._explain(state[i], int(np.argmax(surprise[i])))
        about = np.where(scores > 0, np.argmax(surprise, axis=1) % k, -1)
        self._tail = full[-(w - 1) :] if w > 1 else full[:0]
        self._n += m
        return scores, unusual, about, found

    def _episodes(self, raw: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Reported scores (each anomaly flagged once), inside an anomaly, rows to learn from."""
        th = self.settings.threshold
        out, inside, learn = raw.copy(), np.zeros(len(raw), bool), np.ones(len(raw), bool)
        for i, v in enumerate(raw.tolist()):
            if not self._active:
                if v >= th:
                    self._active, self._quiet, self._age, self._peak = True, 0, 0, v
                else:
                    continue
            elif self.escalate is not None and v >= self._peak + self.escalate:
                self._peak, self._quiet = v, 0
            else:
                out[i] = min(v, th - 0.1)
                self._quiet = self._quiet + 1 if v < th * RELEASE else 0
            self._age += 1
            inside[i] = True
            learn[i] = self._age > self.adopt
            if self._quiet >= self.settings.short:
                self._active = False
        return out, inside, learn

    def _refit(self) -> None:
        for c, cal in enumerate(self._cals):
            if len(self._feat_hist):
                cal.learn(self._feat_hist[:, c])
            cal.refit()
        self._feat_hist = self._feat_hist[:0]
        ref = self._ref
        if len(ref) < max(4 * ref.shape[1], 64):
            return
        mean = ref.mean(axis=0)
        cov = np.atleast_2d(np.cov(ref, rowvar=False))
        scale = np.maximum(np.diag(cov), 1e-12 * (1.0 + mean**2))
        cov = (1 - SHRINK) * cov + SHRINK * np.diag(scale)
        try:
            prec = np.linalg.inv(cov)
        except np.linalg.LinAlgError:
            return
        self._fit = (mean, prec, np.sqrt(scale))
        # Distances learned so far were measured against an older reference; keep them (bounded).

    def _explain(self, state: np.ndarray, evidence: int) -> tuple[int, Explanation]:
        """Explain the strongest evidence: a channel off its own level, or off its relation."""
        mean, prec, sigma = self._fit
        k = len(self.channels)
        j = evidence % k
        d = state - mean
        value = float(state[j])
        if evidence >= k and k > 1:
            resid = float(prec[j] @ d) / prec[j, j]  # how far it is from what the others predict
            others = [c for c in range(k) if c != j]
            partner = max(others, key=lambda c: abs(prec[j, c] * d[c]))
            return j, Explanation(
                "relation",
                {
                    "value": value,
                    "usual": value - resid,
                    "sigma": float(1.0 / np.sqrt(prec[j, j])),
                    "other": self.channels[partner],
                    "direction": 1.0 if resid >= 0 else -1.0,
                },
            )
        return j, Explanation(
            "shift",
            {
                "value": value,
                "usual": float(mean[j]),
                "sigma": float(sigma[j]),
                "seconds": 0.0,
                "direction": 1.0 if d[j] >= 0 else -1.0,
            },
        )
