"""The services around a site's cameras, as the console and `roadwatch analyze` build them."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from console.app.site_services import SiteServices
from console.config.site_file import load_site_text
from console.domain.health import StreamState
from console.pipeline.runtime import RuntimeOptions, SiteRuntime
from console.store import queries
from console.store.local import LocalStore
from tests.core.test_capture import SITE, wait_for

CENTRAL = "central: {url: 'postgresql+psycopg://rw:${RW_TEST_UNSET_PASSWORD}@127.0.0.1/test'}\n"


def broken_camera_site(tmp_path: Path, central: str = "") -> str:
    camera = (
        "  - {id: gone, name: gone, route: QL1, km: 1, lat: 21, lon: 106, "
        f"streams: {{main: '{tmp_path / 'absent.mp4'}'}}}}"
    )
    return SITE.format(cameras=camera) + central


def open_services(
    tmp_path: Path, site_text: str, environ: dict[str, str] | None = None
) -> SiteServices:
    site = load_site_text(site_text, environ=environ)
    runtime = SiteRuntime(site, options=RuntimeOptions(analyse=False))
    return SiteServices.open(
        site,
        runtime,
        store_path=tmp_path / "data" / "roadwatch.sqlite",
        evidence_folder=tmp_path / "data" / "evidence",
        console_id="node-1",
    )


def test_a_camera_outage_is_stored_while_the_services_run(tmp_path: Path) -> None:
    services = open_services(tmp_path, broken_camera_site(tmp_path))
    services.start()
    services.runtime.start()
    try:
        assert wait_for(lambda: services.outages.since(datetime.now(UTC) - timedelta(hours=1)))
    finally:
        services.runtime.stop(timeout_s=1.0)
        services.stop(flush_evidence=True, wait_s=2.0, sync_wait_s=1.0)
    reopened = LocalStore.open(tmp_path / "data" / "roadwatch.sqlite")
    try:
        with reopened.session() as session:
            stored = queries.health_incidents(session, datetime.now(UTC) - timedelta(hours=1))
    finally:
        reopened.close()
    assert [(i.camera_id, i.state) for i in stored] == [("gone", StreamState.ERROR.value)]
    assert "file not found" in stored[0].reason


def test_an_unset_central_password_leaves_the_site_working_on_its_local_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The site file checked out where the variable was set; this process lacks it."""
    monkeypatch.delenv("RW_TEST_UNSET_PASSWORD", raising=False)
    checked_with = {"RW_TEST_UNSET_PASSWORD": "secret"}
    with caplog.at_level(logging.ERROR):
        services = open_services(tmp_path, broken_camera_site(tmp_path, CENTRAL), checked_with)
    assert services.sync is None
    assert "central sync disabled" in caplog.text and "RW_TEST_UNSET_PASSWORD" in caplog.text
    services.start()
    services.stop(flush_evidence=True, wait_s=2.0, sync_wait_s=1.0)
    assert not services.evidence.is_alive() and not services.retention.is_alive()


def test_stopping_before_start_closes_the_store_and_starts_no_thread(tmp_path: Path) -> None:
    """The path taken when the model fails to load: nothing may hang or be left open."""
    before = set(threading.enumerate())
    services = open_services(tmp_path, broken_camera_site(tmp_path))
    services.stop(flush_evidence=False, wait_s=0.0, sync_wait_s=0.0)
    assert set(threading.enumerate()) <= before
    # Closed: the file can be opened (and migrated) again by the next run at once.
    LocalStore.open(tmp_path / "data" / "roadwatch.sqlite").close()


class _ModelOn:
    def __init__(self, device: str) -> None:
        self.device = device

    def predict(self, images, confidence=0.25, classes=None, image_size=None):  # type: ignore[no-untyped-def]
        return []


def test_the_detector_takes_one_frame_per_call_on_a_cpu_and_batches_on_a_gpu(
    tmp_path: Path,
) -> None:
    site = load_site_text(broken_camera_site(tmp_path))
    for device, batch in (("cpu", 1), ("cuda:0", 4)):
        runtime = SiteRuntime(site, model=_ModelOn(device))  # type: ignore[arg-type]
        runtime.start()
        try:
            assert runtime.detector is not None and runtime.detector.max_batch == batch
        finally:
            runtime.stop(timeout_s=1.0)
    runtime = SiteRuntime(site, model=_ModelOn("cpu"), options=RuntimeOptions(max_batch=3))  # type: ignore[arg-type]
    runtime.start()
    try:
        assert runtime.detector is not None and runtime.detector.max_batch == 3
    finally:
        runtime.stop(timeout_s=1.0)
