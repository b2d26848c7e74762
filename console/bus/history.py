"""Reading back what the alerts stream kept: a camera's recent alerts, an alert's state."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import ConsumerConfig, DeliverPolicy
from nats.js.errors import KeyNotFoundError

from console.bus.client import BusClient
from console.bus.messages import (
    AlertMessage,
    AlertState,
    MalformedMessageError,
    alert_from_message,
    decode,
)
from console.bus.subjects import SiteSubjects
from console.domain.records import Alert, utc_now

log = logging.getLogger(__name__)


def read_stream(
    client: BusClient, subject_filter: str, since: datetime, timeout_s: float = 5.0
) -> list[tuple[str, bytes]]:
    """Every message kept on subjects matching ``subject_filter`` since ``since``, in order."""

    async def read() -> list[tuple[str, bytes]]:
        subscription = await client.js.subscribe(
            subject_filter,
            ordered_consumer=True,
            config=ConsumerConfig(deliver_policy=DeliverPolicy.BY_START_TIME, opt_start_time=since),
        )
        messages: list[tuple[str, bytes]] = []
        try:
            while True:
                try:
                    msg = await subscription.next_msg(timeout=0.25)
                except NatsTimeout:  # nothing (more) kept
                    break
                messages.append((msg.subject, msg.data))
                if msg.metadata.num_pending == 0:
                    break
        finally:
            await subscription.unsubscribe()
        return messages

    return client.run(read, timeout_s)


def recent_alerts(
    client: BusClient, subjects: SiteSubjects, camera_id: str, within: timedelta
) -> list[Alert]:
    """The camera's alerts of the last ``within``, each with its current status."""
    alerts: dict[str, Alert] = {}
    for _subject, data in read_stream(client, subjects.alert(camera_id), utc_now() - within):
        try:
            message = decode(data, AlertMessage)
        except MalformedMessageError as error:
            log.warning("alert on the bus ignored: %s", error)
            continue
        alerts[str(message.alert.id)] = alert_from_message(message)
    states = alert_states(client, subjects, list(alerts))
    return [
        alert.evolve(status=states[key].status) if key in states else alert
        for key, alert in alerts.items()
    ]


def alert_states(
    client: BusClient, subjects: SiteSubjects, alert_ids: list[str]
) -> dict[str, AlertState]:
    """Alert id -> its state in the alert-state bucket (alerts nobody acted on are absent)."""
    if not alert_ids:
        return {}

    async def read() -> dict[str, AlertState]:
        bucket = await client.js.key_value(subjects.alert_state_bucket)
        states: dict[str, AlertState] = {}
        for alert_id in alert_ids:
            try:
                entry = await bucket.get(alert_id)
            except KeyNotFoundError:
                continue
            if entry.value:
                try:
                    states[alert_id] = decode(entry.value, AlertState)
                except MalformedMessageError as error:
                    log.warning("alert state %s ignored: %s", alert_id, error)
        return states

    return client.run(read, 5.0)
