"""New alarm rules applied to a running engine, in place.

When the operator saves new limits the engine keeps running: every alarm keeps its state, its
acknowledgement, its shelving and its chatter count; a rule that changed applies from the next
reading; a new rule starts normal; an alarm whose rule is gone returns to normal (or, if it still
waits for an acknowledgement, stays until acknowledged, as a restored orphan does). The port is
not touched, so no reading is missed while limits change.
"""

from __future__ import annotations

from core.alarms.conditions import DelayedCondition
from core.alarms.config import AlarmConfig
from core.alarms.model import AlarmKind, AlarmState, alarm_id
from core.alarms.record import AlarmRecord
from core.messages import Message, MessageId


class Reconfiguration:
    """Needs the engine's ``config``, ``clock``, ``_lock``, ``_alarms``, ``_last_seen``, ``_add``,
    ``_ensure_channel``, ``_changed``, ``_prediction`` and ``_flush``."""

    def reconfigure(self, config: AlarmConfig) -> None:
        """Use ``config``'s rules from now on, without restarting anything."""
        now = self.clock.now_us()
        with self._lock:
            self.config = config
            wanted = {
                alarm_id(r.channel, rule.kind): (r.channel, rule)
                for r in config.channels
                for rule in r.limits
            }
            for record in list(self._alarms.values()):
                if record.kind.is_limit:
                    self._retune_limit(record, wanted.get(record.alarm_id), now)
                else:
                    self._retune_other(record, config, now)
            for aid, (channel, rule) in wanted.items():
                if aid not in self._alarms:
                    self._add(channel, rule.kind, rule)
            for channel in list(self._last_seen):
                self._ensure_channel(channel)  # e.g. a predictive alarm for a channel given its first limit
        self._flush()

    def _retune_limit(self, record: AlarmRecord, wanted, now: int) -> None:
        if wanted is None:  # the rule is gone
            if record.rule is None:
                return
            record.rule, record.orphan = None, True
            if record.cond.active and not record.state.needs_ack:
                record.cond.active = False
                self._changed(record, False, now, None, Message.of(MessageId.RULE_GONE))
            return
        _, rule = wanted
        record.rule, record.orphan, record.priority = rule, False, rule.priority
        _retime(record, rule.on_delay, rule.off_delay)

    def _retune_other(self, record: AlarmRecord, config: AlarmConfig, now: int) -> None:
        if record.kind is AlarmKind.ANOMALY:
            record.priority = config.anomaly_priority
            _retime(record, config.anomaly_on_delay, config.anomaly_off_delay)
        elif record.kind is AlarmKind.PREDICTIVE:
            record.priority = config.predictive_priority
            _retime(record, config.predictive_on_delay, config.predictive_off_delay)
            rules = config.rules(record.channel)
            if (not rules.predictive or not rules.limits) and (record.cond.active or record.cond.pending):
                record.cond.reset()
                self._prediction(record.channel).cleared()
                record.rule_kind = None
                if record.state is not AlarmState.NORMAL:
                    self._changed(record, False, now, None, Message.of(MessageId.NO_LIMIT_LEFT))
        elif record.kind is AlarmKind.COMM_LOSS and record.state is AlarmState.NORMAL:
            record.priority = config.comm_loss_priority


def _retime(record: AlarmRecord, on_delay: float, off_delay: float) -> None:
    """New delays for the alarm's condition; whether it is active (and a running delay) stays."""
    fresh = DelayedCondition(on_delay, off_delay)
    record.cond.on_delay_us, record.cond.off_delay_us = fresh.on_delay_us, fresh.off_delay_us
