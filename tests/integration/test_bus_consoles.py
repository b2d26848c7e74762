"""Two display consoles on a real nats-server: one alert per incident on both, actions seen
everywhere within a second, "already acknowledged by NAME", bus outage and recovery."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest

from console.alerts.service import AlertService
from console.bus.client import BusClient
from console.bus.console_link import ConsoleBusLink
from console.bus.local_server import LocalNatsServer
from console.bus.messages import alert_message, encode
from console.bus.outbox import Outbox, Outgoing
from console.bus.streams import ensure_site_streams
from console.bus.subjects import SiteSubjects
from console.config.site import BusSettings
from console.config.site_file import SiteConfig
from console.domain.records import Alert, AlertStatus, AlertType, Event, Severity, utc_now
from console.store import queries
from console.store.local import LocalStore
from console.store.sink import StoreSink
from tests.conftest import load_demo_site
from tests.integration.bus_support import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@dataclass
class Console:
    name: str
    store: LocalStore
    alerts: AlertService
    link: ConsoleBusLink

    def status(self, alert: Alert) -> AlertStatus | None:
        held = self.alerts.alerts.get(alert.id)
        return held.status if held is not None else None


def site_on(server: LocalNatsServer) -> SiteConfig:
    site = load_demo_site()
    return site.model_copy(
        update={"bus": BusSettings(servers=[server.url], lease_ttl_s=3.0)}, deep=True
    )


@pytest.fixture
def consoles(nats_server: LocalNatsServer, tmp_path: Path) -> Iterator[Callable[[str], Console]]:
    opened: list[Console] = []

    def open_console(name: str) -> Console:
        site = site_on(nats_server)
        store = LocalStore.open(tmp_path / f"{name}.sqlite", console_id=name)
        alerts = AlertService(site, sink=StoreSink(store), console_id=name)
        client = BusClient(site.bus, name=name)  # type: ignore[arg-type]
        link = ConsoleBusLink(site, alerts, store, client, console_id=name)
        link.start()
        assert client.wait_connected(10)
        console = Console(name, store, alerts, link)
        opened.append(console)
        return console

    yield open_console
    for console in opened:
        console.link.stop()
        console.store.close()


class Node:
    """Publishes alerts as an analytics node does (outbox, alert id as message id)."""

    def __init__(self, server: LocalNatsServer) -> None:
        site = site_on(server)
        self.subjects = SiteSubjects(site.site.id)
        self.client = BusClient(site.bus, name="test-node")  # type: ignore[arg-type]
        self.client.on_connect(lambda: ensure_site_streams(self.client.js, self.subjects, 3.0))
        self.client.start()
        assert self.client.wait_connected(10)
        self.outbox = Outbox(self.client)
        self.outbox.start()

    def raise_alert(self, alert: Alert, epoch: int = 1) -> None:
        message = alert_message(alert, site=self.subjects.site_id, node="node-a", epoch=epoch)
        self.outbox.put(
            Outgoing(self.subjects.alert(alert.camera_id), encode(message), str(alert.id))
        )

    def stop(self) -> None:
        self.outbox.flush(5)
        self.outbox.stop()
        self.client.stop()


def an_alert(camera: str = "ql1-km122-nhu-nguyet") -> Alert:
    now = utc_now()
    event = Event(
        type=AlertType.WRONG_WAY,
        camera_id=camera,
        started_at=now,
        ended_at=now + timedelta(seconds=1),
        severity=Severity.CRITICAL,
        track_id=3,
        class_name="car",
        box_xyxy=(10.0, 10.0, 50.0, 40.0),
        rule_id="wrong-way",
        message="car against traffic",
    )
    return Alert(event=event, priority=Severity.CRITICAL)


def settle(future: Future[Alert]) -> BaseException | None:
    try:
        future.result(10)
    except Exception as error:
        return error
    return None


def test_each_alert_once_on_both_consoles_and_actions_reach_both_within_a_second(
    nats_server: LocalNatsServer, consoles: Callable[[str], Console]
) -> None:
    north, south = consoles("console-north"), consoles("console-south")
    node = Node(nats_server)
    try:
        alert = an_alert()
        node.raise_alert(alert)
        node.raise_alert(alert)  # a retry after a lost ack: the stream keeps one
        assert wait_until(lambda: north.status(alert) and south.status(alert), 5, 0.05)
        started = time.monotonic()
        north.alerts.act(alert.id, AlertStatus.ACKNOWLEDGED, actor="lan").result(10)
        assert wait_until(lambda: south.status(alert) is AlertStatus.ACKNOWLEDGED, 1.0, 0.02), (
            "the acknowledgement did not reach the other console within a second"
        )
        assert time.monotonic() - started < 1.5
        for console in (north, south):
            with console.store.session() as session:
                stored = queries.list_alerts(session, limit=10)
            assert [a.id for a in stored] == [alert.id]  # one alert, not two
            assert stored[0].status is AlertStatus.ACKNOWLEDGED
    finally:
        node.stop()


def test_two_operators_on_one_alert_get_already_acknowledged_by_name(
    nats_server: LocalNatsServer, consoles: Callable[[str], Console]
) -> None:
    north, south = consoles("console-north"), consoles("console-south")
    node = Node(nats_server)
    try:
        alert = an_alert()
        node.raise_alert(alert)
        assert wait_until(lambda: north.status(alert) and south.status(alert), 5, 0.05)
        # Both click before either sees the other's click.
        first = north.alerts.act(alert.id, AlertStatus.ACKNOWLEDGED, actor="lan")
        second = south.alerts.act(alert.id, AlertStatus.ACKNOWLEDGED, actor="minh")
        errors = [settle(first), settle(second)]
        refused = [e for e in errors if e is not None]
        assert len(refused) == 1, errors
        winner = "lan" if errors[0] is None else "minh"
        assert f"already acknowledged by {winner}" in str(refused[0])
        assert wait_until(
            lambda: north.status(alert) is south.status(alert) is AlertStatus.ACKNOWLEDGED, 2
        )
    finally:
        node.stop()


def test_consoles_recover_from_a_bus_outage_without_restart(
    nats_server: LocalNatsServer, consoles: Callable[[str], Console]
) -> None:
    north, south = consoles("console-north"), consoles("console-south")
    node = Node(nats_server)
    try:
        alert = an_alert()
        node.raise_alert(alert)
        assert wait_until(lambda: north.status(alert) and south.status(alert), 5, 0.05)
        nats_server.stop()
        assert wait_until(lambda: not north.link.online and not south.link.online, 15)
        # Offline the console decides alone and keeps the action for the bus.
        north.alerts.act(alert.id, AlertStatus.ACKNOWLEDGED, actor="lan").result(10)
        later = an_alert("ql1-km129-dai-phuc")
        node.raise_alert(later)  # the node keeps it in its outbox meanwhile
        nats_server.start()
        assert wait_until(lambda: north.link.online and south.link.online, 20)
        assert wait_until(lambda: south.status(alert) is AlertStatus.ACKNOWLEDGED, 15), (
            "the offline action never reached the other console"
        )
        assert wait_until(lambda: north.status(later) and south.status(later), 15), (
            "an alert raised during the outage never reached the consoles"
        )
    finally:
        node.stop()


def test_malformed_messages_on_the_alerts_stream_are_dropped(
    nats_server: LocalNatsServer, consoles: Callable[[str], Console]
) -> None:
    north = consoles("console-north")
    node = Node(nats_server)
    try:
        subject = node.subjects.alert("ql1-km122-nhu-nguyet")
        node.outbox.put(Outgoing(subject, b"\xff not json", "bad-1"))
        node.outbox.put(Outgoing(subject, b'{"kind": "alert", "v": 1, "site": "x"}', "bad-2"))
        alert = an_alert()
        node.raise_alert(alert)
        assert wait_until(lambda: north.status(alert) is AlertStatus.NEW, 5)
        assert north.link.malformed == 2
    finally:
        node.stop()


def test_a_third_party_consumer_reads_alerts_with_a_stock_nats_client(
    nats_server: LocalNatsServer, consoles: Callable[[str], Console]
) -> None:
    """docs/examples/alerts_consumer.py (nats-py only) sees an alert and its acknowledgement."""
    north = consoles("console-north")
    node = Node(nats_server)
    try:
        alert = an_alert()
        node.raise_alert(alert)
        assert wait_until(lambda: north.status(alert) is AlertStatus.NEW, 5)
        north.alerts.act(alert.id, AlertStatus.ACKNOWLEDGED, actor="lan").result(10)
        example = Path(__file__).resolve().parents[2] / "docs" / "examples" / "alerts_consumer.py"
        done = subprocess.run(
            [
                sys.executable,
                str(example),
                nats_server.url,
                load_demo_site().site.id,
                "--count",
                "2",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        node.stop()
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["kind"] for line in lines] == ["alert", "action"]
    assert lines[0]["alert"]["id"] == str(alert.id)
    assert lines[1]["action"] == "acknowledged" and lines[1]["actor"] == "lan"
    schema = json.loads((example.parents[1] / "events" / "alert.schema.json").read_text())
    jsonschema.validate({k: v for k, v in lines[0].items() if k != "subject"}, schema)
