"""Subject, stream and bucket names of one site on the bus (version 1, docs/EVENTS.md).

Every name starts with ``rw.v1.<site>`` so several sites (or a test) share one NATS
cluster without seeing each other's messages, and a future format gets ``rw.v2``.
Identifiers may hold dots, which NATS reads as token separators: they become ``_``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VERSION = 1
_NOT_IN_A_TOKEN = re.compile(r"[^A-Za-z0-9_-]")


def token(identifier: str) -> str:
    """``identifier`` as one subject token (``ql1.km12`` -> ``ql1_km12``)."""
    return _NOT_IN_A_TOKEN.sub("_", identifier)


@dataclass(frozen=True, slots=True)
class SiteSubjects:
    """Names on the bus for the site ``site_id``."""

    site_id: str

    @property
    def prefix(self) -> str:
        return f"rw.v{VERSION}.{token(self.site_id)}"

    # ---- JetStream: alerts and what operators do with them (kept, one copy each) ----
    @property
    def alerts_stream(self) -> str:
        return f"RW_{token(self.site_id).upper()}_ALERTS"

    def alert(self, camera_id: str) -> str:
        """A new alert, its evidence: ``rw.v1.<site>.alerts.<camera>``."""
        return f"{self.prefix}.alerts.{token(camera_id)}"

    def evidence(self, camera_id: str) -> str:
        return f"{self.prefix}.evidence.{token(camera_id)}"

    def action(self, alert_id: str) -> str:
        """An operator's acknowledge / dispatch / resolve / note on one alert."""
        return f"{self.prefix}.actions.{alert_id}"

    @property
    def alerts_stream_subjects(self) -> list[str]:
        return [f"{self.prefix}.alerts.>", f"{self.prefix}.evidence.>", f"{self.prefix}.actions.>"]

    # ---- core NATS: live and not kept ----
    def tracks(self, camera_id: str) -> str:
        """Boxes, track ids and classes of one analysed frame (for overlays)."""
        return f"{self.prefix}.tracks.{token(camera_id)}"

    def health(self, camera_id: str) -> str:
        return f"{self.prefix}.health.{token(camera_id)}"

    @property
    def heartbeats(self) -> str:
        return f"{self.prefix}.nodes.heartbeat"

    # ---- key-value buckets (current state) ----
    @property
    def leases_bucket(self) -> str:
        """Camera -> owning node and epoch; an entry lapses ``lease_ttl_s`` after its put."""
        return f"rw_{token(self.site_id)}_leases"

    @property
    def nodes_bucket(self) -> str:
        """Node -> its last heartbeat (capacity, cameras, load); lapses like a lease."""
        return f"rw_{token(self.site_id)}_nodes"

    @property
    def alert_state_bucket(self) -> str:
        """Alert id -> status, who set it and when: the arbiter of concurrent actions."""
        return f"rw_{token(self.site_id)}_alert_state"

    @property
    def health_bucket(self) -> str:
        """Camera -> its last health report (a console starting up reads it)."""
        return f"rw_{token(self.site_id)}_health"
