"""Operator (and system) decisions on alerts: checked at once, shown once committed.

An action is checked on the caller's thread (the guard's permission, the state machine, a
free patrol unit) and refused there with an exception. An accepted action goes to the
store's single writer; the queue changes, and the change listeners (the UI's bridge, the
audit log) are told, only once the write is committed. The caller gets a future: it
completes with the alert as committed, or fails with why the write did not happen (the
database is gone, the disk is full, another console closed the alert meanwhile), and then
the alert stays as it was in the queue and the failure listeners are told.

A second action on an alert may follow before the first is committed (keyboard triage:
A, then D): it is checked against the state the first will leave, and the store checks it
again against what was really committed, so a failed first action fails the second too
rather than skipping a state.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from functools import partial

from console.alerts.patrol import PatrolBoard, PatrolUnit, UnitStatus
from console.alerts.queue import AlertQueue
from console.alerts.sink import ActionGuard, AlertSink, ChangeListener, FailureListener
from console.config.site_file import SiteConfig
from console.domain.alert_states import TransitionError, add_note, transition
from console.domain.records import Alert, AlertAction, AlertStatus, utc_now

log = logging.getLogger(__name__)


class AlertActions:
    """Acknowledge, dispatch (with a patrol unit), resolve, dismiss, note."""

    def __init__(
        self,
        site: SiteConfig,
        queue: AlertQueue,
        patrol: PatrolBoard,
        *,
        console_id: str = "",
        on_closed: Callable[[Alert], None] | None = None,
    ) -> None:
        self.site = site
        self.queue = queue
        self.patrol = patrol
        self.console_id = console_id
        self.on_closed = on_closed  # the camera's policy may alert on the cause again
        self.sink: AlertSink | None = None
        self.guard: ActionGuard | None = None
        self.change_listeners: list[ChangeListener] = []
        self.failure_listeners: list[FailureListener] = []
        self._lock = threading.RLock()
        # Per alert, the state each action still being written will leave, in order.
        self._in_flight: dict[uuid.UUID, list[Alert]] = {}

    def act(
        self,
        alert_id: uuid.UUID,
        to: AlertStatus,
        *,
        actor: str,
        note: str = "",
        unit: str | None = None,
    ) -> Future[Alert]:
        """Apply a decision once it is saved.

        Raises TransitionError (or the guard's PermissionDeniedError) at once when the
        decision is not allowed; the future fails when the write does.
        """
        with self._lock:
            alert = self._latest(alert_id)
            if self.guard is not None:
                self.guard(alert, to.value, actor)
            if to is AlertStatus.DISPATCHED and unit is None:
                camera = self.site.camera(alert.camera_id)
                nearest = self.patrol.nearest_available(camera.route, camera.km)
                if nearest is None:
                    raise TransitionError(f"no patrol unit is available on {camera.route}")
                unit = nearest.call_sign
            updated, action = transition(
                alert,
                to,
                actor=actor,
                at=utc_now(),
                note=note,
                unit=unit,
                console_id=self.console_id,
            )
            reserved = self._reserve(unit, alert_id) if to is AlertStatus.DISPATCHED else None
            self._in_flight.setdefault(alert_id, []).append(updated)
        result: Future[Alert] = Future()
        self._write(updated, action).add_done_callback(
            partial(self._settled, alert, updated, action, reserved, result)
        )
        return result

    def note(self, alert_id: uuid.UUID, *, actor: str, text: str) -> Future[AlertAction]:
        """Add a note once it is saved; raises TransitionError at once for an empty note."""
        with self._lock:
            alert = self._latest(alert_id)
        if self.guard is not None:
            self.guard(alert, "note", actor)
        action = add_note(alert, actor=actor, at=utc_now(), note=text, console_id=self.console_id)
        result: Future[AlertAction] = Future()
        self._write(alert, action).add_done_callback(partial(self._noted, alert, action, result))
        return result

    def pending(self, alert_id: uuid.UUID) -> bool:
        """Whether an action on the alert is still being written."""
        with self._lock:
            return bool(self._in_flight.get(alert_id))

    # ---- before the write ---------------------------------------------------------------

    def _latest(self, alert_id: uuid.UUID) -> Alert:
        """The state the actions in flight will leave, else the committed one."""
        in_flight = self._in_flight.get(alert_id)
        if in_flight:
            return in_flight[-1]
        alert = self.queue.get(alert_id)
        if alert is None:
            raise TransitionError(f"unknown alert {alert_id}")
        return alert

    def _reserve(self, call_sign: str | None, alert_id: uuid.UUID) -> PatrolUnit:
        """Send the unit now (no other alert gets it meanwhile); returns it as it was."""
        before = next((u for u in self.patrol.units() if u.call_sign == call_sign), None)
        if call_sign is None or before is None:
            raise TransitionError(f"unknown patrol unit {call_sign}")
        self.patrol.set_status(call_sign, UnitStatus.EN_ROUTE, str(alert_id))
        return before

    def _write(self, alert: Alert, action: AlertAction) -> Future[None]:
        if self.sink is None:  # nothing to wait for: a console without a store, a test
            written: Future[None] = Future()
            written.set_result(None)
            return written
        try:
            return self.sink.alert_changed(alert, action)
        except Exception as error:  # a sink that failed to queue: the same as a failed write
            failed: Future[None] = Future()
            failed.set_exception(error)
            return failed

    # ---- after the write (on the writer's thread) -----------------------------------------

    def _settled(
        self,
        before: Alert,
        updated: Alert,
        action: AlertAction,
        reserved: PatrolUnit | None,
        result: Future[Alert],
        written: Future[None],
    ) -> None:
        error = written.exception()
        if error is not None:
            with self._lock:
                self._land(updated)
                if reserved is not None:
                    self._give_back(reserved, updated.id)
            log.error("%s of alert %s not saved: %s", action.action, updated.id, error)
            current = self.queue.get(updated.id, before)
            for failure_listener in list(self.failure_listeners):
                _safely(failure_listener, current, action, error)
            result.set_exception(error)
            return
        with self._lock:
            self._land(updated)
            committed = self.queue.update(updated.id, partial(_with_status_of, updated))
            if committed is None:  # left memory meanwhile; the store has it
                committed = self.queue.put(updated)
            if committed.status.is_terminal:
                self.patrol.release_for(str(updated.id))
        if committed.status.is_terminal and self.on_closed is not None:
            _safely(self.on_closed, committed)
        for listener in list(self.change_listeners):
            _safely(listener, committed, action)
        result.set_result(committed)

    def _noted(
        self,
        alert: Alert,
        action: AlertAction,
        result: Future[AlertAction],
        written: Future[None],
    ) -> None:
        current = self.queue.get(alert.id, alert)
        error = written.exception()
        if error is not None:
            log.error("note on alert %s not saved: %s", alert.id, error)
            for failure_listener in list(self.failure_listeners):
                _safely(failure_listener, current, action, error)
            result.set_exception(error)
            return
        for listener in list(self.change_listeners):
            _safely(listener, current, action)
        result.set_result(action)

    def _land(self, updated: Alert) -> None:
        in_flight = self._in_flight.get(updated.id, [])
        for index, alert in enumerate(in_flight):
            if alert is updated:
                del in_flight[index]
                break
        if not in_flight:
            self._in_flight.pop(updated.id, None)

    def _give_back(self, before: PatrolUnit, alert_id: uuid.UUID) -> None:
        """The dispatch was not saved: the unit is as it was, unless it moved on since."""
        now = next((u for u in self.patrol.units() if u.call_sign == before.call_sign), None)
        if now is not None and now.alert_id == str(alert_id):
            self.patrol.set_status(before.call_sign, before.status, before.alert_id)


def _with_status_of(updated: Alert, current: Alert) -> Alert:
    """The held alert (its evidence may have arrived meanwhile) with the committed decision."""
    return current.evolve(
        status=updated.status, updated_at=updated.updated_at, assigned_unit=updated.assigned_unit
    )


def _safely(callback: Callable[..., None], *args: object) -> None:
    try:
        callback(*args)
    except Exception:
        log.exception("listener %r failed", callback)
