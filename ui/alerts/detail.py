"""One alert in full: evidence (snapshot, crop, clip), measurements, place, history, actions.

The evidence files are asked of the core (``open_evidence``: ``view_evidence`` checked, the
view audited) as the logged-in user; the legal hold line is :class:`LegalHoldControl`.

The stored history is read on the store's reader thread and shown when it arrives; actions
taken meanwhile (committed, from the bridge) join it.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from functools import partial

import cv2
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.config.site_file import SiteConfig
from console.domain.alert_states import ALLOWED_TRANSITIONS
from console.domain.records import Alert, AlertAction, AlertStatus
from console.evidence.viewing import open_evidence
from console.security.audit import AuditLog
from console.security.roles import Actor
from console.store import queries
from console.store.local import LocalStore
from ui.alert_text import alert_message
from ui.alerts.legal_hold import LegalHoldControl
from ui.alerts.plate_panel import PlatePanel
from ui.alerts.triage import TriageController
from ui.clip_player import ClipPlayer, pixmap_from_bgr
from ui.gui_callbacks import GuiCallbacks
from ui.labels import (
    alert_type_label,
    camera_title,
    class_label,
    local_time,
    severity_label,
    status_label,
    value_label,
)
from ui.theme import SEVERITY_COLORS

log = logging.getLogger(__name__)

ACTION_BUTTONS = (
    AlertStatus.ACKNOWLEDGED,
    AlertStatus.DISPATCHED,
    AlertStatus.RESOLVED,
    AlertStatus.FALSE_POSITIVE,
)


class AlertDetail(QWidget):
    def __init__(
        self,
        site: SiteConfig,
        triage: TriageController,
        store: LocalStore | None,
        parent: QWidget | None = None,
        *,
        actor: Callable[[], Actor | None] = lambda: None,
        audit: AuditLog | None = None,
    ) -> None:
        """``actor`` is the logged-in user: evidence is opened and held as that user."""
        super().__init__(parent)
        self.site = site
        self.triage = triage
        self.store = store
        self.actor = actor
        self.audit = audit
        self.evidence_refusal = ""  # why the evidence is not shown, when the core refused
        self.answers = GuiCallbacks(self)
        self.alert: Alert | None = None
        self.plates: PlatePanel | None = None  # attach_plates: a console with a store
        self._history: dict[uuid.UUID, AlertAction] = {}
        self.history_error = ""
        self._images: dict[str, QPixmap] = {}
        self.title = QLabel(self)
        self.title.setObjectName("alertTitle")
        self.title.setStyleSheet("font-size: 18pt; font-weight: 700;")
        self.subtitle = QLabel(self)
        self.subtitle.setWordWrap(True)
        self.snapshot = QLabel(self)
        self.crop = QLabel(self)
        for label in (self.snapshot, self.crop):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setStyleSheet("background: #05070a; color: #93a1b0;")
            # the image follows the label's size, never the other way round
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
            # The layout may resize a label without resizing this widget (the measurements
            # grow, the history arrives): refit then too, or a stale, larger pixmap is cut
            # off at the bottom, where the evidence banner is.
            label.installEventFilter(self)
        self.snapshot.setMinimumSize(240, 135)
        self.snapshot.setWordWrap(True)  # a refusal is a sentence
        self.crop.setMinimumSize(100, 100)
        self.clip = ClipPlayer(self)
        self.values_box = QGroupBox(self)
        self.values = QFormLayout(self.values_box)
        self.history_box = QGroupBox(self)
        self.history = QTableWidget(0, 5, self)
        self.history.verticalHeader().setVisible(False)
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        QVBoxLayout(self.history_box).addWidget(self.history)
        self.buttons: dict[AlertStatus, QPushButton] = {}
        actions = QGridLayout()  # two rows, so the panel fits a narrow dock
        for index, status in enumerate(ACTION_BUTTONS):
            button = QPushButton(self)
            button.clicked.connect(lambda _=False, s=status: self._act(s))
            self.buttons[status] = button
            actions.addWidget(button, index // 3, index % 3)
        self.note_button = QPushButton(self)
        self.note_button.clicked.connect(self._add_note)
        actions.addWidget(self.note_button, 1, 1)
        self.legal_hold = LegalHoldControl(store, actor, audit, self)

        images = QGridLayout()
        images.addWidget(self.snapshot, 0, 0, 2, 1)
        images.addWidget(self.crop, 0, 1)
        images.addWidget(self.values_box, 1, 1)
        images.setColumnStretch(0, 3)
        images.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addLayout(actions)
        layout.addWidget(self.legal_hold)
        layout.addLayout(images, 3)
        self._plates_at = layout.count()
        layout.addWidget(self.clip, 2)
        layout.addWidget(self.history_box, 2)
        triage.acted.connect(self._on_acted)
        self._retranslate()
        self.show_alert(None)

    def attach_plates(self, panel: PlatePanel) -> None:
        """Show the alert's number plate (and its actions) below the images."""
        self.plates = panel
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(self._plates_at, panel)
        panel.show_alert(self.alert)

    # ---- content ----------------------------------------------------------------------

    def show_alert(self, alert: Alert | None) -> None:
        """Show an alert (reloads evidence and the stored history)."""
        same = alert is not None and self.alert is not None and alert.id == self.alert.id
        self.alert = alert
        if not same:
            self._history = {}
            self.history_error = ""
            if alert is not None and self.store is not None:
                query = partial(queries.alert_history, alert_id=alert.id)
                self.answers.when_done(
                    self.store.reader.submit(query),
                    partial(self._history_read, alert.id),
                    partial(self._history_failed, alert.id),
                )
        self._refresh(reload_media=not same)
        self.legal_hold.show_alert(alert)
        if self.plates is not None:
            self.plates.show_alert(alert)

    def _history_read(self, alert_id: uuid.UUID, actions: list[AlertAction]) -> None:
        if self.alert is None or self.alert.id != alert_id:
            return  # another alert is shown by now
        for action in actions:
            self._history.setdefault(action.id, action)
        self._fill_history()

    def _history_failed(self, alert_id: uuid.UUID, error: BaseException) -> None:
        log.error("history of alert %s not read: %s", alert_id, error)
        if self.alert is not None and self.alert.id == alert_id:
            self.history_error = str(error)
            self._retranslate()

    def update_alert(self, alert: Alert, action: AlertAction | None = None) -> None:
        """The alert changed (here or elsewhere): keep the view current if it is shown."""
        if self.alert is None or alert.id != self.alert.id:
            return
        if action is not None:
            self._history[action.id] = action
        evidence_changed = alert.evidence != self.alert.evidence
        self.alert = alert
        self._refresh(reload_media=evidence_changed)
        if self.plates is not None:
            self.plates.show_alert(alert)

    def _refresh(self, reload_media: bool) -> None:
        alert = self.alert
        for button in (*self.buttons.values(), self.note_button):
            button.setEnabled(alert is not None)
        if alert is None:
            self.title.setText(self.tr("No alert selected"))
            self.subtitle.setText(self.tr("Select an alert in the queue and press Enter."))
            self.snapshot.setPixmap(QPixmap())
            self.crop.setPixmap(QPixmap())
            self.clip.open(None)
            self._fill_values()
            self._fill_history()
            return
        camera = self.site.camera(alert.camera_id)
        color = SEVERITY_COLORS[alert.priority.value].name()
        self.title.setText(
            f'<span style="color:{color}">■</span> {alert_type_label(alert.type)}'
            f" - {severity_label(alert.priority)}"
        )
        zone = self.site.site.timezone
        self.subtitle.setText(
            f"{camera_title(camera)} · {camera.area} · "
            f"{camera.lat:.5f}, {camera.lon:.5f}\n"
            + self.tr("Raised %1 · status: %2")
            .replace("%1", local_time(alert.created_at, zone, with_date=True))
            .replace("%2", status_label(alert.status))
            + (f" · {alert.assigned_unit}" if alert.assigned_unit else "")
        )
        allowed = ALLOWED_TRANSITIONS[alert.status]
        for status, button in self.buttons.items():
            button.setEnabled(status in allowed)
        self.note_button.setEnabled(True)
        if reload_media:
            self._load_media(alert)
        self._fill_values()
        self._fill_history()

    def _load_media(self, alert: Alert) -> None:
        try:
            if self.audit is None:
                raise PermissionError(self.tr("no user is logged in to this console"))
            by_kind = open_evidence(self.actor(), alert, self.audit)
            self.evidence_refusal = ""
        except PermissionError as error:  # refused (and audited) by the core
            by_kind = {}
            self.evidence_refusal = self.tr("Evidence not shown: %1").replace("%1", str(error))
        waiting = self.evidence_refusal or self.tr("Evidence is being written…")
        for kind, label in (("snapshot", self.snapshot), ("crop", self.crop)):
            path = by_kind.get(kind)
            image = cv2.imread(str(path)) if path is not None and path.exists() else None
            if image is None:
                self._images.pop(kind, None)
                label.setPixmap(QPixmap())
                label.setText(waiting if kind == "snapshot" else "")
                continue
            self._images[kind] = pixmap_from_bgr(image)
        self._fit_images()
        self.clip.open(by_kind.get("clip"))

    def _fit_images(self) -> None:
        for kind, label in (("snapshot", self.snapshot), ("crop", self.crop)):
            pixmap = self._images.get(kind)
            if pixmap is not None:
                label.setPixmap(
                    pixmap.scaled(
                        label.size(),
                        Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation,
                    )
                )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_images()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched in (self.snapshot, self.crop):
            self._fit_images()
        return super().eventFilter(watched, event)

    def _fill_values(self) -> None:
        while self.values.rowCount():
            self.values.removeRow(0)
        alert = self.alert
        if alert is None:
            return
        event = alert.event
        if event.class_name:
            self.values.addRow(self.tr("Class"), QLabel(class_label(event.class_name)))
        if event.track_id is not None:
            self.values.addRow(self.tr("Track"), QLabel(str(event.track_id)))
        for key, value in event.values.items():
            if key == "class":
                if event.class_name:
                    continue  # already shown above
                value = class_label(str(value))
            elif key == "seen_for":  # a watch-list alert: the alert its plate was read for
                value = alert_type_label(str(value))
            text = f"{value:.1f}" if isinstance(value, float) else str(value)
            self.values.addRow(value_label(key), QLabel(text))
        message = QLabel(alert_message(alert))
        message.setWordWrap(True)
        self.values.addRow(self.tr("Rule"), message)

    def _fill_history(self) -> None:
        actions = sorted(self._history.values(), key=lambda a: (a.at, str(a.id)))
        self.history.setRowCount(len(actions))
        zone = self.site.site.timezone
        for row, action in enumerate(actions):
            cells = (
                local_time(action.at, zone, with_date=True),
                action.actor,
                status_label(action.action),
                action.unit or "",
                action.note,
            )
            for column, text in enumerate(cells):
                self.history.setItem(row, column, QTableWidgetItem(text))

    def history_rows(self) -> list[tuple[str, str, str]]:
        """(actor, action label, note) of each history row, for tests and exports."""
        return [
            (
                self.history.item(row, 1).text(),
                self.history.item(row, 2).text(),
                self.history.item(row, 4).text(),
            )
            for row in range(self.history.rowCount())
        ]

    # ---- actions ----------------------------------------------------------------------

    def _act(self, status: AlertStatus) -> None:
        if self.alert is not None:
            self.triage.act(self.alert.id, status)

    def _add_note(self) -> None:
        if self.alert is not None:
            self.triage.add_note(self.alert.id)

    def _on_acted(self, alert: Alert) -> None:
        self.update_alert(alert)

    def _retranslate(self) -> None:
        names = {
            AlertStatus.ACKNOWLEDGED: self.tr("Acknowledge (A)"),
            AlertStatus.DISPATCHED: self.tr("Dispatch (D)"),
            AlertStatus.RESOLVED: self.tr("Resolve (R)"),
            AlertStatus.FALSE_POSITIVE: self.tr("False positive (F)"),
        }
        for status, button in self.buttons.items():
            button.setText(names[status])
        self.note_button.setText(self.tr("Note (N)"))
        self.values_box.setTitle(self.tr("Measured"))
        title = self.tr("History")
        if self.history_error:
            title += " - " + self.tr("could not be read: %1").replace("%1", self.history_error)
        self.history_box.setTitle(title)
        self.history.setHorizontalHeaderLabels(
            [self.tr("When"), self.tr("Who"), self.tr("Action"), self.tr("Unit"), self.tr("Note")]
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self._refresh(reload_media=False)
        super().changeEvent(event)
