"""A segment's metadata file: JSON lines beside the MP4, one per frame and per analysis.

Line kinds (``k``):
  ``frame``: ``i`` index in the MP4, ``t`` UTC epoch seconds when it was captured;
  ``det``: ``t`` the analysed frame's capture time, ``xyxy``, ``cls``, ``conf``, ``id``
  (track ids), ``names`` (class names by id).

The frame times are what replay seeks by: an MP4 written by OpenCV has one nominal frame
rate, while a live camera's frames arrive unevenly; mapping a requested UTC time to the
frame captured closest before it is what makes a seek land within one frame.
"""

from __future__ import annotations

import bisect
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np

from console.detect.detections import Detections

log = logging.getLogger(__name__)


def detection_line(time_s: float, detections: Detections) -> dict[str, Any]:
    return {
        "k": "det",
        "t": round(time_s, 6),
        "xyxy": np.round(detections.xyxy, 1).tolist(),
        "cls": detections.class_id.tolist(),
        "conf": np.round(detections.confidence, 3).tolist(),
        "id": None if detections.tracker_id is None else detections.tracker_id.tolist(),
        "names": {str(k): v for k, v in detections.class_names.items()},
    }


def frame_line(index: int, time_s: float) -> dict[str, Any]:
    return {"k": "frame", "i": index, "t": round(time_s, 6)}


def write_line(stream: IO[str], line: dict[str, Any]) -> None:
    stream.write(json.dumps(line, separators=(",", ":")) + "\n")


@dataclass
class SegmentMetadata:
    """The frame times and analysed detections of one segment, read back for replay."""

    frame_times: list[float] = field(default_factory=list)
    detection_times: list[float] = field(default_factory=list)
    detections: list[Detections] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path) -> SegmentMetadata:
        """Read a metadata file; a torn last line (a crash while writing) is skipped."""
        meta = cls()
        frames: dict[int, float] = {}
        found: list[tuple[float, Detections]] = []
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            log.warning("segment metadata missing: %s", path)
            return meta
        for number, raw in enumerate(text.splitlines(), start=1):
            if not raw.strip():
                continue
            try:
                line = json.loads(raw)
            except json.JSONDecodeError:
                log.warning("%s line %d is not JSON; skipped", path, number)
                continue
            if line.get("k") == "frame":
                frames[int(line["i"])] = float(line["t"])
            elif line.get("k") == "det":
                found.append((float(line["t"]), _detections_of(line)))
        meta.frame_times = [frames[i] for i in sorted(frames)]
        found.sort(key=lambda item: item[0])
        meta.detection_times = [t for t, _ in found]
        meta.detections = [d for _, d in found]
        return meta

    def frame_index_at(self, time_s: float) -> int:
        """Index of the frame on screen at ``time_s``: the last captured at or before it."""
        if not self.frame_times:
            return 0
        position = bisect.bisect_right(self.frame_times, time_s + 1e-6) - 1
        return max(0, min(position, len(self.frame_times) - 1))

    def detections_at(self, time_s: float, max_age_s: float = 1.0) -> Detections | None:
        """The newest analysis at or before ``time_s`` and not older than ``max_age_s``."""
        position = bisect.bisect_right(self.detection_times, time_s + 1e-6) - 1
        if position < 0 or time_s - self.detection_times[position] > max_age_s:
            return None
        return self.detections[position]


def _detections_of(line: dict[str, Any]) -> Detections:
    names = {int(k): str(v) for k, v in (line.get("names") or {}).items()}
    boxes = line.get("xyxy") or []
    return Detections.from_arrays(
        boxes if boxes else np.zeros((0, 4)),
        line.get("conf") or [],
        line.get("cls") or [],
        line.get("id"),
        names,
    )
