"""The operator's side of the alarm engine: acknowledge, shelve, unshelve, out of service.

A mixin of :class:`~core.alarms.engine.AlarmEngine`: each command takes the engine's lock, applies
one trigger of the state machine (stamped with the engine's clock, with the operator's comment)
and publishes the resulting event. Commands are plain calls, or :class:`AlarmCommand` values for
:meth:`OperatorCommands.command`.
"""

from __future__ import annotations

from core.alarms.conditions import shelve_message
from core.alarms.model import AlarmCommand, AlarmState, CommandKind
from core.alarms.states import Trigger
from core.messages import Message, MessageId

UNTIL_NORMAL = None  # shelve(..., duration=UNTIL_NORMAL): one-shot shelving


class AlarmError(ValueError):
    """An operator command names an alarm that does not exist; one sentence."""


class OperatorCommands:
    """Needs the engine's ``clock``, ``_lock``, ``_get``, ``_apply`` and ``_flush``."""

    # -- commands -----------------------------------------------------------------------------
    def acknowledge(self, alarm: str, comment: str = "") -> bool:
        """Acknowledge an alarm (with an optional comment); False if it needed none."""
        now = self.clock.now_us()
        with self._lock:
            record = self._get(alarm)
            done = self._apply(record, Trigger.ACKNOWLEDGE, now, comment=comment)
            if done and record.orphan and record.state is AlarmState.ACTIVE_ACK:
                record.cond.active = False  # no rule can clear it any more
                self._apply(record, Trigger.CLEAR, now, message=Message.of(MessageId.RULE_GONE))
        self._flush()
        return done

    def acknowledge_all(self, comment: str = "") -> int:
        """Acknowledge every alarm that needs it; returns how many."""
        with self._lock:
            ids = [a.alarm_id for a in self._alarms.values() if a.state.needs_ack]
        return sum(self.acknowledge(i, comment) for i in ids)

    def shelve(self, alarm: str, duration: float | None = UNTIL_NORMAL, comment: str = "") -> bool:
        """Shelve for ``duration`` seconds, or (None) until the alarm next returns to normal."""
        now = self.clock.now_us()
        if duration is not None and duration <= 0:
            raise AlarmError(f"a shelving time must be above 0 seconds, got {duration!r}")
        with self._lock:
            record = self._get(alarm)
            until = None if duration is None else now + round(duration * 1e6)
            message = shelve_message(duration, until)
            done = self._apply(record, Trigger.SHELVE, now, comment=comment, message=message)
            if done:
                record.shelved_until_us = until
        self._flush()
        return done

    def unshelve(self, alarm: str, comment: str = "") -> bool:
        now = self.clock.now_us()
        with self._lock:
            done = self._apply(
                self._get(alarm),
                Trigger.UNSHELVE,
                now,
                comment=comment,
                message=Message.of(MessageId.UNSHELVED),
            )
        self._flush()
        return done

    def set_out_of_service(self, alarm: str, out: bool = True, comment: str = "") -> bool:
        now = self.clock.now_us()
        trigger = Trigger.REMOVE_FROM_SERVICE if out else Trigger.RETURN_TO_SERVICE
        with self._lock:
            done = self._apply(
                self._get(alarm),
                trigger,
                now,
                comment=comment,
                message=Message.of(MessageId.OUT_OF_SERVICE if out else MessageId.IN_SERVICE),
            )
        self._flush()
        return done

    def command(self, cmd: AlarmCommand) -> bool:
        """Carry out an :class:`AlarmCommand` (the Enum form of the calls above)."""
        if cmd.kind is CommandKind.ACKNOWLEDGE:
            return self.acknowledge(cmd.alarm_id, cmd.comment)
        if cmd.kind is CommandKind.SHELVE:
            return self.shelve(cmd.alarm_id, cmd.duration, cmd.comment)
        if cmd.kind is CommandKind.UNSHELVE:
            return self.unshelve(cmd.alarm_id, cmd.comment)
        return self.set_out_of_service(cmd.alarm_id, cmd.kind is CommandKind.OUT_OF_SERVICE, cmd.comment)
