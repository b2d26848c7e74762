from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import select

from console.alerts.service import AlertService
from console.cli.main import main
from console.config.site_file import load_site_text
from console.domain.records import AlertStatus
from console.security.accounts import (
    AccountError,
    AccountLockedError,
    Accounts,
    AuthenticationError,
)
from console.security.audit import AuditAction, AuditLog
from console.security.guard import AuthorizedAlerts, SessionGuard
from console.security.roles import (
    ROLE_PERMISSIONS,
    Permission,
    PermissionDeniedError,
    Role,
    SessionEndedError,
    SessionLockedError,
    User,
    UserSession,
    require,
)
from console.store.local import LocalStore
from console.store.models import USERS
from tests.conftest import PlantedSecrets
from tests.core.rule_factories import CALIBRATION, SITE
from tests.core.test_alerting import RULES, UNITS, feed_stopped_car
from tests.core.test_auth_support import (  # noqa: F401 (fixtures used by name)
    PASSWORDS,
    accounts_fixture,
    audit_actions,
    audit_fixture,
    sessions_fixture,
    store_fixture,
)

REPO = Path(__file__).resolve().parents[2]


def alert_service(training: bool = False) -> AlertService:
    site = load_site_text(SITE.format(rules=RULES, calibration=CALIBRATION) + UNITS)
    service = AlertService(site, console_id="console-7", training=training)
    feed_stopped_car(service)
    assert len(service.alerts) == 1
    return service


# ---- the documented role matrix is the enforced one ---------------------------------------


def documented_matrix() -> dict[Role, set[Permission]]:
    text = (REPO / "docs" / "SECURITY.md").read_text(encoding="utf-8")
    lines = [line for line in text.split("<!-- permissions-table -->")[1].splitlines() if line]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    columns = {index: Role(cell) for index, cell in enumerate(header) if cell in set(Role)}
    matrix: dict[Role, set[Permission]] = {role: set() for role in Role}
    for line in lines[2:]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        permission = Permission(cells[0].strip("`"))
        for index, role in columns.items():
            if cells[index] == "yes":
                matrix[role].add(permission)
    return matrix


def test_docs_list_exactly_the_permissions_the_core_enforces() -> None:
    assert documented_matrix() == {role: set(perms) for role, perms in ROLE_PERMISSIONS.items()}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("permission", list(Permission))
def test_require_allows_exactly_the_role_permissions(role: Role, permission: Permission) -> None:
    user = User("someone", role)
    if permission in ROLE_PERMISSIONS[role]:
        assert require(user, permission) == user
    else:
        with pytest.raises(PermissionDeniedError, match=f"'someone' \\({role.value}\\) may not"):
            require(user, permission)


# ---- alert actions through the core facade (no UI involved) --------------------------------


@pytest.mark.parametrize(
    ("name", "live_allowed", "training_allowed"),
    [("op", True, True), ("sup", True, True), ("trainer", False, True), ("admin", False, False)],
)
def test_each_role_acts_on_live_and_training_alerts_only_as_allowed(
    sessions: dict[str, UserSession],
    audit: AuditLog,
    store: LocalStore,
    name: str,
    live_allowed: bool,
    training_allowed: bool,
) -> None:
    for training, allowed in ((False, live_allowed), (True, training_allowed)):
        service = alert_service(training)
        audit.watch_alerts(service)
        alert_id = next(iter(service.alerts))
        facade = AuthorizedAlerts(service, sessions[name], audit)
        if allowed:
            updated = facade.act(alert_id, AlertStatus.ACKNOWLEDGED, note="seen").result()
            assert updated.status is AlertStatus.ACKNOWLEDGED
            facade.note(alert_id, "called the unit")
            assert service.alerts[alert_id].status is AlertStatus.ACKNOWLEDGED
        else:
            with pytest.raises(PermissionDeniedError, match=f"user '{name}'"):
                facade.act(alert_id, AlertStatus.ACKNOWLEDGED)
            with pytest.raises(PermissionDeniedError):
                facade.note(alert_id, "not allowed")
            assert service.alerts[alert_id].status is AlertStatus.NEW
    recorded = audit_actions(store)
    if live_allowed or training_allowed:
        assert (name, AuditAction.ALERT_ACTION) in recorded
        assert (name, AuditAction.ALERT_NOTE) in recorded
    if not (live_allowed and training_allowed):
        assert (name, AuditAction.PERMISSION_DENIED) in recorded


