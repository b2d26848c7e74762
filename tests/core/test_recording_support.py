"""Builders for recording and replay tests: frames that carry their own index."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from console.recording import CameraRecorder, RecordingIndex, RecordingOptions
from console.sources.base import Frame

WIDTH, HEIGHT = 192, 112
BITS = 12
CELL = 16


def coded_image(index: int) -> np.ndarray:
    """A frame whose top row of cells spells ``index`` in binary (survives MPEG-4 coding)."""
    image = np.full((HEIGHT, WIDTH, 3), 60, np.uint8)
    for bit in range(BITS):
        value = 255 if index >> bit & 1 else 0
        x = (bit % 12) * CELL
        image[0:CELL, x : x + CELL] = value
    image[40:80, (index * 3) % (WIDTH - 20) :][:, :20] = (0, 200, 255)  # something moving
    return image


def decoded_index(image: np.ndarray) -> int:
    index = 0
    for bit in range(BITS):
        x = (bit % 12) * CELL
        if image[4 : CELL - 4, x + 4 : x + CELL - 4].mean() > 128:
            index |= 1 << bit
    return index


def steady_frames(start_s: float, seconds: float, fps: float, jitter_s: float = 0.0) -> list[Frame]:
    rng = np.random.default_rng(7)
    frames = []
    for index in range(int(seconds * fps)):
        at = start_s + index / fps + (float(rng.uniform(-jitter_s, jitter_s)) if jitter_s else 0.0)
        frames.append(Frame(coded_image(index), index, at - start_s, at))
    return frames


def record(
    folder: Path,
    frames: list[Frame],
    camera_id: str = "cam",
    segment_s: float = 2.0,
    index: RecordingIndex | None = None,
) -> RecordingIndex:
    """Record ``frames`` through a real CameraRecorder thread and close it."""
    index = index or RecordingIndex.in_folder(folder)
    options = RecordingOptions(segment_s=segment_s, gap_s=2.0, queue_frames=100_000)
    recorder = CameraRecorder(camera_id, folder, index, options)
    recorder.start()
    for frame in frames:
        recorder.offer_frame(frame)
    recorder.stop()
    recorder.join(30)
    assert not recorder.is_alive()
    assert recorder.dropped_frames == 0 and recorder.failures == 0
    return index
