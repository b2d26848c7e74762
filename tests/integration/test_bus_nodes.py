"""Analytics nodes (``roadwatch node`` processes) on a real nats-server: sharing, failover,
pause, bus outage. Nothing lost, nothing duplicated, no message under a stale epoch."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest

from console.bus.client import BusClient
from console.bus.history import read_stream
from console.bus.local_server import LocalNatsServer
from console.bus.messages import AlertMessage, decode
from console.bus.subjects import SiteSubjects
from console.config.site import BusSettings
from console.pipeline.policy import DEFAULT_COOLDOWN_S
from tests.integration.bus_support import (
    ROADWATCH,
    BusRecorder,
    NodeProcess,
    TcpProxy,
    bus_site_file,
    wait_until,
)

pytestmark = [pytest.mark.integration, pytest.mark.slow]
SITE_ID = "bus-test"
# Cameras whose simulated incidents recur within a minute (wrong way, red light, stopped).
CAMERAS = ["ql1-km122-nhu-nguyet", "ql1-km129-dai-phuc", "ql1-km141-tu-son", "ql1-km133-lim"]
START_S = 150.0  # first start renders the simulated clips and loads the model


def leases(server: LocalNatsServer, site_file: Path) -> dict[str, str]:
    """Camera -> owning node, through ``roadwatch cluster status --json`` (the entry point)."""
    done = subprocess.run(
        [str(ROADWATCH), "cluster", "status", str(site_file), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    view = json.loads(done.stdout)
    return {camera: lease["node"] for camera, lease in view["leases"].items()}


def stream_alerts(server: LocalNatsServer) -> list[AlertMessage]:
    client = BusClient(BusSettings(servers=[server.url]), name="test-reader")
    client.start()
    assert client.wait_connected(10)
    try:
        subjects = SiteSubjects(SITE_ID)
        kept = read_stream(client, f"{subjects.prefix}.alerts.>", datetime(2000, 1, 1).astimezone())
    finally:
        client.stop()
    return [decode(data, AlertMessage) for _subject, data in kept]


def stored_alert_ids(database: Path) -> set[uuid.UUID]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        rows = connection.execute("SELECT id FROM alerts").fetchall()
    return {uuid.UUID(str(row[0])) for row in rows}


def assert_no_stale_epochs(recorder: BusRecorder) -> None:
    """Live data (tracks, health) of a camera never goes back to an older lease epoch."""
    newest: dict[str, tuple[int, str]] = {}
    for seen in recorder.seen:
        message = seen.message
        if getattr(message, "kind", "") not in ("tracks", "health"):
            continue
        camera, epoch, node = message.camera_id, message.epoch, message.node  # type: ignore[attr-defined]
        before = newest.get(camera)
        assert before is None or epoch >= before[0], (
            f"{node} sent {message.kind} of {camera} under epoch {epoch} after "  # type: ignore[attr-defined]
            f"{before[1]} used epoch {before[0]}"
        )
        newest[camera] = (epoch, node)


def assert_one_alert_per_incident(alerts: list[AlertMessage]) -> None:
    """Unique ids; no two nodes raising one type on one camera within its cooldown."""
    ids = [message.alert.id for message in alerts]
    assert len(ids) == len(set(ids)), "an alert was stored twice on the bus"
    by_camera_type: dict[tuple[str, str], list[AlertMessage]] = defaultdict(list)
    for message in alerts:
        by_camera_type[(message.camera_id, message.alert.type.value)].append(message)
    for (camera, kind), raised in by_camera_type.items():
        raised.sort(key=lambda m: m.alert.started_at)
        cooldown = DEFAULT_COOLDOWN_S.get(raised[0].alert.type, 0.0)
        for before, after in zip(raised, raised[1:], strict=False):
            if before.node != after.node and cooldown > 0:
                gap = (after.alert.started_at - before.alert.started_at).total_seconds()
                assert gap >= cooldown, (
                    f"{kind} on {camera} raised by {before.node} and again by {after.node} "
                    f"{gap:.1f} s later (cooldown {cooldown:.0f} s): one incident, two alerts"
                )


def owned_by(server: LocalNatsServer, site_file: Path, node: str) -> list[str]:
    return sorted(c for c, n in leases(server, site_file).items() if n == node)


def test_nodes_share_cameras_and_take_over_from_a_paused_then_a_killed_node(
    nats_server: LocalNatsServer, tmp_path: Path
) -> None:
    """Two node processes share four cameras. node-a is paused (SIGSTOP) longer than the
    lease TTL: node-b takes its cameras, and node-a, resumed, never speaks under its old
    epoch. Then node-b is killed (SIGKILL): node-a analyses every camera again within 10 s.
    Alerts: each once on the bus, each in its node's store."""
    site_file = bus_site_file(tmp_path / "site", nats_server.url, CAMERAS, lease_ttl_s=3.0)
    recorder = BusRecorder.start(nats_server.url, SITE_ID)
    a = NodeProcess(site_file, "node-a", tmp_path / "a", capacity=4)
    b = NodeProcess(site_file, "node-b", tmp_path / "b", capacity=4)
    a.start()
    b.start()
    try:
        shared = wait_until(
            lambda: (
                len(owned_by(nats_server, site_file, "node-a")) == 2
                and len(leases(nats_server, site_file)) == 4
            ),
            START_S,
            step_s=1.0,
        )
        assert shared, f"cameras not shared 2/2: {leases(nats_server, site_file)}\n{a.output()}"
        time.sleep(6)  # both analyse and alert
        a.signal(signal.SIGSTOP)
        paused, paused_wall = time.monotonic(), time.time()
        assert wait_until(
            lambda: owned_by(nats_server, site_file, "node-b") == sorted(CAMERAS), 20, 0.5
        ), f"node-b did not take the paused node's cameras: {leases(nats_server, site_file)}"
        time.sleep(max(0.0, 6 - (time.monotonic() - paused)))
        a.signal(signal.SIGCONT)
        resumed, resumed_wall = time.monotonic(), time.time()
        # node-a renews nothing, drops its cameras, then takes its share back anew.
        assert wait_until(lambda: len(owned_by(nats_server, site_file, "node-a")) == 2, 60, 1.0), (
            f"node-a never took cameras back: {leases(nats_server, site_file)}"
        )
        for seen in list(recorder.seen):
            message = seen.message
            from_woken = seen.at_mono > resumed and getattr(message, "node", "") == "node-a"
            if from_woken and getattr(message, "kind", "") == "alert":
                raised = message.alert.created_at.timestamp()  # type: ignore[attr-defined]
                assert not paused_wall <= raised < resumed_wall, "alerted while paused"
        held_by_b = owned_by(nats_server, site_file, "node-b")
        killed = time.monotonic()
        b.kill()
        taken = wait_until(
            lambda: owned_by(nats_server, site_file, "node-a") == sorted(CAMERAS), 10, 0.25
        )
        assert taken, (
            f"node-a did not take {held_by_b} within 10 s: {leases(nats_server, site_file)}"
        )
        assert wait_until(
            lambda: (
                {
                    s.message.camera_id  # type: ignore[attr-defined]
                    for s in recorder.messages("tracks")
                    if s.at_mono > killed and s.message.node == "node-a"  # type: ignore[attr-defined]
                }
                >= set(held_by_b)
            ),
            15,
        ), "node-a took the leases but does not analyse the cameras"
        time.sleep(4)
    finally:
        assert a.stop() == 0, a.output()
        b.stop()
        recorder.stop()
    assert_no_stale_epochs(recorder)
    alerts = stream_alerts(nats_server)
    assert alerts, "no alert on the bus from four incident cameras"
    assert_one_alert_per_incident(alerts)
    assert {m.alert.id for m in alerts if m.node == "node-a"} <= stored_alert_ids(a.database)


