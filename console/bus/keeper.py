"""``LeaseKeeper``: a node's lease round, apart from what the node does with its cameras.

Each round (a quarter of the lease TTL) it puts the node's heartbeat, renews the node's
leases, reads who is alive and who owns what, and follows
:func:`console.bus.assignment.plan`: takes free cameras up to the node's fair share, gives
one up when another node is short. What taking and dropping a camera means is the
caller's (:class:`console.bus.node.AnalyticsNode` starts and stops the camera's pipeline;
the control-plane benchmark replays recorded detections): the round is the same code.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from nats.errors import Error as NatsError

from console import __version__
from console.bus.assignment import fair_shares, plan
from console.bus.client import BusClient, BusUnavailableError
from console.bus.leases import Lease, LeaseBook, read_bucket
from console.bus.messages import MalformedMessageError, NodeHeartbeat, decode, encode
from console.bus.subjects import SiteSubjects, token
from console.domain.records import utc_now

log = logging.getLogger(__name__)
FULL_VIEW_EVERY = 4  # rounds: a node at its share reads every lease this often


@dataclass(frozen=True, slots=True)
class NodeLoad:
    """What a node's heartbeat reports besides its cameras."""

    analysed_fps: float = 0.0
    outbox_waiting: int = 0


class LeaseKeeper:
    """Heartbeat, renewals, takes and releases of one node, on its own thread."""

    def __init__(
        self,
        client: BusClient,
        subjects: SiteSubjects,
        *,
        node_id: str,
        capacity: int,
        ttl_s: float,
        cameras: list[str],
        take: Callable[[str, Lease], None],
        drop: Callable[[str], None],
        load: Callable[[], NodeLoad] = NodeLoad,
        lost: Callable[[str, Lease], None] | None = None,
        after_round: Callable[[], None] | None = None,
        round_s: float | None = None,
    ) -> None:
        self.client = client
        self.subjects = subjects
        self.node_id = node_id
        self.capacity = capacity
        self.cameras = list(cameras)
        self.take = take
        self.drop = drop
        self.lost = lost  # a lease that could not be renewed (lapsed or taken), after drop
        self.after_round = after_round  # each round completed on the bus
        self.load = load
        self.leases = LeaseBook(client, subjects, node_id=node_id, ttl_s=ttl_s)
        self.round_s = round_s or max(0.5, ttl_s / 4)
        self.started_at = utc_now()
        self.rounds = 0
        self.lock = threading.RLock()  # leases and the cameras they start change together
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lease-keeper", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop the rounds, drop every camera and release its lease (others take it)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout_s)
        with self.lock:
            for camera_id in list(self.leases.held):
                self.drop(camera_id)
                try:
                    self.leases.release(camera_id)
                except (BusUnavailableError, NatsError) as error:
                    self.leases.forget(camera_id, f"not released at stop ({error}); it lapses")
        try:
            bucket = self.client.key_value(self.subjects.nodes_bucket)
            self.client.run(lambda: bucket.delete(token(self.node_id)))
        except (BusUnavailableError, NatsError) as error:
            log.debug("heartbeat not withdrawn (%s); it lapses", error)

    def may_publish(self, camera_id: str) -> bool:
        """Whether this node speaks for the camera now (its lease valid, or the bus down)."""
        if camera_id not in self.leases.held:
            return False
        return self.leases.valid(camera_id) or not self.client.connected.is_set()

    @property
    def held(self) -> list[str]:
        return sorted(self.leases.held)

    def _run(self) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                self.round()
            except BusUnavailableError as error:
                log.debug("lease round skipped: %s", error)
            except Exception:
                log.exception("lease round failed")
            self._stop.wait(max(0.05, self.round_s - (time.monotonic() - started)))

    def round(self) -> None:
        """One round: renewals, heartbeat, then the plan's releases and takes."""
        if not self.client.connected.is_set():
            return  # isolated: keep analysing what we hold; alerts wait in the outbox
        with self.lock:
            for held in self.leases.renew_all():
                self.drop(held.camera_id)
                if self.lost is not None:
                    self.lost(held.camera_id, held)
            self._heartbeat()
            capacities = self._live_nodes()
            capacities[self.node_id] = self.capacity
            share = fair_shares(capacities, len(self.cameras)).get(self.node_id, 0)
            if len(self.leases.held) == share and self.rounds % FULL_VIEW_EVERY:
                # At its share: nothing to take or give unless other nodes are short, and
                # they read the leases themselves. The whole bucket is read only every few
                # rounds (500 cameras x 20 nodes each round is most of the bus's load).
                self.rounds += 1
                if self.after_round is not None:
                    self.after_round()
                return
            owners = {camera: lease.node for camera, lease in self.leases.owners().items()}
            for camera_id in self.leases.held:  # a lease just taken may not be listed yet
                owners[camera_id] = self.node_id
            decided = plan(self.node_id, capacities, owners, self.cameras)
            for camera_id in decided.release:
                self.drop(camera_id)
                self.leases.release(camera_id)
            for camera_id in decided.take:
                if self._stop.is_set():
                    break
                taken = self.leases.acquire(camera_id)
                if taken is not None:  # else another node was faster
                    self.take(camera_id, taken)
        self.rounds += 1
        if self.after_round is not None:
            self.after_round()

    def _heartbeat(self) -> None:
        load = self.load()
        beat = NodeHeartbeat(
            site=self.subjects.site_id,
            node=self.node_id,
            host=socket.gethostname(),
            version=__version__,
            capacity=self.capacity,
            cameras=self.held,
            analysed_fps=round(load.analysed_fps, 2),
            outbox_waiting=load.outbox_waiting,
            started_at=self.started_at,
            sent_at=utc_now(),
        )
        bucket = self.client.key_value(self.subjects.nodes_bucket)
        self.client.run(lambda: bucket.put(token(self.node_id), encode(beat)))

    def _live_nodes(self) -> dict[str, int]:
        nodes: dict[str, int] = {}
        for entry in read_bucket(self.client, self.subjects.nodes_bucket):
            try:
                beat = decode(entry.value, NodeHeartbeat)
            except MalformedMessageError as error:
                log.warning("node heartbeat %s ignored: %s", entry.key, error)
                continue
            nodes[beat.node] = beat.capacity
        return nodes
