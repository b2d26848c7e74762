"""A NATS connection for threaded code: nats-py's asyncio client on its own event-loop thread.

The rest of RoadWatch runs on threads (capture, detector, store writer, Qt). ``BusClient``
owns one asyncio loop in a daemon thread and offers blocking calls with timeouts that
raise :class:`BusUnavailableError` while the bus cannot be reached, so a caller decides what
to keep (an outbox) instead of hanging. It connects in the background and keeps trying
for as long as it runs: a node or console starts while the bus is down and joins it later.
Message handlers run on the loop thread and must return quickly (hand work to a queue).
Credentials come from the site file's ``${ENV_VAR}`` references (environment or OS
keyring) and are never logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import threading
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any, TypeVar

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.errors import Error as NatsError
from nats.js import JetStreamContext
from nats.js.kv import KeyValue

from console.config.secrets import expand_env, mask_url
from console.config.site import BusSettings

log = logging.getLogger(__name__)
T = TypeVar("T")
Handler = Callable[[str, bytes], None]
StatusListener = Callable[[bool], None]
RETRY_S = 1.0


class BusUnavailableError(ConnectionError):
    """The bus cannot be reached now (down, cut off, or not connected yet)."""


@dataclass(frozen=True, slots=True)
class _Subscription:
    subject: str
    handler: Handler
    queue: str = ""


class BusClient:
    """One connection to the site bus, usable from any thread."""

    def __init__(self, settings: BusSettings, *, name: str) -> None:
        self.settings = settings
        self.name = name
        self.status_listeners: list[StatusListener] = []
        self.connected = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run_loop, name="bus", daemon=True)
        self._nc: Client | None = None
        self._js: JetStreamContext | None = None
        self._subscriptions: list[_Subscription] = []
        self._buckets: dict[str, KeyValue] = {}
        self._pending: list[tuple[str, bytes]] = []
        self._pending_lock = threading.Lock()
        self._drain_scheduled = False
        self._on_connect: list[Callable[[], Awaitable[None]]] = []
        self._stopping = False
        self._last_error = ""

    # ---- life ------------------------------------------------------------------------

    def start(self) -> None:
        """Start connecting in the background (returns at once).

        MissingSecretError now when the password's ``${VAR}`` is set nowhere.
        """
        options = self._connect_options()
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._connect_forever(options), self._loop)

    def wait_connected(self, timeout_s: float) -> bool:
        return self.connected.wait(timeout_s)

    def stop(self, timeout_s: float = 2.0) -> None:
        """Flush what was published and close; safe to call twice."""
        if self._stopping or not self._thread.is_alive():
            return
        self._stopping = True
        if self._nc is not None:
            try:
                self._submit(self._close(), timeout_s)
            except (BusUnavailableError, NatsError, OSError) as error:
                log.debug("bus close: %s", error)
        with contextlib.suppress(BusUnavailableError):
            self._submit(self._cancel_tasks(), timeout_s)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout_s)

    def on_connect(self, setup: Callable[[], Awaitable[None]]) -> None:
        """Run ``setup`` on the loop after each (re)connection (streams, buckets)."""
        self._on_connect.append(setup)

    # ---- blocking calls ----------------------------------------------------------------

    def run(self, make: Callable[[], Coroutine[Any, Any, T]], timeout_s: float = 2.0) -> T:
        """Run a coroutine on the bus loop and wait for it; BusUnavailableError when offline."""
        if not self.connected.is_set():
            raise BusUnavailableError("the bus is not connected")
        return self._submit(make(), timeout_s)

    @property
    def js(self) -> JetStreamContext:
        if self._js is None:
            raise BusUnavailableError("the bus is not connected")
        return self._js

    @property
    def nc(self) -> Client:
        if self._nc is None:
            raise BusUnavailableError("the bus is not connected")
        return self._nc

    def publish(self, subject: str, data: bytes) -> None:
        """Core NATS, fire and forget (live data nobody needs twice); dropped when offline.

        Messages published from threads in quick succession reach the loop as one batch
        (one wake-up and one task for all of them, not one each).
        """
        if not self.connected.is_set():
            return
        with self._pending_lock:
            self._pending.append((subject, data))
            if self._drain_scheduled:
                return
            self._drain_scheduled = True
        self._loop.call_soon_threadsafe(self._drain_pending)

    def kept_publish(
        self, subject: str, data: bytes, *, msg_id: str, timeout_s: float = 2.0
    ) -> int:
        """Publish to JetStream and wait for the ack; returns the stream sequence.

        ``msg_id`` makes a retry safe: the stream keeps one copy per id in its duplicate
        window. BusUnavailableError (or a NATS error) means it may not be stored: retry later.
        """

        async def send() -> int:
            ack = await self.js.publish(
                subject, data, timeout=timeout_s, headers={"Nats-Msg-Id": msg_id}
            )
            return int(ack.seq)

        return self.run(send, timeout_s + 0.5)

    def fire(self, make: Callable[[], Coroutine[Any, Any, object]]) -> None:
        """Run a coroutine on the bus loop without waiting (a state put nobody waits for)."""
        if not self.connected.is_set():
            return

        async def guarded() -> None:
            try:
                await make()
            except (NatsError, OSError) as error:
                log.debug("bus call failed: %s", error)

        asyncio.run_coroutine_threadsafe(guarded(), self._loop)

    def subscribe(self, subject: str, handler: Handler, *, queue: str = "") -> None:
        """Core subscription, kept across reconnections (made now or once connected)."""
        subscription = _Subscription(subject, handler, queue)
        self._subscriptions.append(subscription)
        if self.connected.is_set():
            self._submit(self._subscribe(subscription), 2.0)

    def key_value(self, bucket: str) -> KeyValue:
        """A bucket's handle (looked up once; it stays usable across reconnections)."""
        handle = self._buckets.get(bucket)
        if handle is None:
            handle = self._buckets[bucket] = self.run(lambda: self.js.key_value(bucket))
        return handle

    # ---- the loop thread ---------------------------------------------------------------

    def _run_loop(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()

    def _submit(self, coroutine: Coroutine[Any, Any, T], timeout_s: float) -> T:
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout_s)
        except FutureTimeout:
            future.cancel()
            raise BusUnavailableError(f"no answer from the bus within {timeout_s:.1f} s") from None
        except (NatsError, OSError) as error:
            if isinstance(error, nats.errors.TimeoutError | nats.errors.ConnectionClosedError):
                raise BusUnavailableError(str(error) or type(error).__name__) from error
            raise

    def _drain_pending(self) -> None:
        with self._pending_lock:
            batch, self._pending = self._pending, []
            self._drain_scheduled = False
        if batch and self._nc is not None and self._nc.is_connected:
            self._loop.create_task(self._publish_batch(batch))

    async def _publish_batch(self, batch: list[tuple[str, bytes]]) -> None:
        assert self._nc is not None
        try:
            for subject, data in batch:
                await self._nc.publish(subject, data)
        except (NatsError, OSError) as error:  # live data: the next result replaces it
            log.debug("live messages dropped: %s", error)

    async def _connect_forever(self, options: dict[str, Any]) -> None:
        shown = ", ".join(mask_url(s) for s in self.settings.servers)
        warned = False
        while not self._stopping:
            try:
                self._nc = await nats.connect(**options)
            except (NatsError, OSError) as error:
                if not warned:
                    log.warning(
                        "bus %s unreachable (%s); retrying every %.0f s", shown, error, RETRY_S
                    )
                    warned = True
                await asyncio.sleep(RETRY_S)
                continue
            log.info("bus connected: %s", shown)
            self._js = self._nc.jetstream()
            for subscription in self._subscriptions:
                await self._subscribe(subscription)
            await self._connected()
            return

    def _connect_options(self) -> dict[str, Any]:
        settings = self.settings
        options: dict[str, Any] = {
            "servers": [expand_env(url) for url in settings.servers],
            "name": self.name,
            "connect_timeout": 2,
            "reconnect_time_wait": RETRY_S,
            "max_reconnect_attempts": -1,
            "ping_interval": 5,
            "max_outstanding_pings": 2,
            "disconnected_cb": self._disconnected,
            "reconnected_cb": self._connected,
            "error_cb": self._error,
        }
        if settings.user:
            options["user"] = expand_env(settings.user)
        if settings.password:
            options["password"] = expand_env(settings.password)
        if settings.nkey_seed_file:
            options["nkeys_seed"] = str(settings.nkey_seed_file)
        if settings.tls is not None:
            context = ssl.create_default_context(
                cafile=str(settings.tls.ca_file) if settings.tls.ca_file else None
            )
            if settings.tls.cert_file and settings.tls.key_file:
                context.load_cert_chain(str(settings.tls.cert_file), str(settings.tls.key_file))
            options["tls"] = context
        return options

    async def _subscribe(self, subscription: _Subscription) -> None:
        async def deliver(msg: Msg) -> None:
            try:
                subscription.handler(msg.subject, msg.data)
            except Exception:  # a handler's bug must not end the subscription
                log.exception("bus handler for %s failed", subscription.subject)

        await self.nc.subscribe(subscription.subject, queue=subscription.queue, cb=deliver)

    async def _connected(self) -> None:
        for setup in self._on_connect:
            try:
                await setup()
            except Exception:
                log.exception("bus setup after connecting failed")
        self.connected.set()
        self._tell(True)

    async def _disconnected(self) -> None:
        if self.connected.is_set() and not self._stopping:
            log.warning("bus disconnected; reconnecting")
        self.connected.clear()
        self._tell(False)

    async def _error(self, error: Exception) -> None:
        text = str(error)
        if "Authorization" in text or "Authentication" in text:
            if text != self._last_error:  # once per kind, not per retry
                log.error(
                    "the bus refused this machine's login (%s): check bus.user and "
                    "bus.password (or the NKey) in the site file and its secret",
                    text,
                )
        else:
            log.debug("bus: %s", error)
        self._last_error = text

    async def _cancel_tasks(self) -> None:
        """End the client's own background tasks (heartbeat checks of consumers)."""
        current = asyncio.current_task()
        tasks = [task for task in asyncio.all_tasks() if task is not current]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _close(self) -> None:
        assert self._nc is not None
        try:
            await self._nc.drain()
        except (NatsError, OSError):
            await self._nc.close()
        self.connected.clear()

    def _tell(self, up: bool) -> None:
        for listener in list(self.status_listeners):
            try:
                listener(up)
            except Exception:
                log.exception("bus status listener failed")
