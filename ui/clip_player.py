"""Evidence clip player: OpenCV reads the MP4 one frame per timer tick (play, pause, step, scrub).

A clip is a few seconds of small frames read from local disk, so one decode per tick on the
GUI thread stays well under a millisecond or two; nothing is read ahead or queued.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QVBoxLayout, QWidget


def pixmap_from_bgr(image: np.ndarray) -> QPixmap:
    pixels = np.ascontiguousarray(image)
    height, width = pixels.shape[:2]
    qimage = QImage(pixels.data, width, height, pixels.strides[0], QImage.Format.Format_BGR888)
    return QPixmap.fromImage(qimage.copy())


class ClipPlayer(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._capture: cv2.VideoCapture | None = None
        self.frame_count = 0
        self.fps = 10.0
        self.position = -1  # index of the frame on screen
        self._pixmap: QPixmap | None = None
        self.screen = QLabel(self)
        self.screen.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.screen.setMinimumSize(320, 180)
        self.screen.setStyleSheet("background: #05070a; color: #93a1b0;")
        self.play_button = QPushButton(self)
        self.play_button.setCheckable(True)
        self.play_button.toggled.connect(self.set_playing)
        self.back_button = QPushButton("◀|", self)
        self.back_button.clicked.connect(lambda: self.step(-1))
        self.forward_button = QPushButton("|▶", self)
        self.forward_button.clicked.connect(lambda: self.step(1))
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.valueChanged.connect(self._on_slider)
        self.time_label = QLabel(self)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        controls = QHBoxLayout()
        for widget in (self.back_button, self.play_button, self.forward_button):
            controls.addWidget(widget)
        controls.addWidget(self.slider, 1)
        controls.addWidget(self.time_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.screen, 1)
        layout.addLayout(controls)
        self._retranslate()
        self.open(None)

    def open(self, path: Path | None) -> bool:
        """Load a clip (None or an unreadable file shows a message instead)."""
        self.set_playing(False)
        if self._capture is not None:
            self._capture.release()
            self._capture = None
        self.frame_count, self.position = 0, -1
        capture = cv2.VideoCapture(str(path)) if path is not None and path.exists() else None
        if capture is not None and capture.isOpened():
            self._capture = capture
            self.frame_count = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
            self.fps = capture.get(cv2.CAP_PROP_FPS) or 10.0
        elif capture is not None:
            capture.release()
        loaded = self._capture is not None and self.frame_count > 0
        for widget in (self.play_button, self.back_button, self.forward_button, self.slider):
            widget.setEnabled(loaded)
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(0, self.frame_count - 1))
        self.slider.setValue(0)
        self.slider.blockSignals(False)
        if loaded:
            self.seek(0)
        else:
            self._pixmap = None
            self.screen.setPixmap(QPixmap())
            self.screen.setText(self.tr("No clip for this alert (yet)"))
            self.time_label.setText("")
        return loaded

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def set_playing(self, playing: bool) -> None:
        if playing and self._capture is not None:
            if self.position >= self.frame_count - 1:
                self.seek(0)
            self._timer.start(max(10, int(1000 / self.fps)))
        else:
            self._timer.stop()
        self.play_button.blockSignals(True)
        self.play_button.setChecked(self.playing)
        self.play_button.blockSignals(False)
        self._retranslate()

    def step(self, frames: int) -> None:
        self.set_playing(False)
        self.seek(self.position + frames)

    def seek(self, index: int) -> None:
        if self._capture is None or self.frame_count == 0:
            return
        index = max(0, min(self.frame_count - 1, index))
        if index != self.position + 1:
            self._capture.set(cv2.CAP_PROP_POS_FRAMES, index)
        ok, image = self._capture.read()
        if not ok:
            self.set_playing(False)
            return
        self.position = index
        self._pixmap = pixmap_from_bgr(image)
        self._show_pixmap()
        self.slider.blockSignals(True)
        self.slider.setValue(index)
        self.slider.blockSignals(False)
        self.time_label.setText(
            f"{index / self.fps:4.1f} / {max(0, self.frame_count - 1) / self.fps:4.1f} s"
        )

    def _tick(self) -> None:
        if self.position >= self.frame_count - 1:
            self.set_playing(False)
            return
        self.seek(self.position + 1)

    def _on_slider(self, value: int) -> None:
        self.set_playing(False)
        self.seek(value)

    def _show_pixmap(self) -> None:
        if self._pixmap is not None:
            self.screen.setPixmap(
                self._pixmap.scaled(
                    self.screen.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._show_pixmap()

    def _retranslate(self) -> None:
        self.play_button.setText(self.tr("Pause") if self.playing else self.tr("Play"))
        self.back_button.setToolTip(self.tr("Previous frame"))
        self.forward_button.setToolTip(self.tr("Next frame"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            if self._capture is None:
                self.screen.setText(self.tr("No clip for this alert (yet)"))
        super().changeEvent(event)

    def close_clip(self) -> None:
        self.open(None)
