"""Camera leases on a real nats-server: compare-and-set, epochs, fencing of a paused node."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from console.bus.client import BusClient
from console.bus.leases import LeaseBook
from console.bus.local_server import LocalNatsServer
from console.bus.streams import ensure_site_streams
from console.bus.subjects import SiteSubjects
from console.config.site import BusSettings

pytestmark = [pytest.mark.integration, pytest.mark.slow]
TTL_S = 2.0
SUBJECTS = SiteSubjects("lease.test")


class Clock:
    """A monotonic clock a test can push forward (a node paused for that long)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.offset


@pytest.fixture
def client(nats_server: LocalNatsServer) -> Iterator[BusClient]:
    client = BusClient(BusSettings(servers=[nats_server.url]), name="lease-test")
    client.on_connect(lambda: ensure_site_streams(client.js, SUBJECTS, TTL_S))
    client.start()
    assert client.wait_connected(10)
    yield client
    client.stop()


def book(client: BusClient, node: str, clock: Clock | None = None) -> LeaseBook:
    return LeaseBook(client, SUBJECTS, node_id=node, ttl_s=TTL_S, clock=clock or time.monotonic)


def test_one_owner_per_camera_and_renewal_keeps_it(client: BusClient) -> None:
    first, second = book(client, "node-a"), book(client, "node-b")
    lease = first.acquire("cam.1")
    assert lease is not None and first.valid("cam.1")
    assert second.acquire("cam.1") is None  # the compare-and-set refuses a second owner
    for _ in range(4):  # renewals carry it past several TTLs
        time.sleep(TTL_S / 2)
        assert first.renew(lease)
    assert second.acquire("cam.1") is None
    owners = second.owners()
    assert owners["cam.1"].node == "node-a" and owners["cam.1"].epoch == lease.epoch


def test_a_lapsed_lease_goes_to_another_node_with_a_larger_epoch(client: BusClient) -> None:
    first, second = book(client, "node-a"), book(client, "node-b")
    old = first.acquire("cam.1")
    assert old is not None
    time.sleep(TTL_S + 1.0)  # node-a stops renewing (dead); the bucket drops the entry
    assert not first.valid("cam.1")
    new = second.acquire("cam.1")
    assert new is not None and new.epoch > old.epoch
    assert not first.renew(old)  # the old owner cannot take it back by renewing
    assert "cam.1" not in first.held


def test_a_paused_node_finds_its_lease_expired_and_does_not_renew(client: BusClient) -> None:
    clock = Clock()
    paused = book(client, "node-a", clock)
    lease = paused.acquire("cam.1")
    assert lease is not None
    clock.offset = TTL_S + 0.5  # SIGSTOP for longer than the TTL, by this node's clock
    assert not paused.valid("cam.1")
    # Even though the server may still hold the entry, a renewal after the TTL is refused
    # locally: the entry may already be another node's.
    assert not paused.renew(lease)
    assert "cam.1" not in paused.held


def test_release_lets_another_node_take_the_camera_at_once(client: BusClient) -> None:
    first, second = book(client, "node-a"), book(client, "node-b")
    assert first.acquire("cam.1") is not None
    first.release("cam.1")
    assert second.acquire("cam.1") is not None
    assert set(first.owners()) == {"cam.1"}


def test_renew_all_keeps_the_held_and_reports_the_lost(client: BusClient) -> None:
    clock = Clock()
    mine = book(client, "node-a", clock)
    kept, lapsing = mine.acquire("cam.1"), mine.acquire("cam.2")
    assert kept is not None and lapsing is not None
    for _ in range(3):
        time.sleep(TTL_S / 2)
        assert mine.renew_all() == []  # one exchange renews both, round after round
    lapsing.renewed_mono -= TTL_S + 1.0  # this one was not renewed in time (a stall)
    assert [lease.camera_id for lease in mine.renew_all()] == ["cam.2"]
    assert set(mine.held) == {"cam.1"} and mine.valid("cam.1")
