"""anomaly_spans turns the journal's anomaly-alarm transitions into shaded time spans."""

from core.alarms import AlarmEvent, AlarmJournal, AlarmKind, AlarmState, Priority
from core.alarms.spans import anomaly_spans
from core.storage.store import ReadingStore

S = 1_000_000


def event(t, state, channel="a", kind=AlarmKind.ANOMALY):
    return AlarmEvent(
        t * S, f"{channel}.{kind.value}", channel, kind, Priority.LOW, AlarmState.NORMAL, state, 1.0, "msg"
    )


def test_spans_pair_activations_with_their_end_and_keep_open_ones(db_path):
    """Each activation runs until it leaves the active states; an open one runs to the range end."""
    with ReadingStore(db_path) as store:
        AlarmJournal(store).append(
            [
                event(100, AlarmState.ACTIVE_UNACK),
                event(110, AlarmState.ACTIVE_ACK),
                event(130, AlarmState.NORMAL),
                event(200, AlarmState.ACTIVE_UNACK),
                event(150, AlarmState.ACTIVE_UNACK, kind=AlarmKind.H),
                event(50, AlarmState.ACTIVE_UNACK, channel="b"),
                event(60, AlarmState.RTN_UNACK, channel="b"),
            ]
        )
        spans = anomaly_spans(store, 90, 300)
    assert spans == {"a": [(100.0, 130.0), (200.0, 300.0)]}
