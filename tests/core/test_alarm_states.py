"""The ISA-18.2 / OPC UA Part 9 state machine, transition by transition."""

import pytest

from core.alarms.model import AlarmState as S
from core.alarms.states import Trigger as T
from core.alarms.states import transition

# (state, trigger, condition active, expected next state or None = no change)
TABLE = [
    (S.NORMAL, T.ACTIVATE, True, S.ACTIVE_UNACK),
    (S.ACTIVE_UNACK, T.ACKNOWLEDGE, True, S.ACTIVE_ACK),
    (S.ACTIVE_UNACK, T.CLEAR, False, S.RTN_UNACK),
    (S.ACTIVE_ACK, T.CLEAR, False, S.NORMAL),
    (S.RTN_UNACK, T.ACKNOWLEDGE, False, S.NORMAL),
    (S.RTN_UNACK, T.ACTIVATE, True, S.ACTIVE_UNACK),
    (S.NORMAL, T.SHELVE, False, S.SHELVED),
    (S.ACTIVE_UNACK, T.SHELVE, True, S.SHELVED),
    (S.ACTIVE_ACK, T.SHELVE, True, S.SHELVED),
    (S.RTN_UNACK, T.SHELVE, False, S.SHELVED),
    (S.SHELVED, T.UNSHELVE, True, S.ACTIVE_UNACK),
    (S.SHELVED, T.UNSHELVE, False, S.NORMAL),
    (S.ACTIVE_ACK, T.SUPPRESS, True, S.SUPPRESSED),
    (S.SUPPRESSED, T.UNSUPPRESS, False, S.NORMAL),
    (S.SUPPRESSED, T.UNSUPPRESS, True, S.ACTIVE_UNACK),
    (S.ACTIVE_UNACK, T.REMOVE_FROM_SERVICE, True, S.OUT_OF_SERVICE),
    (S.SHELVED, T.REMOVE_FROM_SERVICE, False, S.OUT_OF_SERVICE),
    (S.OUT_OF_SERVICE, T.RETURN_TO_SERVICE, True, S.ACTIVE_UNACK),
    (S.OUT_OF_SERVICE, T.RETURN_TO_SERVICE, False, S.NORMAL),
    # triggers that do not apply change nothing
    (S.NORMAL, T.ACKNOWLEDGE, False, None),
    (S.ACTIVE_ACK, T.ACKNOWLEDGE, True, None),
    (S.ACTIVE_ACK, T.ACTIVATE, True, None),
    (S.SHELVED, T.ACTIVATE, True, None),
    (S.SHELVED, T.SHELVE, True, None),
    (S.OUT_OF_SERVICE, T.ACTIVATE, True, None),
    (S.OUT_OF_SERVICE, T.SHELVE, True, None),
    (S.NORMAL, T.UNSHELVE, False, None),
]


@pytest.mark.parametrize(
    "state, trigger, condition, expected", TABLE, ids=[f"{s.value}-{t.value}-{c}" for s, t, c, _ in TABLE]
)
def test_transition(state, trigger, condition, expected):
    """Each trigger moves an alarm to the state ISA-18.2 prescribes, or leaves it where it is."""
    assert transition(state, trigger, condition) is expected
