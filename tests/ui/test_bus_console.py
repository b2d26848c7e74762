"""The console on a site bus (real nats-server): display only, queue and status from the bus."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from console.bus.client import BusClient
from console.bus.keeper import LeaseKeeper
from console.bus.local_server import LocalNatsServer
from console.bus.messages import alert_message, encode
from console.bus.outbox import Outbox, Outgoing
from console.bus.streams import ensure_site_streams
from console.bus.subjects import SiteSubjects
from console.config.site import BusSettings
from console.config.site_file import SiteConfig
from console.domain.records import Alert, AlertType, Event, Severity, utc_now
from tests.ui.gui_thread_sqlite import no_sqlite_on_gui_thread  # noqa: F401 (fixture)
from ui.app import user_settings
from ui.main_window import MainWindow
from ui.session import ConsoleSession

pytestmark = [pytest.mark.usefixtures("no_sqlite_on_gui_thread"), pytest.mark.slow]
CAMERAS = 6  # on a 2x2 wall: four shown, two not


class Node:
    """A node's lease round (the real LeaseKeeper) and an outbox, without cameras."""

    def __init__(self, site: SiteConfig) -> None:
        assert site.bus is not None
        self.subjects = SiteSubjects(site.site.id)
        self.client = BusClient(site.bus, name="test-node")
        self.client.on_connect(lambda: ensure_site_streams(self.client.js, self.subjects, 3.0))
        self.taken: list[str] = []
        self.keeper = LeaseKeeper(
            self.client,
            self.subjects,
            node_id="node-a",
            capacity=8,
            ttl_s=3.0,
            cameras=[c.id for c in site.cameras],
            take=lambda camera, lease: self.taken.append(camera),
            drop=lambda camera: None,
        )
        self.outbox = Outbox(self.client)

    def start(self) -> None:
        self.client.start()
        assert self.client.wait_connected(10)
        self.outbox.start()
        self.keeper.start()

    def raise_alert(self, alert: Alert) -> None:
        epoch = self.keeper.leases.epoch(alert.camera_id) or 0
        message = alert_message(alert, site=self.subjects.site_id, node="node-a", epoch=epoch)
        subject = self.subjects.alert(alert.camera_id)
        self.outbox.put(Outgoing(subject, encode(message), str(alert.id)))

    def stop(self) -> None:
        self.keeper.stop()
        self.outbox.flush(5)
        self.outbox.stop()
        self.client.stop()


@pytest.fixture
def bus_site(demo_site: SiteConfig, nats_server: LocalNatsServer) -> SiteConfig:
    return demo_site.model_copy(
        update={
            "cameras": demo_site.cameras[:CAMERAS],
            "bus": BusSettings(servers=[nats_server.url], lease_ttl_s=3.0),
        },
        deep=True,
    )


@pytest.fixture
def bus_console(bus_site: SiteConfig, qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    session = ConsoleSession(bus_site, database=tmp_path / "db.sqlite3")
    window = MainWindow(session.site, user_settings(), session, sound_player=lambda alert: None)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.wall.set_layout("2x2")
    session.start()
    yield window
    window.close()


def an_alert(camera_id: str) -> Alert:
    now = utc_now()
    event = Event(
        type=AlertType.WRONG_WAY,
        camera_id=camera_id,
        started_at=now,
        ended_at=now + timedelta(seconds=1),
        severity=Severity.CRITICAL,
        track_id=5,
        class_name="car",
        box_xyxy=(10.0, 10.0, 60.0, 50.0),
        rule_id="wrong-way",
        message="car against traffic",
    )
    return Alert(event=event, priority=Severity.CRITICAL)


def test_a_bus_console_loads_no_model_and_decodes_only_the_visible_tiles(
    bus_console: MainWindow, qtbot: QtBot
) -> None:
    session = bus_console.session
    assert session is not None and session.display_only
    shown = {tile.camera.id for tile in bus_console.wall.visible_tiles() if tile.camera}
    assert len(shown) == 4
    qtbot.waitUntil(lambda: set(session.runtime.cameras) == shown, timeout=120_000)
    assert session.runtime.detector is None and session.runtime.model is None
    bus_console.wall.set_layout("1")  # one tile: the others stop decoding
    one = {tile.camera.id for tile in bus_console.wall.visible_tiles() if tile.camera}
    qtbot.waitUntil(lambda: set(session.runtime.cameras) == one, timeout=10_000)


def test_alerts_and_the_nodes_reach_the_queue_and_status_bar(
    bus_console: MainWindow, bus_site: SiteConfig, nats_server: LocalNatsServer, qtbot: QtBot
) -> None:
    node = Node(bus_site)
    node.start()
    try:
        qtbot.waitUntil(lambda: len(node.taken) == CAMERAS, timeout=15_000)
        alert = an_alert(bus_site.cameras[0].id)
        node.raise_alert(alert)
        qtbot.waitUntil(lambda: bus_console.queue_model.rowCount() == 1, timeout=5_000)
        assert bus_console.queue_model.alert_at(0).id == alert.id
        qtbot.waitUntil(
            lambda: (
                "1 node" in bus_console.status.fps_label.text()
                and f"{CAMERAS} of {CAMERAS}" in bus_console.status.fps_label.text()
            ),
            timeout=10_000,
        )
        node.keeper.stop()  # the node goes: its cameras are left unowned
        qtbot.waitUntil(
            lambda: (
                f"{CAMERAS} camera(s) not analysed" in bus_console.status.notice_label.full_text()
            ),
            timeout=15_000,
        )
        nats_server.stop()
        qtbot.waitUntil(
            lambda: "BUS OFFLINE" in bus_console.status.fps_label.text(), timeout=15_000
        )
        nats_server.start()
        qtbot.waitUntil(
            lambda: "BUS OFFLINE" not in bus_console.status.fps_label.text(), timeout=20_000
        )
    finally:
        node.outbox.stop()
        node.client.stop()
