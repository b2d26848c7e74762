"""Small builders for UI tests: a console session on a temporary database, alerts to raise."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from console.config.site_file import SiteConfig
from console.domain.records import Alert, AlertType, Event, Severity, frozen_values, utc_now
from console.pipeline.runtime import RuntimeOptions
from console.security.roles import Role, UserSession
from tests.conftest import load_demo_site
from ui.session import ConsoleSession


@contextmanager
def console_session(tmp_path: Path, site: SiteConfig | None = None) -> Iterator[ConsoleSession]:
    """A session whose runtime is never started: alerts and the store only."""
    session = ConsoleSession(
        site or load_demo_site(),
        database=tmp_path / "db.sqlite3",
        options=RuntimeOptions(analyse=False),
    )
    try:
        yield session
    finally:
        session.stop()


def make_alert(
    camera_id: str,
    kind: AlertType = AlertType.STOPPED_VEHICLE,
    priority: Severity = Severity.HIGH,
    minutes_ago: float = 0.0,
    message: str = "car stopped 42 s in the emergency lane",
) -> Alert:
    at = utc_now() - timedelta(minutes=minutes_ago)
    event = Event(
        kind,
        camera_id,
        at,
        at,
        priority,
        track_id=7,
        class_name="car",
        box_xyxy=(100.0, 120.0, 220.0, 200.0),
        values=frozen_values({"dwell_s": 42.0, "speed_kmh": 0.0}),
        rule_id=f"{camera_id}:{kind.value}",
        message=message,
    )
    return Alert(event, priority, created_at=at, updated_at=at)


def raise_alert(session: ConsoleSession, alert: Alert) -> Alert:
    session.alerts.raise_alert(alert)
    return alert


def signed_in(session: ConsoleSession, role: Role, username: str = "") -> UserSession:
    """Log a real user of ``role`` in to the session (its first administrator made if need be).

    The core checks every guarded action against this user, as in the running console.
    """
    from argon2 import PasswordHasher

    accounts = session.accounts
    accounts.hasher = PasswordHasher(time_cost=1, memory_cost=8192)  # quick on 2 cores
    password = "test-password-" + role.value
    if accounts.count() == 0:
        accounts.create_first_admin("admin", "test-password-admin")
    name = username or role.value
    if role is not Role.ADMIN or name != "admin":
        admin = accounts.login("admin", "test-password-admin")
        accounts.create_user(admin, name, password, role)
        accounts.logout(admin)
    user = accounts.login(name, password if name != "admin" else "test-password-admin")
    session.sign_in(user)
    return user
