"""``roadwatch plates``: search by plate and keep the watch-list, as a logged-in user.

Run through the installed entry point: no login -> exit 2, a role without the permission is
refused by the core (exit 1, audited), a role with it succeeds and is audited.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from console.domain.plates import PlateColour, PlateRead
from console.security.roles import UserSession
from console.store import plate_jobs
from console.store.local import LocalStore
from tests.core.test_auth_support import (  # noqa: F401 (fixtures used by name)
    accounts_fixture,
    audit_fixture,
    sessions_fixture,
    store_fixture,
)
from tests.core.test_store_support import make_alert
from tests.integration.test_commands_entry_point import Home, describe
from tests.integration.test_permission_commands import (
    assert_not_logged_in,
    audit_rows,
    home_fixture,  # noqa: F401 (fixture used by name)
    password,
)

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_plate_search_and_watch_list_through_the_entry_point(
    home: Home, sessions: dict[str, UserSession], store: LocalStore
) -> None:
    plate = PlateRead("29-B1 123.45", PlateColour.WHITE, 0.91, 2, True)
    alert = make_alert(plate=plate)
    store.writer.save_alert(alert).result(10)
    store.writer.save_alert(make_alert()).result(10)  # no plate: never found
    db = ("--db", str(store.path))

    assert_not_logged_in(home.run("plates", "search", "29b1", *db, "--user", "op"))
    found = json.loads(
        home.ok("plates", "search", "29 b1.12", *db, "--json", "--user", "op", env=password("op"))
    )
    assert [row["alert_id"] for row in found["alerts"]] == [str(alert.id)]
    assert found["alerts"][0]["plate"] == "29-B1 123.45"
    none = home.ok("plates", "search", "30E", *db, "--user", "op", env=password("op"))
    assert "0 alert(s)" in none
    refused = home.run("plates", "search", "29", *db, "--user", "admin", env=password("admin"))
    assert refused.returncode == 1 and "view_evidence" in refused.stderr, describe(refused)

    watch = ("plates", "watch", "29-B1 123.45", "--reason", "reported stolen", *db)
    refused = home.run(*watch, "--user", "op", env=password("op"))
    assert refused.returncode == 1 and "manage_watchlist" in refused.stderr, describe(refused)
    assert "29B112345" in home.ok(*watch, "--user", "sup", env=password("sup"))
    listing = home.ok("plates", "watchlist", *db, "--user", "op", env=password("op"))
    assert "29-B1 123.45" in listing and "reported stolen" in listing
    with store.session() as session:
        assert [w.key for w in plate_jobs.watchlist(session)] == ["29B112345"]
    sup = ("--user", "sup")
    bad = home.run("plates", "watch", "ab", *db, "--reason", "x", *sup, env=password("sup"))
    assert bad.returncode == 1 and "not a plate" in bad.stderr, describe(bad)
    home.ok("plates", "unwatch", "29b112345", *db, "--user", "sup", env=password("sup"))
    again = home.run("plates", "unwatch", "29b112345", *db, "--user", "sup", env=password("sup"))
    assert again.returncode == 1 and "not on the watch-list" in again.stderr

    rows = audit_rows(store)
    denied = [(u, d["permission"]) for u, a, d in rows if a == "permission.denied"]
    assert denied == [("admin", "view_evidence"), ("op", "manage_watchlist")]
    searches = [d["query"] for u, a, d in rows if a == "plate.search"]
    assert searches == ["29 b1.12", "30E"]
    changes = [(u, a) for u, a, _ in rows if a.startswith("watchlist.")]
    assert changes == [("sup", "watchlist.added"), ("sup", "watchlist.removed")]


def test_plates_commands_refuse_a_missing_database(home: Home, tmp_path: Path) -> None:
    result = home.run("plates", "watchlist", "--db", str(tmp_path / "none.sqlite"), "--user", "op")
    assert result.returncode == 1 and "no local database" in result.stderr
