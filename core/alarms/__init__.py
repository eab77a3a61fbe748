"""Alarms: ISA-18.2 alarm engine, journal, KPIs and the monitor thread (Qt-free)."""

from core.alarms.commands import UNTIL_NORMAL, AlarmError
from core.alarms.config import AlarmConfig, parse_alarm_config
from core.alarms.engine import AlarmEngine
from core.alarms.journal import AlarmJournal
from core.alarms.model import (
    AlarmCommand,
    AlarmEvent,
    AlarmKind,
    AlarmState,
    AlarmStatus,
    CommandKind,
    ManualClock,
    Priority,
    SystemClock,
    attention_order,
)
from core.alarms.monitor import Monitor, MonitorStats

__all__ = [
    "UNTIL_NORMAL",
    "AlarmCommand",
    "AlarmConfig",
    "AlarmEngine",
    "AlarmError",
    "AlarmEvent",
    "AlarmJournal",
    "AlarmKind",
    "AlarmState",
    "AlarmStatus",
    "CommandKind",
    "ManualClock",
    "Monitor",
    "MonitorStats",
    "Priority",
    "SystemClock",
    "attention_order",
    "parse_alarm_config",
]
