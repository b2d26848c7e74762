"""User accounts in the local store: Argon2 password hashes, lockout, login and logout.

Writes to the users table go through the store's single writer, so failed-attempt counts
are incremented atomically even when two logins race. Every login, failure, logout and
user change is audited.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, func, insert, select, update

from console.domain.records import new_id, utc_now
from console.security.audit import AuditAction, AuditLog
from console.security.roles import (
    DEFAULT_IDLE_TIMEOUT_S,
    Actor,
    Permission,
    Role,
    User,
    UserSession,
    require,
)
from console.store.local import LocalStore
from console.store.models import USERS

USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024


@functools.cache
def _dummy_hash() -> str:
    """The hash verified for an unknown user name, so it takes as long as a wrong password."""
    # Made by the first Accounts, not at import: every `roadwatch` command imports this
    # module, and an Argon2 hash takes a noticeable part of a second on a busy 2-core machine.
    return PasswordHasher().hash("not a real password: equal timing for unknown users")


class AuthenticationError(Exception):
    """Wrong user name or password (deliberately the same message for both)."""


class AccountLockedError(AuthenticationError):
    def __init__(self, username: str, until: datetime) -> None:
        minutes = max(1, round((until - utc_now()).total_seconds() / 60))
        super().__init__(
            f"account '{username}' is locked after repeated failed logins; "
            f"try again in about {minutes} minute{'s' if minutes != 1 else ''} "
            "or ask an administrator"
        )
        self.until = until


class AccountError(ValueError):
    """A user cannot be created or changed as asked (name taken, weak password, ...)."""


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    max_failures: int = 5
    lock_for: timedelta = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class Account:
    user: User
    failed_attempts: int
    locked_until: datetime | None
    created_at: datetime


def check_username(username: str) -> str:
    if not USERNAME.fullmatch(username):
        raise AccountError(
            "a user name is 1-64 letters, digits, '.', '_' or '-', starting with a letter "
            f"or digit; got {username[:70]!r}"
        )
    return username


def check_password(password: str, username: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"the password may have at most {MAX_PASSWORD_LENGTH} characters")
    if password.strip().lower() == username.lower():
        raise AccountError("the password must not be the user name")
    return password


class Accounts:
    """Users of one console's local store."""

    def __init__(
        self,
        store: LocalStore,
        audit: AuditLog,
        policy: LockoutPolicy = LockoutPolicy(),
        idle_timeout_s: float = DEFAULT_IDLE_TIMEOUT_S,
        hasher: PasswordHasher | None = None,
    ) -> None:
        self.store = store
        self.audit = audit
        self.policy = policy
        self.idle_timeout_s = idle_timeout_s
        self.hasher = hasher or PasswordHasher()
        self._dummy_hash = _dummy_hash()

    # ---- reads ----------------------------------------------------------------------

    def count(self, role: Role | None = None) -> int:
        statement = select(func.count()).select_from(USERS)
        if role is not None:
            statement = statement.where(USERS.c.role == role.value)
        with self.store.session() as session:
            return int(session.execute(statement).scalar_one())

    def find(self, username: str) -> Account | None:
        with self.store.session() as session:
            row = session.execute(select(USERS).where(USERS.c.username == username)).first()
        return _account(row) if row is not None else None

    def all_accounts(self, by: Actor) -> list[Account]:
        require(by, Permission.MANAGE_USERS, "list users")
        with self.store.session() as session:
            rows = session.execute(select(USERS).order_by(USERS.c.username)).all()
        return [_account(row) for row in rows]

    # ---- login ----------------------------------------------------------------------

    def authenticate(self, username: str, password: str) -> User:
        """The user if the password is right; AuthenticationError otherwise (audited)."""
        row = self._row(username)
        now = utc_now()
        if row is None:
            self._verify(self._dummy_hash, password)
            self.audit.record_and_wait("", AuditAction.LOGIN_FAILED, {"reason": "unknown user"})
            raise AuthenticationError("wrong user name or password")
        if row.locked_until is not None and row.locked_until > now:
            self.audit.record_and_wait(username, AuditAction.LOGIN_FAILED, {"reason": "locked"})
            raise AccountLockedError(username, row.locked_until)
        if not self._verify(row.password_hash, password):
            attempts, until = self._submit(_register_failure, username, now, self.policy)
            details = {"reason": "wrong password", "failed_attempts": attempts}
            self.audit.record_and_wait(username, AuditAction.LOGIN_FAILED, details)
            if until is not None:
                raise AccountLockedError(username, until)
            raise AuthenticationError("wrong user name or password")
        new_hash = (
            self.hasher.hash(password)
            if self.hasher.check_needs_rehash(row.password_hash)
            else None
        )
        self._submit(_register_success, username, new_hash)
        return User(row.username, Role(row.role), row.id)

    def login(self, username: str, password: str) -> UserSession:
        user = self.authenticate(username, password)
        self.audit.record_and_wait(user.username, AuditAction.LOGIN, {"role": user.role.value})
        return UserSession(user, self.idle_timeout_s)

    def unlock(self, session: UserSession, password: str) -> None:
        """Unlock a locked session with its own user's password (lockout rules apply)."""
        self.authenticate(session.username, password)
        session.unlocked()
        self.audit.record(session.username, AuditAction.SESSION_UNLOCKED)

    def logout(self, session: UserSession, reason: str = "") -> None:
        if session.ended:
            return
        session.end()
        self.audit.record_and_wait(session.username, AuditAction.LOGOUT, {"reason": reason})

    # ---- user management ------------------------------------------------------------

    def create_first_admin(self, username: str, password: str) -> User:
        """The first user of a new installation; refused once any user exists."""
        if self.count() > 0:
            raise AccountError("users already exist; an administrator adds further users")
        return self._create(username, password, Role.ADMIN, by="(first run)")

    def create_user(self, by: Actor, username: str, password: str, role: Role) -> User:
        admin = require(by, Permission.MANAGE_USERS, "create users")
        return self._create(username, password, role, by=admin.username)

    def provision(self, by: Actor | None, users: list[tuple[str, str, Role]]) -> list[str]:
        """Create users from (name, Argon2 hash, role), skipping names that exist.

        Without an acting administrator this is allowed only while the store has no users
        (first run of a newly installed console).
        """
        if by is None:
            if self.count() > 0:
                raise AccountError("users exist already; provisioning needs an administrator")
            actor = "(provisioning)"
        else:
            actor = require(by, Permission.MANAGE_USERS, "provision users").username
        for username, password_hash, _role in users:
            check_username(username)
            if not password_hash.startswith("$argon2"):
                raise AccountError(f"user {username}: password_hash is not an Argon2 hash")
        created = []
        for username, password_hash, role in users:
            if self._row(username) is None:
                self._insert(username, password_hash, role, actor)
                created.append(username)
        return created

    def set_role(self, by: Actor, username: str, role: Role) -> None:
        admin = require(by, Permission.MANAGE_USERS, "change roles")
        self._existing(username)
        self._submit(_update_user, username, {"role": role.value})
        details = {"username": username, "role": role.value, "by": admin.username}
        self.audit.record_and_wait(admin.username, AuditAction.USER_CHANGED, details)

    def set_password(self, by: Actor, username: str, password: str) -> None:
        actor = require(by, Permission.MANAGE_USERS, "reset passwords")
        self._existing(username)
        values = {"password_hash": self.hasher.hash(check_password(password, username))}
        self._submit(_update_user, username, {**values, "failed_attempts": 0, "locked_until": None})
        details = {"username": username, "change": "password reset", "by": actor.username}
        self.audit.record_and_wait(actor.username, AuditAction.USER_CHANGED, details)

    def unlock_account(self, by: Actor, username: str) -> None:
        actor = require(by, Permission.MANAGE_USERS, "unlock accounts")
        self._existing(username)
        self._submit(_update_user, username, {"failed_attempts": 0, "locked_until": None})
        details = {"username": username, "change": "unlocked", "by": actor.username}
        self.audit.record_and_wait(actor.username, AuditAction.USER_CHANGED, details)

    # ---- helpers --------------------------------------------------------------------

    def _create(self, username: str, password: str, role: Role, by: str) -> User:
        check_username(username)
        return self._insert(
            username, self.hasher.hash(check_password(password, username)), role, by
        )

    def _insert(self, username: str, password_hash: str, role: Role, by: str) -> User:
        if self._row(username) is not None:
            raise AccountError(f"user '{username}' already exists")
        user = User(username, role, new_id())
        self._submit(_insert_user, user, password_hash)
        details = {"username": username, "role": role.value, "by": by}
        self.audit.record_and_wait(by, AuditAction.USER_CREATED, details)
        return user

    def _existing(self, username: str) -> None:
        if self._row(username) is None:
            raise AccountError(f"no user '{username}'")

    def _row(self, username: str) -> Any:
        with self.store.session() as session:
            return session.execute(select(USERS).where(USERS.c.username == username)).first()

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def _submit(self, job: Any, *args: Any) -> Any:
        return self.store.writer.submit(lambda connection: job(connection, *args)).result(30)


