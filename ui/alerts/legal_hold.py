"""The alert detail's legal hold: whether the alert's evidence is held, and the button to change it.

The state is read on the store's reader thread; the change goes through the core's
``set_legal_hold`` (console/evidence/legal_hold.py), which checks ``set_legal_hold`` and
audits both a refusal and the change. A refusal is shown as the core words it; the button
stays usable for every role so that the answer always comes from the core.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from console.domain.records import Alert
from console.evidence.legal_hold import HoldState, hold_state, set_legal_hold
from console.security.audit import AuditLog
from console.security.roles import Actor
from console.store.local import LocalStore
from ui.gui_callbacks import GuiCallbacks

HELD_STYLE = "color: #ffb020; font-weight: 700;"
REFUSED_STYLE = "color: #ff4d4f;"


class LegalHoldControl(QWidget):
    """One line: the hold state of the shown alert's evidence, and put on / lift."""

    changed = Signal(object)  # HoldState after a committed change
    refused = Signal(str)  # the core's refusal or a failed write, as a sentence

    def __init__(
        self,
        store: LocalStore | None,
        actor: Callable[[], Actor | None],
        audit: AuditLog | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.actor = actor
        self.audit = audit
        self.answers = GuiCallbacks(self)
        self.alert_id: uuid.UUID | None = None
        self.state: HoldState | None = None  # None: not read yet
        self.message = ""
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.button = QPushButton(self)
        self.button.clicked.connect(self.toggle)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        self._show()

    def show_alert(self, alert: Alert | None) -> None:
        alert_id = alert.id if alert is not None else None
        if alert_id == self.alert_id and self.state is not None:
            return
        self.alert_id, self.state, self.message = alert_id, None, ""
        self._read()

    def _read(self) -> None:
        self._show()
        if self.alert_id is None or self.store is None:
            return
        query = partial(hold_state, alert_id=self.alert_id)
        self.answers.when_done(
            self.store.reader.submit(query),
            partial(self._state_read, self.alert_id),
            partial(self._failed, self.alert_id),
        )

    def _state_read(self, alert_id: uuid.UUID, state: HoldState) -> None:
        if alert_id == self.alert_id:
            self.state = state
            self._show()

    def toggle(self) -> None:
        """Put the evidence on hold, or lift the hold: as the logged-in user, via the core."""
        if self.alert_id is None or self.store is None or self.audit is None:
            return
        hold = self.state is not HoldState.HELD
        try:
            saving = set_legal_hold(self.store, self.actor(), self.alert_id, hold, self.audit)
        except PermissionError as error:  # refused (and audited) by the core
            self._refuse(str(error))
            return
        self.button.setEnabled(False)
        alert_id = self.alert_id
        self.answers.when_done(
            saving, partial(self._saved, alert_id, hold), partial(self._failed, alert_id)
        )

    def _saved(self, alert_id: uuid.UUID, held: bool, _files: int) -> None:
        if alert_id != self.alert_id:
            return
        self.state, self.message = (HoldState.HELD if held else HoldState.NOT_HELD), ""
        self._show()
        self.changed.emit(self.state)

    def _failed(self, alert_id: uuid.UUID, error: BaseException) -> None:
        if alert_id == self.alert_id:
            self._refuse(self.tr("Legal hold not changed: %1").replace("%1", str(error)))

    def _refuse(self, text: str) -> None:
        self.message = text
        self._show()
        self.refused.emit(text)

    def _show(self) -> None:
        state = self.state
        texts = {
            HoldState.HELD: self.tr("Legal hold: ON - the evidence is kept from deletion"),
            HoldState.PARTLY_HELD: self.tr("Legal hold: on some of the evidence files"),
            HoldState.NOT_HELD: self.tr("Legal hold: off"),
            HoldState.NO_EVIDENCE: self.tr("Legal hold: no stored evidence yet"),
        }
        if self.message:
            self.label.setText(self.message)
            self.label.setStyleSheet(REFUSED_STYLE)
        else:
            self.label.setText(texts[state] if state is not None else "")
            self.label.setStyleSheet(HELD_STYLE if state is HoldState.HELD else "")
        held = state is HoldState.HELD
        self.button.setText(self.tr("Lift legal hold") if held else self.tr("Put on legal hold"))
        self.button.setEnabled(
            self.alert_id is not None
            and self.store is not None
            and state in (HoldState.HELD, HoldState.NOT_HELD, HoldState.PARTLY_HELD)
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._show()
        super().changeEvent(event)
