"""What people do with plates: read one now, correct one, keep the watch-list.

Every call names the acting user (a session or, headless, a user) and is checked in the
core: correcting a plate needs the permission to act on the alert; the watch-list needs
``manage_watchlist``. Refusals and changes are written to the audit trail (refusals by
:func:`~console.security.guard.checked`, changes by the store jobs in the same
transaction as the change).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import cv2
import numpy as np

from console.alerts.service import AlertService
from console.domain.plates import PlateColour, PlateRead, PlateSource
from console.domain.records import Alert, EvidenceRef, utc_now
from console.plates.format import parse_plate
from console.plates.on_alert import AlertPlates, crop_with_margin, wants_plate
from console.security.audit import AuditLog
from console.security.guard import checked, permission_for
from console.security.roles import Actor, Permission
from console.store import queries
from console.store.local import LocalStore

T = TypeVar("T")


class PlateNotValidError(ValueError):
    """What an operator typed is not a plate."""


def operator_plate(text: str, colour: PlateColour) -> PlateRead:
    """An operator's plate: the canonical form when it parses, refused when it cannot."""
    parsed = parse_plate(text)
    if parsed is None:
        raise PlateNotValidError(
            f"'{text}' is not a Vietnamese plate (e.g. 30E-123.45 or 29-B1 123.45)"
        )
    return PlateRead(
        text=parsed.text,
        colour=colour,
        confidence=1.0,
        lines=2 if parsed.motorbike else 1,
        valid=True,
        source=PlateSource.OPERATOR,
        frames=0,
    )


class PlateDesk:
    """Plate actions on one site's alerts, for the console and the CLI alike."""

    def __init__(
        self,
        service: AlertService,
        store: LocalStore,
        audit: AuditLog | None,
        plates: AlertPlates | None = None,
    ) -> None:
        self.service = service
        self.store = store
        self.audit = audit
        self.plates = plates or AlertPlates()
        self._reading = ThreadPoolExecutor(1, thread_name_prefix="plate-on-request")

    def close(self) -> None:
        self._reading.shutdown(wait=False, cancel_futures=True)

    # ---- one alert's plate --------------------------------------------------------------

    def correct(self, actor: Actor, alert: Alert, text: str, colour: PlateColour) -> Future[Alert]:
        """Set the plate an operator read on the evidence; audited with what it replaced."""
        what = f"correct the plate of alert {alert.id}"
        user = checked(actor, permission_for(alert), self.audit, what)
        plate = operator_plate(text, colour)
        saving = self.store.writer.correct_plate(alert.id, plate, actor=user.username, at=utc_now())
        return _then(saving, lambda _previous: self._shown(alert, plate))

    def read_now(self, actor: Actor, alert: Alert) -> Future[PlateRead | None]:
        """Read the plate from the alert's stored evidence now (off the caller's thread)."""
        checked(actor, Permission.VIEW_EVIDENCE, self.audit, f"read the plate of alert {alert.id}")

        def read() -> PlateRead | None:
            plate = self.plates.read_images(evidence_views(alert))
            if plate is not None:
                self.store.writer.save_plate(alert.evolve(plate=plate), utc_now()).result(30)
                self._shown(alert, plate)
            return plate

        return self._reading.submit(read)

    def _shown(self, alert: Alert, plate: PlateRead) -> Alert:
        """The queue's copy gets the plate; views and the watch-list are told."""
        updated = self.service.alerts.update(alert.id, lambda a: a.evolve(plate=plate))
        shown = updated or alert.evolve(plate=plate)
        for listener in list(self.service.evidence_listeners):
            listener(shown, shown.evidence)
        for plate_listener in list(self.service.plate_listeners):
            plate_listener(shown)
        return shown

    # ---- the watch-list -------------------------------------------------------------------

    def watch(self, actor: Actor, text: str, reason: str) -> Future[str]:
        return watch_plate(actor, self.store, self.audit, text, reason)

    def unwatch(self, actor: Actor, text: str) -> Future[bool]:
        return unwatch_plate(actor, self.store, self.audit, text)


def watch_plate(
    actor: Actor, store: LocalStore, audit: AuditLog | None, text: str, reason: str
) -> Future[str]:
    """Put a plate on the watch-list (``manage_watchlist``); audited."""
    user = checked(actor, Permission.MANAGE_WATCHLIST, audit, f"watch plate {text}")
    return store.writer.watch_plate(text, reason, actor=user.username, at=utc_now())


def unwatch_plate(
    actor: Actor, store: LocalStore, audit: AuditLog | None, text: str
) -> Future[bool]:
    """Take a plate off the watch-list (``manage_watchlist``); audited."""
    user = checked(actor, Permission.MANAGE_WATCHLIST, audit, f"unwatch plate {text}")
    return store.writer.unwatch_plate(text, actor=user.username, at=utc_now())


def search_plates(
    actor: Actor, store: LocalStore, audit: AuditLog | None, query: str, limit: int = 200
) -> list[Alert]:
    """Alerts whose plate contains ``query``, newest first.

    Plates are personal data: searching needs ``view_evidence`` and each search is audited.
    """
    user = checked(actor, Permission.VIEW_EVIDENCE, audit, f"search alerts by plate {query}")
    with store.session() as session:
        found = queries.list_alerts(session, statuses=None, plate=query, limit=limit)
    if audit is not None:
        audit.record_and_wait(
            user.username, "plate.search", {"query": query, "alerts_found": len(found)}
        )
    return found


def evidence_views(alert: Alert) -> list[np.ndarray]:
    """The vehicle in the alert's stored evidence: the crop, and the box in the raw frame."""
    by_kind: dict[str, EvidenceRef] = {ref.kind: ref for ref in alert.evidence}
    views = []
    crop = _image(by_kind.get("crop"))
    if crop is not None:
        views.append(crop)
    frame = _image(by_kind.get("frame"))
    box = alert.event.box_xyxy
    if frame is not None and box is not None and wants_plate(alert):
        views.append(crop_with_margin(frame, box))
    return views


def _image(ref: EvidenceRef | None) -> np.ndarray | None:
    if ref is None or not ref.path or not Path(ref.path).exists():
        return None
    image = cv2.imread(ref.path)
    return image if image is not None and image.size else None


def _then(future: Future[T], then: Callable[[T], Alert]) -> Future[Alert]:
    result: Future[Alert] = Future()

    def done(settled: Future[T]) -> None:
        error = settled.exception()
        if error is not None:
            result.set_exception(error)
            return
        try:
            result.set_result(then(settled.result()))
        except Exception as failure:
            result.set_exception(failure)

    future.add_done_callback(done)
    return result
