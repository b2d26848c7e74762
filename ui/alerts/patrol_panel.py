"""Patrol units and what they are doing (refreshed whenever an alert changes)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.alerts.patrol import UnitStatus
from console.alerts.service import AlertService
from console.domain.text import format_km
from ui.labels import alert_type_label, unit_status_label

UNIT_COLORS = {
    UnitStatus.AVAILABLE: QColor("#4cc38a"),
    UnitStatus.EN_ROUTE: QColor("#ff9f1a"),
    UnitStatus.ON_SCENE: QColor("#f5d90a"),
    UnitStatus.OFF_DUTY: QColor("#6b7785"),
}


class PatrolPanel(QWidget):
    def __init__(self, service: AlertService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.table = QTableWidget(0, 4, self)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table)
        self._retranslate()
        self.refresh()

    def refresh(self) -> None:
        units = self.service.patrol.units()
        self.table.setRowCount(len(units))
        for row, unit in enumerate(units):
            task = ""
            if unit.alert_id:
                alert = next(
                    (a for a in self.service.alerts.values() if str(a.id) == unit.alert_id), None
                )
                if alert is not None:
                    camera = self.service.site.camera(alert.camera_id)
                    task = f"{alert_type_label(alert.type)} · {camera.route} {format_km(camera.km)}"
            cells = (
                unit.call_sign,
                unit_status_label(unit.status),
                f"{unit.route} {format_km(unit.km_from)}-{format_km(unit.km_to)}",
                task,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 1:
                    item.setForeground(QBrush(UNIT_COLORS[unit.status]))
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)

    def set_unit_status(self, call_sign: str, status: UnitStatus) -> None:
        """The operator's report of where a unit is (kept in memory; not yet in the store)."""
        unit = next(u for u in self.service.patrol.units() if u.call_sign == call_sign)
        keep_task = status in (UnitStatus.EN_ROUTE, UnitStatus.ON_SCENE)
        self.service.patrol.set_status(call_sign, status, unit.alert_id if keep_task else None)
        self.refresh()

    def _context_menu(self, position: QPoint) -> None:
        row = self.table.indexAt(position).row()
        if row < 0:
            return
        call_sign = self.table.item(row, 0).text()
        menu = QMenu(self)
        for status in UnitStatus:
            action = menu.addAction(unit_status_label(status))
            action.triggered.connect(lambda _=False, s=status: self.set_unit_status(call_sign, s))
        menu.exec(self.table.viewport().mapToGlobal(position))

    def status_texts(self) -> dict[str, str]:
        return {
            self.table.item(row, 0).text(): self.table.item(row, 1).text()
            for row in range(self.table.rowCount())
        }

    def _retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [self.tr("Unit"), self.tr("Status"), self.tr("Patrol segment"), self.tr("Task")]
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.refresh()
        super().changeEvent(event)
