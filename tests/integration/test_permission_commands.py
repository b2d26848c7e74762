"""Headless commands that touch evidence, the audit trail or deletion take a logged-in user.

Run through the installed ``roadwatch`` entry point: without valid credentials (no password,
a wrong one, an unknown user) each says "not logged in" and exits 2 having changed nothing;
a role without the permission is refused by the core (exit 1, refusal audited); a role with
it succeeds (exit 0, success audited). Passwords never appear in the output.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from console.config.site_file import demo_site_path
from console.evidence.legal_hold import HoldState, hold_state, set_legal_hold
from console.security.accounts import Accounts
from console.security.audit import AuditLog
from console.security.roles import Role, UserSession
from console.store.audit_chain import STORAGE_ORDER
from console.store.local import LocalStore
from console.store.models import AUDIT
from tests.core.test_auth_support import (  # noqa: F401 (fixtures used by name)
    PASSWORDS,
    accounts_fixture,
    audit_fixture,
    sessions_fixture,
    store_fixture,
)
from tests.core.test_store_support import make_alert, write_evidence
from tests.integration.test_commands_entry_point import Home, describe
from tests.integration.test_sync_support import central_url_fixture  # noqa: F401

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture(name="home")
def home_fixture(tmp_path: Path) -> Home:
    root = tmp_path / "home"
    root.mkdir()
    return Home(root)


def audit_rows(store: LocalStore) -> list[tuple[str, str, dict[str, object]]]:
    store.writer.submit(lambda connection: None).result(10)
    with store.session() as session:
        rows = session.execute(
            select(AUDIT.c.user, AUDIT.c.action, AUDIT.c.details).order_by(STORAGE_ORDER)
        ).all()
    return [(row.user, row.action, dict(row.details or {})) for row in rows]


def stored_alert(store: LocalStore, folder: Path) -> uuid.UUID:
    folder.mkdir(parents=True, exist_ok=True)
    alert = make_alert(evidence=(write_evidence(folder, b"snapshot"),))
    store.writer.save_alert(alert).result(10)
    return alert.id


def held(store: LocalStore, alert_id: uuid.UUID) -> HoldState:
    with store.session() as session:
        return hold_state(session, alert_id)


def password(user: str) -> dict[str, str]:
    return {"ROADWATCH_PASSWORD": PASSWORDS[user]}


def assert_not_logged_in(result: object) -> None:
    assert getattr(result, "returncode", None) == 2, describe(result)  # type: ignore[arg-type]
    assert "not logged in" in result.stderr  # type: ignore[attr-defined]
    for secret in PASSWORDS.values():
        assert secret not in result.stdout + result.stderr  # type: ignore[attr-defined]


def test_legal_hold_commands_need_a_login_and_the_permission(
    home: Home, sessions: dict[str, UserSession], store: LocalStore
) -> None:
    alert_id = stored_alert(store, home.root / "evidence")
    db = ("--db", str(store.path))
    hold = ("evidence", "hold", str(alert_id), *db)
    assert_not_logged_in(home.run(*hold, "--user", "sup"))  # no terminal, no password
    assert_not_logged_in(home.run(*hold, "--user", "sup", env=password("op")))  # wrong one
    assert_not_logged_in(home.run(*hold, "--user", "nobody", env=password("sup")))
    assert held(store, alert_id) is HoldState.NOT_HELD

    refused = home.run(*hold, "--user", "op", env=password("op"))
    assert refused.returncode == 1, describe(refused)
    assert "may not put the evidence" in refused.stderr and "set_legal_hold" in refused.stderr
    assert held(store, alert_id) is HoldState.NOT_HELD

    printed = home.ok(*hold, "--user", "sup", env=password("sup"))
    assert "1 evidence file(s) on legal hold" in printed
    assert held(store, alert_id) is HoldState.HELD
    home.ok("evidence", "release", str(alert_id), *db, "--user", "sup", env=password("sup"))
    assert held(store, alert_id) is HoldState.NOT_HELD
    unknown = home.run(
        "evidence", "hold", str(uuid.uuid4()), *db, "--user", "sup", env=password("sup")
    )
    assert unknown.returncode == 1 and "not in the local store" in unknown.stderr

    rows = audit_rows(store)
    denied = [(u, d["permission"]) for u, a, d in rows if a == "permission.denied"]
    assert denied == [("op", "set_legal_hold")]
    holds = [(u, a) for u, a, _ in rows if a.startswith("legal_hold")]
    assert holds == [("sup", "legal_hold.set"), ("sup", "legal_hold.lifted")]
    failed = [u for u, a, _ in rows if a == "login.failed"]
    assert len(failed) == 2  # the wrong password and the unknown user


def test_audit_commands_need_view_audit(
    home: Home, sessions: dict[str, UserSession], store: LocalStore
) -> None:
    db = ("--db", str(store.path))
    assert_not_logged_in(home.run("audit", "verify", *db, "--user", "admin"))
    refused = home.run("audit", "list", *db, "--user", "op", env=password("op"))
    assert refused.returncode == 1 and "view_audit" in refused.stderr, describe(refused)
    listing = home.ok(
        "audit", "list", *db, "--user", "admin", "--limit", "5", env=password("admin")
    )
    assert "permission.denied" in listing and len(listing.splitlines()) == 5
    assert "audit trail intact" in home.ok(
        "audit", "verify", *db, "--user", "admin", env=password("admin")
    )
    actions = [(u, a) for u, a, _ in audit_rows(store)]
    assert ("admin", "audit.read") in actions and ("admin", "audit.verify") in actions


def test_export_dataset_and_case_export_need_a_login(
    home: Home, sessions: dict[str, UserSession], store: LocalStore
) -> None:
    db = ("--db", str(store.path))
    since = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    out = home.root / "dataset"
    export = ("export-dataset", "--since", since, "--out", str(out), *db)
    assert_not_logged_in(home.run(*export, "--user", "op"))
    refused = home.run(*export, "--user", "trainer", env=password("trainer"))
    assert refused.returncode == 1 and "export_evidence" in refused.stderr, describe(refused)
    assert not out.exists()
    alert_id = stored_alert(store, home.root / "evidence")
    case = ("evidence", "export", str(alert_id), "--out", str(home.root / "c.zip"), *db)
    assert_not_logged_in(home.run(*case, "--user", "op", env=password("sup")))
    assert not (home.root / "c.zip").exists()
    home.ok(*export, "--user", "op", env=password("op"))
    exports = [(u, d["what"]) for u, a, d in audit_rows(store) if a == "evidence.export"]
    assert exports == [("op", "training dataset")]


def test_sync_prune_takes_a_person_with_delete_data(home: Home, central_url: str) -> None:
    site = home.root / "site.yaml"
    site.write_text(
        demo_site_path().read_text(encoding="utf-8")
        + f"central:\n  url: {central_url}\n  sslmode: disable\n",
        encoding="utf-8",
    )
    home.data.mkdir(parents=True, exist_ok=True)
    with LocalStore.open(home.database, console_id="console-1") as store:
        accounts = Accounts(
            store,
            AuditLog(store, "console-1"),
            hasher=PasswordHasher(time_cost=1, memory_cost=8192),
        )
        accounts.create_first_admin("admin", PASSWORDS["admin"])
        admin = accounts.login("admin", PASSWORDS["admin"])
        accounts.create_user(admin, "op", PASSWORDS["op"], Role.OPERATOR)
        accounts.create_user(admin, "sup", PASSWORDS["sup"], Role.SUPERVISOR)
        alert_id = stored_alert(store, home.root / "evidence")
    sync = ("sync", "--once", "--prune", "--site", str(site))
    without = home.run(*sync)
    assert without.returncode == 2 and "give the user with --user" in without.stderr
    assert_not_logged_in(home.run(*sync, "--user", "sup"))
    refused = home.run(*sync, "--user", "op", env=password("op"))
    assert refused.returncode == 1 and "delete_data" in refused.stderr, describe(refused)
    with LocalStore.open(home.database, console_id="console-1") as store:
        audit = AuditLog(store, "console-1")
        session = Accounts(store, audit).login("sup", PASSWORDS["sup"])
        set_legal_hold(store, session, alert_id, True, audit).result(10)
    pruned = home.ok(*sync, "--user", "sup", env=password("sup"))
    assert "pushed" in pruned and "pruned 0 evidence files" in pruned
    with LocalStore.open(home.database, console_id="console-1") as store:
        rows = audit_rows(store)
    denied = [(u, d["permission"]) for u, a, d in rows if a == "permission.denied"]
    assert denied == [("op", "delete_data")]
    [summary] = [(u, d) for u, a, d in rows if a == "deletion"]
    assert summary[0] == "sup" and summary[1]["evidence_pruned"] == 0
