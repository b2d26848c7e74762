"""Plate actions checked in the core: who may correct a plate, read one, keep the watch-list.

A role without the permission is refused at the core call and the refusal is in the audit
trail; a role with it succeeds and the success is audited with what it changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import cv2
import pytest
from sqlalchemy import select

from console.alerts.plate_desk import PlateDesk, PlateNotValidError, operator_plate
from console.alerts.service import AlertService
from console.domain.plates import PlateColour, PlateRead, PlateSource
from console.domain.records import Alert
from console.plates.watchlist import WatchlistMonitor
from console.security.audit import AuditLog
from console.security.roles import Permission, PermissionDeniedError, UserSession
from console.store import plate_jobs, queries
from console.store.audit_chain import STORAGE_ORDER
from console.store.local import LocalStore
from console.store.models import AUDIT
from tests.conftest import load_demo_site, require
from tests.core.plate_images import FONT, drawn_plate
from tests.core.test_auth_support import (  # noqa: F401 (fixtures used by name)
    accounts_fixture,
    audit_fixture,
    sessions_fixture,
    store_fixture,
)
from tests.core.test_store_support import make_alert, write_evidence


def audit_rows(store: LocalStore) -> list[tuple[str, str, dict[str, object]]]:
    store.writer.flush().result(10)
    with store.session() as session:
        rows = session.execute(
            select(AUDIT.c.user, AUDIT.c.action, AUDIT.c.details).order_by(STORAGE_ORDER)
        ).all()
    return [(row.user, row.action, dict(row.details or {})) for row in rows]


@pytest.fixture(name="desk")
def desk_fixture(store: LocalStore, audit: AuditLog) -> Iterator[PlateDesk]:
    site = load_demo_site()
    desk = PlateDesk(AlertService(site), store, audit)
    yield desk
    desk.close()


@pytest.fixture(name="alert")
def alert_fixture(store: LocalStore, desk: PlateDesk) -> Alert:
    camera = load_demo_site().cameras[0].id
    alert = make_alert(camera_id=camera)
    store.writer.save_alert(alert).result(10)
    desk.service.alerts.put(alert)
    return alert


@pytest.mark.parametrize("name", ["trainer", "admin"])
def test_correcting_a_plate_needs_act_on_alerts_and_a_refusal_is_audited(
    name: str, desk: PlateDesk, alert: Alert, store: LocalStore, sessions: dict[str, UserSession]
) -> None:
    with pytest.raises(PermissionDeniedError, match=Permission.ACT_ON_ALERTS.value):
        desk.correct(sessions[name], alert, "30E-123.45", PlateColour.WHITE)
    assert (name, "permission.denied") in [(u, a) for u, a, _ in audit_rows(store)]
    with store.session() as session:
        assert plate_jobs.plates_of(session, [alert.id]) == {}


def test_an_operator_corrects_a_plate_audited_and_shown_in_the_queue(
    desk: PlateDesk, alert: Alert, store: LocalStore, sessions: dict[str, UserSession]
) -> None:
    shown = desk.correct(sessions["op"], alert, "30e 12345", PlateColour.YELLOW).result(10)
    assert shown.plate is not None and shown.plate.text == "30E-123.45"
    assert shown.plate.source is PlateSource.OPERATOR and shown.plate.colour is PlateColour.YELLOW
    held = desk.service.alerts.get(alert.id)
    assert held is not None and held.plate == shown.plate
    [entry] = [e for e in audit_rows(store) if e[1] == "plate.corrected"]
    assert entry[0] == "op" and entry[2]["plate"] == "30E-123.45"
    with store.session() as session:
        assert [a.id for a in queries.list_alerts(session, plate="30E123")] == [alert.id]
    with pytest.raises(PlateNotValidError, match="not a Vietnamese plate"):
        desk.correct(sessions["op"], alert, "hello", PlateColour.WHITE)


@pytest.mark.parametrize("name", ["op", "trainer", "admin"])
def test_the_watch_list_needs_manage_watchlist_and_a_refusal_is_audited(
    name: str, desk: PlateDesk, store: LocalStore, sessions: dict[str, UserSession]
) -> None:
    with pytest.raises(PermissionDeniedError, match=Permission.MANAGE_WATCHLIST.value):
        desk.watch(sessions[name], "30E-123.45", "stolen")
    with pytest.raises(PermissionDeniedError):
        desk.unwatch(sessions[name], "30E-123.45")
    denied = [e for e in audit_rows(store) if e[1] == "permission.denied"]
    assert [user for user, _, _ in denied] == [name, name]
    assert denied[0][2]["permission"] == "manage_watchlist"
    with store.session() as session:
        assert plate_jobs.watchlist(session) == []


def test_a_supervisor_keeps_the_watch_list_and_a_read_plate_on_it_raises_an_alert(
    desk: PlateDesk, alert: Alert, store: LocalStore, sessions: dict[str, UserSession]
) -> None:
    assert desk.watch(sessions["sup"], "30E-123.45", "reported stolen").result(10) == "30E12345"
    raised: list[Alert] = []
    desk.service.plate_listeners.append(WatchlistMonitor(store, raised.append))
    desk.correct(sessions["op"], alert, "30E-123.45", PlateColour.WHITE).result(10)
    assert [a.type.value for a in raised] == ["watchlist"]
    assert raised[0].event.values["reason"] == "reported stolen"
    assert desk.unwatch(sessions["sup"], "30e12345").result(10) is True
    actions = [(u, a) for u, a, _ in audit_rows(store)]
    assert ("sup", "watchlist.added") in actions and ("sup", "watchlist.removed") in actions


def test_read_now_reads_the_stored_evidence_and_needs_view_evidence(
    desk: PlateDesk, store: LocalStore, sessions: dict[str, UserSession], tmp_path: Path
) -> None:
    require(FONT.exists(), f"{FONT} (Debian fonts-noto-core, installed by make system-deps)")
    ok, jpeg = cv2.imencode(".jpg", drawn_plate(["29-B1", "123.45"]))
    assert ok
    crop = write_evidence(tmp_path, jpeg.tobytes(), kind="crop")
    real = Path(crop.path).with_suffix(".jpg")
    Path(crop.path).rename(real)
    alert = make_alert(evidence=(replace(crop, path=str(real)),))
    store.writer.save_alert(alert).result(10)
    with pytest.raises(PermissionDeniedError):
        desk.read_now(sessions["admin"], alert)
    read = desk.read_now(sessions["op"], alert).result(60)
    assert isinstance(read, PlateRead) and read.text == "29-B1 123.45" and read.lines == 2
    with store.session() as session:
        stored = queries.get_alert(session, alert.id)
    assert stored is not None and stored.plate is not None and stored.plate.text == read.text


def test_operator_plate_canonical_form() -> None:
    assert operator_plate("29b1-12345", PlateColour.WHITE).text == "29-B1 123.45"
    assert operator_plate("29b1-12345", PlateColour.WHITE).lines == 2
