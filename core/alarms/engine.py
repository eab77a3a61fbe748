"""AlarmEngine: limit, anomaly, predictive and communication-loss alarms with ISA-18.2 states.

Driven by readings (:meth:`process`, with their anomaly scores), forecasts
(:meth:`update_forecast`), port events (:meth:`port_event`) and time (:meth:`tick`: on/off delays
that complete without new data, communication loss, shelving that expires, forecasts that come due).
Operators' commands are plain calls (:meth:`acknowledge`, :meth:`shelve`, :meth:`unshelve`,
:meth:`set_out_of_service`, in :mod:`core.alarms.commands`) or :class:`AlarmCommand` values for
:meth:`command`; new rules apply in place with :meth:`reconfigure` (:mod:`core.alarms.reconfigure`).

Every transition becomes an :class:`AlarmEvent`: written to the journal (if any) and handed to each
subscriber, in order, outside the engine's lock (a subscriber may call back into the engine).
Reading-driven transitions are stamped with the reading's time, the rest with the clock's.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from core.acquisition.modbus.diagnostics import SlaveState
from core.acquisition.reader import PortEvent, PortState
from core.alarms.commands import AlarmError, OperatorCommands
from core.alarms.conditions import (
    DelayedCondition,
    Forecast,
    first_crossing,
    fmt_value,
    fmt_wait,
    limit_message,
    predictive_message,
)
from core.alarms.config import AlarmConfig, LimitRule
from core.alarms.journal import AlarmJournal
from core.alarms.model import (
    LIMIT_WORDS,
    AlarmEvent,
    AlarmKind,
    AlarmState,
    AlarmStatus,
    Clock,
    SystemClock,
    alarm_id,
    attention_order,
)
from core.alarms.prediction import ChannelPrediction
from core.alarms.publisher import EventPublisher
from core.alarms.reconfigure import Reconfiguration
from core.alarms.record import AlarmRecord, restore_records
from core.alarms.states import Trigger, transition
from core.anomaly.explain import Explanation
from core.messages import Message, MessageId
from core.readings import ReadingBatch

if TYPE_CHECKING:
    from core.acquisition.modbus.poller import SlaveEvent

log = logging.getLogger(__name__)

_SUPPRESSIBLE = (AlarmKind.ANOMALY, AlarmKind.PREDICTIVE)
# A channel gets a communication-loss alarm only once it has reported this many readings: a name
# seen once or twice (random bytes that happen to parse) is not a sensor that went quiet.
COMM_LOSS_ARMED_AFTER = 5


class AlarmEngine(OperatorCommands, Reconfiguration):
    """Every alarm of one installation. Thread-safe: commands may come from any thread."""

    def __init__(
        self,
        config: AlarmConfig | None = None,
        units: dict[str, str] | None = None,
        clock: Clock | None = None,
        journal: AlarmJournal | None = None,
    ) -> None:
        self.config = config = config or AlarmConfig()
        self.units = dict(units or {})
        self.clock = clock or SystemClock()
        self.journal = journal
        self._alarms: dict[str, AlarmRecord] = {}
        self._last_seen: dict[str, int] = {}
        self._last_value: dict[str, float] = {}
        self._predictions: dict[str, ChannelPrediction] = {}
        self._readings: dict[str, int] = {}  # channel -> readings seen (counted up to a bound)
        self._explained: dict[str, dict[float, Explanation]] = {}  # channel -> flagged value -> why
        self._ports_lost: set[str] = set()
        self._device_of: dict[str, str] = {}  # channel -> the silent bus device that feeds it
        self._lock = threading.RLock()
        self._events = EventPublisher(journal, self._lock)
        for rules in config.channels:
            for rule in rules.limits:
                self._add(rules.channel, rule.kind, rule)
        if journal is not None:
            for record in restore_records(journal.latest(), config):
                known = self._alarms.get(record.alarm_id)
                if known is not None:
                    record.rule, record.cond = known.rule, known.cond
                    record.cond.active = record.condition_restored
                self._alarms[record.alarm_id] = record

    # -- subscriptions and queries ------------------------------------------------------------
    def subscribe(self, fn: Callable[[AlarmEvent], None]) -> Callable[[], None]:
        """Call ``fn(event)`` for every transition; returns a function that unsubscribes."""
        return self._events.subscribe(fn)

    @property
    def journal_errors(self) -> int:
        """Events that could not be written to the journal (they were still published)."""
        return self._events.journal_errors

    def alarms(self, shown_only: bool = False) -> list[AlarmStatus]:
        """Snapshots, most important first (see :func:`attention_order`; ``shown_only``: the
        operator's list)."""
        with self._lock:
            out = [a.status() for a in self._alarms.values() if not shown_only or a.state.shown]
        return attention_order(out)

    def status(self, alarm: str) -> AlarmStatus:
        with self._lock:
            return self._get(alarm).status()

    # -- inputs -------------------------------------------------------------------------------
    def process(
        self,
        batch: ReadingBatch,
        scores: np.ndarray | None = None,
        explanations: dict[int, Explanation] | None = None,
    ) -> None:
        """Evaluate a batch of readings (and their anomaly scores, same order) against the rules;
        ``explanations`` (batch row -> what was unusual) words the anomaly alarms."""
        if not len(batch):
            return
        with self._lock:
            order = np.argsort(batch.codes, kind="stable")
            cuts = np.flatnonzero(np.diff(batch.codes[order])) + 1
            for part in np.split(order, cuts):
                channel = batch.names[batch.codes[part[0]]]
                if explanations:
                    self._note_explanations(channel, batch.values, part, explanations)
                self._channel_readings(
                    channel, batch.ts_us[part], batch.values[part], None if scores is None else scores[part]
                )
        self._flush()

    def update_forecast(
        self, channel: str, ts_us: np.ndarray, value: np.ndarray, lower_95: np.ndarray, upper_95: np.ndarray
    ) -> None:
        """Take a channel's latest forecast; the predictive alarm follows it (and time)."""
        n = len(ts_us)
        lower = np.full(n, np.nan) if lower_95 is None else np.asarray(lower_95, np.float64)
        upper = np.full(n, np.nan) if upper_95 is None else np.asarray(upper_95, np.float64)
        fc = Forecast(np.asarray(ts_us, np.int64), np.asarray(value, np.float64), lower, upper)
        with self._lock:
            self._prediction(channel).take(fc)
            self._ensure_channel(channel)
            self._predict(channel, self.clock.now_us())
        self._flush()

    def port_event(self, event: PortEvent) -> None:
        """A lost port raises its communication alarm and suppresses what depends on its data."""
        now = self.clock.now_us()
        with self._lock:
            alarm = self._alarms.get(alarm_id(event.port, AlarmKind.COMM_LOSS)) or self._add(
                event.port, AlarmKind.COMM_LOSS, priority=self.config.comm_loss_priority
            )
            if event.state in (PortState.LOST, PortState.RECONNECTING):
                if event.port not in self._ports_lost:
                    self._ports_lost.add(event.port)
                    reason = (event.message or "").rstrip(": ")  # the port's own words, as they come
                    lost = (
                        Message.of(MessageId.PORT_LOST_BECAUSE, port=event.port, message=reason)
                        if reason
                        else Message.of(MessageId.PORT_LOST, port=event.port)
                    )
                    self._force(alarm, True, now, None, lost)
                    for channel in list(self._last_seen):
                        self._suppress(channel, now, include_comm=True)
            elif event.state is PortState.CONNECTED:
                was_lost = event.port in self._ports_lost
                self._ports_lost.discard(event.port)
                self._force(alarm, False, now, None, Message.of(MessageId.PORT_CONNECTED, port=event.port))
                if was_lost and not self._ports_lost:
                    for channel in list(self._last_seen):
                        self._last_seen[channel] = now  # a fresh grace period to deliver readings
                        self._unsuppress(channel, now, include_comm=True)
        self._flush()

    def device_event(self, event: SlaveEvent) -> None:
        """A device on a bus (a Modbus slave) stopped or started answering: it has its own
        communication alarm (``COM3/unit 2``) and suppresses only the channels it feeds; the
        other devices' alarms go on as before."""
        now = self.clock.now_us()
        source = event.source
        with self._lock:
            alarm = self._alarms.get(alarm_id(source, AlarmKind.COMM_LOSS))
            if event.state is SlaveState.LOST:
                alarm = alarm or self._add(
                    source, AlarmKind.COMM_LOSS, priority=self.config.comm_loss_priority
                )
                if not alarm.cond.active:
                    who = {"unit": event.unit, "name": event.name, "port": event.port}
                    text = (
                        Message.of(MessageId.UNIT_SILENT_BECAUSE, **who, detail=event.message)
                        if event.message
                        else Message.of(MessageId.UNIT_SILENT, **who)
                    )
                    self._force(alarm, True, now, None, text)
                for channel in event.channels:
                    self._device_of[channel] = source
                    if channel in self._last_seen:
                        self._suppress(channel, now, include_comm=True)
            elif event.state is SlaveState.ONLINE and alarm is not None and alarm.cond.active:
                self._force(
                    alarm,
                    False,
                    now,
                    None,
                    Message.of(MessageId.UNIT_ANSWERS, unit=event.unit, name=event.name),
                )
                for channel in event.channels:
                    if self._device_of.pop(channel, None) is not None and channel in self._last_seen:
                        self._last_seen[channel] = now  # a fresh grace period to deliver readings
                        self._unsuppress(channel, now, include_comm=True)
        self._flush()

    def tick(self, now_us: int | None = None) -> None:
        """Let time act: delays, communication loss, shelving expiry, predictions coming due."""
        now = self.clock.now_us() if now_us is None else now_us
        after = round(self.config.comm_loss_after * 1e6)
        with self._lock:
            for alarm in list(self._alarms.values()):
                if alarm.rule is not None or alarm.kind is AlarmKind.ANOMALY:
                    changed = alarm.cond.poll(now)
                    if changed is not None:
                        self._changed(alarm, changed, now, alarm.value, alarm.phrase)
                if (
                    alarm.state is AlarmState.SHELVED
                    and alarm.shelved_until_us is not None
                    and now >= alarm.shelved_until_us
                ):
                    self._apply(alarm, Trigger.UNSHELVE, now, message=Message.of(MessageId.SHELVING_EXPIRED))
                alarm.expire_chatter(now, self.config.chatter_window)
            if not self._ports_lost:
                for channel, seen in self._last_seen.items():
                    comm = self._alarms[alarm_id(channel, AlarmKind.COMM_LOSS)]
                    if (
                        self._readings.get(channel, 0) >= COMM_LOSS_ARMED_AFTER
                        and now - seen >= after
                        and not comm.cond.active
                        and comm.state is not AlarmState.SUPPRESSED
                    ):
                        self._force(
                            comm,
                            True,
                            now,
                            None,
                            Message.of(MessageId.NO_READING, wait=fmt_wait((now - seen) / 1e6)),
                        )
                        self._suppress(channel, now)
            for channel in [c for c, p in self._predictions.items() if p.forecast is not None]:
                self._predict(channel, now)
        self._flush()

    # -- internals ----------------------------------------------------------------------------
    def _get(self, alarm: str) -> AlarmRecord:
        record = self._alarms.get(alarm)
        if record is None:
            raise AlarmError(f"there is no alarm named '{alarm}'")
        return record

    def _add(
        self, channel: str, kind: AlarmKind, rule: LimitRule | None = None, priority=None
    ) -> AlarmRecord:
        c = self.config
        if rule is not None:
            cond = DelayedCondition(rule.on_delay, rule.off_delay)
            priority = rule.priority
        elif kind is AlarmKind.ANOMALY:
            cond = DelayedCondition(c.anomaly_on_delay, c.anomaly_off_delay)
            priority = c.anomaly_priority
        elif kind is AlarmKind.PREDICTIVE:
            cond = DelayedCondition(c.predictive_on_delay, c.predictive_off_delay)
            priority = c.predictive_priority
        else:
            cond = DelayedCondition()
            priority = priority or c.comm_loss_priority
        record = AlarmRecord(alarm_id(channel, kind), channel, kind, priority, cond, rule)
        record.unit = "" if kind is AlarmKind.COMM_LOSS else self.units.get(channel, "")
        self._alarms[record.alarm_id] = record
        return record

    def _ensure_channel(self, channel: str) -> None:
        rules = self.config.rules(channel)
        for kind, wanted in (
            (AlarmKind.ANOMALY, rules.anomaly),
            (AlarmKind.COMM_LOSS, True),
            (AlarmKind.PREDICTIVE, rules.predictive and bool(rules.limits)),
        ):
            if wanted and alarm_id(channel, kind) not in self._alarms:
                self._add(channel, kind)

    def _suppressed(self, channel: str) -> bool:
        comm = self._alarms.get(alarm_id(channel, AlarmKind.COMM_LOSS))
        return bool(self._ports_lost) or channel in self._device_of or (comm is not None and comm.cond.active)

    def _channel_readings(
        self, channel: str, ts: np.ndarray, v: np.ndarray, scores: np.ndarray | None
    ) -> None:
        first = channel not in self._last_seen
        if first:
            self._ensure_channel(channel)
        self._last_seen[channel] = max(int(ts[-1]), self._last_seen.get(channel, 0))
        self._last_value[channel] = float(v[-1])
        self._readings[channel] = min(self._readings.get(channel, 0) + len(v), COMM_LOSS_ARMED_AFTER)
        self._prediction(channel).smooth(int(ts[-1]), v, self.config.predictive_filter)
        comm = self._alarms[alarm_id(channel, AlarmKind.COMM_LOSS)]
        if comm.cond.active and not self._ports_lost:
            self._force(comm, False, int(ts[0]), None, Message.of(MessageId.READINGS_AGAIN))
            self._unsuppress(channel, int(ts[0]))
        elif first:
            self._unsuppress(channel, int(ts[0]), include_comm=True)  # left suppressed by a restart
        for rule in self.config.rules(channel).limits:
            r = self._alarms[alarm_id(channel, rule.kind)]
            enter = v > rule.limit if rule.high else v < rule.limit
            hold = v > rule.limit - rule.deadband if rule.high else v < rule.limit + rule.deadband
            self._drive(
                r,
                ts,
                v,
                enter,
                enter,
                hold,
                lambda val, rule=rule: limit_message(rule, val, self.units.get(channel, "")),
            )
        anomaly = self._alarms.get(alarm_id(channel, AlarmKind.ANOMALY))
        if anomaly is not None and scores is not None and not self._suppressed(channel):
            c = self.config
            enter = scores >= c.anomaly_threshold
            keep = scores >= c.anomaly_threshold - c.anomaly_deadband
            self._drive(anomaly, ts, v, enter, keep, keep, self._anomaly_message(anomaly), scores)
        predictive = self._alarms.get(alarm_id(channel, AlarmKind.PREDICTIVE))
        if predictive is not None and (predictive.cond.active or predictive.cond.pending):
            self._predict(channel, int(ts[-1]))  # a limit just reached hands over at once

    def _anomaly_message(self, alarm: AlarmRecord) -> Callable[[float], Message]:
        explained = self._explained.get(alarm.channel, {})

        def message(value: float) -> Message:
            why = explained.get(value)
            said = (
                why.message(alarm.unit)
                if why is not None
                else Message.of(MessageId.UNUSUAL_BEHAVIOUR_AT, value=fmt_value(value, alarm.unit))
            )
            return Message.of(MessageId.ANOMALY, why=said, score=f"{alarm.score or 0.0:.2f}")

        return message

    def _note_explanations(
        self, channel: str, values: np.ndarray, part: np.ndarray, explanations: dict[int, Explanation]
    ) -> None:
        """Keep the explanations of a channel's flagged readings, by value (the alarm's value is the
        reading of its peak); the newest few only."""
        rows = [i for i in explanations if 0 <= i < len(values)]
        mine = np.intersect1d(np.asarray(rows, np.int64), part)
        if not len(mine):
            return
        kept = self._explained.setdefault(channel, {})
        for i in mine.tolist():
            kept[float(values[i])] = explanations[i]
        for old in list(kept)[: max(0, len(kept) - 16)]:
            del kept[old]

    def _prediction(self, channel: str) -> ChannelPrediction:
        found = self._predictions.get(channel)
        if found is None:
            found = self._predictions[channel] = ChannelPrediction()
        return found

    def _drive(
        self,
        alarm: AlarmRecord,
        ts,
        vals,
        enter,
        keep,
        hold,
        message: Callable[[float], Message],
        scores: np.ndarray | None = None,
    ) -> None:
        """Step the alarm's delayed condition through a batch; with ``scores`` (anomaly alarms) the
        alarm's value follows the reading with the highest score of the activation."""
        cond = alarm.cond
        if not cond.active and not cond.pending and not enter.any():
            cond.step(int(ts[-1]), False, False, bool(hold[-1]))  # nothing can happen: keep it cheap
            return
        score_list = scores.tolist() if scores is not None else [None] * len(ts)
        for t, e, k, h, val, sc in zip(
            ts.tolist(), enter.tolist(), keep.tolist(), hold.tolist(), vals.tolist(), score_list, strict=True
        ):
            # Only a reading scoring above the episode's peak so far speaks for it: scores saturate
            # at 1.0, and the reading that ends a level shift scores as high as the one that began it.
            peak = sc is not None and (cond.active or cond.pending or e) and sc > (alarm.score or -1.0)
            if peak:
                alarm.score, alarm.pending_value = sc, val
            changed = cond.step(t, e, k, h)
            if changed is not None:
                if sc is not None:  # raised with, and returns keeping, the reading of the peak
                    val = alarm.pending_value if changed else alarm.value
                self._changed(alarm, changed, t, val, message(val) if changed else alarm.phrase)
                if sc is not None and not changed:
                    alarm.score = None
            elif peak and cond.active:
                alarm.value, alarm.phrase = val, message(val)  # a stronger reading of the same episode
        if scores is not None and not cond.active and not cond.pending:
            alarm.score = None

    def _reached(self, channel: str, rule: LimitRule) -> bool:
        limit_alarm = self._alarms.get(alarm_id(channel, rule.kind))
        active = limit_alarm is not None and limit_alarm.cond.active
        return self._prediction(channel).limit_reached(rule, active)

    def _predict(self, channel: str, now: int) -> None:
        """Drive the predictive alarm from the latest forecast, with hysteresis.

        It never chatters: a limit already reached (its alarm active, or the smoothed value past
        it) is handed over to the limit alarm; a crossing must stand ``predictive_on_delay`` and be
        gone (past the deadband) for ``predictive_off_delay``; and once it has returned to normal
        it is raised again only by a newer forecast.
        """
        alarm = self._alarms.get(alarm_id(channel, AlarmKind.PREDICTIVE))
        if alarm is None or self._suppressed(channel):
            return
        prediction = self._prediction(channel)
        fc = prediction.forecast
        all_rules = self.config.rules(channel).limits
        open_rules = tuple(r for r in all_rules if not self._reached(channel, r))
        cond = alarm.cond
        crossing = (
            None
            if fc is None
            else first_crossing(
                fc,
                open_rules,
                now,
                round(self.config.predictive_horizon * 1e6),
                self.config.predictive_use_band,
                None,
                holding=cond.active,
            )
        )
        if crossing is not None and not cond.active and not prediction.may_raise:
            crossing = None  # this forecast has had its say: only a newer one raises it again
        if crossing is not None:
            message = predictive_message(crossing, now, alarm.unit)
            was_active = cond.active
            if cond.step(now, True, True, True) or was_active:  # (a running off-delay is reset)
                alarm.rule_kind = crossing.rule.kind
                # Its value is the channel's reading, like every alarm's (the message names the
                # limit and when the forecast reaches it).
                value = self._last_value.get(channel)
                if was_active:
                    alarm.phrase, alarm.value = message, value  # the prediction moves on
                else:
                    self._changed(alarm, True, now, value, message)
            return
        handed = [r for r in all_rules if r not in open_rules]
        if cond.active and handed and alarm.rule_kind in {r.kind for r in handed}:
            # The limit it predicted is reached: the limit alarm takes over now, without delay.
            rule = next(r for r in handed if r.kind == alarm.rule_kind)
            cond.reset()
            prediction.cleared()
            alarm.rule_kind = None
            self._changed(
                alarm, False, now, None, Message.of(MessageId.LIMIT_TAKES_OVER, word=LIMIT_WORDS[rule.kind])
            )
            return
        if cond.active or cond.pending:
            changed = cond.step(now, False, False, False)
            if changed is False:
                prediction.cleared()
                alarm.rule_kind = None
                self._changed(alarm, False, now, None, Message.of(MessageId.NO_CROSSING))

    def _force(
        self, alarm: AlarmRecord, active: bool, now: int, value: float | None, message: Message
    ) -> None:
        if alarm.cond.active != active:
            alarm.cond.active = active
            self._changed(alarm, active, now, value, message)

    def _changed(
        self, alarm: AlarmRecord, active: bool, now: int, value: float | None, message: Message | None
    ) -> None:
        """The process condition changed (delays done): move the alarm's state accordingly."""
        alarm.value = value
        alarm.phrase = message
        if active:
            alarm.note_activation(now, self.config.chatter_count, self.config.chatter_window)
        else:
            alarm.active_since_us = None
        if alarm.state is AlarmState.SHELVED:
            if not active and alarm.shelved_until_us is None:
                self._apply(alarm, Trigger.UNSHELVE, now, message=Message.of(MessageId.ONE_SHOT_ENDS))
            return
        self._apply(alarm, Trigger.ACTIVATE if active else Trigger.CLEAR, now)

    def _suppress(self, channel: str, now: int, include_comm: bool = False) -> None:
        kinds = (*_SUPPRESSIBLE, AlarmKind.COMM_LOSS) if include_comm else _SUPPRESSIBLE
        for kind in kinds:
            alarm = self._alarms.get(alarm_id(channel, kind))
            if alarm is None or alarm.state is AlarmState.SUPPRESSED:
                continue
            if self._apply(alarm, Trigger.SUPPRESS, now, message=Message.of(MessageId.SUPPRESSED)):
                alarm.cond.reset()
                alarm.active_since_us = None

    def _unsuppress(self, channel: str, now: int, include_comm: bool = False) -> None:
        if self._suppressed(channel):
            return
        kinds = (*_SUPPRESSIBLE, AlarmKind.COMM_LOSS) if include_comm else _SUPPRESSIBLE
        for kind in kinds:
            alarm = self._alarms.get(alarm_id(channel, kind))
            if alarm is not None:
                self._apply(alarm, Trigger.UNSUPPRESS, now, message=Message.of(MessageId.UNSUPPRESSED))

    def _apply(
        self,
        alarm: AlarmRecord,
        trigger: Trigger,
        now: int,
        comment: str = "",
        message: Message | None = None,
    ) -> bool:
        new = transition(alarm.state, trigger, alarm.cond.active)
        if new is None:
            return False
        previous, alarm.state, alarm.since_us = alarm.state, new, now
        if trigger is not Trigger.SHELVE and new is not AlarmState.SHELVED:
            alarm.shelved_until_us = None
        if comment:
            alarm.comment = comment
        if trigger is Trigger.ACKNOWLEDGE:
            alarm.acked_us = now
        said = message or alarm.phrase
        self._events.add(
            AlarmEvent(
                now,
                alarm.alarm_id,
                alarm.channel,
                alarm.kind,
                alarm.priority,
                previous,
                new,
                alarm.value,
                "" if said is None else said.english,
                comment,
                alarm.chattering,
                said,
            )
        )
        return True

    def _flush(self) -> None:
        self._events.flush()
