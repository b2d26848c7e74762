"""Camera tree: cameras grouped by route and area, searchable with or without diacritics."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QEvent,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QMenu, QTreeView, QVBoxLayout, QWidget

from console.config.site_file import SiteConfig
from console.domain.health import CameraHealth, StreamState
from console.domain.text import format_km, matches_search
from ui.labels import stream_state_label
from ui.theme import STATE_COLORS
from ui.wall.tile import CAMERA_MIME, camera_mime

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


class CameraItemModel(QStandardItemModel):
    """Dragging a camera gives its id; dragging a route or area gives every camera under it."""

    def mimeTypes(self) -> list[str]:
        return [CAMERA_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        ids: list[str] = []
        for index in indexes:
            item = self.itemFromIndex(index)
            if item is None:
                continue
            camera_id = item.data(CAMERA_ID_ROLE)
            for found in [str(camera_id)] if camera_id else _camera_ids_under(item):
                if found not in ids:
                    ids.append(found)
        return camera_mime(ids)


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
    tour_requested = Signal(list)  # camera ids

    def __init__(self, site: SiteConfig, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.site = site
        self.model = CameraItemModel(self)
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
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
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
        self._refresh_tooltip(health.camera_id)
        self._refresh_group_labels()

    def state_of(self, camera_id: str) -> StreamState | None:
        return self._states.get(camera_id)

    def _refresh_tooltip(self, camera_id: str) -> None:
        camera = self.site.camera(camera_id)
        state = stream_state_label(self._states[camera_id])
        self._camera_items[camera_id].setToolTip(
            f"{camera.route} {format_km(camera.km)} · {camera.area}\n{state}"
        )

    def _context_menu(self, position: QPoint) -> None:
        index = self.view.indexAt(position)
        if not index.isValid():
            return
        item = self.model.itemFromIndex(self.proxy.mapToSource(index))
        camera_id = item.data(CAMERA_ID_ROLE)
        ids = [str(camera_id)] if camera_id else _camera_ids_under(item)
        menu = QMenu(self)
        if camera_id:
            show = menu.addAction(self.tr("Show large on the wall"))
            show.triggered.connect(lambda: self.camera_activated.emit(str(camera_id)))
        tour = menu.addAction(self.tr("Tour these cameras on the wall"))
        tour.triggered.connect(lambda: self.tour_requested.emit(ids))
        menu.exec(self.view.viewport().mapToGlobal(position))

    def group_camera_ids(self) -> list[str]:
        """Cameras of the selected route or area (every camera when nothing is selected)."""
        index = self.view.currentIndex()
        if not index.isValid():
            return [c.id for c in self.site.cameras if c.enabled]
        item = self.model.itemFromIndex(self.proxy.mapToSource(index))
        if item.data(CAMERA_ID_ROLE):
            item = item.parent() or item
        return _camera_ids_under(item) or [c.id for c in self.site.cameras if c.enabled]

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.search.setPlaceholderText(self.tr("Search cameras (name, route, km, area)"))
            for camera_id in self._camera_items:
                self._refresh_tooltip(camera_id)
        super().changeEvent(event)

    def _refresh_group_labels(self) -> None:
        for group, label in self._group_items:
            ids = _camera_ids_under(group)
            live = sum(1 for i in ids if self._states.get(i) is StreamState.LIVE)
            down = sum(
                1
                for i in ids
                if self._states.get(i)
                in (StreamState.OFFLINE, StreamState.ERROR, StreamState.STALLED)
            )
            alarm = f"  ⚠{down}" if down else ""
            group.setText(f"{label}  ({live}/{len(ids)}){alarm}")

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
