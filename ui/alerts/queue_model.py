"""The alert queue as a table model: priority first, then newest first; filters in the model.

Kept as a flat sorted list with a parallel key list, so a new alert is one bisect and one
``beginInsertRows`` (no re-sort of 10 000 rows), and ``data()`` is O(1) per cell.
"""

from __future__ import annotations

import bisect
import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from console.config.site_file import SiteConfig
from console.domain.plates import plate_key
from console.domain.records import Alert, AlertStatus, AlertType
from console.domain.text import format_km
from ui.alert_text import alert_message
from ui.labels import alert_type_label, local_time, severity_label, status_label
from ui.theme import SEVERITY_COLORS, TEXT_MUTED

ALERT_ID_ROLE = Qt.ItemDataRole.UserRole + 10
SortKey = tuple[int, float, str]
OPEN_STATUSES = frozenset({AlertStatus.NEW, AlertStatus.ACKNOWLEDGED, AlertStatus.DISPATCHED})


class Column(IntEnum):
    PRIORITY = 0
    TIME = 1
    TYPE = 2
    CAMERA = 3
    LOCATION = 4
    STATUS = 5
    UNIT = 6
    PLATE = 7
    MESSAGE = 8


@dataclass(frozen=True, slots=True)
class AlertFilter:
    """Which alerts the queue shows; ``None`` means no restriction on that field."""

    statuses: frozenset[AlertStatus] | None = OPEN_STATUSES
    types: frozenset[AlertType] | None = None
    camera_ids: frozenset[str] | None = None
    route: str | None = None
    since: datetime | None = None
    plate: str | None = None  # part of a plate, any case, spacing or punctuation

    def accepts(self, alert: Alert, route_of_camera: str) -> bool:
        plate = plate_key(self.plate) if self.plate else ""
        return (
            (not plate or (alert.plate is not None and plate in alert.plate.key))
            and
            (self.statuses is None or alert.status in self.statuses)
            and (self.types is None or alert.type in self.types)
            and (self.camera_ids is None or alert.camera_id in self.camera_ids)
            and (self.route is None or route_of_camera == self.route)
            and (self.since is None or alert.created_at >= self.since)
        )


def sort_key(alert: Alert) -> SortKey:
    return (alert.priority.rank, -alert.created_at.timestamp(), str(alert.id))


class AlertQueueModel(QAbstractTableModel):
    def __init__(self, site: SiteConfig, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.site = site
        self._cameras = {c.id: c for c in site.cameras}
        self._all: dict[uuid.UUID, Alert] = {}
        self._rows: list[Alert] = []
        self._keys: list[SortKey] = []
        self.filter = AlertFilter()
        self._bold = QFont()
        self._bold.setBold(True)

    # ---- content ----------------------------------------------------------------------

    def set_alerts(self, alerts: list[Alert]) -> None:
        self.beginResetModel()
        self._all = {a.id: a for a in alerts}
        self._rebuild()
        self.endResetModel()

    def set_filter(self, alert_filter: AlertFilter) -> None:
        self.beginResetModel()
        self.filter = alert_filter
        self._rebuild()
        self.endResetModel()

    def upsert(self, alert: Alert) -> None:
        """A new alert or a change of one: keep the sort order, honour the filter."""
        old = self._all.get(alert.id)
        self._all[alert.id] = alert
        old_row = self.row_of(old.id) if old is not None else None
        accepted = self._accepts(alert)
        if old_row is not None and accepted and self._keys[old_row] == sort_key(alert):
            self._rows[old_row] = alert
            self.dataChanged.emit(self.index(old_row, 0), self.index(old_row, len(Column) - 1))
            return
        if old_row is not None:
            self.beginRemoveRows(QModelIndex(), old_row, old_row)
            del self._rows[old_row]
            del self._keys[old_row]
            self.endRemoveRows()
        if accepted:
            key = sort_key(alert)
            row = bisect.bisect_left(self._keys, key)
            self.beginInsertRows(QModelIndex(), row, row)
            self._rows.insert(row, alert)
            self._keys.insert(row, key)
            self.endInsertRows()

    def _accepts(self, alert: Alert) -> bool:
        camera = self._cameras.get(alert.camera_id)
        return self.filter.accepts(alert, camera.route if camera else "")

    def _rebuild(self) -> None:
        rows = sorted((a for a in self._all.values() if self._accepts(a)), key=sort_key)
        self._rows = rows
        self._keys = [sort_key(a) for a in rows]

    def alert_at(self, row: int) -> Alert | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def alert(self, alert_id: uuid.UUID) -> Alert | None:
        return self._all.get(alert_id)

    def all_alerts(self) -> list[Alert]:
        """Every alert the model holds, whatever the filter shows."""
        return list(self._all.values())

    def row_of(self, alert_id: uuid.UUID) -> int | None:
        alert = self._all.get(alert_id)
        if alert is None:
            return None
        key = sort_key(alert)
        row = bisect.bisect_left(self._keys, key)
        if row < len(self._rows) and self._rows[row].id == alert_id:
            return row
        for index, candidate in enumerate(self._rows):  # key changed since it was placed
            if candidate.id == alert_id:
                return index
        return None

    def visible_alerts(self) -> list[Alert]:
        return list(self._rows)

    def open_count_by_camera(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for alert in self._all.values():
            if not alert.status.is_terminal:
                counts[alert.camera_id] = counts.get(alert.camera_id, 0) + 1
        return counts

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(Column) - 1)
            )

    # ---- Qt model interface -----------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = {
            Column.PRIORITY: self.tr("Priority"),
            Column.TIME: self.tr("Time"),
            Column.TYPE: self.tr("Type"),
            Column.CAMERA: self.tr("Camera"),
            Column.LOCATION: self.tr("Location"),
            Column.STATUS: self.tr("Status"),
            Column.UNIT: self.tr("Unit"),
            Column.PLATE: self.tr("Plate"),
            Column.MESSAGE: self.tr("Details"),
        }
        return titles.get(Column(section))

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        alert = self._rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(alert, column)
        if role == ALERT_ID_ROLE:
            return alert.id
        if role == Qt.ItemDataRole.BackgroundRole and column is Column.PRIORITY:
            return QBrush(SEVERITY_COLORS[alert.priority.value])
        if role == Qt.ItemDataRole.ForegroundRole:
            if column is Column.PRIORITY:
                return QBrush(QColor("#0b0d10"))
            if alert.status.is_terminal:
                return QBrush(TEXT_MUTED)
            if column is Column.TYPE:
                return QBrush(SEVERITY_COLORS[alert.priority.value])
        if role == Qt.ItemDataRole.FontRole and alert.status is AlertStatus.NEW:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole and column is Column.MESSAGE:
            return alert_message(alert)
        return None

    def _display(self, alert: Alert, column: Column) -> str:
        camera = self._cameras.get(alert.camera_id)
        if column is Column.PRIORITY:
            return severity_label(alert.priority)
        if column is Column.TIME:
            return local_time(alert.created_at, self.site.site.timezone)
        if column is Column.TYPE:
            return alert_type_label(alert.type)
        if column is Column.CAMERA:
            return camera.name if camera else alert.camera_id
        if column is Column.LOCATION:
            return f"{camera.route} {format_km(camera.km)}" if camera else ""
        if column is Column.STATUS:
            return status_label(alert.status)
        if column is Column.UNIT:
            return alert.assigned_unit or ""
        if column is Column.PLATE:
            return alert.plate.text if alert.plate is not None else ""
        return alert_message(alert)
