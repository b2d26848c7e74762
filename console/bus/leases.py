"""Camera leases in a JetStream key-value bucket: who analyses which camera, and fencing.

One key per camera. A node takes a free camera with ``create`` (fails if the key exists),
keeps it with ``update(last=revision)`` before the bucket's TTL drops the entry, and gives
it up with ``delete(last=revision)``. The server's compare-and-set is the only arbiter: no
election, no clocks compared between machines. The lease's *epoch* is the revision of the
``create`` that took it: revisions only grow, so a newer owner always has a larger epoch,
and every message about the camera carries it for receivers to drop stale senders.

Fencing is local and conservative: a lease is valid until ``ttl`` after the moment its last
renewal was *sent* (the server counts from when it stored it, which is later). A node that
was paused, or could not renew while connected, finds its leases expired and stops those
cameras before it publishes anything.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from nats.js.errors import BadRequestError, KeyNotFoundError, KeyWrongLastSequenceError
from nats.js.kv import KeyValue

from console.bus.client import BusClient
from console.bus.messages import LeaseValue, MalformedMessageError, decode, encode
from console.bus.subjects import SiteSubjects, token
from console.domain.records import utc_now

log = logging.getLogger(__name__)
# Stop using a lease this long before its TTL runs out (clock rates, the put's travel).
SAFETY_MARGIN_S = 0.5


@dataclass(slots=True)
class Lease:
    camera_id: str
    epoch: int
    revision: int
    renewed_mono: float  # when its last successful renewal was sent (monotonic, this node)
    acquired_at: datetime = field(default_factory=utc_now)  # when this node took it

    def valid_until(self, ttl_s: float) -> float:
        return self.renewed_mono + ttl_s - SAFETY_MARGIN_S


@dataclass(frozen=True, slots=True)
class BucketEntry:
    key: str
    revision: int
    value: bytes


class LeaseBook:
    """This node's leases, and the site's as the bucket shows them."""

    def __init__(
        self,
        client: BusClient,
        subjects: SiteSubjects,
        *,
        node_id: str,
        ttl_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.subjects = subjects
        self.node_id = node_id
        self.ttl_s = ttl_s
        self.clock = clock
        self.held: dict[str, Lease] = {}

    def _bucket(self) -> KeyValue:
        return self.client.key_value(self.subjects.leases_bucket)

    def _value(self, camera_id: str, epoch: int, acquired_at: datetime) -> bytes:
        return encode(
            LeaseValue(
                site=self.subjects.site_id,
                node=self.node_id,
                camera_id=camera_id,
                epoch=epoch,
                acquired_at=acquired_at,
            )
        )

    def acquire(self, camera_id: str) -> Lease | None:
        """Take a free camera; None when another node has it (BusUnavailableError offline)."""
        bucket = self._bucket()
        sent = self.clock()
        acquired_at = utc_now()

        async def create() -> tuple[int, int]:
            # The epoch is the create's own revision: not known before, so written after.
            revision = await bucket.create(token(camera_id), self._value(camera_id, 0, acquired_at))
            return int(
                await bucket.update(
                    token(camera_id), self._value(camera_id, revision, acquired_at), last=revision
                )
            ), revision

        try:
            revision, epoch = self.client.run(create)
        except KeyWrongLastSequenceError:
            return None
        lease = Lease(camera_id, epoch, revision, sent, acquired_at)
        self.held[camera_id] = lease
        log.info("lease taken: %s (epoch %d)", camera_id, epoch)
        return lease

    def renew(self, lease: Lease) -> bool:
        """Extend a held lease; False (and forgotten) when it lapsed or another node took it."""
        bucket = self._bucket()
        sent = self.clock()
        if sent > lease.valid_until(self.ttl_s) + SAFETY_MARGIN_S:
            # Past the TTL the entry may be gone and re-created by another node with a
            # revision we cannot know: never renew a lease that may already be someone's.
            self.forget(lease.camera_id, "expired before it could be renewed")
            return False
        try:
            lease.revision = self.client.run(
                lambda: bucket.update(
                    token(lease.camera_id),
                    self._value(lease.camera_id, lease.epoch, lease.acquired_at),
                    last=lease.revision,
                )
            )
        except (KeyWrongLastSequenceError, KeyNotFoundError):
            self.forget(lease.camera_id, "taken over or expired")
            return False
        lease.renewed_mono = sent
        return True

    def renew_all(self) -> list[Lease]:
        """Renew every held lease in one exchange with the bus; returns the ones lost.

        The same rules as :meth:`renew`, the updates sent together (a node with 25 cameras
        waits for one round trip, not 25).
        """
        bucket = self._bucket()
        sent = self.clock()
        lost: list[Lease] = []
        live: list[Lease] = []
        for lease in list(self.held.values()):
            if sent > lease.valid_until(self.ttl_s) + SAFETY_MARGIN_S:
                lost.append(lease)  # past its TTL: it may be someone else's already
            else:
                live.append(lease)

        async def update_all() -> list[int | BaseException]:
            updates = [
                bucket.update(
                    token(lease.camera_id),
                    self._value(lease.camera_id, lease.epoch, lease.acquired_at),
                    last=lease.revision,
                )
                for lease in live
            ]
            return list(await asyncio.gather(*updates, return_exceptions=True))

        outcomes = self.client.run(update_all, 5.0) if live else []
        failure: BaseException | None = None
        for lease, outcome in zip(live, outcomes, strict=True):
            if isinstance(outcome, KeyWrongLastSequenceError | KeyNotFoundError):
                lost.append(lease)
            elif isinstance(outcome, BaseException):
                failure = outcome  # the bus failing: this lease is retried next round
            else:
                lease.revision = int(outcome)
                lease.renewed_mono = sent
        for lease in lost:
            self.forget(lease.camera_id, "taken over or expired")
        if failure is not None and not lost:
            raise failure
        return lost

    def release(self, camera_id: str) -> None:
        """Give a camera up at once (another node may take it on its next round)."""
        lease = self.held.pop(camera_id, None)
        if lease is None:
            return
        bucket = self._bucket()
        # Already lapsed or taken: nothing of ours to delete (a delete whose expected
        # revision is gone is refused as a bad request, code 10071).
        with contextlib.suppress(KeyWrongLastSequenceError, KeyNotFoundError, BadRequestError):
            self.client.run(lambda: bucket.delete(token(camera_id), last=lease.revision))
        log.info("lease released: %s", camera_id)

    def forget(self, camera_id: str, why: str) -> None:
        if self.held.pop(camera_id, None) is not None:
            log.warning("lease lost: %s (%s)", camera_id, why)

    def valid(self, camera_id: str) -> bool:
        lease = self.held.get(camera_id)
        return lease is not None and self.clock() < lease.valid_until(self.ttl_s)

    def epoch(self, camera_id: str) -> int | None:
        lease = self.held.get(camera_id)
        return lease.epoch if lease is not None else None

    def owners(self) -> dict[str, LeaseValue]:
        """Camera id -> its lease as the bucket shows it now (live leases only)."""
        owners: dict[str, LeaseValue] = {}
        for entry in read_bucket(self.client, self.subjects.leases_bucket):
            try:
                value = decode(entry.value, LeaseValue)
            except MalformedMessageError as error:
                log.warning("lease %s dropped: %s", entry.key, error)
                continue
            owners[value.camera_id] = value
        return owners


def read_bucket(client: BusClient, bucket_name: str, timeout_s: float = 2.0) -> list[BucketEntry]:
    """Every live entry of a bucket now (deleted keys and lapsed entries left out)."""

    async def snapshot() -> list[BucketEntry]:
        bucket = await client.js.key_value(bucket_name)
        watcher = await bucket.watchall()
        entries: dict[str, BucketEntry] = {}
        try:
            while True:
                entry = await watcher.updates(timeout=timeout_s)
                if entry is None:  # the current values are all delivered
                    break
                if entry.operation in ("DEL", "PURGE") or entry.value is None:
                    entries.pop(entry.key, None)
                else:
                    entries[entry.key] = BucketEntry(
                        entry.key, int(entry.revision or 0), entry.value
                    )
        finally:
            await watcher.stop()
        return list(entries.values())

    return client.run(snapshot, timeout_s + 1.0)
