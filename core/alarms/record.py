"""AlarmRecord: the engine's mutable state of one alarm, and restoring records from the journal."""

from __future__ import annotations

import logging
import re
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd

from core.alarms.conditions import DelayedCondition
from core.alarms.config import AlarmConfig, LimitRule
from core.alarms.model import AlarmKind, AlarmState, AlarmStatus, Priority, alarm_id
from core.messages import Message, decode_params

log = logging.getLogger(__name__)
_SHELVED_UNTIL = re.compile(r"until (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d) UTC")


@dataclass(eq=False, slots=True)
class AlarmRecord:
    alarm_id: str
    channel: str
    kind: AlarmKind
    priority: Priority
    cond: DelayedCondition
    rule: LimitRule | None = None
    state: AlarmState = AlarmState.NORMAL
    phrase: Message | None = None  # what the alarm says now (None: nothing yet)
    value: float | None = None
    since_us: int = 0
    active_since_us: int | None = None
    activations: deque = field(default_factory=deque)
    chattering: bool = False
    shelved_until_us: int | None = None
    comment: str = ""
    activated_us: int | None = None  # start of the last activation, kept after it returns
    acked_us: int | None = None
    unit: str = ""
    score: float | None = None  # anomaly alarms: the highest score of the current activation ...
    pending_value: float | None = None  # ... and the reading that had it
    rule_kind: AlarmKind | None = None  # predictive alarms: the limit the active prediction names
    orphan: bool = False  # restored from the journal, but no rule raises it any more
    condition_restored: bool = False

    @property
    def message(self) -> str:
        """What the alarm says now, in English."""
        return "" if self.phrase is None else self.phrase.english

    def status(self) -> AlarmStatus:
        return AlarmStatus(
            self.alarm_id,
            self.channel,
            self.kind,
            self.priority,
            self.state,
            self.message,
            self.value,
            self.since_us,
            self.active_since_us,
            self.cond.active,
            self.chattering,
            self.shelved_until_us,
            self.comment,
            self.activated_us,
            self.acked_us,
            self.unit,
            self.phrase,
        )

    def note_activation(self, now_us: int, count: int, window_s: float) -> None:
        """Remember an activation; ``count`` of them within ``window_s`` make the alarm chatter."""
        self.active_since_us = self.activated_us = now_us
        self.acked_us = None
        self.activations.append(now_us)
        self.expire_chatter(now_us, window_s)
        self.chattering = self.chattering or len(self.activations) >= count

    def expire_chatter(self, now_us: int, window_s: float) -> None:
        horizon = now_us - round(window_s * 1e6)
        while self.activations and self.activations[0] < horizon:
            self.activations.popleft()
        if not self.activations:
            self.chattering = False


def journaled_message(row) -> Message:
    """The message a journal row keeps: its id and parameters, or (a row written before they were
    kept) its English text as it is."""
    found = decode_params(getattr(row, "message_id", None), getattr(row, "message_params", None))
    return found if found is not None else Message.plain(row.message)


def restore_records(latest: pd.DataFrame, config: AlarmConfig) -> list[AlarmRecord]:
    """Alarms that were not normal when the journal ended, as they were then.

    ``latest`` has one row per alarm (its last event) with ``activated_us``, the start of its last
    activation. A limit alarm whose rule is gone is restored as an orphan, so it can be acknowledged.
    """
    limits = {alarm_id(r.channel, rule.kind): rule for r in config.channels for rule in r.limits}
    out = []
    for row in latest.itertuples(index=False):
        try:
            state, kind, priority = AlarmState(row.state), AlarmKind(row.kind), Priority(row.priority)
        except ValueError:
            log.warning("journal row for %s has an unknown state, kind or priority; skipped", row.alarm_id)
            continue
        if state is AlarmState.NORMAL:
            continue
        if kind is AlarmKind.ANOMALY:
            cond = DelayedCondition(config.anomaly_on_delay, config.anomaly_off_delay, state.active)
        elif kind is AlarmKind.PREDICTIVE:
            cond = DelayedCondition(config.predictive_on_delay, config.predictive_off_delay, state.active)
        else:
            cond = DelayedCondition(active=state.active)
        value = None if pd.isna(row.value) else float(row.value)
        record = AlarmRecord(
            row.alarm_id,
            row.channel,
            kind,
            priority,
            cond,
            state=state,
            phrase=journaled_message(row),
            value=value,
            since_us=int(row.ts_us),
            comment=row.comment,
            condition_restored=state.active,
        )
        if not pd.isna(row.activated_us):
            record.activated_us = int(row.activated_us)
            if state.active:
                record.active_since_us = record.activated_us
        if state is AlarmState.ACTIVE_ACK:
            record.acked_us = int(row.ts_us)  # an acknowledgement is the only way into it
        record.orphan = kind.is_limit and row.alarm_id not in limits
        if state is AlarmState.SHELVED:
            found = _SHELVED_UNTIL.search(row.message)
            if found:
                until = datetime.strptime(found.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
                record.shelved_until_us = int(until.timestamp() * 1_000_000)
        out.append(record)
    return out
