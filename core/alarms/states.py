"""The alarm state machine of ISA-18.2 / OPC UA Part 9 as one pure function.

``transition(state, trigger, condition)`` gives the next state for a trigger; ``condition`` is
whether the process condition is active now (it decides where an unshelved or returned-to-service
alarm lands). Triggers that do not apply in a state leave it unchanged (None is returned).
"""

from __future__ import annotations

from enum import Enum

from core.alarms.model import AlarmState

S = AlarmState


class Trigger(Enum):
    ACTIVATE = "activate"  # the condition became active (after its on-delay)
    CLEAR = "clear"  # the condition returned to normal (after its off-delay)
    ACKNOWLEDGE = "acknowledge"
    SHELVE = "shelve"
    UNSHELVE = "unshelve"  # by the operator, by the timer, or a one-shot shelve on return to normal
    SUPPRESS = "suppress"  # suppression by design begins (communication lost)
    UNSUPPRESS = "unsuppress"
    REMOVE_FROM_SERVICE = "remove_from_service"
    RETURN_TO_SERVICE = "return_to_service"


def _annunciate(condition: bool) -> AlarmState:
    return S.ACTIVE_UNACK if condition else S.NORMAL


def transition(state: AlarmState, trigger: Trigger, condition: bool) -> AlarmState | None:
    """The state after ``trigger``, or None if the trigger changes nothing in ``state``."""
    if trigger is Trigger.ACTIVATE:
        return S.ACTIVE_UNACK if state in (S.NORMAL, S.RTN_UNACK) else None
    if trigger is Trigger.CLEAR:
        return {S.ACTIVE_UNACK: S.RTN_UNACK, S.ACTIVE_ACK: S.NORMAL}.get(state)
    if trigger is Trigger.ACKNOWLEDGE:
        return {S.ACTIVE_UNACK: S.ACTIVE_ACK, S.RTN_UNACK: S.NORMAL}.get(state)
    if trigger is Trigger.SHELVE:
        return S.SHELVED if state in (S.NORMAL, S.ACTIVE_UNACK, S.ACTIVE_ACK, S.RTN_UNACK) else None
    if trigger is Trigger.UNSHELVE:
        return _annunciate(condition) if state is S.SHELVED else None
    if trigger is Trigger.SUPPRESS:
        return S.SUPPRESSED if state in (S.NORMAL, S.ACTIVE_UNACK, S.ACTIVE_ACK, S.RTN_UNACK) else None
    if trigger is Trigger.UNSUPPRESS:
        return _annunciate(condition) if state is S.SUPPRESSED else None
    if trigger is Trigger.REMOVE_FROM_SERVICE:
        return S.OUT_OF_SERVICE if state is not S.OUT_OF_SERVICE else None
    if trigger is Trigger.RETURN_TO_SERVICE:
        return _annunciate(condition) if state is S.OUT_OF_SERVICE else None
    raise ValueError(f"unknown trigger {trigger!r}")
