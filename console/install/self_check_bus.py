"""Self-check of the site bus: this machine reaches it, logs in, and JetStream answers."""

from __future__ import annotations

import logging
import socket

from console.bus.client import BusClient, BusUnavailableError
from console.bus.cluster_view import read_cluster
from console.bus.streams import ensure_site_streams
from console.bus.subjects import SiteSubjects
from console.config.secrets import MissingSecretError, mask_url
from console.config.site_file import SiteConfig
from console.install.self_check_checks import CheckResult


class _LastError(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.message = ""

    def emit(self, record: logging.LogRecord) -> None:
        self.message = record.getMessage()


def check_bus(site: SiteConfig, timeout_s: float) -> CheckResult:
    """Connect, log in, read the nodes and leases; ``skip`` for a standalone site."""
    bus = site.bus
    if bus is None:
        return CheckResult("bus", "skip", "not configured: standalone (no bus: section)")
    servers = ", ".join(mask_url(url) for url in bus.servers)
    client = BusClient(bus, name=f"roadwatch-self-check-{socket.gethostname()}")
    subjects = SiteSubjects(site.site.id)
    client.on_connect(lambda: ensure_site_streams(client.js, subjects, bus.lease_ttl_s))
    errors = _LastError()
    logger = logging.getLogger("console.bus.client")
    logger.addHandler(errors)
    try:
        try:
            client.start()
        except MissingSecretError as error:
            return CheckResult("bus", "fail", f"{servers}: {error}")
        if not client.wait_connected(timeout_s):
            why = errors.message or f"no answer within {timeout_s:.0f} s"
            return CheckResult("bus", "fail", f"{servers}: {why}")
        try:
            view = read_cluster(client, site)
        except BusUnavailableError as error:
            return CheckResult("bus", "fail", f"{servers}: JetStream did not answer ({error})")
    finally:
        logger.removeHandler(errors)
        client.stop()
    detail = (
        f"{servers}: JetStream answers; {len(view.nodes)} analytics node(s), "
        f"{len(view.leases)} of {len(view.enabled_cameras)} cameras analysed"
    )
    if not view.nodes:
        detail += " (no node running: nothing is analysed)"
    return CheckResult(
        "bus",
        "ok",
        detail,
        {"nodes": len(view.nodes), "unowned": view.unowned, "alerts_kept": view.alerts_kept},
    )
