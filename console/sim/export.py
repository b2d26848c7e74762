"""Export a simulated clip: an MP4 plus its ground truth as JSON."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import cv2

from console.sim.records import IncidentTruth, SimConfig, SimFrame
from console.sim.simulator import Simulator
from console.video import open_mp4_writer

# mp4v is in every OpenCV build; avc1 needs an H.264 encoder OpenCV may lack.


@dataclass(frozen=True, slots=True)
class ExportResult:
    video_path: Path
    truth_path: Path
    frames: int
    fps: float
    codec: str
    incidents: tuple[IncidentTruth, ...]


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple | list):
        return [_jsonable(item) for item in value]
    return value


def frame_truth_json(frame: SimFrame) -> dict[str, Any]:
    return {
        "index": frame.index,
        "timestamp_s": round(frame.timestamp_s, 6),
        "signal_state": _jsonable(frame.truth.signal_state),
        "signal_remaining_s": frame.truth.signal_remaining_s,
        "active_incident_ids": list(frame.truth.active_incident_ids),
        "objects": [_jsonable(obj) for obj in frame.truth.objects],
    }


def export_clip(
    config: SimConfig,
    seconds: float,
    out_dir: str | Path,
    progress: Callable[[int, int], None] | None = None,
) -> ExportResult:
    """Render ``seconds`` of ``config`` into ``out_dir``/clip.mp4 and ``out_dir``/truth.json.

    The MP4 is reopened and its frame count checked before returning. ``progress`` is
    called with (frames rendered, frames in all) every second of video.
    """
    if seconds <= 0:
        raise ValueError(f"seconds must be > 0, got {seconds}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    video_path = out / "clip.mp4"
    truth_path = out / "truth.json"
    simulator = Simulator(config)
    frame_count = max(int(round(seconds * config.fps)), 1)
    writer, codec = open_mp4_writer(video_path, config.fps, (config.width, config.height))
    frames = []
    try:
        for done in range(1, frame_count + 1):
            frame = simulator.next_frame()
            writer.write(frame.image)
            frames.append(frame_truth_json(frame))
            if progress is not None and (
                done % max(1, round(config.fps)) == 0 or done == frame_count
            ):
                progress(done, frame_count)
    finally:
        writer.release()
    check = cv2.VideoCapture(str(video_path))
    try:
        readable = 0
        while check.grab():
            readable += 1
    finally:
        check.release()
    if readable != frame_count:
        raise RuntimeError(f"{video_path} reopens with {readable} frames, wrote {frame_count}")
    incidents = simulator.incidents
    document = {
        "config": _jsonable(config),
        "scenario": simulator.scenario.model_dump() if simulator.scenario else None,
        "frame_count": frame_count,
        "fps": config.fps,
        "codec": codec,
        "incidents": _jsonable(incidents),
        "frames": frames,
    }
    truth_path.write_text(
        json.dumps(document, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    return ExportResult(video_path, truth_path, frame_count, config.fps, codec, incidents)
