"""Who may do a guarded action: a person (checked against the role) or the console's own job.

Every guarded core action (configuration change, legal hold, deletion, audit reading,
evidence viewing, playback, dataset export) starts with :func:`authorize`. A person is
checked with :func:`console.security.guard.checked`, so a refusal is written to the audit
trail before it is raised; the action then writes its own success entry naming what it
did. A :class:`SystemJob` is the console acting on its own schedule (retention): no person
can hand one in from the interface or the command line, it may do only what its job needs,
and its entries are written under the user name ``system`` with the job's name.
"""

from __future__ import annotations

from dataclasses import dataclass

from console.domain.alert_states import SYSTEM_ACTOR
from console.security.audit import AuditAction, AuditLog
from console.security.guard import checked
from console.security.roles import Actor, Permission


@dataclass(frozen=True, slots=True)
class SystemJob:
    """A scheduled job of the console itself, acting for no person."""

    job: str
    permissions: frozenset[Permission]

    @property
    def username(self) -> str:
        return SYSTEM_ACTOR


RETENTION_JOB = SystemJob("retention", frozenset({Permission.DELETE_DATA}))

Acting = Actor | SystemJob


class NotLoggedInError(PermissionError):
    """A guarded action was asked for while nobody is logged in."""

    def __init__(self, action: str) -> None:
        super().__init__(f"log in first: nobody is logged in to {action}")


def authorize(
    actor: Acting | None, permission: Permission, audit: AuditLog | None, action: str
) -> str:
    """The user name to audit ``action`` under; raises (and audits) when it is refused.

    ``None`` (nobody logged in) is refused and audited under ``(nobody)``.
    """
    if actor is None:
        if audit is not None:
            audit.record(
                "(nobody)",
                AuditAction.PERMISSION_DENIED,
                {"permission": permission.value, "action": action, "reason": "not logged in"},
            )
        raise NotLoggedInError(action)
    if isinstance(actor, SystemJob):
        if permission not in actor.permissions:
            denied = PermissionError(
                f"the {actor.job} job may not {action}: "
                f"'{permission.value}' is not among the permissions of its job"
            )
            if audit is not None:
                details = {"permission": permission.value, "action": action, "job": actor.job}
                audit.record(SYSTEM_ACTOR, AuditAction.PERMISSION_DENIED, details)
            raise denied
        return SYSTEM_ACTOR
    return checked(actor, permission, audit, action).username


def job_of(actor: Acting) -> str | None:
    """The job's name for a system actor (written into its audit entries), else None."""
    return actor.job if isinstance(actor, SystemJob) else None
