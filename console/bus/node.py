"""``AnalyticsNode``: a headless site runtime that analyses the cameras it holds leases for.

Its :class:`~console.bus.keeper.LeaseKeeper` takes and drops cameras each round. A camera
it takes starts with a fresh pipeline that adopts the camera's recent alerts from the bus
(an incident already raised by the previous owner is not raised again).

Fencing: alerts, tracks and health of a camera leave this node only while its lease is
valid by this node's own clock (``LeaseBook.valid``), so a node that was paused (SIGSTOP)
or could not renew drops the camera before it says anything under an old epoch. While the
bus itself is unreachable the node keeps analysing what it holds: alerts go to its local
store (synced to central storage) and wait in the outbox; when the bus returns it renews
what it still can and stops the cameras another node took meanwhile.
"""

from __future__ import annotations

import logging
import socket
import time
from dataclasses import dataclass, field
from datetime import timedelta

from nats.errors import Error as NatsError

from console.app.open_site import OpenSite
from console.bus.client import BusClient, BusUnavailableError
from console.bus.history import recent_alerts
from console.bus.keeper import LeaseKeeper, NodeLoad
from console.bus.leases import Lease
from console.bus.messages import (
    action_message,
    alert_message,
    encode,
    evidence_message,
    health_message,
    tracks_payload,
)
from console.bus.outbox import Outbox, Outgoing
from console.bus.streams import ensure_site_streams
from console.bus.subjects import SiteSubjects, token
from console.domain.health import CameraHealth
from console.domain.records import Alert, AlertAction, EvidenceRef
from console.pipeline.camera import CameraPipeline
from console.pipeline.records import AnalysisResult

log = logging.getLogger(__name__)
# A camera taken over adopts the alerts raised on it this recently (the longest cooldown).
ADOPT_WITHIN = timedelta(minutes=10)
HEALTH_PUT_EVERY_S = 5.0


@dataclass(frozen=True, slots=True)
class NodeOptions:
    node_id: str = field(default_factory=socket.gethostname)
    capacity: int = 8
    round_s: float | None = None  # None: a quarter of the lease TTL


