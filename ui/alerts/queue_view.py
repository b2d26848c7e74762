"""The alert queue panel: filters above a table; single keys triage the selected alert."""

from __future__ import annotations

import uuid
from datetime import timedelta

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.domain.records import AlertStatus, AlertType, utc_now
from ui.alerts.queue_model import (
    ALERT_ID_ROLE,
    OPEN_STATUSES,
    AlertFilter,
    AlertQueueModel,
    Column,
)
from ui.alerts.triage import TriageController
from ui.labels import alert_type_label, status_label

ROW_HEIGHT = 30
TRIAGE_KEYS = {
    Qt.Key.Key_A: AlertStatus.ACKNOWLEDGED,
    Qt.Key.Key_D: AlertStatus.DISPATCHED,
    Qt.Key.Key_R: AlertStatus.RESOLVED,
    Qt.Key.Key_F: AlertStatus.FALSE_POSITIVE,
}
TIME_WINDOWS_H = (None, 1, 12, 24, 24 * 7)


class AlertQueueView(QWidget):
    open_requested = Signal(object)  # uuid.UUID
    current_changed = Signal(object)  # uuid.UUID | None

    def __init__(
        self, model: AlertQueueModel, triage: TriageController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.triage = triage
        site = model.site
        self.status_filter = QComboBox(self)
        self.type_filter = QComboBox(self)
        self.camera_filter = QComboBox(self)
        self.route_filter = QComboBox(self)
        self.time_filter = QComboBox(self)
        self.plate_search = QLineEdit(self)
        self.plate_search.setClearButtonEnabled(True)
        self.plate_search.setMaximumWidth(150)
        self.plate_search.textChanged.connect(self._apply_filter)
        self.count_label = QLabel(self)
        self.table = QTableView(self)
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        vertical = self.table.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(ROW_HEIGHT)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in (
            (Column.PRIORITY, 110),
            (Column.TIME, 90),
            (Column.TYPE, 190),
            (Column.CAMERA, 280),
            (Column.LOCATION, 130),
            (Column.STATUS, 130),
            (Column.UNIT, 90),
            (Column.PLATE, 120),
        ):
            header.resizeSection(column, width)
        self.table.installEventFilter(self)
        self.table.doubleClicked.connect(self._on_double_clicked)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        model.rowsInserted.connect(self._update_count)
        model.rowsRemoved.connect(self._update_count)
        model.modelReset.connect(self._update_count)

        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        for combo in (
            self.status_filter,
            self.type_filter,
            self.camera_filter,
            self.route_filter,
            self.time_filter,
        ):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            filters.addWidget(combo)
            combo.currentIndexChanged.connect(self._apply_filter)
        filters.addWidget(self.plate_search)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        self._cameras = [(c.id, c.name) for c in site.cameras]
        self._routes = [r.id for r in site.routes]
        self._fill_filters()
        self._update_count()

    # ---- filters ----------------------------------------------------------------------

    def _fill_filters(self) -> None:
        combos = (
            self.status_filter,
            self.type_filter,
            self.camera_filter,
            self.route_filter,
            self.time_filter,
        )
        current = [c.currentIndex() for c in combos]
        for combo in combos:
            combo.blockSignals(True)
            combo.clear()
        self.status_filter.addItem(self.tr("Open alerts"), "open")
        self.status_filter.addItem(self.tr("All states"), None)
        for status in AlertStatus:
            self.status_filter.addItem(status_label(status), status.value)
        self.type_filter.addItem(self.tr("All types"), None)
        for kind in AlertType:
            self.type_filter.addItem(alert_type_label(kind), kind.value)
        self.camera_filter.addItem(self.tr("All cameras"), None)
        for camera_id, name in self._cameras:
            self.camera_filter.addItem(name, camera_id)
        self.plate_search.setPlaceholderText(self.tr("Plate…"))
        self.plate_search.setToolTip(
            self.tr("Show alerts whose plate contains this (case, spaces and dots ignored)")
        )
        self.route_filter.addItem(self.tr("All routes"), None)
        for route in self._routes:
            self.route_filter.addItem(route, route)
        for hours in TIME_WINDOWS_H:
            label = self.tr("Any time") if hours is None else self.tr("Last %n hour(s)", "", hours)
            self.time_filter.addItem(label, hours)
        for combo, index in zip(combos, current, strict=True):
            combo.setCurrentIndex(max(0, index))
            combo.blockSignals(False)

    def current_filter(self) -> AlertFilter:
        status = self.status_filter.currentData()
        statuses = (
            OPEN_STATUSES
            if status == "open"
            else None
            if status is None
            else frozenset({AlertStatus(status)})
        )
        kind = self.type_filter.currentData()
        camera = self.camera_filter.currentData()
        hours = self.time_filter.currentData()
        return AlertFilter(
            statuses=statuses,
            types=frozenset({AlertType(kind)}) if kind else None,
            camera_ids=frozenset({camera}) if camera else None,
            route=self.route_filter.currentData(),
            since=utc_now() - timedelta(hours=hours) if hours else None,
            plate=self.plate_search.text().strip() or None,
        )

    def _apply_filter(self) -> None:
        selected = self.selected_alert_id()
        self.model.set_filter(self.current_filter())
        if selected is not None:
            self.select_alert(selected)

    def _update_count(self) -> None:
        self.count_label.setText(self.tr("%n alert(s)", "", self.model.rowCount()))

    # ---- selection and keys -----------------------------------------------------------

    def selected_alert_id(self) -> uuid.UUID | None:
        index = self.table.currentIndex()
        value = index.data(ALERT_ID_ROLE) if index.isValid() else None
        return value if isinstance(value, uuid.UUID) else None

    def select_alert(self, alert_id: uuid.UUID) -> bool:
        row = self.model.row_of(alert_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))
        return True

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
                return super().eventFilter(watched, event)
            if self.handle_key(Qt.Key(event.key())):
                return True
        return super().eventFilter(watched, event)

    def handle_key(self, key: Qt.Key) -> bool:
        alert_id = self.selected_alert_id()
        if alert_id is None:
            return False
        if key in TRIAGE_KEYS:
            self.triage.act(alert_id, TRIAGE_KEYS[key])
            self.select_alert(alert_id)
            return True
        if key == Qt.Key.Key_N:
            self.triage.add_note(alert_id)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_requested.emit(alert_id)
            return True
        return False

    def _on_double_clicked(self, index: QModelIndex) -> None:
        alert_id = index.data(ALERT_ID_ROLE)
        if isinstance(alert_id, uuid.UUID):
            self.open_requested.emit(alert_id)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        value = current.data(ALERT_ID_ROLE) if current.isValid() else None
        self.current_changed.emit(value)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._fill_filters()
            self.model.retranslate()
            self._update_count()
        super().changeEvent(event)
