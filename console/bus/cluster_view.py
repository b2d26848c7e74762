"""What the bus says about a site's analysis now: live nodes, leases, unowned cameras, lag."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from console.bus.client import BusClient
from console.bus.leases import read_bucket
from console.bus.messages import LeaseValue, MalformedMessageError, NodeHeartbeat, decode
from console.bus.subjects import SiteSubjects
from console.config.site_file import SiteConfig
from console.domain.records import utc_now

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ClusterView:
    site_id: str
    nodes: list[NodeHeartbeat]
    leases: dict[str, LeaseValue]  # camera -> lease
    enabled_cameras: list[str]
    alerts_kept: int  # messages in the alerts stream
    at: datetime

    @property
    def unowned(self) -> list[str]:
        return [camera for camera in self.enabled_cameras if camera not in self.leases]

    @property
    def capacity(self) -> int:
        return sum(node.capacity for node in self.nodes)

    def as_json(self) -> dict[str, Any]:
        return {
            "site": self.site_id,
            "at": self.at.isoformat(),
            "nodes": [
                {
                    "node": n.node,
                    "host": n.host,
                    "version": n.version,
                    "capacity": n.capacity,
                    "cameras": n.cameras,
                    "analysed_fps": n.analysed_fps,
                    "outbox_waiting": n.outbox_waiting,
                    "heartbeat_age_s": round((self.at - n.sent_at).total_seconds(), 1),
                }
                for n in self.nodes
            ],
            "leases": {
                camera: {"node": lease.node, "epoch": lease.epoch}
                for camera, lease in sorted(self.leases.items())
            },
            "unowned": self.unowned,
            "capacity": self.capacity,
            "cameras": len(self.enabled_cameras),
            "alerts_kept": self.alerts_kept,
        }


def read_cluster(client: BusClient, site: SiteConfig) -> ClusterView:
    """Read the nodes and leases buckets and the alerts stream (BusUnavailableError offline)."""
    subjects = SiteSubjects(site.site.id)
    nodes = []
    for entry in read_bucket(client, subjects.nodes_bucket):
        try:
            nodes.append(decode(entry.value, NodeHeartbeat))
        except MalformedMessageError as error:
            log.warning("node entry %s ignored: %s", entry.key, error)
    leases: dict[str, LeaseValue] = {}
    for entry in read_bucket(client, subjects.leases_bucket):
        try:
            lease = decode(entry.value, LeaseValue)
        except MalformedMessageError as error:
            log.warning("lease entry %s ignored: %s", entry.key, error)
            continue
        leases[lease.camera_id] = lease

    async def stream_messages() -> int:
        info = await client.js.stream_info(subjects.alerts_stream)
        return int(info.state.messages)

    return ClusterView(
        site_id=site.site.id,
        nodes=sorted(nodes, key=lambda n: n.node),
        leases=leases,
        enabled_cameras=[c.id for c in site.cameras if c.enabled],
        alerts_kept=client.run(stream_messages),
        at=utc_now(),
    )
