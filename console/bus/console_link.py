"""A display console on the site bus: its alert queue, actions and overlays come from there.

- Alerts, their evidence and every console's actions are read from the alerts stream, in
  order, by one thread: each is stored in the local store once (central sync as always)
  and shown. On every (re)connection the stream is read on from the last message handled,
  so a console that was cut off catches up without restart.
- An operator's action is arbitrated by the alert-state bucket before it is saved:
  compare-and-set from the state this console last saw. If another operator got there
  first the action is refused with "already acknowledged by NAME"; if the transition is
  still allowed from the new state (dispatching an alert another console acknowledged),
  it goes ahead. Then it is saved locally and published (kept in an outbox while the bus
  is down: offline, the console decides alone and central storage's first change wins).
- Nodes' boxes arrive on core subjects and are matched to the frames shown
  (:mod:`console.bus.overlays`).
- The cluster view (nodes, leases, unowned cameras) is read every few seconds for the
  status bar.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta
from functools import partial

from nats.aio.msg import Msg
from nats.errors import Error as NatsError
from nats.js.api import ConsumerConfig, DeliverPolicy
from nats.js.errors import KeyNotFoundError, KeyWrongLastSequenceError

from console.alerts.service import AlertService
from console.alerts.sink import AlertSink, CountRow
from console.bus.client import BusClient, BusUnavailableError
from console.bus.cluster_view import ClusterView, read_cluster
from console.bus.messages import (
    ActionMessage,
    AlertMessage,
    AlertState,
    EvidenceMessage,
    HealthMessage,
    MalformedMessageError,
    TracksMessage,
    action_from_message,
    action_message,
    alert_from_message,
    decode,
    decode_any,
    encode,
    refs_from_message,
)
from console.bus.outbox import Outbox, Outgoing
from console.bus.overlays import OverlayMatcher
from console.bus.streams import ALERTS_KEPT_S, ensure_site_streams
from console.bus.subjects import SiteSubjects
from console.config.site_file import SiteConfig
from console.domain.alert_states import ALLOWED_TRANSITIONS, SYSTEM_ACTOR
from console.domain.health import CameraHealth, StreamState
from console.domain.records import Alert, AlertAction, AlertStatus, EvidenceRef, utc_now
from console.store.local import LocalStore
from console.store.sink import attach_evidence

log = logging.getLogger(__name__)
CLUSTER_EVERY_S = 2.0
CAS_ATTEMPTS = 5


class AlertConflictError(RuntimeError):
    """Another operator changed the alert first; the message names who and what."""


class ConsoleBusLink:
    """Everything a display console takes from and gives to the site bus."""

    def __init__(
        self,
        site: SiteConfig,
        alerts: AlertService,
        store: LocalStore,
        client: BusClient,
        *,
        console_id: str,
    ) -> None:
        if site.bus is None:
            raise ValueError("the site has no bus: section")
        self.site = site
        self.alerts = alerts
        self.store = store
        self.client = client
        self.console_id = console_id
        self.subjects = SiteSubjects(site.site.id)
        self.overlays = OverlayMatcher()
        self.outbox = Outbox(client)
        self.cluster: ClusterView | None = None
        # Told of each camera's health as its node reports it (on the bus thread).
        self.health_listeners: list[Callable[[CameraHealth], None]] = []
        self._health_epochs: dict[str, int] = {}
        self.malformed = 0
        self.handled = 0
        self._last_sequence = 0
        self._incoming: queue.Queue[Msg | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read_stream, name="bus-alerts", daemon=True)
        self._poller = threading.Thread(target=self._poll_cluster, name="bus-cluster", daemon=True)
        self._arbiter = ThreadPoolExecutor(1, thread_name_prefix="bus-actions")
        self._stop = threading.Event()
        self._subscription: object | None = None
        self._wire()

    # ---- wiring ------------------------------------------------------------------------

    def _wire(self) -> None:
        settings = self.site.bus
        assert settings is not None
        ttl = settings.lease_ttl_s
        self.client.on_connect(lambda: ensure_site_streams(self.client.js, self.subjects, ttl))
        self.client.on_connect(self._follow_stream)
        self.client.subscribe(f"{self.subjects.prefix}.tracks.>", self._tracks)
        self.client.subscribe(f"{self.subjects.prefix}.health.>", self._health)
        inner = self.alerts.sink
        if inner is None:
            raise ValueError("the alert service has no store sink to arbitrate for")
        self.alerts.sink = ArbitratedSink(inner, self)

    def start(self) -> None:
        self._reader.start()
        self._poller.start()
        self.outbox.start()
        self.client.start()

    def stop(self) -> None:
        self._stop.set()
        self._incoming.put(None)
        self._arbiter.shutdown(wait=True, cancel_futures=False)
        if not self.outbox.flush(3.0):
            log.warning("%d action(s) not yet on the bus at close", self.outbox.waiting)
        self.outbox.stop()
        self.client.stop()
        self._reader.join(2.0)

    @property
    def online(self) -> bool:
        return self.client.connected.is_set()

    # ---- the alerts stream ---------------------------------------------------------------

    async def _follow_stream(self) -> None:
        """(Re)subscribe from the message after the last one handled (all kept, at first)."""
        if self._subscription is not None:
            with contextlib.suppress(NatsError, OSError):
                await self._subscription.unsubscribe()  # type: ignore[attr-defined]
        if self._last_sequence:
            config = ConsumerConfig(
                deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
                opt_start_seq=self._last_sequence + 1,
            )
        else:
            since = utc_now() - timedelta(seconds=ALERTS_KEPT_S)
            config = ConsumerConfig(
                deliver_policy=DeliverPolicy.BY_START_TIME, opt_start_time=since
            )

        async def deliver(msg: Msg) -> None:
            self._incoming.put(msg)

        self._subscription = await self.client.js.subscribe(
            f"{self.subjects.prefix}.>",
            stream=self.subjects.alerts_stream,
            ordered_consumer=True,
            idle_heartbeat=2.0,
            config=config,
            cb=deliver,
        )

    def _read_stream(self) -> None:
        while True:
            msg = self._incoming.get()
            if msg is None:
                return
            sequence = msg.metadata.sequence.stream
            if sequence <= self._last_sequence:
                continue  # delivered again after a resubscription
            try:
                self._handle(msg.data)
            except MalformedMessageError as error:
                self.malformed += 1
                log.warning("bus message on %s dropped: %s", msg.subject, error)
            except Exception:
                log.exception("bus message on %s not handled", msg.subject)
            self._last_sequence = sequence
            self.handled += 1

    def _handle(self, data: bytes) -> None:
        message = decode_any(data)
        if isinstance(message, AlertMessage):
            alert = alert_from_message(message)
            if self.store.writer.save_remote_alert(alert).result(30):
                self.alerts.show_remote(alert)
        elif isinstance(message, EvidenceMessage):
            self._evidence(message.alert_id, refs_from_message(message))
        elif isinstance(message, ActionMessage):
            action = action_from_message(message)
            status = self.store.writer.save_remote_action(action).result(30)
            if status is not None and action.console_id != self.console_id:
                self.alerts.remote_action(action, status)
        else:
            raise MalformedMessageError(f"a {type(message).__name__} on the alerts stream")

    def _evidence(self, alert_id: uuid.UUID, refs: tuple[EvidenceRef, ...]) -> None:
        alert = self.alerts.alerts.get(alert_id)
        if alert is None:
            return  # closed meanwhile: the store keeps what central storage has
        stored = alert.evolve(
            evidence=tuple(EvidenceRef(r.kind, r.sha256, "", r.size_bytes) for r in refs)
        )
        # The files are on the node (and in central storage once uploaded); this console's
        # store records their hashes only, so it never uploads or prunes them.
        self.store.writer.submit(lambda connection: attach_evidence(connection, stored)).result(30)
        self.alerts.remote_evidence(alert_id, refs)

    # ---- live boxes ------------------------------------------------------------------------

    def _tracks(self, subject: str, data: bytes) -> None:
        try:
            self.overlays.add_result(decode(data, TracksMessage))
        except MalformedMessageError as error:
            self.malformed += 1
            log.debug("tracks on %s dropped: %s", subject, error)

    def _health(self, subject: str, data: bytes) -> None:
        try:
            message = decode(data, HealthMessage)
        except MalformedMessageError as error:
            self.malformed += 1
            log.debug("health on %s dropped: %s", subject, error)
            return
        if message.epoch < self._health_epochs.get(message.camera_id, -1):
            return  # from a node that no longer holds the camera
        self._health_epochs[message.camera_id] = message.epoch
        try:
            state = StreamState(message.state)
        except ValueError:
            self.malformed += 1
            return
        health = CameraHealth(
            message.camera_id,
            state,
            message.reason,
            input_fps=message.input_fps,
            analysis_fps=message.analysis_fps,
            target_fps=message.target_fps,
            budget_fps=message.budget_fps,
        )
        for listener in list(self.health_listeners):
            try:
                listener(health)
            except Exception:
                log.exception("health listener failed")

    # ---- cluster view ----------------------------------------------------------------------

    def _poll_cluster(self) -> None:
        while not self._stop.wait(CLUSTER_EVERY_S):
            if not self.online:
                continue
            try:
                self.cluster = read_cluster(self.client, self.site)
            except (BusUnavailableError, NatsError) as error:
                log.debug("cluster view not read: %s", error)

    # ---- actions -----------------------------------------------------------------------------

    def arbitrate(self, alert: Alert, action: AlertAction) -> None:
        """Claim the change in the alert-state bucket (AlertConflictError if beaten)."""
        if action.action == "note" or not self.online:
            return
        bucket = self.client.key_value(self.subjects.alert_state_bucket)
        key = str(alert.id)
        wanted = AlertStatus(action.action)
        state = AlertState(
            site=self.subjects.site_id,
            alert_id=alert.id,
            status=wanted,
            actor=action.actor,
            console_id=action.console_id,
            at=action.at,
            action_id=action.id,
        )
        for _attempt in range(CAS_ATTEMPTS):
            try:
                entry = self.client.run(lambda: bucket.get(key))
                current = decode(entry.value or b"", AlertState)
                revision: int | None = int(entry.revision or 0)
            except KeyNotFoundError:
                current, revision = None, None
            if current is not None and not _allowed(current.status, wanted, action.actor):
                when = current.at.astimezone().strftime("%H:%M:%S")
                raise AlertConflictError(
                    f"already {current.status.value} by {current.actor} at {when}"
                )
            try:
                if revision is None:
                    self.client.run(lambda: bucket.create(key, encode(state)))
                else:
                    self.client.run(partial(bucket.update, key, encode(state), last=revision))
                return
            except KeyWrongLastSequenceError:
                continue  # someone wrote in between: read again
        raise AlertConflictError("the alert is being changed on another console; try again")

    def publish_action(self, alert: Alert, action: AlertAction) -> None:
        message = action_message(action, site=self.subjects.site_id, camera_id=alert.camera_id)
        self.outbox.put(
            Outgoing(self.subjects.action(str(alert.id)), encode(message), str(action.id))
        )


def _allowed(current: AlertStatus, wanted: AlertStatus, actor: str) -> bool:
    if wanted in ALLOWED_TRANSITIONS[current]:
        return True
    return actor == SYSTEM_ACTOR and wanted is AlertStatus.RESOLVED and not current.is_terminal


class ArbitratedSink:
    """The alert service's sink on a bus console: arbitrate, then store, then publish."""

    def __init__(self, inner: AlertSink, link: ConsoleBusLink) -> None:
        self.inner = inner
        self.link = link

    def alert_raised(self, alert: Alert) -> None:
        self.inner.alert_raised(alert)

    def evidence_ready(self, alert: Alert, refs: tuple[EvidenceRef, ...]) -> None:
        self.inner.evidence_ready(alert, refs)

    def counts_ready(self, counts: list[CountRow]) -> None:
        self.inner.counts_ready(counts)

    def alert_changed(self, alert: Alert, action: AlertAction) -> Future[None]:
        return self.link._arbiter.submit(self._decide, alert, action)

    def _decide(self, alert: Alert, action: AlertAction) -> None:
        try:
            self.link.arbitrate(alert, action)
        except BusUnavailableError as error:  # cut off just now: decide alone, as offline
            log.warning("action on %s not arbitrated (%s); central decides", alert.id, error)
        self.inner.alert_changed(alert, action).result(30)
        self.link.publish_action(alert, action)
