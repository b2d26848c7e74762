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


@dataclass(frozen=True, slots=True)
class AnalysedBoxes:
    """One analysed frame's boxes as recorded: tracked, and what the detector gave."""

    tracked: Detections
    raw: Detections | None  # None: not known, or the motion gate skipped the detector
    gated: bool = False  # the motion gate skipped the detector: the last boxes were kept


@dataclass(frozen=True, slots=True)
class DetectorOutput:
    """What the detector gave on a recorded frame, for re-analysis without the model."""

    raw: Detections | None  # None: the motion gate kept the last boxes (no detector call)
    from_tracked_boxes: bool = False  # an older recording kept only tracked boxes


def detection_line(time_s: float, boxes: AnalysedBoxes) -> dict[str, Any]:
    detections = boxes.tracked
    line: dict[str, Any] = {
        "k": "det",
        "t": round(time_s, 6),
        "xyxy": np.round(detections.xyxy, 1).tolist(),
        "cls": detections.class_id.tolist(),
        "conf": np.round(detections.confidence, 3).tolist(),
        "id": None if detections.tracker_id is None else detections.tracker_id.tolist(),
        "names": {str(k): v for k, v in detections.class_names.items()},
    }
    if boxes.gated:
        line["gated"] = True
    elif boxes.raw is not None:
        line["raw"] = {
            "xyxy": np.round(boxes.raw.xyxy, 1).tolist(),
            "cls": boxes.raw.class_id.tolist(),
            "conf": np.round(boxes.raw.confidence, 3).tolist(),
        }
    return line


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
    detector_outputs: list[DetectorOutput] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path) -> SegmentMetadata:
        """Read a metadata file; a torn last line (a crash while writing) is skipped."""
        meta = cls()
        frames: dict[int, float] = {}
        found: list[tuple[float, Detections, DetectorOutput]] = []
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
                tracked = _detections_of(line)
                found.append((float(line["t"]), tracked, _detector_output_of(line, tracked)))
        meta.frame_times = [frames[i] for i in sorted(frames)]
        found.sort(key=lambda item: item[0])
        meta.detection_times = [t for t, _, _ in found]
        meta.detections = [d for _, d, _ in found]
        meta.detector_outputs = [o for _, _, o in found]
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

    def detector_output_at(self, time_s: float) -> DetectorOutput | None:
        """What the detector gave on the frame captured at ``time_s``, if it was analysed."""
        position = bisect.bisect_right(self.detection_times, time_s + 1e-6) - 1
        if position < 0 or abs(self.detection_times[position] - time_s) > 1e-5:
            return None
        return self.detector_outputs[position]


def _detector_output_of(line: dict[str, Any], tracked: Detections) -> DetectorOutput:
    if line.get("gated"):
        return DetectorOutput(None)
    raw = line.get("raw")
    if raw is None:  # recorded before raw boxes were kept: the tracked ones, without ids
        return DetectorOutput(
            Detections(
                tracked.xyxy, tracked.confidence, tracked.class_id, None, tracked.class_names
            ),
            from_tracked_boxes=True,
        )
    names = {int(k): str(v) for k, v in (line.get("names") or {}).items()}
    return DetectorOutput(
        Detections.from_arrays(
            raw["xyxy"] if raw["xyxy"] else np.zeros((0, 4)), raw["conf"], raw["cls"], None, names
        )
    )


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
