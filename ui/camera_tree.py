"""Camera tree: cameras grouped by route and area, searchable with or without diacritics."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QLineEdit, QTreeView, QVBoxLayout, QWidget

from console.config import SiteConfig
from console.health import CameraHealth, StreamState
from console.text import format_km, matches_search
from ui.theme import STATE_COLORS

CAMERA_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_TEXT_ROLE = Qt.ItemDataRole.UserRole + 2


def state_icon(state: StreamState) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(STATE_COLORS[state.value])
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(2, 2, 10, 10)
    painter.end()
    return QIcon(pixmap)


class CameraFilterProxy(QSortFilterProxyModel):
    def __init__(self) -> None:
        super().__init__()
        self.setRecursiveFilteringEnabled(True)
        self.query = ""

    def set_query(self, query: str) -> None:
        self.beginFilterChange()
        self.query = query
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self.query.strip():
            return True
        index = self.sourceModel().index(row, 0, parent)
        text = index.data(SEARCH_TEXT_ROLE) or ""
        return bool(index.data(CAMERA_ID_ROLE)) and matches_search(self.query, text)


class CameraTree(QWidget):
    camera_activated = Signal(str)

    def __init__(self, site: SiteConfig, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.site = site
        self.model = QStandardItemModel(self)
        self.proxy = CameraFilterProxy()
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search cameras (name, route, km, area)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search)
        self.view = QTreeView(self)
        self.view.setModel(self.proxy)
        self.view.setHeaderHidden(True)
        self.view.setUniformRowHeights(True)
        self.view.activated.connect(self._on_activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.view)
        self._camera_items: dict[str, QStandardItem] = {}
        self._group_items: list[tuple[QStandardItem, str]] = []
        self._states: dict[str, StreamState] = {}
        self._populate()
        self.view.expandAll()

    def _populate(self) -> None:
        for route in self.site.routes:
            route_item = QStandardItem()
            route_item.setEditable(False)
            self.model.appendRow(route_item)
            self._group_items.append((route_item, f"{route.id} - {route.name}"))
            areas: dict[str, QStandardItem] = {}
            for camera in (c for c in self.site.cameras if c.route == route.id):
                area_name = camera.area or self.tr("Other")
                if area_name not in areas:
                    area_item = QStandardItem()
                    area_item.setEditable(False)
                    route_item.appendRow(area_item)
                    areas[area_name] = area_item
                    self._group_items.append((area_item, area_name))
                item = QStandardItem(f"{camera.name}")
                item.setEditable(False)
                item.setData(camera.id, CAMERA_ID_ROLE)
                search_text = (
                    f"{camera.name} {camera.route} {format_km(camera.km)} {camera.area} {camera.id}"
                )
                item.setData(search_text, SEARCH_TEXT_ROLE)
                item.setToolTip(f"{camera.route} {format_km(camera.km)} · {camera.area}")
                areas[area_name].appendRow(item)
                self._camera_items[camera.id] = item
                self._states[camera.id] = (
                    StreamState.CONNECTING if camera.enabled else StreamState.DISABLED
                )
                item.setIcon(state_icon(self._states[camera.id]))
        self._refresh_group_labels()

    def set_health(self, health: CameraHealth) -> None:
        item = self._camera_items.get(health.camera_id)
        if item is None or self._states.get(health.camera_id) is health.state:
            return
        self._states[health.camera_id] = health.state
        item.setIcon(state_icon(health.state))
        self._refresh_group_labels()

    def _refresh_group_labels(self) -> None:
        for group, label in self._group_items:
            ids = _camera_ids_under(group)
            live = sum(1 for i in ids if self._states.get(i) is StreamState.LIVE)
            group.setText(f"{label}  ({live}/{len(ids)})")

    def _on_search(self, text: str) -> None:
        self.proxy.set_query(text)
        self.view.expandAll()

    def _on_activated(self, index: QModelIndex) -> None:
        camera_id = index.data(CAMERA_ID_ROLE)
        if camera_id:
            self.camera_activated.emit(str(camera_id))

    def visible_camera_ids(self) -> list[str]:
        """Camera ids the filter currently shows, in tree order."""
        found: list[str] = []

        def walk(parent: QModelIndex) -> None:
            for row in range(self.proxy.rowCount(parent)):
                index = self.proxy.index(row, 0, parent)
                camera_id = index.data(CAMERA_ID_ROLE)
                if camera_id:
                    found.append(str(camera_id))
                walk(index)

        walk(QModelIndex())
        return found


def _camera_ids_under(item: QStandardItem) -> list[str]:
    ids: list[str] = []
    for row in range(item.rowCount()):
        child = item.child(row)
        camera_id = child.data(CAMERA_ID_ROLE)
        if camera_id:
            ids.append(str(camera_id))
        ids.extend(_camera_ids_under(child))
    return ids
