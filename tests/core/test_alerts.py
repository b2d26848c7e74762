from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from console.config.site import DEFAULT_PRIORITIES
from console.domain.alert_states import TransitionError, transition
from console.domain.records import Alert, AlertStatus, AlertType, Event, Severity
from console.pipeline.policy import AlertPolicy

T0 = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)


def event(
    kind: AlertType = AlertType.STOPPED_VEHICLE,
    track: int | None = 7,
    at: float = 0.0,
    box: tuple[float, float, float, float] = (100, 100, 160, 140),
    camera: str = "cam",
    severity: Severity = Severity.HIGH,
) -> Event:
    moment = T0 + timedelta(seconds=at)
    return Event(kind, camera, moment, moment, severity, track_id=track, box_xyxy=box)


def policy() -> AlertPolicy:
    return AlertPolicy(priorities=DEFAULT_PRIORITIES)


def test_hundred_detections_of_the_same_stopped_car_give_one_alert() -> None:
    p = policy()
    alerts = [p.consider(event(at=i * 0.2)) for i in range(100)]
    assert sum(a is not None for a in alerts) == 1
    assert p.suppressed == 99


def test_same_car_with_new_track_id_is_suppressed_while_alert_open() -> None:
    p = policy()
    first = p.consider(event(track=1, at=0))
    assert first is not None
    assert (
        p.consider(event(track=2, at=90, box=(102, 101, 161, 141))) is None
    )  # after cooldown, same place
    assert p.consider(event(track=3, at=90, box=(600, 300, 660, 340))) is not None  # another car


def test_reopening_after_cooldown_works() -> None:
    p = policy()
    first = p.consider(event(track=1, at=0))
    assert first is not None
    p.closed(first)  # operator resolved it
    assert p.consider(event(track=2, at=30)) is None  # within the 60 s cooldown
    again = p.consider(event(track=2, at=61))
    assert again is not None and again.id != first.id


def test_each_speeder_is_its_own_alert_and_priority_follows_the_site() -> None:
    p = policy()
    a = p.consider(event(AlertType.SPEEDING, track=1, severity=Severity.MEDIUM))
    b = p.consider(event(AlertType.SPEEDING, track=2, at=0.5, severity=Severity.MEDIUM))
    assert a is not None and b is not None
    assert a.priority is Severity.MEDIUM
    wrong_way = p.consider(event(AlertType.WRONG_WAY, track=3, severity=Severity.CRITICAL))
    assert wrong_way is not None and wrong_way.priority is Severity.CRITICAL


def test_congestion_is_one_open_alert_per_zone() -> None:
    p = policy()
    jam = event(AlertType.CONGESTION, track=None)
    assert p.consider(jam) is not None
    assert p.consider(event(AlertType.CONGESTION, track=None, at=400)) is None  # still open


def new_alert() -> Alert:
    return Alert(event=event(), priority=Severity.HIGH, created_at=T0, updated_at=T0)


def test_full_lifecycle_is_time_stamped() -> None:
    alert = new_alert()
    alert, ack = transition(
        alert, AlertStatus.ACKNOWLEDGED, actor="op1", at=T0 + timedelta(seconds=12)
    )
    alert, dispatch = transition(
        alert, AlertStatus.DISPATCHED, actor="op1", at=T0 + timedelta(seconds=40), unit="CSGT-01"
    )
    alert, done = transition(
        alert,
        AlertStatus.RESOLVED,
        actor="op1",
        at=T0 + timedelta(minutes=20),
        note="xe đã được kéo đi",
    )
    assert alert.status is AlertStatus.RESOLVED and alert.assigned_unit == "CSGT-01"
    assert [a.action for a in (ack, dispatch, done)] == ["acknowledged", "dispatched", "resolved"]
    assert done.note == "xe đã được kéo đi" and done.at == T0 + timedelta(minutes=20)


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([(AlertStatus.RESOLVED, "done")], "cannot go from new to resolved"),
        ([(AlertStatus.DISPATCHED, "")], "cannot go from new to dispatched"),
        (
            [(AlertStatus.FALSE_POSITIVE, "shadow"), (AlertStatus.ACKNOWLEDGED, "")],
            "already false_positive",
        ),
        ([(AlertStatus.ACKNOWLEDGED, ""), (AlertStatus.RESOLVED, "  ")], "a note is required"),
        ([(AlertStatus.ACKNOWLEDGED, ""), (AlertStatus.DISPATCHED, "")], "needs a patrol unit"),
    ],
)
def test_illegal_transitions_are_refused_with_a_clear_error(
    steps: list[tuple[AlertStatus, str]], message: str
) -> None:
    alert = new_alert()
    with pytest.raises(TransitionError, match=message):
        for status, note in steps:
            alert, _ = transition(alert, status, actor="op1", at=T0, note=note)


def test_naive_time_is_refused() -> None:
    with pytest.raises(TransitionError, match="timezone-aware"):
        transition(new_alert(), AlertStatus.ACKNOWLEDGED, actor="op1", at=datetime(2026, 1, 1))
