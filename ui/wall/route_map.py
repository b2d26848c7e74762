"""Offline route map: each route drawn through its km posts' coordinates, cameras on it.

No map tiles: an equirectangular projection of the site's own markers, which is exact
enough over a province and works on a control-room PC with no internet.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from console.config.site_file import SiteConfig
from console.domain.health import StreamState
from console.domain.text import format_km
from ui.theme import STATE_COLORS

ROUTE_COLORS = (QColor("#3d8bfd"), QColor("#b388ff"), QColor("#4fc3f7"), QColor("#81c784"))
CAMERA_RADIUS = 7
MARGIN = 40


class RouteMap(QWidget):
    camera_clicked = Signal(str)

    def __init__(self, site: SiteConfig, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.site = site
        self.states: dict[str, StreamState] = {
            c.id: StreamState.CONNECTING if c.enabled else StreamState.DISABLED
            for c in site.cameras
        }
        self.open_alerts: dict[str, int] = {}
        self.highlighted: str | None = None
        self.setMinimumSize(280, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        lats = [m.lat for r in site.routes for m in r.markers] + [c.lat for c in site.cameras]
        lons = [m.lon for r in site.routes for m in r.markers] + [c.lon for c in site.cameras]
        self._lat_range = (min(lats), max(lats))
        self._lon_range = (min(lons), max(lons))
        self._lon_scale = math.cos(math.radians(sum(self._lat_range) / 2))

    # ---- state ------------------------------------------------------------------------

    def set_state(self, camera_id: str, state: StreamState) -> None:
        if self.states.get(camera_id) is not state:
            self.states[camera_id] = state
            self.update()

    def set_open_alerts(self, counts: dict[str, int]) -> None:
        if counts != self.open_alerts:
            self.open_alerts = dict(counts)
            self.update()

    # ---- geometry ---------------------------------------------------------------------

    def to_screen(self, lat: float, lon: float) -> QPointF:
        (lat0, lat1), (lon0, lon1) = self._lat_range, self._lon_range
        width_deg = max(1e-6, (lon1 - lon0) * self._lon_scale)
        height_deg = max(1e-6, lat1 - lat0)
        scale = min(
            (self.width() - 2 * MARGIN) / width_deg, (self.height() - 2 * MARGIN) / height_deg
        )
        x_offset = (self.width() - width_deg * scale) / 2
        y_offset = (self.height() - height_deg * scale) / 2
        x = x_offset + (lon - lon0) * self._lon_scale * scale
        y = y_offset + (lat1 - lat) * scale
        return QPointF(x, y)

    def camera_position(self, camera_id: str) -> QPointF:
        camera = self.site.camera(camera_id)
        return self.to_screen(camera.lat, camera.lon)

    def camera_at(self, point: QPointF) -> str | None:
        best: tuple[float, str] | None = None
        for camera in self.site.cameras:
            position = self.to_screen(camera.lat, camera.lon)
            distance = math.hypot(position.x() - point.x(), position.y() - point.y())
            if distance <= CAMERA_RADIUS + 4 and (best is None or distance < best[0]):
                best = (distance, camera.id)
        return best[1] if best else None

    # ---- events -----------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        camera_id = self.camera_at(event.position())
        if camera_id is not None and event.button() == Qt.MouseButton.LeftButton:
            self.camera_clicked.emit(camera_id)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        camera_id = self.camera_at(event.position())
        if camera_id != self.highlighted:
            self.highlighted = camera_id
            if camera_id is None:
                self.setToolTip("")
            else:
                camera = self.site.camera(camera_id)
                alerts = self.open_alerts.get(camera_id, 0)
                self.setToolTip(
                    f"{camera.name}\n{camera.route} {format_km(camera.km)}\n"
                    + self.tr("%n open alert(s)", "", alerts)
                )
            self.setCursor(
                Qt.CursorShape.PointingHandCursor if camera_id else Qt.CursorShape.ArrowCursor
            )
            self.update()
        super().mouseMoveEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.highlighted = None
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#10141a"))
        small = QFont(self.font())
        small.setPointSize(8)
        bold = QFont(self.font())
        bold.setPointSize(10)
        bold.setBold(True)
        for index, route in enumerate(self.site.routes):
            color = ROUTE_COLORS[index % len(ROUTE_COLORS)]
            points = [self.to_screen(m.lat, m.lon) for m in route.markers]
            pen = QPen(color, 5)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.drawPolyline(QPolygonF(points))
            painter.setFont(small)
            last = len(points) - 1
            for number, (marker, point) in enumerate(zip(route.markers, points, strict=True)):
                painter.setPen(QPen(QColor("#c7d0da"), 1))
                painter.setBrush(QColor("#10141a"))
                painter.drawRect(QRectF(point.x() - 3, point.y() - 3, 6, 6))
                if number in (0, last):  # the ends name the route's extent; inner posts crowd
                    painter.setPen(QColor("#93a1b0"))
                    painter.drawText(point + QPointF(-14, 18), format_km(marker.km))
            painter.setFont(bold)
            painter.setPen(color)
            painter.drawText(points[0] + QPointF(-8, -12), route.id)
        for camera in self.site.cameras:
            self._paint_camera(painter, camera.id, small)
        painter.end()

    def _paint_camera(self, painter: QPainter, camera_id: str, font: QFont) -> None:
        position = self.camera_position(camera_id)
        state = self.states.get(camera_id, StreamState.CONNECTING)
        radius = CAMERA_RADIUS + (3 if camera_id == self.highlighted else 0)
        painter.setPen(QPen(QColor("#0b0d10"), 2))
        painter.setBrush(STATE_COLORS[state.value])
        painter.drawEllipse(position, radius, radius)
        alerts = self.open_alerts.get(camera_id, 0)
        if alerts:
            badge = QRectF(position.x() + 4, position.y() - radius - 12, 20, 16)
            painter.setBrush(QColor("#ff4d4f"))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(badge, 7, 7)
            painter.setPen(QColor("#ffffff"))
            painter.setFont(font)
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, str(min(alerts, 99)))
