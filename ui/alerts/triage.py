"""Operator decisions on alerts, all through ``AlertService.act`` (which persists them).

A decision is shown as done only once its write is committed: the service's future is
answered on the GUI thread (``acted``), and a write that failed is reported (``refused``)
with the alert left as it was. Questions to the operator (a note, which patrol unit) go
through :class:`TriagePrompts`, so tests answer them without dialogs.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QWidget

from console.alerts.service import AlertService
from console.domain.alert_states import NOTE_REQUIRED, TransitionError
from console.domain.records import Alert, AlertAction, AlertStatus
from ui.gui_callbacks import GuiCallbacks
from ui.labels import status_label


class TriagePrompts(Protocol):
    def ask_note(self, title: str, required: bool) -> str | None:
        """The operator's note; None when cancelled."""
        ...

    def choose_unit(self, proposed: str | None, available: list[str]) -> str | None:
        """The patrol unit to send; None when cancelled."""
        ...


class DialogPrompts(QObject):
    """Asks with small modal dialogs (the default in the running console)."""

    def __init__(self, parent_widget: QWidget | None) -> None:
        super().__init__(parent_widget)
        self.parent_widget = parent_widget

    def ask_note(self, title: str, required: bool) -> str | None:
        label = self.tr("Note (required):") if required else self.tr("Note:")
        while True:
            text, ok = QInputDialog.getMultiLineText(self.parent_widget, title, label)
            if not ok:
                return None
            if text.strip() or not required:
                return text.strip()

    def choose_unit(self, proposed: str | None, available: list[str]) -> str | None:
        if not available:
            return None
        current = available.index(proposed) if proposed in available else 0
        unit, ok = QInputDialog.getItem(
            self.parent_widget,
            self.tr("Dispatch a patrol unit"),
            self.tr("Nearest available unit is proposed:"),
            available,
            current,
            False,
        )
        return unit if ok else None


class TriageController(QObject):
    """Turns keys and buttons into alert actions; reports refusals as readable messages."""

    acted = Signal(object)  # Alert after the change, once committed
    noted = Signal(object)  # AlertAction, once committed
    refused = Signal(str)  # not allowed, or not saved

    def __init__(
        self,
        service: AlertService,
        actor: Callable[[], str],
        prompts: TriagePrompts,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.actor = actor
        self.prompts = prompts
        self.answers = GuiCallbacks(self)

    def act(self, alert_id: uuid.UUID, to: AlertStatus, note: str | None = None) -> bool:
        """Ask for the decision; True when it was accepted and is being saved.

        ``acted`` follows once it is committed, or ``refused`` when it is not saved.
        """
        alert = self.service.alerts.get(alert_id)
        if alert is None:
            self.refused.emit(self.tr("This alert is not known to this console."))
            return False
        if note is None and to in NOTE_REQUIRED:
            title = self.tr("%1: why?").replace("%1", status_label(to))
            note = self.prompts.ask_note(title, True)
            if note is None:
                return False
        unit: str | None = None
        if to is AlertStatus.DISPATCHED:
            unit = self._choose_unit(alert)
            if unit is None:
                return False
        try:
            saving = self.service.act(alert_id, to, actor=self.actor(), note=note or "", unit=unit)
        except TransitionError as error:
            self.refused.emit(self.tr("Not done: %1").replace("%1", str(error)))
            return False
        self.answers.when_done(saving, self.acted.emit, self._not_saved)
        return True

    def _not_saved(self, error: BaseException) -> None:
        self.refused.emit(self.tr("Not saved, nothing changed: %1").replace("%1", str(error)))

    def _choose_unit(self, alert: Alert) -> str | None:
        camera = self.service.site.camera(alert.camera_id)
        nearest = self.service.patrol.nearest_available(camera.route, camera.km)
        available = [
            u.call_sign for u in self.service.patrol.units() if u.status.value == "available"
        ]
        if not available:
            self.refused.emit(self.tr("No patrol unit is available."))
            return None
        return self.prompts.choose_unit(nearest.call_sign if nearest else None, available)

    def add_note(self, alert_id: uuid.UUID, text: str | None = None) -> bool:
        if alert_id not in self.service.alerts:
            return False
        if text is None:
            text = self.prompts.ask_note(self.tr("Add a note"), True)
            if not text:
                return False
        try:
            saving = self.service.note(alert_id, actor=self.actor(), text=text)
        except TransitionError as error:
            self.refused.emit(str(error))
            return False
        self.answers.when_done(saving, self._on_noted, self._not_saved)
        return True

    def _on_noted(self, action: AlertAction) -> None:
        self.noted.emit(action)
