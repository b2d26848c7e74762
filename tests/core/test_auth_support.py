"""Fixtures shared by the security tests (users, audit log, real store); holds no tests."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from console.security.accounts import Accounts, LockoutPolicy
from console.security.audit import AuditLog
from console.security.roles import Role, UserSession
from console.store.local import LocalStore
from tests.conftest import PlantedSecrets, StoreOpener

PASSWORDS = {
    "admin": "admin-pass-0001",
    "op": "operator-pass-01",
    "sup": "supervisor-pass-1",
    "trainer": "trainer-pass-001",
}
ROLES = {"admin": Role.ADMIN, "op": Role.OPERATOR, "sup": Role.SUPERVISOR, "trainer": Role.TRAINER}


@pytest.fixture(name="store")
def store_fixture(tmp_path: Path, open_store: StoreOpener) -> LocalStore:
    return open_store(tmp_path / "console.sqlite", console_id="console-7")


@pytest.fixture(name="audit")
def audit_fixture(store: LocalStore) -> AuditLog:
    return AuditLog(store, "console-7")


@pytest.fixture(name="accounts")
def accounts_fixture(
    store: LocalStore, audit: AuditLog, planted_secrets: PlantedSecrets
) -> Accounts:
    for password in PASSWORDS.values():
        planted_secrets.add(password)
    policy = LockoutPolicy(max_failures=3, lock_for=timedelta(seconds=1))
    # Real Argon2id, with less memory than production so the suite stays quick on 2 cores.
    return Accounts(store, audit, policy, hasher=PasswordHasher(time_cost=1, memory_cost=8192))


@pytest.fixture(name="sessions")
def sessions_fixture(accounts: Accounts) -> dict[str, UserSession]:
    """One logged-in session per role: admin, op, sup, trainer."""
    accounts.create_first_admin("admin", PASSWORDS["admin"])
    admin = accounts.login("admin", PASSWORDS["admin"])
    for name, role in ROLES.items():
        if name != "admin":
            accounts.create_user(admin, name, PASSWORDS[name], role)
    return {name: accounts.login(name, PASSWORDS[name]) for name in ROLES}


def audit_actions(store: LocalStore) -> list[tuple[str, str]]:
    from sqlalchemy import select

    from console.store.audit_chain import STORAGE_ORDER
    from console.store.models import AUDIT

    store.writer.submit(lambda connection: None).result(10)  # earlier writes are committed
    with store.session() as session:
        rows = session.execute(select(AUDIT.c.user, AUDIT.c.action).order_by(STORAGE_ORDER)).all()
    return [(row.user, row.action) for row in rows]
