"""Roles, permissions and sessions, enforced in the core (the UI only hides what is refused).

Every action that needs a permission calls :func:`require` with the acting
:class:`UserSession` (or :class:`User` for headless tools); it raises
:class:`PermissionDeniedError` naming the user, the role and what was refused. The list of
permissions per role is documented in docs/SECURITY.md and mirrored by
:data:`ROLE_PERMISSIONS`; a test keeps the two in step.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

DEFAULT_IDLE_TIMEOUT_S = 15 * 60.0


class Role(StrEnum):
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    TRAINER = "trainer"
    ADMIN = "admin"


class Permission(StrEnum):
    VIEW_LIVE = "view_live"
    ACT_ON_ALERTS = "act_on_alerts"
    ACT_ON_TRAINING_ALERTS = "act_on_training_alerts"
    VIEW_EVIDENCE = "view_evidence"
    EXPORT_EVIDENCE = "export_evidence"
    PLAYBACK = "playback"
    VIEW_AUDIT = "view_audit"
    SET_LEGAL_HOLD = "set_legal_hold"
    DELETE_DATA = "delete_data"
    CHANGE_CONFIG = "change_config"
    MANAGE_USERS = "manage_users"
    CREATE_TRAINING_SCENARIO = "create_training_scenario"
    MANAGE_WATCHLIST = "manage_watchlist"

    @property
    def description(self) -> str:
        return _DESCRIPTIONS[self]


_DESCRIPTIONS = {
    Permission.VIEW_LIVE: "watch the camera wall and the alert queue",
    Permission.ACT_ON_ALERTS: "acknowledge, dispatch, resolve, dismiss and annotate live alerts",
    Permission.ACT_ON_TRAINING_ALERTS: "act on alerts raised in training mode",
    Permission.VIEW_EVIDENCE: "open an alert's snapshots, crops and clips",
    Permission.EXPORT_EVIDENCE: "export a signed case package",
    Permission.PLAYBACK: "play back recordings",
    Permission.VIEW_AUDIT: "read and verify the audit trail",
    Permission.SET_LEGAL_HOLD: "put evidence on legal hold or lift it",
    Permission.DELETE_DATA: "delete or prune alerts and evidence",
    Permission.CHANGE_CONFIG: "change the site configuration",
    Permission.MANAGE_USERS: "create users, change roles, reset passwords",
    Permission.CREATE_TRAINING_SCENARIO: "create and edit training scenarios",
    Permission.MANAGE_WATCHLIST: "add plates to the watch-list and remove them",
}

_OPERATOR = frozenset(
    {
        Permission.VIEW_LIVE,
        Permission.ACT_ON_ALERTS,
        Permission.ACT_ON_TRAINING_ALERTS,  # trainees are operators in a training run
        Permission.VIEW_EVIDENCE,
        Permission.EXPORT_EVIDENCE,
        Permission.PLAYBACK,
    }
)

ROLE_PERMISSIONS: Mapping[Role, frozenset[Permission]] = MappingProxyType(
    {
        Role.OPERATOR: _OPERATOR,
        Role.SUPERVISOR: _OPERATOR
        | {
            Permission.ACT_ON_TRAINING_ALERTS,
            Permission.VIEW_AUDIT,
            Permission.SET_LEGAL_HOLD,
            Permission.DELETE_DATA,
            Permission.CHANGE_CONFIG,
            Permission.MANAGE_WATCHLIST,
        },
        Role.TRAINER: frozenset(
            {
                Permission.VIEW_LIVE,
                Permission.ACT_ON_TRAINING_ALERTS,
                Permission.VIEW_EVIDENCE,
                Permission.PLAYBACK,
                Permission.CREATE_TRAINING_SCENARIO,
            }
        ),
        # IT administers the system; handling cases is not its job (separation of duties).
        Role.ADMIN: frozenset(
            {
                Permission.VIEW_LIVE,
                Permission.VIEW_AUDIT,
                Permission.CHANGE_CONFIG,
                Permission.MANAGE_USERS,
            }
        ),
    }
)


@dataclass(frozen=True, slots=True)
class User:
    username: str
    role: Role
    id: uuid.UUID = field(default_factory=uuid.uuid4)

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]


class PermissionDeniedError(PermissionError):
    """The acting user's role does not include the permission the action needs."""

    def __init__(self, user: User, permission: Permission, action: str = "") -> None:
        what = action or permission.description
        super().__init__(
            f"user '{user.username}' ({user.role.value}) may not {what}: "
            f"the permission '{permission.value}' is not part of the {user.role.value} role"
        )
        self.user = user
        self.permission = permission


class SessionLockedError(PermissionError):
    """The session is locked (idle too long, or locked by hand); the password unlocks it."""


class SessionEndedError(PermissionError):
    """The user logged out; nothing more may be done under this session."""


class UserSession:
    """One logged-in user at one console; idle for ``idle_timeout_s`` means locked."""

    def __init__(
        self,
        user: User,
        idle_timeout_s: float = DEFAULT_IDLE_TIMEOUT_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.user = user
        self.idle_timeout_s = idle_timeout_s
        self._clock = clock
        self.last_activity = clock()
        self.locked = False
        self.ended = False

    @property
    def username(self) -> str:
        return self.user.username

    def idle_for(self) -> float:
        return self._clock() - self.last_activity

    def is_idle(self) -> bool:
        return self.idle_for() >= self.idle_timeout_s

    def check(self) -> None:
        """Raise unless the session may act now; an idle session locks itself here."""
        if self.ended:
            raise SessionEndedError(f"the session of '{self.username}' has ended; log in again")
        if not self.locked and self.is_idle():
            self.locked = True
        if self.locked:
            raise SessionLockedError(
                f"the session of '{self.username}' is locked; enter the password to continue"
            )

    def touch(self) -> None:
        """User activity: restarts the idle timer (a locked session stays locked)."""
        if not self.locked:
            self.last_activity = self._clock()

    def lock(self) -> None:
        self.locked = True

    def unlocked(self) -> None:
        """Called by ``Accounts.unlock`` once the password was checked."""
        self.locked = False
        self.last_activity = self._clock()

    def end(self) -> None:
        self.ended = True


Actor = User | UserSession


def user_of(actor: Actor) -> User:
    return actor.user if isinstance(actor, UserSession) else actor


def require(actor: Actor, permission: Permission, action: str = "") -> User:
    """Return the acting user if allowed; raise PermissionDeniedError (or a session error).

    A session must also be active: a locked or ended session is refused before the role
    is even considered, and a permitted action counts as activity.
    """
    if isinstance(actor, UserSession):
        actor.check()
    user = user_of(actor)
    if not user.can(permission):
        raise PermissionDeniedError(user, permission, action)
    if isinstance(actor, UserSession):
        actor.touch()
    return user
