"""Every permission in docs/SECURITY.md is checked in the core where the action happens.

For each guarded action: a role without the permission is refused at the core call and the
refusal is in the audit trail; a role with it succeeds and the success is audited, naming
what was done. Real store, real Argon2 accounts, real files; no mocks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from console.config.editing import Shape, shapes_of
from console.config.site_file import load_site
from console.domain.records import Alert, utc_now
from console.evidence.dataset_export import export_training_dataset
from console.evidence.legal_hold import HoldState, NoEvidenceError, hold_state, set_legal_hold
from console.evidence.viewing import open_evidence
from console.replay.export import open_playback
from console.retention.store import prune_local
from console.security.audit import AuditLog
from console.security.audit_reading import read_audit, verify_audit
from console.security.config_changes import save_camera_geometry
from console.security.permits import RETENTION_JOB, NotLoggedInError, SystemJob, authorize
from console.security.roles import ROLE_PERMISSIONS, Permission, Role, UserSession
from console.store.audit_chain import STORAGE_ORDER
from console.store.local import LocalStore
from console.store.models import AUDIT
from tests.core.test_auth_support import (  # noqa: F401 (fixtures used by name)
    accounts_fixture,
    audit_fixture,
    sessions_fixture,
    store_fixture,
)
from tests.core.test_store_support import make_alert, write_evidence

CAMERA = "ql1-km122-nhu-nguyet"
SESSION_OF_ROLE = {Role.OPERATOR: "op", Role.SUPERVISOR: "sup", Role.TRAINER: "trainer"}
SESSION_OF_ROLE[Role.ADMIN] = "admin"


@dataclass
class World:
    """What the guarded actions act on: a store with an alert and its evidence, a site file."""

    store: LocalStore
    audit: AuditLog
    alert: Alert
    site_file: Path
    tmp_path: Path


def entries(store: LocalStore) -> list[tuple[str, str, dict[str, Any]]]:
    store.writer.submit(lambda connection: None).result(10)  # earlier writes are committed
    with store.session() as session:
        rows = session.execute(
            select(AUDIT.c.user, AUDIT.c.action, AUDIT.c.details).order_by(STORAGE_ORDER)
        ).all()
    return [(row.user, row.action, dict(row.details or {})) for row in rows]


@pytest.fixture(name="world")
def world_fixture(
    store: LocalStore, audit: AuditLog, tmp_path: Path, demo_site_file: Path
) -> World:
    (tmp_path / "evidence").mkdir()
    evidence = (write_evidence(tmp_path / "evidence", b"snapshot bytes"),)
    alert = make_alert(at=utc_now() - timedelta(days=1), evidence=evidence)
    store.writer.save_alert(alert).result(timeout=10)
    return World(store, audit, alert, demo_site_file, tmp_path)


def change_config(world: World, actor: UserSession) -> str:
    site = load_site(world.site_file, environ={})
    shapes = shapes_of(site.camera(CAMERA))
    shapes.append(Shape("line", f"added-{len(shapes)}", [(0.1, 0.6), (0.9, 0.6)]))
    save_camera_geometry(world.site_file, CAMERA, shapes, actor=actor, audit=world.audit)
    return "config.change"


def hold(world: World, actor: UserSession) -> str:
    set_legal_hold(world.store, actor, world.alert.id, True, world.audit).result(10)
    return "legal_hold.set"


def delete(world: World, actor: UserSession) -> str:
    prune_local(world.store, now=utc_now(), max_age=timedelta(days=30), actor=actor)
    return "deletion"


def view_audit(world: World, actor: UserSession) -> str:
    assert verify_audit(actor, world.audit, world.store.path).intact
    return "audit.verify"


def view_evidence(world: World, actor: UserSession) -> str:
    files = open_evidence(actor, world.alert, world.audit)
    assert files["snapshot"].read_bytes() == b"snapshot bytes"
    return "evidence.view"


def playback(world: World, actor: UserSession) -> str:
    open_playback(actor, world.audit, [CAMERA], 1_800_000_000.0)
    return "playback"


def export_dataset(world: World, actor: UserSession) -> str:
    export_training_dataset(
        actor, world.audit, world.store, utc_now() - timedelta(days=7), world.tmp_path / "ds"
    )
    return "evidence.export"


GUARDED: dict[Permission, Callable[[World, UserSession], str]] = {
    Permission.CHANGE_CONFIG: change_config,
    Permission.SET_LEGAL_HOLD: hold,
    Permission.DELETE_DATA: delete,
    Permission.VIEW_AUDIT: view_audit,
    Permission.VIEW_EVIDENCE: view_evidence,
    Permission.PLAYBACK: playback,
    Permission.EXPORT_EVIDENCE: export_dataset,
}


def roles(permission: Permission, allowed: bool) -> list[Role]:
    return [role for role in Role if (permission in ROLE_PERMISSIONS[role]) == allowed]


@pytest.mark.parametrize("permission", list(GUARDED), ids=lambda p: p.value)
def test_a_role_without_the_permission_is_refused_and_the_refusal_audited(
    permission: Permission, world: World, sessions: dict[str, UserSession]
) -> None:
    site_before = world.site_file.read_text(encoding="utf-8")
    for role in roles(permission, allowed=False):
        name = SESSION_OF_ROLE[role]
        with pytest.raises(PermissionError, match=permission.value):
            GUARDED[permission](world, sessions[name])
        refusals = [
            details
            for user, action, details in entries(world.store)
            if user == name and action == "permission.denied"
        ]
        assert [d["permission"] for d in refusals] == [permission.value], role
    # nothing happened: no success entry, no change
    assert world.site_file.read_text(encoding="utf-8") == site_before
    with world.store.session() as session:
        assert hold_state(session, world.alert.id) is HoldState.NOT_HELD
    assert not (world.tmp_path / "ds").exists()


@pytest.mark.parametrize("permission", list(GUARDED), ids=lambda p: p.value)
def test_a_role_with_the_permission_succeeds_and_the_success_is_audited(
    permission: Permission, world: World, sessions: dict[str, UserSession]
) -> None:
    for role in roles(permission, allowed=True):
        name = SESSION_OF_ROLE[role]
        before = len(entries(world.store))
        expected = GUARDED[permission](world, sessions[name])
        new = entries(world.store)[before:]
        assert (name, expected) in [(user, action) for user, action, _ in new], role
        assert not [e for e in new if e[1] == "permission.denied"]


def test_success_entries_name_what_was_done(world: World, sessions: dict[str, UserSession]) -> None:
    change_config(world, sessions["sup"])
    view_evidence(world, sessions["op"])
    hold(world, sessions["sup"])
    by_action = {action: details for user, action, details in entries(world.store)}
    assert by_action["config.change"]["camera_id"] == CAMERA
    [added] = by_action["config.change"]["added"]
    assert added.startswith("line:added-") and by_action["config.change"]["removed"] == []
    assert by_action["evidence.view"]["alert_id"] == str(world.alert.id)
    assert by_action["evidence.view"]["files"] == {"snapshot": world.alert.evidence[0].sha256}
    assert by_action["legal_hold.set"] == {"alert_id": str(world.alert.id), "evidence_files": 1}
    shown = read_audit(sessions["admin"], world.audit, world.store.path, limit=3)
    assert [item.entry.action for item in shown][-1] == "legal_hold.set"


def test_legal_hold_set_and_lifted_and_a_hold_on_nothing_is_refused(
    world: World, sessions: dict[str, UserSession]
) -> None:
    supervisor = sessions["sup"]
    assert set_legal_hold(world.store, supervisor, world.alert.id, True, world.audit).result(10)
    with world.store.session() as session:
        assert hold_state(session, world.alert.id) is HoldState.HELD
    set_legal_hold(world.store, supervisor, world.alert.id, False, world.audit).result(10)
    with world.store.session() as session:
        assert hold_state(session, world.alert.id) is HoldState.NOT_HELD
    bare = make_alert(at=utc_now())
    world.store.writer.save_alert(bare).result(10)
    with pytest.raises(NoEvidenceError):
        set_legal_hold(world.store, supervisor, bare.id, True, world.audit).result(10)
    actions = [(user, action) for user, action, _ in entries(world.store)]
    assert actions[-2:] == [("sup", "legal_hold.set"), ("sup", "legal_hold.lifted")]


def test_prune_by_a_person_skips_held_evidence_and_says_so(
    world: World, sessions: dict[str, UserSession]
) -> None:
    from sqlalchemy import update

    from console.store.models import EVIDENCE, OUTBOX

    def synced(connection: Any) -> None:  # what a successful sync records
        connection.execute(update(OUTBOX).values(done_at=utc_now()))
        connection.execute(update(EVIDENCE).values(central_state="confirmed"))

    world.store.writer.submit(synced).result(10)
    hold(world, sessions["sup"])
    report = prune_local(
        world.store, now=utc_now(), max_age=timedelta(hours=1), actor=sessions["sup"]
    )
    assert (report.evidence_pruned, report.kept_on_hold) == (0, 1)
    assert Path(world.alert.evidence[0].path).exists()
    summary = [d for u, a, d in entries(world.store) if a == "deletion"][-1]
    assert summary["kept_on_legal_hold"] == 1 and summary["evidence_pruned"] == 0
    hold_lifted = set_legal_hold(world.store, sessions["sup"], world.alert.id, False, world.audit)
    hold_lifted.result(10)
    report = prune_local(
        world.store, now=utc_now(), max_age=timedelta(hours=1), actor=sessions["sup"]
    )
    assert (report.evidence_pruned, report.kept_on_hold) == (1, 0)
    assert not Path(world.alert.evidence[0].path).exists()
    pruned = [(u, d) for u, a, d in entries(world.store) if a == "evidence.pruned"]
    assert pruned == [("sup", pruned[0][1])] and pruned[0][1]["alert_id"] == str(world.alert.id)


def test_the_retention_job_acts_as_system_and_only_deletes(world: World) -> None:
    prune_local(world.store, now=utc_now(), max_age=timedelta(days=30), actor=RETENTION_JOB)
    assert authorize(RETENTION_JOB, Permission.DELETE_DATA, world.audit, "prune") == "system"
    with pytest.raises(PermissionError, match="retention job may not"):
        authorize(RETENTION_JOB, Permission.VIEW_EVIDENCE, world.audit, "open evidence")
    other = SystemJob("report", frozenset())
    with pytest.raises(PermissionError):
        prune_local(world.store, now=utc_now(), max_age=timedelta(days=30), actor=other)
    refusals = [d for u, a, d in entries(world.store) if a == "permission.denied"]
    assert [(d["job"], d["permission"]) for d in refusals] == [
        ("retention", "view_evidence"),
        ("report", "delete_data"),
    ]


def test_nobody_logged_in_is_refused_and_audited(world: World) -> None:
    with pytest.raises(NotLoggedInError, match="log in first"):
        open_evidence(None, world.alert, world.audit)
    assert ("(nobody)", "permission.denied") in [(u, a) for u, a, _ in entries(world.store)]


def test_a_locked_session_is_refused_even_with_the_permission(
    world: World, sessions: dict[str, UserSession]
) -> None:
    supervisor = sessions["sup"]
    supervisor.lock()
    with pytest.raises(PermissionError, match="locked"):
        set_legal_hold(world.store, supervisor, world.alert.id, True, world.audit)
    with world.store.session() as session:
        assert hold_state(session, world.alert.id) is HoldState.NOT_HELD


def test_every_documented_permission_that_guards_an_action_is_covered() -> None:
    """Alerts, users, training scenarios and the watch-list are guarded elsewhere.

    (test_auth.py and the plate tests); every other permission has a case above.
    """
    elsewhere = {
        "view_live",
        "act_on_alerts",
        "act_on_training_alerts",
        "manage_users",
        "create_training_scenario",
        "manage_watchlist",
    }
    assert {p.value for p in Permission} - elsewhere == {p.value for p in GUARDED}
