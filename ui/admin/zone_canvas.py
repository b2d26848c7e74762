"""The zone editor's drawing surface: a frozen frame with shapes; drag corners, click to add."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from console.config.editing import POLYGON_KINDS, Point, Shape

KIND_COLORS = {
    "zone": QColor(0, 200, 230),
    "line": QColor(255, 215, 0),
    "lane": QColor(179, 136, 255),
    "calibration": QColor(76, 195, 138),
}
HANDLE = 6.0


class ZoneCanvas(QWidget):
    shapes_edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image: QImage | None = None
        self.shapes: list[Shape] = []
        self.selected: int | None = None
        self.adding = False  # clicks append points to the selected shape
        self.bad_ids: set[tuple[str, str]] = set()
        self._dragging: int | None = None
        self.placeholder = ""
        self.setMinimumSize(480, 270)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)

    def set_frame(self, image: QImage | None) -> None:
        self.image = image
        self.update()

    def set_shapes(self, shapes: list[Shape]) -> None:
        self.shapes = shapes
        self.selected = None
        self.adding = False
        self.update()

    # ---- coordinates ------------------------------------------------------------------

    def frame_rect(self) -> QRectF:
        width, height = (
            (self.image.width(), self.image.height()) if self.image is not None else (16, 9)
        )
        margin = 24.0  # room to show points dragged just outside the frame
        scale = min((self.width() - 2 * margin) / width, (self.height() - 2 * margin) / height)
        w, h = width * scale, height * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def to_widget(self, point: Point) -> QPointF:
        rect = self.frame_rect()
        return QPointF(rect.left() + point[0] * rect.width(), rect.top() + point[1] * rect.height())

    def to_normalized(self, position: QPointF) -> Point:
        rect = self.frame_rect()
        return (
            round((position.x() - rect.left()) / rect.width(), 4),
            round((position.y() - rect.top()) / rect.height(), 4),
        )

    def _handle_at(self, position: QPointF) -> int | None:
        if self.selected is None:
            return None
        for index, point in enumerate(self.shapes[self.selected].points):
            corner = self.to_widget(point)
            if (
                abs(corner.x() - position.x()) <= HANDLE + 2
                and abs(corner.y() - position.y()) <= HANDLE + 2
            ):
                return index
        return None

    # ---- editing ----------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.selected is None:
            return
        handle = self._handle_at(event.position())
        if handle is not None:
            self._dragging = handle
            return
        if self.adding:
            self.shapes[self.selected].points.append(self.to_normalized(event.position()))
            self.shapes_edited.emit()
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._dragging is not None and self.selected is not None:
            self.move_point(self.selected, self._dragging, self.to_normalized(event.position()))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._dragging = None

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.adding = False
        self.update()

    def move_point(self, shape_index: int, point_index: int, point: Point) -> None:
        self.shapes[shape_index].points[point_index] = point
        self.shapes_edited.emit()
        self.update()

    # ---- painting ---------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#0b0d10"))
        rect = self.frame_rect()
        if self.image is not None:
            painter.drawImage(rect, self.image)
        else:
            painter.fillRect(rect, QColor("#1b2129"))
            painter.setPen(QColor("#93a1b0"))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.placeholder)
        painter.setPen(QPen(QColor("#93a1b0"), 1, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)
        font = QFont(self.font())
        font.setPointSize(9)
        font.setBold(True)
        painter.setFont(font)
        for index, shape in enumerate(self.shapes):
            self._paint_shape(painter, shape, index == self.selected)
        painter.end()

    def _paint_shape(self, painter: QPainter, shape: Shape, selected: bool) -> None:
        color = QColor(KIND_COLORS[shape.kind])
        bad = (shape.kind, shape.id) in self.bad_ids
        if bad:
            color = QColor("#ff4d4f")
        points = [self.to_widget(p) for p in shape.points]
        if not points:
            return
        width = 3 if selected else 2
        painter.setPen(
            QPen(color, width, Qt.PenStyle.SolidLine if selected else Qt.PenStyle.SolidLine)
        )
        fill = QColor(color)
        fill.setAlpha(60 if selected else 25)
        painter.setBrush(fill if shape.kind in POLYGON_KINDS else Qt.BrushStyle.NoBrush)
        if shape.kind in POLYGON_KINDS and len(points) >= 3:
            painter.drawPolygon(QPolygonF(points))
        elif shape.kind != "calibration":
            painter.drawPolyline(QPolygonF(points))
        if shape.kind == "calibration" or selected:
            painter.setBrush(color)
            for number, point in enumerate(points, start=1):
                painter.drawRect(
                    QRectF(point.x() - HANDLE / 2, point.y() - HANDLE / 2, HANDLE, HANDLE)
                )
                if shape.kind == "calibration":
                    painter.drawText(point + QPointF(6, -6), str(number))
        if shape.kind != "calibration":  # calibration points carry their numbers instead
            center = QPointF(
                sum(p.x() for p in points) / len(points), sum(p.y() for p in points) / len(points)
            )
            painter.setPen(color)
            painter.drawText(
                center + QPointF(-painter.fontMetrics().horizontalAdvance(shape.id) / 2, 4),
                shape.id,
            )
