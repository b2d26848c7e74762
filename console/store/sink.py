"""The alert service's persistence through the local store's single writer.

Every alert, action, evidence item and count is written there, and so reaches the outbox
for central sync.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future
from datetime import datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from console.domain.records import Alert, AlertAction, EvidenceRef, utc_now
from console.store import convert, plate_jobs
from console.store.local import LocalStore
from console.store.models import EVIDENCE
from console.store.records import TrafficCount
from console.store.write_jobs import enqueue
from console.store.writer import StoreClosedError

log = logging.getLogger(__name__)


def attach_evidence(connection: Connection, alert: Alert) -> None:
    """Evidence arrives seconds after its alert (the clip needs the 'after' part)."""
    rows = convert.evidence_to_rows(alert)
    if rows:
        connection.execute(sqlite_insert(EVIDENCE).values(rows).on_conflict_do_nothing())
    if alert.plate is not None:  # read from the evidence frames
        plate_jobs.save_plate(
            connection, alert.id, alert.plate, utc_now(), alert.training, queue_for_central=False
        )
    if not alert.training:
        enqueue(connection, "alert", [alert.id])


class StoreSink:
    """Implements ``console.alerts.sink.AlertSink`` on a :class:`LocalStore`."""

    def __init__(self, store: LocalStore) -> None:
        self.store = store
        self.failures = 0

    def _watch(self, future: Future[Any], what: str) -> None:
        def report(done: Future[Any]) -> None:
            error = done.exception()
            if error is not None:
                self.failures += 1
                log.error("could not store %s: %s", what, error)

        future.add_done_callback(report)

    def alert_raised(self, alert: Alert) -> None:
        self._watch(self.store.writer.save_alert(alert), f"alert {alert.id}")

    def alert_changed(self, alert: Alert, action: AlertAction) -> Future[None]:
        """Queue an action; the future completes once it is committed, or fails.

        The alert service shows the change only then; a failure says why it was not saved.
        """
        try:
            if action.action == "note":
                future = self.store.writer.add_note(action)
            else:
                future = self.store.writer.apply_transition(alert, action)
        except StoreClosedError as error:
            future = Future()
            future.set_exception(error)
        self._watch(future, f"{action.action} of alert {alert.id}")
        return future

    def evidence_ready(self, alert: Alert, refs: tuple[EvidenceRef, ...]) -> None:
        future = self.store.writer.submit(lambda connection: attach_evidence(connection, alert))
        self._watch(future, f"evidence of alert {alert.id}")

    def counts_ready(self, counts: list[tuple[str, str, str, str, datetime, int]]) -> None:
        rows = [
            TrafficCount(
                camera_id=camera,
                class_name=cls,
                minute=minute,
                count=count,
                line_id=line,
                direction=direction,
            )
            for camera, line, cls, direction, minute, count in counts
        ]
        self._watch(self.store.writer.save_counts(rows), "traffic counts")