def test_a_bus_outage_loses_and_duplicates_no_alert(
    nats_server: LocalNatsServer, tmp_path: Path
) -> None:
    site_file = bus_site_file(tmp_path / "site", nats_server.url, CAMERAS[:2], lease_ttl_s=3.0)
    node = NodeProcess(site_file, "node-a", tmp_path / "a", capacity=4)
    node.start()
    try:
        assert wait_until(lambda: len(leases(nats_server, site_file)) == 2, START_S, 1.0), (
            node.output()
        )
        assert wait_until(lambda: len(stored_alert_ids(node.database)) >= 1, 90, 1.0)
        nats_server.stop()  # the whole bus goes away
        before = len(stored_alert_ids(node.database))
        kept_offline = wait_until(lambda: len(stored_alert_ids(node.database)) > before, 120, 1.0)
        assert kept_offline, "the node raised no alert while the bus was down"
        assert "BUS OFFLINE" in node.output()
        nats_server.start()  # same port, same JetStream files
        assert wait_until(
            lambda: (
                stored_alert_ids(node.database) <= {m.alert.id for m in stream_alerts(nats_server)}
            ),
            60,
            1.0,
        ), "alerts raised during the outage never reached the bus"
    finally:
        assert node.stop() == 0, node.output()
    alerts = stream_alerts(nats_server)
    assert {m.alert.id for m in alerts} == stored_alert_ids(node.database)
    assert_one_alert_per_incident(alerts)


