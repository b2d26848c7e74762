"""Builds a tile's finished picture (frame, overlays, header, banner, border) as one image.

Runs on the wall's compositor thread (QImage and QPainter work off the GUI thread), so the
GUI thread only blits one opaque image per tile. What the tile shows besides the pixels is
a ``TileScene`` that the GUI thread rebuilds only when something changes (state, clock,
toggles, size, language); a new scene object means "changed", so comparisons are by
identity.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import cv2
import numpy as np
from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPen

from console.config.site import Camera
from console.domain.health import StreamState
from console.pipeline.worker import AnalysisResult
from console.sources.base import Frame
from ui.theme import STATE_COLORS
from ui.wall.tile_overlays import DetectionOverlay, GeometryOverlay

HEADER_HEIGHT = 26
BACKGROUND = QColor("#05070a")
BACKGROUND_BGRA = np.array([0x0A, 0x07, 0x05, 0xFF], np.uint8)  # BACKGROUND in BGRA bytes
EMPTY_BANNER = QColor("#6b7785")
HEADER_FILL = QColor(0, 0, 0, 170)
BANNER_FILL = QColor(0, 0, 0, 190)
BADGE_FILL = QColor(181, 23, 158, 200)
WHITE = QColor("#ffffff")
BORDER_PEN = QPen(QColor("#2c3642"), 1)
FLASH_PEN = QPen(QColor("#ff4d4f"), 6)
ALERT_TILE_PEN = QPen(QColor("#ff9f1a"), 2, Qt.PenStyle.DashLine)


class Border(enum.Enum):
    NORMAL = "normal"
    ALERT_TILE = "alert_tile"  # the tile new alerts pop into
    FLASH = "flash"  # a high-priority alert on this camera, blink on


@dataclass(frozen=True, slots=True, eq=False)
class TileScene:
    """Everything a tile draws except the video pixels; a new object means a change."""

    size: tuple[int, int]
    camera: Camera | None
    title: str
    clock: str
    state: StreamState
    fps: float | None  # shown in the header while live
    banner: str  # '' when live
    badge: str  # 'DEMO MODEL' label, '' when the camera runs a real model
    show_geometry: bool
    show_detections: bool
    border: Border
    font: QFont


def fit_rect(source: tuple[int, int], size: tuple[int, int]) -> QRect:
    """Largest rectangle of ``source``'s aspect centred in ``size`` (whole pixels)."""
    scale = min(size[0] / source[0], size[1] / source[1])
    width, height = max(1, int(source[0] * scale)), max(1, int(source[1] * scale))
    return QRect((size[0] - width) // 2, (size[1] - height) // 2, width, height)


def image_pixels(image: QImage) -> np.ndarray:
    """A (height, width, 4) view of a 32-bit QImage's own memory (BGRA on little-endian)."""
    rows = np.frombuffer(image.bits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : image.width() * 4].reshape(image.height(), image.width(), 4)


class TileComposer:
    """One tile's composition state: overlays (with track trails) and the cached decoration.

    Used by one thread only. The decoration (everything drawn over the video) is re-drawn
    when the scene or the analysis result changes (about 6 times a second); each new frame
    then costs a resize into the tile image and one alpha blit of the decoration.
    """

    def __init__(self) -> None:
        self.detections = DetectionOverlay()
        self.geometry = GeometryOverlay()
        self._camera_id: str | None = None
        self._decor: QImage | None = None
        self._decor_key: tuple[object, ...] = ()
        self._decor_scene: TileScene | None = None
        self._decor_result: AnalysisResult | None = None
        self._header: QImage | None = None
        self._header_scene: TileScene | None = None
        self._badge: QImage | None = None
        self._badge_key: tuple[object, ...] = ()

    def compose(
        self, scene: TileScene, frame: Frame | None, result: AnalysisResult | None
    ) -> QImage:
        camera_id = scene.camera.id if scene.camera is not None else None
        if camera_id != self._camera_id:
            self._camera_id = camera_id
            self.detections.clear()
            self.geometry.set_camera(scene.camera)
        self.detections.update(result if camera_id is not None else None)
        width, height = max(1, scene.size[0]), max(1, scene.size[1])
        image = QImage(width, height, QImage.Format.Format_RGB32)
        target: QRect | None = None
        source_size = (1, 1)
        if frame is not None and frame.image.ndim == 3 and frame.image.shape[2] == 3:
            source_size = (frame.image.shape[1], frame.image.shape[0])
            target = fit_rect(source_size, (width, height))
            self._paste(frame.image, image, target)
        else:
            image.fill(BACKGROUND)
        painter = QPainter(image)
        painter.drawImage(0, 0, self._decoration(scene, target, source_size))
        painter.end()
        return image

    @staticmethod
    def _paste(bgr: np.ndarray, image: QImage, target: QRect) -> None:
        """Scale ``bgr`` into ``target`` of ``image`` (cv2 releases the GIL for both steps)."""
        size = (target.width(), target.height())
        if (bgr.shape[1], bgr.shape[0]) != size:
            bgr = cv2.resize(bgr, size, interpolation=cv2.INTER_LINEAR)
        pixels = image_pixels(image)
        left, top = target.x(), target.y()
        right, bottom = left + size[0], top + size[1]
        cv2.cvtColor(bgr, cv2.COLOR_BGR2BGRA, dst=pixels[top:bottom, left:right])
        # letterbox bars only (a whole-image fill would touch every pixel twice)
        for bar in (
            pixels[:top],
            pixels[bottom:],
            pixels[top:bottom, :left],
            pixels[top:bottom, right:],
        ):
            if bar.size:
                bar[:] = BACKGROUND_BGRA

    def _decoration(
        self, scene: TileScene, target: QRect | None, source_size: tuple[int, int]
    ) -> QImage:
        key = (target.getRect() if target is not None else None, source_size)
        if (
            self._decor is not None
            and self._decor_scene is scene
            and self._decor_result is self.detections.result
            and self._decor_key == key
        ):
            return self._decor
        width, height = max(1, scene.size[0]), max(1, scene.size[1])
        image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setFont(scene.font)
        if target is not None:
            local = QRectF(target)
            if scene.camera is not None and scene.show_geometry:
                self.geometry.paint(painter, local)
            if scene.show_detections:
                self.detections.paint(painter, local, source_size)
        if scene.camera is not None:
            painter.drawImage(0, 0, self._header_image(scene))
            if scene.badge:
                badge = self._badge_image(scene)
                painter.drawImage(6, height - badge.height() - 6, badge)
        if scene.banner:
            paint_banner(painter, scene)
        paint_border(painter, scene)
        painter.end()
        self._decor, self._decor_key = image, key
        self._decor_scene, self._decor_result = scene, self.detections.result
        return image

    def _header_image(self, scene: TileScene) -> QImage:
        """The header strip: re-drawn per scene (clock, state), not per analysis result."""
        if self._header is None or self._header_scene is not scene:
            image = QImage(
                max(1, scene.size[0]), HEADER_HEIGHT, QImage.Format.Format_ARGB32_Premultiplied
            )
            image.fill(Qt.GlobalColor.transparent)
            painter = QPainter(image)
            paint_header(painter, scene)
            painter.end()
            self._header, self._header_scene = image, scene
        return self._header

    def _badge_image(self, scene: TileScene) -> QImage:
        key = (scene.badge, scene.font)
        if self._badge is None or key != self._badge_key:
            self._badge, self._badge_key = badge_image(scene.badge, scene.font), key
        return self._badge


def paint_header(painter: QPainter, scene: TileScene) -> None:
    width = scene.size[0]
    painter.fillRect(0, 0, width, HEADER_HEIGHT, HEADER_FILL)
    painter.setBrush(STATE_COLORS[scene.state.value])
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(8, HEADER_HEIGHT // 2 - 5, 10, 10)
    font = QFont(scene.font)
    font.setPointSize(10)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(WHITE)
    # the name matters most: time and fps give way on narrow tiles
    clock = scene.clock if width >= 560 else scene.clock.split(" ")[0]
    right_text = clock
    if scene.fps is not None and width >= 300:
        right_text = f"{scene.fps:.0f} fps  {clock}"
    metrics = painter.fontMetrics()
    right_width = metrics.horizontalAdvance(right_text) + 16
    if width - right_width < 0.55 * width:
        right_text, right_width = "", 0
    title = metrics.elidedText(
        scene.title, Qt.TextElideMode.ElideRight, max(10, width - right_width - 30)
    )
    painter.drawText(24, 0, width - 24, HEADER_HEIGHT, Qt.AlignmentFlag.AlignVCenter, title)
    font.setBold(False)
    painter.setFont(font)
    painter.drawText(
        0,
        0,
        width - 8,
        HEADER_HEIGHT,
        Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
        right_text,
    )


def badge_image(text: str, base_font: QFont) -> QImage:
    """The 'DEMO MODEL' label of tiles analysed by the bundled demo model."""
    font = QFont(base_font)
    font.setPointSize(8)
    font.setBold(True)
    width = QFontMetrics(font).horizontalAdvance(text) + 12
    image = QImage(width, 16, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(BADGE_FILL)
    painter.drawRoundedRect(QRectF(0, 0, width, 16), 3, 3)
    painter.setPen(WHITE)
    painter.drawText(QRectF(0, 0, width, 16), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return image


def paint_banner(painter: QPainter, scene: TileScene) -> None:
    color = STATE_COLORS[scene.state.value] if scene.camera is not None else EMPTY_BANNER
    width, height = scene.size
    font = QFont(scene.font)
    font.setPointSize(12 if width > 320 else 9)
    font.setBold(True)
    painter.setFont(font)
    box = QRect(12, HEADER_HEIGHT + 8, width - 24, height - HEADER_HEIGHT - 16)
    flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
    bounds = painter.boundingRect(box, flags, scene.banner).adjusted(-14, -8, 14, 8)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(BANNER_FILL)
    painter.drawRoundedRect(bounds, 6, 6)
    painter.setPen(color)
    painter.drawText(box, flags, scene.banner)


def paint_border(painter: QPainter, scene: TileScene) -> None:
    rect = QRect(0, 0, scene.size[0], scene.size[1])
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if scene.border is Border.FLASH:
        painter.setPen(FLASH_PEN)
        painter.drawRect(rect.adjusted(3, 3, -3, -3))
    elif scene.border is Border.ALERT_TILE:
        painter.setPen(ALERT_TILE_PEN)
        painter.drawRect(rect.adjusted(1, 1, -1, -1))
    else:
        painter.setPen(BORDER_PEN)
        painter.drawRect(rect.adjusted(0, 0, -1, -1))
