"""Operator actions checked against the acting user's role, in the core.

:class:`AuthorizedAlerts` is what the UI (and any tool acting for a person) calls instead
of :class:`~console.alerts.service.AlertService` directly: the actor is the session's user, the
permission depends on whether the alert is a training alert, and refusals are audited.
:class:`SessionGuard` is the same check as a hook for the service itself, so a caller that
bypasses the facade is refused too (see ``AlertService.guard`` in docs/SECURITY.md).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from concurrent.futures import Future
from typing import Protocol

from console.domain.alert_states import SYSTEM_ACTOR
from console.domain.records import Alert, AlertAction, AlertStatus
from console.security.audit import AuditAction, AuditLog
from console.security.roles import Actor, Permission, PermissionDeniedError, User, require, user_of


class AlertActions(Protocol):
    """The part of AlertService the facade uses."""

    @property
    def alerts(self) -> Mapping[uuid.UUID, Alert]: ...

    def act(
        self,
        alert_id: uuid.UUID,
        to: AlertStatus,
        *,
        actor: str,
        note: str = "",
        unit: str | None = None,
    ) -> Future[Alert]: ...

    def note(self, alert_id: uuid.UUID, *, actor: str, text: str) -> Future[AlertAction]: ...

    def open_alerts(self) -> list[Alert]: ...


def permission_for(alert: Alert | None) -> Permission:
    """Training alerts need the training permission; every other alert the live one."""
    if alert is not None and alert.training:
        return Permission.ACT_ON_TRAINING_ALERTS
    return Permission.ACT_ON_ALERTS


def checked(actor: Actor, permission: Permission, audit: AuditLog | None, action: str = "") -> User:
    """:func:`require`, with a refusal written to the audit trail before it is raised."""
    try:
        return require(actor, permission, action)
    except PermissionDeniedError as denied:
        if audit is not None:
            details = {"permission": permission.value, "action": action or permission.description}
            audit.record(user_of(actor).username, AuditAction.PERMISSION_DENIED, details)
        raise denied from None


class AuthorizedAlerts:
    """AlertService's operator actions on behalf of one session."""

    def __init__(self, service: AlertActions, actor: Actor, audit: AuditLog | None = None):
        self.service = service
        self.actor = actor
        self.audit = audit

    def act(
        self, alert_id: uuid.UUID, to: AlertStatus, *, note: str = "", unit: str | None = None
    ) -> Future[Alert]:
        """The service's act as the session's user; the future completes once saved."""
        alert = self.service.alerts.get(alert_id)
        what = f"change alert {alert_id} to {to.value}"
        user = checked(self.actor, permission_for(alert), self.audit, what)
        return self.service.act(alert_id, to, actor=user.username, note=note, unit=unit)

    def note(self, alert_id: uuid.UUID, text: str) -> Future[AlertAction]:
        alert = self.service.alerts.get(alert_id)
        what = f"add a note to alert {alert_id}"
        user = checked(self.actor, permission_for(alert), self.audit, what)
        return self.service.note(alert_id, actor=user.username, text=text)

    def open_alerts(self) -> list[Alert]:
        checked(self.actor, Permission.VIEW_LIVE, self.audit, "see the alert queue")
        return self.service.open_alerts()


class SessionGuard:
    """A hook for AlertService: only the logged-in session's user (or the system) may act.

    Called as ``guard(alert, action, actor)`` before a change is applied; raises
    PermissionDeniedError (or a session error) to refuse it.
    """

    def __init__(self, actor: Actor, audit: AuditLog | None = None) -> None:
        self.actor = actor
        self.audit = audit

    def __call__(self, alert: Alert, action: str, actor: str) -> None:
        if actor == SYSTEM_ACTOR:
            return
        user = user_of(self.actor)
        if actor != user.username:
            raise PermissionDeniedError(
                user, permission_for(alert), f"act as '{actor}' (only as '{user.username}')"
            )
        checked(self.actor, permission_for(alert), self.audit, f"{action} alert {alert.id}")
