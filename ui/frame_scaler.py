"""Scales the newest frame of each shown camera to its tile's size, off the GUI thread.

``cv2.resize`` releases the GIL, so on a 2-core PC scaling 16 HD frames runs beside the
GUI thread, which then only wraps ready pixels in a QImage and paints them. Only the
newest frame is ever scaled; a frame that was replaced before its turn is simply skipped.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from console.sources.base import Frame

FrameSource = Callable[[str], tuple[int, Frame | None]]


@dataclass(frozen=True, slots=True)
class ScaledFrame:
    version: int
    pixels: np.ndarray  # BGRA, the tile's pixel size (QImage.Format_RGB32 byte order)
    source_size: tuple[int, int]


def scale_for_display(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """BGR image -> BGRA at ``size`` (width, height), bilinear; ready for a fast blit."""
    height, width = image.shape[:2]
    if (width, height) != size:
        image = cv2.resize(image, size, interpolation=cv2.INTER_LINEAR)
    return cv2.cvtColor(image, cv2.COLOR_BGR2BGRA)


class FrameScaler:
    def __init__(self, source: FrameSource, period_s: float = 0.02) -> None:
        self.source = source
        self.period_s = period_s
        self._lock = threading.Lock()
        self._wanted: dict[str, tuple[int, int]] = {}
        self._ready: dict[str, ScaledFrame] = {}
        self._scaled: dict[str, tuple[int, tuple[int, int]]] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.pass_ms: deque[float] = deque(maxlen=2000)

    def want(self, targets: dict[str, tuple[int, int]]) -> None:
        """The cameras on screen and the pixel size each tile shows them at."""
        with self._lock:
            if targets != self._wanted:
                self._wanted = dict(targets)

    def take(self, camera_id: str) -> ScaledFrame | None:
        with self._lock:
            return self._ready.get(camera_id)

    def scale_once(self) -> int:
        """One pass over the wanted cameras; returns how many frames were scaled."""
        with self._lock:
            wanted = dict(self._wanted)
        started = time.perf_counter()
        done = 0
        for camera_id, size in wanted.items():
            version, frame = self.source(camera_id)
            if frame is None or self._scaled.get(camera_id) == (version, size):
                continue
            pixels = scale_for_display(frame.image, size)
            height, width = frame.image.shape[:2]
            with self._lock:
                self._ready[camera_id] = ScaledFrame(version, pixels, (width, height))
            self._scaled[camera_id] = (version, size)
            done += 1
        if done:
            self.pass_ms.append((time.perf_counter() - started) * 1000.0)
        return done

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="wall-scaler", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        next_pass = time.monotonic()
        while not self._stop.wait(max(0.0, next_pass - time.monotonic())):
            next_pass = max(next_pass + self.period_s, time.monotonic())
            try:
                self.scale_once()
            except cv2.error:
                continue  # a malformed frame: skip it, the next one will do

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2.0)
            self._thread = None
