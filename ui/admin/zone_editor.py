"""Zone editor: zones, lines, lanes and calibration points of one camera on a frozen frame.

Checks run on every edit; saving writes the site file through
``console.security.config_changes`` (the core checks ``change_config`` and audits the
change) and takes effect when the console restarts. The button is only enabled for a role
that may save; the core's check is the one that counts.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.config.editing import (
    Shape,
    ShapeKind,
    ShapeProblem,
    check_shapes,
)
from console.config.editing import shapes_of as camera_shapes
from console.config.site_file import ConfigError, SiteConfig
from console.security.audit import AuditLog
from console.security.config_changes import save_camera_geometry
from console.security.roles import Actor, Permission, user_of
from console.sources.base import Frame
from ui.admin.zone_canvas import ZoneCanvas

FrameSource = Callable[[str], tuple[int, Frame | None]]
ZONE_KINDS = (
    "carriageway",
    "emergency_lane",
    "intersection",
    "sidewalk",
    "no_parking",
    "signal_lamp",
    "other",
)


class ZoneEditor(QDialog):
    def __init__(
        self,
        site: SiteConfig,
        actor: Callable[[], Actor | None],
        audit: AuditLog | None,
        frame_source: FrameSource | None = None,
        parent: QWidget | None = None,
        site_path: Path | None = None,
    ) -> None:
        """``actor`` is the logged-in user (None: nobody); saves are audited in ``audit``."""
        super().__init__(parent)
        self.site = site
        self.actor = actor
        self.audit = audit
        self.frame_source = frame_source
        self.site_path = site_path
        self.camera_id = ""
        self.problems: list[ShapeProblem] = []
        self.saved = False
        self.camera_box = QComboBox(self)
        for camera in site.cameras:
            self.camera_box.addItem(camera.name, camera.id)
        self.camera_box.currentIndexChanged.connect(lambda _: self.load_camera())
        self.canvas = ZoneCanvas(self)
        self.canvas.shapes_edited.connect(self._on_edited)
        self.shape_list = QListWidget(self)
        self.shape_list.currentRowChanged.connect(self._on_select)
        self.zone_kind = QComboBox(self)
        for kind in ZONE_KINDS:
            self.zone_kind.addItem("", kind)
        self.zone_kind.currentIndexChanged.connect(self._on_zone_kind)
        self.new_zone_button = QPushButton(self)
        self.new_zone_button.clicked.connect(lambda: self.new_shape("zone"))
        self.new_line_button = QPushButton(self)
        self.new_line_button.clicked.connect(lambda: self.new_shape("line"))
        self.new_lane_button = QPushButton(self)
        self.new_lane_button.clicked.connect(lambda: self.new_shape("lane"))
        self.delete_button = QPushButton(self)
        self.delete_button.clicked.connect(self.delete_selected)
        self.help_label = QLabel(self)
        self.help_label.setWordWrap(True)
        self.problem_list = QListWidget(self)
        self.problem_list.setMaximumHeight(130)
        self.status_label = QLabel(self)
        self.freeze_button = QPushButton(self)
        self.freeze_button.clicked.connect(self.freeze_frame)
        self.save_button = QPushButton(self)
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.reject)

        side = QVBoxLayout()
        self.camera_label = QLabel(self)
        side.addWidget(self.camera_label)
        side.addWidget(self.camera_box)
        side.addWidget(self.shape_list, 1)
        side.addWidget(self.zone_kind)
        for button in (
            self.new_zone_button,
            self.new_line_button,
            self.new_lane_button,
            self.delete_button,
        ):
            side.addWidget(button)
        side.addWidget(self.help_label)
        top = QHBoxLayout()
        top.addLayout(side, 1)
        top.addWidget(self.canvas, 4)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.freeze_button)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        self.problems_label = QLabel(self)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.problem_list)
        layout.addLayout(bottom)
        self.resize(1400, 860)
        self._retranslate()
        self.load_camera()

    # ---- camera and frame -------------------------------------------------------------

    def load_camera(self, camera_id: str | None = None) -> None:
        if camera_id is not None:
            self.camera_box.blockSignals(True)
            self.camera_box.setCurrentIndex(self.camera_box.findData(camera_id))
            self.camera_box.blockSignals(False)
        self.camera_id = str(self.camera_box.currentData())
        self.canvas.set_shapes(camera_shapes(self.site.camera(self.camera_id)))
        self.freeze_frame()
        self._fill_list()
        self._on_edited()

    def freeze_frame(self) -> None:
        frame = self.frame_source(self.camera_id)[1] if self.frame_source else None
        self.canvas.set_frame(qimage_of(frame.image) if frame is not None else None)

    # ---- shapes -----------------------------------------------------------------------

    @property
    def shapes(self) -> list[Shape]:
        return self.canvas.shapes

    def _fill_list(self) -> None:
        current = self.shape_list.currentRow()
        self.shape_list.blockSignals(True)
        self.shape_list.clear()
        bad = {(p.kind, p.shape_id) for p in self.problems}
        for shape in self.shapes:
            item = QListWidgetItem(f"{self._kind_name(shape.kind)}: {shape.id}")
            if (shape.kind, shape.id) in bad:
                item.setForeground(QColor("#ff4d4f"))
            self.shape_list.addItem(item)
        self.shape_list.setCurrentRow(min(current, len(self.shapes) - 1))
        self.shape_list.blockSignals(False)

    def select_shape(self, kind: ShapeKind, shape_id: str) -> None:
        for index, shape in enumerate(self.shapes):
            if shape.kind == kind and shape.id == shape_id:
                self.shape_list.setCurrentRow(index)
                return

    def _on_select(self, row: int) -> None:
        self.canvas.selected = row if 0 <= row < len(self.shapes) else None
        self.canvas.adding = False
        shape = self.shapes[row] if self.canvas.selected is not None else None
        self.zone_kind.setEnabled(shape is not None and shape.kind == "zone")
        if shape is not None and shape.kind == "zone":
            self.zone_kind.blockSignals(True)
            self.zone_kind.setCurrentIndex(self.zone_kind.findData(shape.attributes.get("kind")))
            self.zone_kind.blockSignals(False)
        self.delete_button.setEnabled(shape is not None and shape.kind != "calibration")
        self.canvas.update()

    def _on_zone_kind(self) -> None:
        row = self.shape_list.currentRow()
        if 0 <= row < len(self.shapes) and self.shapes[row].kind == "zone":
            self.shapes[row].attributes["kind"] = self.zone_kind.currentData()

    def new_shape(self, kind: ShapeKind) -> Shape:
        taken = {s.id for s in self.shapes if s.kind == kind}
        number = 1
        while f"{kind}-{number}" in taken:
            number += 1
        attributes: dict[str, object] = {}
        if kind == "zone":
            attributes = {"kind": "other"}
        elif kind == "lane":
            attributes = {
                "direction": [(0.5, 0.8), (0.5, 0.4)],
                "allowed_classes": ["car", "bus", "truck"],
            }
        shape = Shape(kind, f"{kind}-{number}", [], attributes)
        self.shapes.append(shape)
        self._on_edited()
        self.shape_list.setCurrentRow(len(self.shapes) - 1)
        self.canvas.adding = True
        return shape

    def delete_selected(self) -> None:
        row = self.shape_list.currentRow()
        if 0 <= row < len(self.shapes) and self.shapes[row].kind != "calibration":
            del self.shapes[row]
            self.canvas.selected = None
            self._on_edited()

    def _on_edited(self) -> None:
        self.problems = check_shapes(self.shapes)
        self.canvas.bad_ids = {(p.kind, p.shape_id) for p in self.problems}
        self._fill_list()
        self.problem_list.clear()
        for problem in self.problems:
            item = QListWidgetItem(
                f"{self._kind_name(problem.kind)} {problem.shape_id}: {self.describe(problem)}"
            )
            item.setForeground(QColor("#ff4d4f"))
            self.problem_list.addItem(item)
        allowed = self.can_save()
        self.save_button.setEnabled(allowed and not self.problems and self.site_path is not None)
        if not allowed:
            self.status_label.setText(
                self.tr("Your role may not change the site configuration (supervisors may).")
            )
        elif self.problems:
            self.status_label.setText(self.tr("Correct the problems below before saving."))
        else:
            self.status_label.setText(self.tr("No problems found."))
        self.canvas.update()

    def describe(self, problem: ShapeProblem) -> str:
        texts = {
            "duplicate_id": self.tr("%n shapes share this name", "", problem.number),
            "outside": self.tr("%n point(s) outside the frame", "", problem.number),
            "too_few_points": self.tr("needs at least %n points", "", problem.number),
            "self_intersecting": self.tr("polygon edges cross each other"),
            "no_area": self.tr("polygon has no area"),
            "line_points": self.tr("a line needs exactly 2 points"),
            "line_same": self.tr("the two points of the line are the same"),
            "calibration_pairs": self.tr("each image point needs its ground position"),
            "collinear": self.tr("the first four calibration points lie on one line"),
        }
        return texts.get(problem.code, problem.message)

    def _kind_name(self, kind: str) -> str:
        names = {
            "zone": self.tr("Zone"),
            "line": self.tr("Line"),
            "lane": self.tr("Lane"),
            "calibration": self.tr("Calibration"),
        }
        return names.get(kind, kind)

    # ---- saving -----------------------------------------------------------------------

    def can_save(self) -> bool:
        """Whether to offer saving; the core checks again (and audits) when it is asked."""
        actor = self.actor()
        return actor is not None and user_of(actor).can(Permission.CHANGE_CONFIG)

    def save(self) -> bool:
        if self.problems or self.site_path is None or self.audit is None:
            return False
        try:
            self.site = save_camera_geometry(
                self.site_path, self.camera_id, self.shapes, actor=self.actor(), audit=self.audit
            )
        except PermissionError as error:  # refused by the core, and audited there
            self.status_label.setText(str(error))
            return False
        except (ConfigError, OSError, KeyError) as error:
            QMessageBox.warning(self, self.windowTitle(), str(error))
            return False
        self.saved = True
        self.status_label.setText(
            self.tr("Saved to the site file. Restart the console to apply the changes.")
        )
        return True

    def _retranslate(self) -> None:
        kinds = {
            "carriageway": self.tr("Carriageway"),
            "emergency_lane": self.tr("Emergency lane"),
            "intersection": self.tr("Intersection"),
            "sidewalk": self.tr("Sidewalk"),
            "no_parking": self.tr("No-parking area"),
            "signal_lamp": self.tr("Signal lamp"),
            "other": self.tr("Other area"),
        }
        for index in range(self.zone_kind.count()):
            self.zone_kind.setItemText(index, kinds[str(self.zone_kind.itemData(index))])
        self.setWindowTitle(self.tr("Zone editor"))
        self.camera_label.setText(self.tr("Camera:"))
        self.new_zone_button.setText(self.tr("New zone"))
        self.new_line_button.setText(self.tr("New line"))
        self.new_lane_button.setText(self.tr("New lane"))
        self.delete_button.setText(self.tr("Delete"))
        self.help_label.setText(
            self.tr(
                "Drag a corner to move it. After 'New…', click on the image to add points; "
                "double-click to finish."
            )
        )
        self.problems_label.setText(self.tr("Problems:"))
        self.freeze_button.setText(self.tr("Freeze current frame"))
        self.save_button.setText(self.tr("Save to site file"))
        self.close_button.setText(self.tr("Close"))
        self.canvas.placeholder = self.tr("No live frame from this camera")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self._on_edited()
        super().changeEvent(event)


def qimage_of(image: np.ndarray) -> QImage:
    pixels = np.ascontiguousarray(image)
    height, width = pixels.shape[:2]
    return QImage(pixels.data, width, height, pixels.strides[0], QImage.Format.Format_BGR888).copy()


__all__ = ["ZoneEditor"]
