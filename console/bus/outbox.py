"""Messages that must reach the bus (alerts, evidence, actions), sent in order, kept meanwhile.

A node keeps analysing while the bus is down: its alerts are in its local store (synced to
central storage as always) and wait here, in order, until the bus takes them. Each has a
message id (the alert's, the action's), so a message sent again after a timeout whose ack
was lost is stored once by JetStream's duplicate window, never twice.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from nats.errors import Error as NatsError

from console.bus.client import BusClient, BusUnavailableError

log = logging.getLogger(__name__)
# Far more than a day of alerts from one node; beyond it the oldest wait in central storage.
MAX_WAITING = 50_000


@dataclass(frozen=True, slots=True)
class Outgoing:
    subject: str
    data: bytes
    msg_id: str
    camera_id: str = ""  # the camera it speaks for (alerts, evidence), if any
    queued_mono: float = field(default_factory=time.monotonic)
    queued_wall: float = field(default_factory=time.time)


class Outbox(threading.Thread):
    """One sender thread; ``put`` never blocks the caller (a detector, the store writer)."""

    def __init__(self, client: BusClient) -> None:
        super().__init__(name="bus-outbox", daemon=True)
        self.client = client
        self._waiting: deque[Outgoing] = deque()
        self._wake = threading.Condition()
        self._stop = False
        self._paused = False
        self.sent = 0
        self.dropped = 0

    def put(self, message: Outgoing) -> None:
        with self._wake:
            if len(self._waiting) >= MAX_WAITING:
                self._waiting.popleft()
                self.dropped += 1
                log.error("bus outbox full: the oldest message waits in central storage only")
            self._waiting.append(message)
            self._wake.notify()

    @property
    def waiting(self) -> int:
        with self._wake:
            return len(self._waiting)

    def withdraw(self, unwanted: Callable[[Outgoing], bool]) -> list[Outgoing]:
        """Take back the waiting messages ``unwanted`` picks (not sent yet); returns them."""
        with self._wake:
            kept = deque(message for message in self._waiting if not unwanted(message))
            taken = [message for message in self._waiting if unwanted(message)]
            self._waiting = kept
            self._wake.notify_all()
        return taken

    def flush(self, timeout_s: float) -> bool:
        """Wait until everything queued was sent (True) or ``timeout_s`` passed."""
        with self._wake:
            return self._wake.wait_for(lambda: not self._waiting, timeout_s)

    def pause(self) -> None:
        """Hold everything (the bus went away: what may be sent is decided on return)."""
        with self._wake:
            self._paused = True

    def resume(self) -> None:
        with self._wake:
            self._paused = False
            self._wake.notify_all()

    def stop(self) -> None:
        with self._wake:
            self._stop = True
            self._wake.notify_all()

    def run(self) -> None:
        while True:
            with self._wake:
                self._wake.wait_for(lambda: (self._waiting and not self._paused) or self._stop)
                if self._stop:
                    return
                head = self._waiting[0]
            if self._send(head):
                with self._wake:
                    if self._waiting and self._waiting[0] is head:
                        self._waiting.popleft()
                    self.sent += 1
                    self._wake.notify_all()
            else:
                self.client.connected.wait(1.0)  # offline: wait for the bus, then retry

    def _send(self, message: Outgoing) -> bool:
        try:
            self.client.kept_publish(message.subject, message.data, msg_id=message.msg_id)
        except BusUnavailableError:
            return False
        except (NatsError, OSError) as error:  # no ack: the server may be restarting
            log.warning("bus publish of %s failed (%s); retrying", message.subject, error)
            return False
        return True
