"""The site's JetStream stream and key-value buckets, created on first use (idempotent)."""

from __future__ import annotations

import logging

from nats.js import JetStreamContext
from nats.js.api import KeyValueConfig, StorageType, StreamConfig
from nats.js.errors import BadRequestError

from console.bus.subjects import SiteSubjects

log = logging.getLogger(__name__)
DAY_S = 24 * 3600.0
# Alerts, evidence and actions stay on the bus a week: a console that was off that long
# rebuilds its queue from the stream; older ones come from central storage.
ALERTS_KEPT_S = 7 * DAY_S
# A publisher retrying after an outage within this window is stored once (Nats-Msg-Id).
DUPLICATE_WINDOW_S = 30 * 60.0
HEALTH_KEPT_S = 120.0


async def ensure_site_streams(
    js: JetStreamContext, subjects: SiteSubjects, lease_ttl_s: float
) -> None:
    """Create the alerts stream and the buckets if missing; an existing one is kept as is."""
    try:
        await js.add_stream(
            StreamConfig(
                name=subjects.alerts_stream,
                subjects=subjects.alerts_stream_subjects,
                max_age=ALERTS_KEPT_S,
                duplicate_window=DUPLICATE_WINDOW_S,
                storage=StorageType.FILE,
                max_msg_size=1024 * 1024,
            )
        )
    except BadRequestError as error:  # exists with another configuration: keep it
        log.warning("alerts stream %s kept as configured: %s", subjects.alerts_stream, error)
    buckets = (
        (subjects.leases_bucket, lease_ttl_s, "camera leases: owner node and epoch"),
        (subjects.nodes_bucket, lease_ttl_s, "analytics nodes' heartbeats"),
        (subjects.alert_state_bucket, ALERTS_KEPT_S, "alert status, the arbiter of actions"),
        (subjects.health_bucket, HEALTH_KEPT_S, "cameras' last health"),
    )
    for bucket, ttl_s, description in buckets:
        try:
            await js.create_key_value(
                KeyValueConfig(
                    bucket=bucket,
                    description=description,
                    ttl=ttl_s,
                    history=1,
                    storage=StorageType.FILE,
                )
            )
        except BadRequestError as error:
            log.warning("bucket %s kept as configured: %s", bucket, error)
