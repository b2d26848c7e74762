"""Export a time range of a recorded camera as an MP4 clip with its metadata, audited.

The clip carries its own metadata file (frame capture times and boxes, same format as a
segment's) and its SHA-256 goes into the audit entry, so a copy handed to a court can be
matched against the trail. The acting user needs the evidence-export permission.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from console.recording.index import RecordingIndex
from console.recording.metadata import AnalysedBoxes, detection_line, frame_line, write_line
from console.replay.player import CameraPlayback, ReplayFrame
from console.security.audit import AuditAction, AuditLog
from console.security.guard import checked
from console.security.permits import authorize
from console.security.roles import Actor, Permission
from console.video import open_mp4_writer


@dataclass(frozen=True, slots=True)
class ExportedClip:
    path: Path
    meta_path: Path
    frames: int
    start_s: float
    end_s: float
    sha256: str


class NothingRecordedError(ValueError):
    """The requested range has no recorded frame."""


def export_range(
    index: RecordingIndex,
    camera_id: str,
    start_s: float,
    end_s: float,
    out_path: Path,
    *,
    actor: Actor | None = None,
    audit: AuditLog | None = None,
    user: str = "system",
) -> ExportedClip:
    """Write the recorded frames of ``camera_id`` in [start_s, end_s) to ``out_path``.

    With an ``actor`` (a logged-in session) the export needs ``export_evidence``; without
    one (before login exists) ``user`` is the name written to the audit trail.
    """
    if end_s <= start_s:
        raise ValueError("the end of the range must come after its start")
    if actor is not None:
        user = checked(actor, Permission.EXPORT_EVIDENCE, audit, "export a recording").username
    playback = CameraPlayback(index, camera_id)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    meta_path = out_path.with_suffix(".jsonl")
    writer = None
    frames = 0
    first = last = start_s
    try:
        time_s: float | None = start_s
        if playback.frame_at(start_s) is None:
            time_s = playback.next_time(start_s)
        with meta_path.open("w", encoding="utf-8") as meta:
            while time_s is not None and time_s < end_s:
                frame = playback.frame_at(time_s)
                if frame is not None:
                    if writer is None:
                        height, width = frame.image.shape[:2]
                        fps = _segment_fps(index, camera_id, time_s)
                        writer, _codec = open_mp4_writer(out_path, fps, (width, height))
                        first = frame.time_s
                    writer.write(frame.image)
                    write_line(meta, frame_line(frames, frame.time_s))
                    if frame.detections is not None:
                        write_line(meta, detection_line(frame.time_s, _boxes(frame)))
                    frames += 1
                    last = frame.time_s
                time_s = playback.next_time(time_s)
    finally:
        if writer is not None:
            writer.release()
        playback.close()
    if frames == 0:
        out_path.unlink(missing_ok=True)
        meta_path.unlink(missing_ok=True)
        raise NothingRecordedError(f"nothing was recorded on {camera_id} in that range")
    digest = hashlib.sha256(out_path.read_bytes()).hexdigest()
    clip = ExportedClip(out_path, meta_path, frames, first, last, digest)
    if audit is not None:
        audit.record_and_wait(
            user,
            AuditAction.EVIDENCE_EXPORT,
            {
                "what": "recording clip",
                "camera_id": camera_id,
                "from": first,
                "to": last,
                "frames": frames,
                "path": str(out_path),
                "sha256": digest,
            },
        )
    return clip


def open_playback(
    actor: Actor | None, audit: AuditLog, camera_ids: list[str], at_s: float, source: str = ""
) -> str:
    """Check that ``actor`` may play recordings back and audit who watched what, from when.

    Call before the first frame is shown; raises PermissionError (audited) when refused.
    ``source`` names a recording file opened directly (no camera ids then).
    """
    what = f"play back {', '.join(camera_ids) or source or 'recordings'}"
    user = authorize(actor, Permission.PLAYBACK, audit, what)
    details: dict[str, object] = {"camera_ids": camera_ids, "at": at_s}
    if source:
        details["file"] = source
    audit.record(user, AuditAction.PLAYBACK, details)
    return user


def _segment_fps(index: RecordingIndex, camera_id: str, time_s: float) -> float:
    segment = index.segment_at(camera_id, time_s)
    return segment.fps if segment is not None else 25.0


def _boxes(frame: ReplayFrame) -> AnalysedBoxes:
    """The frame's boxes as recorded, with the detector's output when it was this frame's."""
    assert frame.detections is not None
    output = frame.detector_output
    if output is None or output.from_tracked_boxes:
        return AnalysedBoxes(frame.detections, None)
    return AnalysedBoxes(frame.detections, output.raw, output.raw is None)
