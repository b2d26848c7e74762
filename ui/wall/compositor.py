"""Composes every visible tile's finished picture on one thread beside the GUI thread.

For each tile, only the newest frame of its camera is used: it is scaled into the tile's
image (``cv2.resize`` and ``cv2.cvtColor`` release the GIL), and the tile's decoration
(overlays, header, banner, border; re-drawn only on change) is blended over it. The GUI
thread then blits one opaque image per tile. A frame replaced before its turn is skipped,
never queued; a tile whose frame, result and scene did not change is not touched.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import cv2
from PySide6.QtGui import QImage

from console.pipeline.worker import AnalysisResult
from console.sources.base import Frame
from ui.wall.tile_composer import TileComposer, TileScene

log = logging.getLogger(__name__)
FrameSource = Callable[[str], tuple[int, Frame | None]]
ResultSource = Callable[[str], AnalysisResult | None]


@dataclass(frozen=True, slots=True, eq=False)
class ComposedTile:
    """A tile's finished picture and what it was made from."""

    frame_version: int
    scene: TileScene
    image: QImage  # Format_RGB32, the tile's size: the GUI thread blits it as is


def no_frame(camera_id: str) -> tuple[int, Frame | None]:
    return 0, None


def no_result(camera_id: str) -> AnalysisResult | None:
    return None


class WallCompositor:
    """Keyed by wall position: ``want`` says what each tile shows, ``take_all`` collects."""

    def __init__(
        self,
        frames: FrameSource = no_frame,
        results: ResultSource = no_result,
        period_s: float = 0.01,
    ) -> None:
        self.frames = frames
        self.results = results
        self.period_s = period_s
        self._lock = threading.Lock()
        self._wanted: dict[int, TileScene] = {}
        self._ready: dict[int, ComposedTile] = {}
        self._made_from: dict[int, tuple[int, TileScene, AnalysisResult | None]] = {}
        self._composers: dict[int, TileComposer] = {}
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.pass_ms: deque[float] = deque(maxlen=2000)

    def want(self, scenes: dict[int, TileScene]) -> None:
        """The scene each visible tile (by wall position) shows now."""
        with self._lock:
            if scenes == self._wanted:  # scenes compare by identity: cheap
                return
            self._wanted = dict(scenes)
            for key in [k for k in self._ready if k not in scenes]:
                del self._ready[key]
        self._wake.set()

    def take_all(self) -> dict[int, ComposedTile]:
        with self._lock:
            return dict(self._ready)

    def compose_once(self) -> int:
        """One pass over the wanted tiles; returns how many pictures were composed."""
        with self._lock:
            wanted = dict(self._wanted)
        for key in [k for k in self._composers if k not in wanted]:
            del self._composers[key]
            self._made_from.pop(key, None)
        started = time.perf_counter()
        done = 0
        for key, scene in wanted.items():
            camera_id = scene.camera.id if scene.camera is not None else None
            version, frame = self.frames(camera_id) if camera_id else (0, None)
            result = self.results(camera_id) if camera_id else None
            made_from = self._made_from.get(key)
            if (
                made_from is not None
                and made_from[0] == version
                and made_from[1] is scene
                and made_from[2] is result
            ):
                continue
            composer = self._composers.setdefault(key, TileComposer())
            image = composer.compose(scene, frame, result)
            with self._lock:
                if self._wanted.get(key) is scene:  # not already replaced by a newer scene
                    self._ready[key] = ComposedTile(version, scene, image)
            self._made_from[key] = (version, scene, result)
            done += 1
        if done:
            self.pass_ms.append((time.perf_counter() - started) * 1000.0)
        return done

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="wall-compositor", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        next_pass = time.monotonic()
        while not self._stop.is_set():
            # a changed scene (state, clock, toggle) wakes the thread; new frames wait a period
            self._wake.wait(max(0.0, next_pass - time.monotonic()))
            self._wake.clear()
            if self._stop.is_set():
                break
            next_pass = max(next_pass + self.period_s, time.monotonic())
            try:
                self.compose_once()
            except cv2.error:
                continue  # a malformed frame: skip it, the next one will do
            except Exception:  # a bug must not freeze the wall for the rest of the shift
                log.exception("wall compositor pass failed")
                self._stop.wait(1.0)

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=2.0)
            self._thread = None
