"""Alarm vocabulary: states (ISA-18.2 / OPC UA Part 9), priorities, kinds, events and commands."""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from core.messages import Message


class AlarmState(Enum):
    """Where an alarm is in its life cycle (ISA-18.2 states A-G, as the journal spells them)."""

    NORMAL = "normal"
    ACTIVE_UNACK = "active_unack"  # B: annunciated, the operator has not acknowledged it
    ACTIVE_ACK = "active_ack"  # C: acknowledged, the condition persists
    RTN_UNACK = "rtn_unack"  # D: returned to normal before it was acknowledged
    SHELVED = "shelved"  # E: hidden by the operator, for a time or until it returns to normal
    SUPPRESSED = "suppressed"  # F: suppressed by design (its channel has lost communication)
    OUT_OF_SERVICE = "out_of_service"  # G: taken out of service (maintenance)

    @property
    def active(self) -> bool:
        return self in (AlarmState.ACTIVE_UNACK, AlarmState.ACTIVE_ACK)

    @property
    def needs_ack(self) -> bool:
        return self in (AlarmState.ACTIVE_UNACK, AlarmState.RTN_UNACK)

    @property
    def shown(self) -> bool:
        """Belongs in the operator's alarm list."""
        return self in (AlarmState.ACTIVE_UNACK, AlarmState.ACTIVE_ACK, AlarmState.RTN_UNACK)


class Priority(Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Priority.LOW: 1, Priority.MEDIUM: 2, Priority.HIGH: 3, Priority.CRITICAL: 4}


class AlarmKind(Enum):
    HH = "HH"
    H = "H"
    L = "L"
    LL = "LL"
    ANOMALY = "anomaly"
    PREDICTIVE = "predictive"
    COMM_LOSS = "comm_loss"

    @property
    def is_limit(self) -> bool:
        return self in LIMIT_KINDS


LIMIT_KINDS = (AlarmKind.HH, AlarmKind.H, AlarmKind.L, AlarmKind.LL)
LIMIT_WORDS = {AlarmKind.HH: "HIGH-HIGH", AlarmKind.H: "HIGH", AlarmKind.L: "LOW", AlarmKind.LL: "LOW-LOW"}


def alarm_id(channel: str, kind: AlarmKind) -> str:
    """The stable name of a channel's alarm, e.g. ``boiler.HH`` or ``COM3.comm_loss``."""
    return f"{channel}.{kind.value}"


@dataclass(frozen=True, slots=True)
class AlarmStatus:
    """A snapshot of one alarm, safe to hand to another thread."""

    alarm_id: str
    channel: str
    kind: AlarmKind
    priority: Priority
    state: AlarmState
    message: str
    value: float | None
    since_us: int  # time of the last transition (UTC microseconds)
    active_since_us: int | None  # start of the current activation, if the condition is active
    condition: bool  # the process condition, whatever the state shows
    chattering: bool = False
    shelved_until_us: int | None = None  # timed shelving; None with a shelved state = one-shot
    comment: str = ""
    activated_us: int | None = None  # start of the last activation, kept after return to normal
    acked_us: int | None = None  # when the operator acknowledged the current activation
    unit: str = ""  # the channel's unit, for ``value``
    phrase: Message | None = None  # ``message`` as an id with parameters (the window words it)

    @property
    def attention_rank(self) -> int:
        """Within one priority: active unacknowledged (0), returned unacknowledged (1), active
        acknowledged (2), anything else (3)."""
        return _ATTENTION.get(self.state, 3)

    @property
    def shown_since_us(self) -> int:
        """The time an operator reads as "since": when the alarm was raised, not when it was
        last touched (an acknowledgement keeps it)."""
        return self.activated_us if self.activated_us is not None else self.since_us


_ATTENTION = {AlarmState.ACTIVE_UNACK: 0, AlarmState.RTN_UNACK: 1, AlarmState.ACTIVE_ACK: 2}


def attention_order(statuses: list[AlarmStatus]) -> list[AlarmStatus]:
    """Most important first: highest priority; within a priority active-unacknowledged, then
    returned-unacknowledged, then active-acknowledged; then the newest activation."""
    return sorted(statuses, key=lambda s: (-s.priority.rank, s.attention_rank, -s.shown_since_us, s.alarm_id))


@dataclass(frozen=True, slots=True)
class AlarmEvent:
    """One state transition, as journaled and as published to subscribers."""

    ts_us: int
    alarm_id: str
    channel: str
    kind: AlarmKind
    priority: Priority
    previous: AlarmState
    state: AlarmState
    value: float | None
    message: str  # in English (the command line, the journal's message column, forwarders)
    comment: str = ""
    chattering: bool = False
    phrase: Message | None = None  # ``message`` as an id with parameters (the window words it)


class CommandKind(Enum):
    ACKNOWLEDGE = "acknowledge"
    SHELVE = "shelve"
    UNSHELVE = "unshelve"
    OUT_OF_SERVICE = "out_of_service"
    IN_SERVICE = "in_service"


@dataclass(frozen=True, slots=True)
class AlarmCommand:
    """An operator's command, for callers that prefer one entry point (``engine.command(cmd)``).

    ``duration`` (seconds) shelves for a time; ``None`` with SHELVE shelves until return to normal.
    """

    kind: CommandKind
    alarm_id: str
    comment: str = ""
    duration: float | None = None


class Clock(Protocol):
    def now_us(self) -> int: ...


class SystemClock:
    """UTC wall-clock time in microseconds."""

    def now_us(self) -> int:
        return time.time_ns() // 1000


class ManualClock:
    """A clock tests move by hand."""

    def __init__(self, start_us: int = 1_767_225_600_000_000) -> None:  # 2026-01-01 00:00 UTC
        self.t_us = start_us

    def now_us(self) -> int:
        return self.t_us

    def advance(self, seconds: float) -> int:
        self.t_us += round(seconds * 1e6)
        return self.t_us