def _account(row: Any) -> Account:
    return Account(
        User(row.username, Role(row.role), row.id),
        row.failed_attempts,
        row.locked_until,
        row.created_at,
    )


def _insert_user(connection: Connection, user: User, password_hash: str) -> None:
    connection.execute(
        insert(USERS).values(
            id=user.id,
            username=user.username,
            password_hash=password_hash,
            role=user.role.value,
            failed_attempts=0,
            locked_until=None,
            created_at=utc_now(),
        )
    )


def _register_failure(
    connection: Connection, username: str, now: datetime, policy: LockoutPolicy
) -> tuple[int, datetime | None]:
    row = connection.execute(
        select(USERS.c.failed_attempts, USERS.c.locked_until).where(USERS.c.username == username)
    ).one()
    expired_lock = row.locked_until is not None and row.locked_until <= now
    attempts = 1 if expired_lock else row.failed_attempts + 1
    until = now + policy.lock_for if attempts >= policy.max_failures else None
    connection.execute(
        update(USERS)
        .where(USERS.c.username == username)
        .values(failed_attempts=attempts, locked_until=until)
    )
    return attempts, until


def _register_success(connection: Connection, username: str, new_hash: str | None) -> None:
    values: dict[str, Any] = {"failed_attempts": 0, "locked_until": None}
    if new_hash is not None:
        values["password_hash"] = new_hash
    connection.execute(update(USERS).where(USERS.c.username == username).values(**values))


def _update_user(connection: Connection, username: str, values: dict[str, Any]) -> None:
    connection.execute(update(USERS).where(USERS.c.username == username).values(**values))
