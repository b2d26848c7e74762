"""What a tile draws over the image, built once per analysis result and per camera.

Shapes are kept in source coordinates and drawn through a painter transform with
cosmetic pens, so a repaint at 25 Hz costs a few draw calls instead of rebuilding
hundreds of points (detections change at the analysis rate, 5 fps, not the display rate).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPolygonF

from console.config.site import Camera
from console.pipeline.worker import AnalysisResult
from ui.theme import CLASS_COLORS

TRAIL_POINTS = 25
LABEL_MIN_WIDTH_PX = 14


def cosmetic_pen(color: QColor, width: float) -> QPen:
    pen = QPen(color, width)
    pen.setCosmetic(True)
    return pen


class DetectionOverlay:
    def __init__(self) -> None:
        self.result: AnalysisResult | None = None
        self.trails: dict[int, QPolygonF] = {}  # bottom-centre points, oldest first
        self._boxes: list[tuple[QPen, list[QRectF]]] = []
        self._labels: list[tuple[float, float, float, str]] = []
        self._trail_pen = cosmetic_pen(QColor(255, 255, 255, 120), 1.5)

    def clear(self) -> None:
        self.result = None
        self.trails.clear()
        self._boxes = []
        self._labels = []

    def update(self, result: AnalysisResult | None) -> None:
        if result is self.result:
            return
        self.result = result
        self._boxes, self._labels = [], []
        if result is None:
            return
        detections = result.detections
        by_class: dict[str, list[QRectF]] = {}
        ids = detections.tracker_id.tolist() if detections.tracker_id is not None else None
        for i, (x1, y1, x2, y2) in enumerate(detections.xyxy.tolist()):
            name = detections.class_name(i)
            by_class.setdefault(name, []).append(QRectF(x1, y1, x2 - x1, y2 - y1))
            track = ids[i] if ids is not None else -1
            self._labels.append((x1, y1, x2 - x1, f"{name} {track}"))
        self._boxes = [
            (cosmetic_pen(CLASS_COLORS.get(name, QColor("#ffffff")), 1.5), rects)
            for name, rects in by_class.items()
        ]
        if ids is None:
            return
        # each trail grows by one point per result: a couple of Qt calls, not a rebuild
        bottoms = detections.centers_bottom.tolist()
        seen = set(ids)
        for i, track_id in enumerate(ids):
            trail = self.trails.get(track_id)
            if trail is None:
                trail = self.trails[track_id] = QPolygonF()
            elif trail.size() >= TRAIL_POINTS:
                trail.removeFirst()
            trail.append(QPointF(bottoms[i][0], bottoms[i][1]))
        for track_id in [t for t in self.trails if t not in seen]:
            del self.trails[track_id]

    def paint(self, painter: QPainter, target: QRectF, source_size: tuple[int, int]) -> None:
        if self.result is None:
            return
        sx = target.width() / source_size[0]
        sy = target.height() / source_size[1]
        painter.save()
        painter.translate(target.topLeft())
        painter.scale(sx, sy)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(self._trail_pen)
        for polygon in self.trails.values():
            if polygon.size() > 1:
                painter.drawPolyline(polygon)
        for pen, rects in self._boxes:
            painter.setPen(pen)
            painter.drawRects(rects)
        painter.restore()
        font = QFont(painter.font())
        font.setPointSize(8)
        painter.setFont(font)
        painter.setPen(QColor("#ffffff"))
        for x, y, width, text in self._labels:
            if width * sx > LABEL_MIN_WIDTH_PX:
                painter.drawText(QPointF(target.left() + x * sx, target.top() + y * sy - 2), text)


class GeometryOverlay:
    """A camera's zones and counting lines, mapped to the tile once per size."""

    def __init__(self) -> None:
        self.camera: Camera | None = None
        self._mapped_for: QRectF | None = None
        self._zones: list[QPolygonF] = []
        self._lines: list[QPolygonF] = []
        self._zone_pen = cosmetic_pen(QColor(0, 200, 230, 110), 1)
        self._line_pen = cosmetic_pen(QColor(255, 215, 0, 150), 2)

    def set_camera(self, camera: Camera | None) -> None:
        self.camera = camera
        self._mapped_for = None

    def _map(self, target: QRectF) -> None:
        def mapped(points: list[tuple[float, float]]) -> QPolygonF:
            return QPolygonF(
                [
                    QPointF(target.left() + x * target.width(), target.top() + y * target.height())
                    for x, y in points
                ]
            )

        camera = self.camera
        self._zones = [mapped([*z.polygon, z.polygon[0]]) for z in camera.zones] if camera else []
        self._lines = [mapped(list(line.points)) for line in camera.lines] if camera else []
        self._mapped_for = QRectF(target)

    def paint(self, painter: QPainter, target: QRectF) -> None:
        if self._mapped_for != target:
            self._map(target)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(self._zone_pen)
        for polygon in self._zones:
            painter.drawPolyline(polygon)
        painter.setPen(self._line_pen)
        for polyline in self._lines:
            painter.drawPolyline(polyline)
