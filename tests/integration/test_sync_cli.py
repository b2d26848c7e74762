"""``roadwatch sync --once --site FILE`` against a real PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from console.cli.main import main
from console.config.site_file import demo_site_path
from console.store.local import LocalStore, default_store_path
from console.sync import central_schema as central
from console.sync.central import CentralDb
from tests.core.test_store_support import make_alert
from tests.integration.test_sync_support import central_url_fixture  # noqa: F401

pytestmark = pytest.mark.integration


@pytest.mark.slow
def test_sync_once_pushes_the_local_cache_named_by_the_site_file(
    central_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    site = tmp_path / "site.yaml"
    site.write_text(
        demo_site_path().read_text(encoding="utf-8")
        + f"storage:\n  data_dir: {data}\ncentral:\n  url: {central_url}\n  sslmode: disable\n",
        encoding="utf-8",
    )
    with LocalStore.open(default_store_path(data), console_id="console-1") as store:
        for _ in range(3):
            store.writer.save_alert(make_alert())

    assert main(["sync", "--once", "--site", str(site)]) == 0

    assert "pushed 3" in capsys.readouterr().out
    db = CentralDb(central_url)
    try:
        with db.engine.connect() as connection:
            assert (
                connection.execute(select(func.count()).select_from(central.alerts)).scalar() == 3
            )
    finally:
        db.dispose()


def test_sync_without_central_settings_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sync", "--once", "--site", str(demo_site_path())]) == 1
    assert "no 'central' storage configured" in capsys.readouterr().err
