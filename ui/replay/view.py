"""One replayed camera: its name and its picture with the boxes stored beside the recording."""

from __future__ import annotations

import cv2
import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from console.detect.detections import Detections
from console.replay.player import ReplayFrame
from ui.clip_player import pixmap_from_bgr


def draw_overlay(image: np.ndarray, detections: Detections | None) -> np.ndarray:
    """The frame with its stored boxes, track ids and classes (a copy)."""
    if detections is None or len(detections) == 0:
        return image
    canvas = image.copy()
    scale = max(1, canvas.shape[0] // 360)
    for row in range(len(detections)):
        x1, y1, x2, y2 = (int(v) for v in detections.xyxy[row])
        class_id = int(detections.class_id[row])
        label = detections.class_names.get(class_id, str(class_id))
        if detections.tracker_id is not None:
            label = f"#{int(detections.tracker_id[row])} {label}"
        cv2.rectangle(canvas, (x1, y1), (x2, y2), (80, 220, 80), scale)
        font, size = cv2.FONT_HERSHEY_SIMPLEX, 0.38 * scale
        (width, height), _ = cv2.getTextSize(label, font, size, 1)
        top = max(height + 3, y1 - 2)
        cv2.rectangle(canvas, (x1, top - height - 3), (x1 + width + 2, top + 1), (0, 0, 0), -1)
        cv2.putText(canvas, label, (x1 + 1, top - 1), font, size, (120, 255, 120), 1, cv2.LINE_AA)
    return canvas


class ReplayView(QWidget):
    """One camera: its name, and its picture (or why there is none at this time)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title_label = QLabel(self)
        self.title_label.setStyleSheet("color: #c9d3dd; font-weight: bold;")
        self.picture = QLabel(self)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumSize(240, 135)
        self.picture.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.picture.setStyleSheet("background: #05070a; color: #93a1b0;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(self.title_label)
        layout.addWidget(self.picture, 1)
        self.frame: ReplayFrame | None = None
        self._pixmap: QPixmap | None = None

    @property
    def title(self) -> str:
        return self.title_label.text()

    @title.setter
    def title(self, text: str) -> None:
        self.title_label.setText(text)

    def show_frame(self, frame: ReplayFrame | None, gap_text: str) -> None:
        self.frame = frame
        if frame is None:
            self._pixmap = None
            self.picture.clear()
            self.picture.setText(gap_text)
            return
        self._pixmap = pixmap_from_bgr(draw_overlay(frame.image, frame.detections))
        self._show_pixmap()

    def show_text(self, text: str) -> None:
        self._pixmap = None
        self.picture.clear()
        self.picture.setText(text)

    def _show_pixmap(self) -> None:
        if self._pixmap is not None:
            self.picture.setPixmap(
                self._pixmap.scaled(
                    self.picture.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._show_pixmap()
