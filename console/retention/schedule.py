"""Retention on a schedule: consoles and analytics nodes run for months without a restart.

Every ``interval_s`` (first pass shortly after start) the local cache is pruned by the
site's ``storage.retention_days`` and ``evidence_budget_gb`` (only what central storage
holds, never legal holds or unsynced items: see console/retention/store.py), then the
recordings by the same age. A failing pass (database gone, disk error) is logged and the
next one tries again; nothing else stops. When the evidence folder is over budget and
nothing more may be pruned (an offline console whose evidence never reached central
storage), the pass says so in the log as a warning, once per pass, with the sizes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from console.config.site_file import SiteConfig
from console.retention.store import prune_local
from console.security.permits import RETENTION_JOB
from console.store.local import LocalStore

log = logging.getLogger(__name__)

FIRST_PASS_DELAY_S = 60.0
INTERVAL_S = 3600.0


@dataclass(frozen=True, slots=True)
class RetentionPass:
    """What one pass did (also the last pass's state for status displays)."""

    finished_at: datetime
    evidence_pruned: int
    alerts_pruned: int
    bytes_freed: int
    recordings_pruned: int
    evidence_bytes: int
    over_budget: bool
    error: str = ""


class RetentionScheduler(threading.Thread):
    """Background thread applying retention every ``interval_s`` until :meth:`stop`."""

    def __init__(
        self,
        site: SiteConfig,
        store: LocalStore,
        evidence_dir: Path,
        prune_recordings: Callable[[], int] | None = None,
        *,
        interval_s: float = INTERVAL_S,
        first_pass_delay_s: float = FIRST_PASS_DELAY_S,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(name="retention", daemon=True)
        self.site = site
        self.store = store
        self.evidence_dir = evidence_dir
        self.prune_recordings = prune_recordings
        self.interval_s = interval_s
        self.first_pass_delay_s = first_pass_delay_s
        self.clock = clock
        self.last_pass: RetentionPass | None = None
        self.passes = 0
        self._stop_event = threading.Event()

    @property
    def budget_bytes(self) -> int:
        return int(self.site.storage.evidence_budget_gb * 2**30)

    def run(self) -> None:
        wait = self.first_pass_delay_s
        while not self._stop_event.wait(wait):
            self.last_pass = self.run_once()
            self.passes += 1
            wait = self.interval_s

    def stop(self, timeout: float = 5.0) -> None:
        self._stop_event.set()
        if self.is_alive():
            self.join(timeout)

    def run_once(self) -> RetentionPass:
        now = self.clock()
        try:
            report = prune_local(
                self.store,
                now=now,
                max_age=timedelta(days=self.site.storage.retention_days),
                budget_bytes=self.budget_bytes,
                actor=RETENTION_JOB,  # the console's own schedule: audited as "system"
            )
            recordings = self.prune_recordings() if self.prune_recordings else 0
        except Exception as exc:  # the next pass tries again; nothing else is affected
            log.error("retention pass failed, will retry in %.0f s: %s", self.interval_s, exc)
            return RetentionPass(now, 0, 0, 0, 0, folder_bytes(self.evidence_dir), False, str(exc))
        size = folder_bytes(self.evidence_dir)
        over = size > self.budget_bytes
        if report.evidence_pruned or report.alerts_pruned or recordings:
            log.info(
                "retention: %d evidence items (%.1f MB), %d alerts, %d recording segments pruned",
                report.evidence_pruned,
                report.bytes_freed / 2**20,
                report.alerts_pruned,
                recordings,
            )
        if over:
            log.warning(
                "evidence uses %.1f GB, over the %.1f GB budget, and nothing more may be "
                "pruned: evidence is kept until central storage confirms it (or a hold ends)",
                size / 2**30,
                self.site.storage.evidence_budget_gb,
            )
        return RetentionPass(
            now,
            report.evidence_pruned,
            report.alerts_pruned,
            report.bytes_freed,
            recordings,
            size,
            over,
        )


def folder_bytes(folder: Path) -> int:
    """Total size of the files under ``folder`` (0 when it does not exist yet)."""
    total = 0
    if not folder.exists():
        return 0
    for path in folder.rglob("*"):
        try:
            if path.is_file():
                total += path.stat().st_size
        except OSError:  # removed while we walked: not ours to count
            continue
    return total