def test_session_guard_refuses_acting_under_another_name(sessions: dict[str, UserSession]) -> None:
    service = alert_service()
    alert = next(iter(service.alerts.values()))
    guard = SessionGuard(sessions["op"])
    guard(alert, "acknowledged", "op")
    guard(alert, "resolved", "system")
    with pytest.raises(PermissionDeniedError, match="act as 'sup'"):
        guard(alert, "acknowledged", "sup")
    with pytest.raises(PermissionDeniedError):
        SessionGuard(sessions["admin"])(alert, "acknowledged", "admin")


# ---- user management -------------------------------------------------------------------


def test_only_an_administrator_manages_users(
    accounts: Accounts, sessions: dict[str, UserSession]
) -> None:
    for name in ("op", "sup", "trainer"):
        with pytest.raises(PermissionDeniedError, match="may not create users"):
            accounts.create_user(sessions[name], f"new-{name}", "a-long-password", Role.ADMIN)
        with pytest.raises(PermissionDeniedError):
            accounts.set_role(sessions[name], name, Role.ADMIN)
        assert accounts.find(f"new-{name}") is None
    accounts.set_role(sessions["admin"], "trainer", Role.SUPERVISOR)
    assert accounts.find("trainer").user.role is Role.SUPERVISOR  # type: ignore[union-attr]


def test_first_admin_only_once_and_no_weak_passwords(accounts: Accounts) -> None:
    with pytest.raises(AccountError, match="at least 10"):
        accounts.create_first_admin("admin", "short")
    with pytest.raises(AccountError, match="user name"):
        accounts.create_first_admin("administrator", "Administrator")
    with pytest.raises(AccountError, match="letters, digits"):
        accounts.create_first_admin("../admin", "a-long-password")
    accounts.create_first_admin("admin", PASSWORDS["admin"])
    with pytest.raises(AccountError, match="already exist"):
        accounts.create_first_admin("admin2", PASSWORDS["admin"])