class AnalyticsNode:
    """Leases, analysis and publishing of one analytics node (no Qt, no screen)."""

    def __init__(self, opened: OpenSite, client: BusClient, options: NodeOptions) -> None:
        settings = opened.site.bus
        if settings is None:
            raise ValueError("the site file has no bus: section; a node needs one")
        self.opened = opened
        self.client = client
        self.options = options
        self.node_id = options.node_id
        self.subjects = SiteSubjects(opened.site.site.id)
        self.outbox = Outbox(client)
        self.keeper = LeaseKeeper(
            client,
            self.subjects,
            node_id=self.node_id,
            capacity=options.capacity,
            ttl_s=settings.lease_ttl_s,
            cameras=[c.id for c in opened.site.cameras if c.enabled],
            take=self._take,
            drop=self._drop,
            load=self._load,
            lost=self._lost,
            after_round=self.outbox.resume,
            round_s=options.round_s,
        )
        self.leases = self.keeper.leases
        self._health_put: dict[str, tuple[str, float]] = {}
        self._withdrawn: set[str] = set()  # alert ids kept off the bus (raised cut off)
        self._wire()

    # ---- wiring ------------------------------------------------------------------------

    def _wire(self) -> None:
        alerts = self.opened.alerts
        alerts.fence = self.may_publish
        alerts.alert_listeners.append(self._alert_raised)
        alerts.evidence_listeners.append(self._evidence_ready)
        alerts.change_listeners.append(self._alert_changed)
        self.opened.runtime.result_listeners.append(self._analysed)
        self.opened.runtime.health_listeners.append(self._health)
        # Off the bus, nothing more is sent until a lease round has renewed what it can
        # (and taken back what was raised after a lease lapsed).
        self.client.status_listeners.append(lambda up: None if up else self.outbox.pause())
        self.outbox.pause()
        settings = self.opened.site.bus
        assert settings is not None
        ttl = settings.lease_ttl_s
        self.client.on_connect(lambda: ensure_site_streams(self.client.js, self.subjects, ttl))

    def start(self) -> None:
        """Connect (in the background), then take leases each round; the model must be loaded."""
        self.client.start()
        self.outbox.start()
        self.keeper.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Hand the cameras back at once (others take them next round), send what waits."""
        self.keeper.stop(timeout_s)
        if not self.outbox.flush(timeout_s):
            log.warning("%d bus message(s) not sent before stop", self.outbox.waiting)
        self.outbox.stop()
        self.client.stop()

    def may_publish(self, camera_id: str) -> bool:
        """Whether this node speaks for the camera now (its lease valid, or the bus down)."""
        return self.keeper.may_publish(camera_id)

    @property
    def cameras(self) -> list[str]:
        return self.keeper.held

    # ---- what the lease round decides --------------------------------------------------

    def _take(self, camera_id: str, lease: Lease) -> None:
        try:
            earlier = recent_alerts(self.client, self.subjects, camera_id, ADOPT_WITHIN)
        except BusUnavailableError as error:
            log.warning(
                "recent alerts of %s not read (%s): it may raise them again", camera_id, error
            )
            earlier = []

        def adopt(pipeline: CameraPipeline) -> None:
            pipeline.policy.adopt(earlier)

        self.opened.runtime.add_camera(camera_id, prepare=adopt)
        log.info(
            "analysing %s (epoch %d, %d recent alert(s) adopted)",
            camera_id,
            lease.epoch,
            len(earlier),
        )

    def _drop(self, camera_id: str) -> None:
        self.opened.runtime.remove_camera(camera_id)

    def _lost(self, camera_id: str, lease: Lease) -> None:
        """The lease lapsed while this node was cut off; another node may have the camera.

        If one took it, the alerts this node raised on it since then are taken back from the
        outbox: the new owner saw the same road then, and one incident must not reach the
        bus twice (they stay in this node's store and central storage as raised). If nobody
        took it (the bus was down for everyone), they are the only record: they are sent.
        """
        try:
            owner = self.keeper.leases.owners().get(camera_id)
        except (BusUnavailableError, NatsError) as error:
            log.warning("owner of %s not read (%s); its waiting alerts are sent", camera_id, error)
            return
        if owner is None or owner.node == self.node_id:
            return
        since = owner.acquired_at.timestamp()
        withdrawn = self.outbox.withdraw(
            lambda m: m.camera_id == camera_id and m.queued_wall >= since
        )
        self._withdrawn.update(m.msg_id for m in withdrawn)
        if withdrawn:
            log.warning(
                "%d alert(s) on %s raised after %s took it over (this node was cut off) "
                "not sent: that node reports that time",
                len(withdrawn),
                camera_id,
                owner.node,
            )

    def _load(self) -> NodeLoad:
        detector = self.opened.runtime.detector
        rate = 0.0
        if detector is not None:
            now = time.monotonic()
            rate = sum(feed.meter.rate(now) for feed in list(detector.feeds.values()))
        return NodeLoad(rate, self.outbox.waiting)

    # ---- what leaves the node ---------------------------------------------------------------

    def _epoch(self, camera_id: str) -> int | None:
        return self.leases.epoch(camera_id) if self.may_publish(camera_id) else None

    def _alert_raised(self, alert: Alert) -> None:
        epoch = self._epoch(alert.camera_id)
        if epoch is None:
            return
        message = alert_message(alert, site=self.subjects.site_id, node=self.node_id, epoch=epoch)
        self.outbox.put(
            Outgoing(
                self.subjects.alert(alert.camera_id),
                encode(message),
                str(alert.id),
                camera_id=alert.camera_id,
            )
        )

    def _evidence_ready(self, alert: Alert, refs: tuple[EvidenceRef, ...]) -> None:
        if str(alert.id) in self._withdrawn:
            return
        epoch = self.leases.epoch(alert.camera_id)  # evidence of an alert already published
        message = evidence_message(
            alert, refs, site=self.subjects.site_id, node=self.node_id, epoch=epoch or 0
        )
        self.outbox.put(
            Outgoing(
                self.subjects.evidence(alert.camera_id), encode(message), f"{alert.id}.evidence"
            )
        )

    def _alert_changed(self, alert: Alert, action: AlertAction) -> None:
        if action.console_id != self.opened.console_id or str(alert.id) in self._withdrawn:
            return  # an action that came from the bus is already there
        message = action_message(action, site=self.subjects.site_id, camera_id=alert.camera_id)
        self.outbox.put(
            Outgoing(self.subjects.action(str(alert.id)), encode(message), str(action.id))
        )

    def _analysed(self, result: AnalysisResult) -> None:
        epoch = self._epoch(result.camera_id)
        if epoch is None or not self.client.connected.is_set():
            return
        detections = result.detections
        names = detections.class_names
        ids = (
            detections.tracker_id.tolist()
            if detections.tracker_id is not None
            else [None] * len(detections)
        )
        classes = detections.class_id.tolist()
        boxes = zip(
            ids,
            [names.get(c, str(c)) for c in classes],
            detections.confidence.tolist(),
            detections.xyxy.tolist(),
            strict=True,
        )
        height, width = result.frame.image.shape[:2]
        payload = tracks_payload(
            site=self.subjects.site_id,
            node=self.node_id,
            camera_id=result.camera_id,
            epoch=epoch,
            captured_at=result.frame.captured_epoch,
            frame_index=result.frame.index,
            width=width,
            height=height,
            boxes=boxes,
            from_motion_gate=result.from_motion_gate,
        )
        self.client.publish(self.subjects.tracks(result.camera_id), payload)

    def _health(self, health: CameraHealth) -> None:
        epoch = self._epoch(health.camera_id)
        if epoch is None:
            return
        message = health_message(health, site=self.subjects.site_id, node=self.node_id, epoch=epoch)
        data = encode(message)
        self.client.publish(self.subjects.health(health.camera_id), data)
        now = time.monotonic()
        last = self._health_put.get(health.camera_id)
        if last is None or last[0] != health.state.value or now - last[1] >= HEALTH_PUT_EVERY_S:
            self._health_put[health.camera_id] = (health.state.value, now)
            key = token(health.camera_id)

            async def put() -> None:
                bucket = await self.client.js.key_value(self.subjects.health_bucket)
                await bucket.put(key, data)

            self.client.fire(put)
