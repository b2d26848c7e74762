"""The whole site on one machine: two analytics nodes (``roadwatch node``) on real RTSP
cameras, two display consoles, a real nats-server and a real central PostgreSQL.
Each incident is one alert, on both consoles, once in central storage; an action on one
console reaches the other."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from console.alerts.service import AlertService
from console.bus.client import BusClient
from console.bus.console_link import ConsoleBusLink
from console.bus.local_server import LocalNatsServer
from console.config.site_file import SiteConfig, load_site
from console.domain.records import AlertStatus
from console.sim.clip_cache import clip_path, missing_clips, render_missing
from console.store.local import LocalStore
from console.store.sink import StoreSink
from tests.integration.bus_support import NodeProcess, bus_site_file, wait_until
from tests.integration.conftest import RtspServerFactory
from tests.integration.test_bus_nodes import assert_one_alert_per_incident, stream_alerts
from tests.integration.test_sync_support import (  # noqa: F401 (fixture by name)
    central_url_fixture,
)

pytestmark = [pytest.mark.integration, pytest.mark.slow]
CAMERAS = {  # incidents that recur every loop of their clip
    "ql1-km122-nhu-nguyet": "sim://highway?seed=101&scenario=wrong_way",
    "ql1-km129-dai-phuc": "sim://intersection?seed=102&scenario=red_light",
}


class Console:
    def __init__(self, site: SiteConfig, name: str, folder: Path) -> None:
        assert site.bus is not None
        self.store = LocalStore.open(folder / f"{name}.sqlite", console_id=name)
        self.alerts = AlertService(site, sink=StoreSink(self.store), console_id=name)
        self.link = ConsoleBusLink(
            site, self.alerts, self.store, BusClient(site.bus, name=name), console_id=name
        )
        self.link.start()

    def ids(self) -> set[str]:
        return {str(alert_id) for alert_id in self.alerts.alerts}

    def close(self) -> None:
        self.link.stop()
        self.store.close()


@pytest.fixture
def site_file(
    nats_server: LocalNatsServer,
    rtsp_server_factory: RtspServerFactory,
    central_url: str,
    tmp_path: Path,
) -> Iterator[Path]:
    missing = missing_clips(CAMERAS.values())
    if missing:
        render_missing(missing, None)
    server = rtsp_server_factory(
        {f"/{camera}": clip_path(url) for camera, url in CAMERAS.items()}, reencode=True
    )
    yield bus_site_file(
        tmp_path / "site",
        nats_server.url,
        CAMERAS,
        lease_ttl_s=4.0,
        main_streams={camera: server.url(f"/{camera}") for camera in CAMERAS},
        central_url=central_url,
    )


def test_two_nodes_and_two_consoles_see_each_incident_once(
    site_file: Path, nats_server: LocalNatsServer, central_url: str, tmp_path: Path
) -> None:
    site = load_site(site_file)
    nodes = [
        NodeProcess(site_file, f"node-{n}", tmp_path / f"node-{n}", capacity=2) for n in (1, 2)
    ]
    consoles = [Console(site, f"console-{n}", tmp_path) for n in (1, 2)]
    for node in nodes:
        node.start()
    try:
        assert wait_until(lambda: all(len(c.ids()) >= 2 for c in consoles), 240, 1.0), (
            nodes[0].output() + nodes[1].output()
        )
        time.sleep(8)  # more incidents, each camera on one node
        north, south = consoles
        first = next(iter(north.alerts.alerts.values()))
        started = time.monotonic()
        north.alerts.act(first.id, AlertStatus.ACKNOWLEDGED, actor="lan").result(10)
        assert wait_until(
            lambda: (
                (held := south.alerts.alerts.get(first.id)) is not None
                and held.status is AlertStatus.ACKNOWLEDGED
            ),
            2.0,
            0.02,
        )
        assert time.monotonic() - started < 2.0
        closed = south.alerts.act(first.id, AlertStatus.FALSE_POSITIVE, actor="minh", note="x")
        assert closed.result(10).status is AlertStatus.FALSE_POSITIVE  # allowed once acked
        assert wait_until(
            lambda: (
                (held := north.alerts.alerts.get(first.id)) is None
                or held.status is AlertStatus.FALSE_POSITIVE
            ),
            2.0,
            0.02,
        )
        on_bus = {str(m.alert.id) for m in stream_alerts(nats_server)}
        assert wait_until(lambda: north.ids() >= on_bus and south.ids() >= on_bus, 10, 0.5)
        engine = create_engine(central_url.replace("postgresql://", "postgresql+psycopg://"))

        def central_ids() -> list[str]:
            with engine.connect() as connection:
                return [str(r[0]) for r in connection.execute(text("SELECT id FROM alerts"))]

        assert wait_until(lambda: set(central_ids()) >= on_bus, 90, 1.0), "nodes never synced"
        rows = central_ids()
        assert len(rows) == len(set(rows)), "an alert is stored twice centrally"
        engine.dispose()
    finally:
        for node in nodes:
            node.stop()
        for console in consoles:
            console.close()
    alerts = stream_alerts(nats_server)
    assert_one_alert_per_incident(alerts)
    assert {m.node for m in alerts} <= {"node-1", "node-2"}