def stored_alert_times(database: Path) -> dict[uuid.UUID, tuple[str, float]]:
    """Alert id -> its camera and creation time (seconds since 1970) in a node's store."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        rows = connection.execute("SELECT id, camera_id, created_at FROM alerts").fetchall()
    return {
        uuid.UUID(str(alert_id)): (
            camera,
            datetime.fromisoformat(created).replace(tzinfo=UTC).timestamp(),
        )
        for alert_id, camera, created in rows
    }


def test_a_node_cut_off_from_the_bus_hands_over_and_sends_no_second_alert(
    nats_server: LocalNatsServer, tmp_path: Path
) -> None:
    """node-a reaches the bus through a relay that is cut for a while: node-b takes its
    cameras; node-a keeps analysing (for all it knows the bus is down for everyone), and once
    back it keeps off the bus the alerts it raised after its leases lapsed."""
    ttl = 3.0
    proxy = TcpProxy(nats_server.port)
    cameras = CAMERAS[:2]
    direct = bus_site_file(tmp_path / "direct", nats_server.url, cameras, lease_ttl_s=ttl)
    relayed = bus_site_file(tmp_path / "relayed", proxy.url, cameras, lease_ttl_s=ttl)
    recorder = BusRecorder.start(nats_server.url, SITE_ID)
    a = NodeProcess(relayed, "node-a", tmp_path / "a", capacity=4)
    b = NodeProcess(direct, "node-b", tmp_path / "b", capacity=4)
    a.start()
    b.start()
    try:
        assert wait_until(lambda: len(leases(nats_server, direct)) == 2, START_S, 1.0), (
            a.output() + b.output()
        )
        time.sleep(5)
        proxy.cut()
        cut_wall = time.time()
        assert wait_until(
            lambda: (
                set(leases(nats_server, direct).values()) == {"node-b"}
                and len(leases(nats_server, direct)) == 2
            ),
            30,
            0.5,
        ), f"node-b did not take over: {leases(nats_server, direct)}"
        offset = time.time() - time.monotonic()

        def taken_over_at() -> dict[str, float]:
            """Camera -> when node-b's first boxes of it after the cut were sent (wall)."""
            first: dict[str, float] = {}
            for seen in recorder.messages("tracks"):
                message = seen.message
                if message.node == "node-b" and seen.at_mono + offset > cut_wall:  # type: ignore[attr-defined]
                    first.setdefault(message.camera_id, message.captured_at)  # type: ignore[attr-defined]
            return first

        def raised_after_takeover() -> set[uuid.UUID]:
            taken = taken_over_at()
            return {
                alert_id
                for alert_id, (camera, created) in stored_alert_times(a.database).items()
                if camera in taken and created > taken[camera] + 1.0
            }

        assert wait_until(lambda: bool(raised_after_takeover()), 90, 1.0), (
            "node-a raised nothing after node-b took over: the case is not exercised"
        )
        cut_off = raised_after_takeover()
        proxy.restore()
        time.sleep(12)  # a reconnects, renews nothing, sends what it may
    finally:
        a.stop()
        b.stop()
        recorder.stop()
        proxy.close()
    alerts = stream_alerts(nats_server)
    assert not cut_off & {m.alert.id for m in alerts}, "alerts raised cut off reached the bus"
    assert "(this node was cut off) not sent" in a.output()
    assert_no_stale_epochs(recorder)
    assert_one_alert_per_incident([m for m in alerts if m.alert.id not in cut_off])
