"""The alert state machine: which operator decisions an alert's state allows.

new -> acknowledged -> dispatched -> resolved | false_positive. A false positive may be
marked from any open state; resolving needs an acknowledgement first. Terminal states are
final. Resolve and false-positive need a note.
"""

from __future__ import annotations

from datetime import datetime

from console.domain.records import Alert, AlertAction, AlertStatus, AlertType

ALLOWED_TRANSITIONS: dict[AlertStatus, frozenset[AlertStatus]] = {
    AlertStatus.NEW: frozenset({AlertStatus.ACKNOWLEDGED, AlertStatus.FALSE_POSITIVE}),
    AlertStatus.ACKNOWLEDGED: frozenset(
        {AlertStatus.DISPATCHED, AlertStatus.RESOLVED, AlertStatus.FALSE_POSITIVE}
    ),
    AlertStatus.DISPATCHED: frozenset({AlertStatus.RESOLVED, AlertStatus.FALSE_POSITIVE}),
    AlertStatus.RESOLVED: frozenset(),
    AlertStatus.FALSE_POSITIVE: frozenset(),
}
NOTE_REQUIRED = frozenset({AlertStatus.RESOLVED, AlertStatus.FALSE_POSITIVE})
SYSTEM_ACTOR = "system"
# Alerts the system may close by itself when their cause is gone (a camera back online).
AUTO_RESOLVED_TYPES = frozenset({AlertType.CAMERA_HEALTH})


class TransitionError(ValueError):
    """An operator asked for a change the alert's state does not allow."""


def transition(
    alert: Alert,
    to: AlertStatus,
    *,
    actor: str,
    at: datetime,
    note: str = "",
    unit: str | None = None,
    console_id: str = "",
) -> tuple[Alert, AlertAction]:
    """The alert after the change, and the action to record; raises :class:`TransitionError`."""
    if at.tzinfo is None:
        raise TransitionError("the time of an action must be timezone-aware (UTC)")
    auto_resolve = (
        actor == SYSTEM_ACTOR
        and to is AlertStatus.RESOLVED
        and not alert.status.is_terminal
        and alert.type in AUTO_RESOLVED_TYPES
    )
    if to not in ALLOWED_TRANSITIONS[alert.status] and not auto_resolve:
        if alert.status.is_terminal:
            raise TransitionError(
                f"alert is already {alert.status.value}; a closed alert cannot become {to.value}"
            )
        allowed = ", ".join(sorted(s.value for s in ALLOWED_TRANSITIONS[alert.status]))
        raise TransitionError(
            f"cannot go from {alert.status.value} to {to.value}; allowed next: {allowed}"
        )
    if to in NOTE_REQUIRED and not note.strip():
        raise TransitionError(f"a note is required to mark an alert {to.value.replace('_', ' ')}")
    if to is AlertStatus.DISPATCHED and not unit:
        raise TransitionError("dispatching needs a patrol unit")
    if not actor.strip():
        raise TransitionError("every action needs the user who took it")
    updated = alert.evolve(
        status=to, updated_at=at, assigned_unit=unit if unit is not None else alert.assigned_unit
    )
    action = AlertAction(alert.id, to.value, actor, at, note.strip(), console_id, unit)
    return updated, action


def add_note(
    alert: Alert, *, actor: str, at: datetime, note: str, console_id: str = ""
) -> AlertAction:
    if not note.strip():
        raise TransitionError("a note cannot be empty")
    return AlertAction(alert.id, "note", actor, at, note.strip(), console_id)