def test_passwords_are_stored_as_argon2_hashes_only(accounts: Accounts, store: LocalStore) -> None:
    accounts.create_first_admin("admin", PASSWORDS["admin"])
    with store.session() as session:
        stored = session.execute(select(USERS.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$")
    store.writer.submit(lambda connection: None).result(10)
    database = b"".join(p.read_bytes() for p in store.path.parent.glob("console.sqlite*"))
    assert PASSWORDS["admin"].encode() not in database


# ---- login, lockout, sessions ------------------------------------------------------------


def test_wrong_password_and_unknown_user_get_the_same_answer(
    accounts: Accounts, store: LocalStore
) -> None:
    accounts.create_first_admin("admin", PASSWORDS["admin"])
    with pytest.raises(AuthenticationError) as wrong:
        accounts.login("admin", "not-the-password")
    with pytest.raises(AuthenticationError) as unknown:
        accounts.login("nobody", "not-the-password")
    assert str(wrong.value) == str(unknown.value) == "wrong user name or password"
    failed = [a for a in audit_actions(store) if a[1] == AuditAction.LOGIN_FAILED]
    assert failed == [("admin", "login.failed"), ("", "login.failed")]


def test_lockout_after_repeated_failures_refuses_even_the_right_password_until_it_expires(
    accounts: Accounts,
) -> None:
    accounts.create_first_admin("admin", PASSWORDS["admin"])
    for _ in range(2):
        with pytest.raises(AuthenticationError, match="wrong user name"):
            accounts.login("admin", "guess-guess-guess")
    with pytest.raises(AccountLockedError, match="locked after repeated failed logins"):
        accounts.login("admin", "guess-guess-guess")
    with pytest.raises(AccountLockedError):
        accounts.login("admin", PASSWORDS["admin"])
    time.sleep(1.1)  # the test policy locks for one second
    session = accounts.login("admin", PASSWORDS["admin"])
    assert session.user.role is Role.ADMIN
    account = accounts.find("admin")
    assert account is not None and account.failed_attempts == 0 and account.locked_until is None


def test_an_administrator_can_lift_a_lockout(
    accounts: Accounts, sessions: dict[str, UserSession]
) -> None:
    for _ in range(3):
        with pytest.raises(AuthenticationError):
            accounts.login("op", "guess-guess-guess")
    with pytest.raises(AccountLockedError):
        accounts.login("op", PASSWORDS["op"])
    accounts.unlock_account(sessions["admin"], "op")
    assert accounts.login("op", PASSWORDS["op"]).username == "op"


def test_idle_session_locks_and_only_the_password_unlocks_it(
    accounts: Accounts, sessions: dict[str, UserSession], store: LocalStore
) -> None:
    session = sessions["op"]
    session.idle_timeout_s = 0.05
    session.touch()
    require(session, Permission.VIEW_LIVE)
    time.sleep(0.08)
    with pytest.raises(SessionLockedError, match="locked"):
        require(session, Permission.VIEW_LIVE)
    session.touch()  # activity cannot unlock a locked session
    with pytest.raises(SessionLockedError):
        require(session, Permission.VIEW_LIVE)
    with pytest.raises(AuthenticationError):
        accounts.unlock(session, "wrong-password!")
    accounts.unlock(session, PASSWORDS["op"])
    require(session, Permission.VIEW_LIVE)
    accounts.logout(session, "end of shift")
    with pytest.raises(SessionEndedError):
        require(session, Permission.VIEW_LIVE)
    actions = audit_actions(store)
    assert ("op", AuditAction.SESSION_UNLOCKED) in actions
    assert ("op", AuditAction.LOGOUT) in actions


def test_the_service_itself_refuses_a_bypassing_caller_once_guarded(
    sessions: dict[str, UserSession], audit: AuditLog, store: LocalStore
) -> None:
    service = alert_service()
    service.guard = SessionGuard(sessions["trainer"], audit)
    alert_id = next(iter(service.alerts))
    with pytest.raises(PermissionDeniedError, match="user 'trainer'"):
        service.act(alert_id, AlertStatus.ACKNOWLEDGED, actor="trainer")
    with pytest.raises(PermissionDeniedError, match="act as 'op'"):
        service.act(alert_id, AlertStatus.ACKNOWLEDGED, actor="op")
    with pytest.raises(PermissionDeniedError):
        service.note(alert_id, actor="trainer", text="x")
    assert service.alerts[alert_id].status is AlertStatus.NEW
    service.act(alert_id, AlertStatus.ACKNOWLEDGED, actor="system", note="the system may act")
    assert ("trainer", AuditAction.PERMISSION_DENIED) in audit_actions(store)


@pytest.mark.slow
def test_cli_first_admin_then_users_only_by_an_admin(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    planted_secrets: PlantedSecrets,
) -> None:
    db = str(tmp_path / "cli.sqlite")
    planted_secrets.add("op-password-01")
    answers = iter(["admin-pass-0001", "admin-pass-0001", "op-password-01", "op-password-01"])
    monkeypatch.setattr("getpass.getpass", lambda _prompt="": next(answers))
    assert main(["user", "create-admin", "--db", db]) == 0
    assert main(["user", "create-admin", "--db", db]) == 1
    assert "users exist already" in capsys.readouterr().err
    monkeypatch.setenv("ROADWATCH_PASSWORD", "admin-pass-0001")
    assert main(["user", "add", "op", "--role", "operator", "--user", "admin", "--db", db]) == 0
    monkeypatch.setenv("ROADWATCH_PASSWORD", "op-password-01")
    assert main(["user", "list", "--user", "op", "--db", db]) == 1
    assert "may not list users" in capsys.readouterr().err
    assert main(["audit", "verify", "--db", db, "--user", "op"]) == 1  # no view_audit
    assert "may not verify the audit trail" in capsys.readouterr().err
    monkeypatch.setenv("ROADWATCH_PASSWORD", "admin-pass-0001")
    assert main(["audit", "verify", "--db", db, "--user", "admin"]) == 0


def test_provisioning_file_on_first_run_then_only_by_an_admin(
    tmp_path: Path, accounts: Accounts, monkeypatch: pytest.MonkeyPatch
) -> None:
    from console.security.provisioned_users import ProvisioningError, provision_users

    admin_hash = accounts.hasher.hash(PASSWORDS["admin"])
    monkeypatch.setenv("RW_PASSWORD_OP", PASSWORDS["op"])
    file = tmp_path / "users.yaml"
    file.write_text(
        "users:\n"
        f"  - {{username: admin, role: admin, password_hash: '{admin_hash}'}}\n"
        "  - {username: op, role: operator, password_env: RW_PASSWORD_OP}\n"
    )
    assert provision_users(accounts, file, None) == ["admin", "op"]
    assert accounts.login("op", PASSWORDS["op"]).user.role is Role.OPERATOR
    with pytest.raises(ProvisioningError, match="needs an administrator"):
        provision_users(accounts, file, None)
    admin = accounts.login("admin", PASSWORDS["admin"])
    assert provision_users(accounts, file, admin) == []
