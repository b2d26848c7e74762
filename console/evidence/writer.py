"""Evidence for each alert: annotated snapshot, vehicle crop, clip, metadata; SHA-256 addressed.

The snapshot and every clip frame carry a banner strip below the picture (banner.py) with
the record's fields; the crop carries none, because the plate reader reads it.

Files are stored under ``<data>/evidence/ab/cd/<sha256>.<ext>`` (content addressing: the
name is the proof of the content), written to a temporary name, fsynced and renamed, so
a crash never leaves a half file under a valid name. Writing happens on its own thread:
the clip needs the 5 s after the event, and the pipeline must not wait for them.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import json
import logging
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import cv2
import numpy as np

from console import __version__
from console.atomic_files import write_bytes_atomic
from console.config.site import Camera
from console.detect.detections import Detections
from console.domain.geometry import to_pixels
from console.domain.plates import PlateRead
from console.domain.records import Alert, EvidenceRef
from console.domain.text import format_km
from console.evidence.banner import add_banner, render_strip, with_strip
from console.evidence.record import (
    RECORD_FORMAT,
    Language,
    Place,
    banner_fields,
    clip_fields,
    local_time_text,
    plate_record,
    utc_offset,
)
from console.sources.base import Frame
from console.sources.buffers import FrameRing
from console.thread_priority import lower_this_thread
from console.video import open_mp4_writer

log = logging.getLogger(__name__)

CLIP_BEFORE_S = 5.0
CLIP_AFTER_S = 5.0
RED = (40, 40, 235)
YELLOW = (0, 215, 255)
CYAN = (230, 200, 0)


class EvidenceFiles:
    """The content-addressed folder of evidence files."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str, extension: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / f"{sha256}.{extension}"

    def put(self, data: bytes, kind: str, extension: str) -> EvidenceRef:
        digest = hashlib.sha256(data).hexdigest()
        path = self.path_for(digest, extension)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(path, data)
        return EvidenceRef(kind, digest, str(path), len(data))

    def put_file(self, source: Path, kind: str, extension: str) -> EvidenceRef:
        try:
            return self.put(source.read_bytes(), kind, extension)
        finally:
            source.unlink(missing_ok=True)

    def verify(self, ref: EvidenceRef) -> bool:
        path = Path(ref.path)
        return path.exists() and hashlib.sha256(path.read_bytes()).hexdigest() == ref.sha256


@dataclass(frozen=True, slots=True)
class EvidenceRequest:
    """Everything needed to document one alert, captured at the moment it fired."""

    alert: Alert
    camera: Camera
    route_name: str
    timezone: str
    frame: Frame
    box: tuple[float, float, float, float] | None
    track_path: Sequence[tuple[float, float]]
    ring: FrameRing | None
    model_name: str
    rule_text: str  # the violation as printed: the rule's name and what it measured
    detections: Detections | None = None  # every box of the frame, for learning datasets
    # The vehicle's boxes over its track (epoch s, box): the plate reader's views of it.
    track_boxes: Sequence[tuple[float, tuple[float, float, float, float]]] = ()
    unit: str = ""  # the detecting unit (site.unit)
    language: Language = "vi"  # of the banner's labels (site.language)

    @property
    def place(self) -> Place:
        camera = self.camera
        return Place(
            camera.id,
            camera.name,
            camera.device,
            camera.route,
            self.route_name,
            camera.km,
            camera.area,
        )

    def banner_fields(self) -> list[str]:
        return banner_fields(
            self.place,
            self.alert.event.started_at,
            self.timezone,
            self.rule_text,
            self.alert.event.class_name,
            self.alert.plate,
            self.unit,
            self.language,
        )


@dataclass(order=True)
class _Job:
    ready_at: float
    order: int
    request: EvidenceRequest = field(compare=False)
    done: Callable[[Alert, tuple[EvidenceRef, ...]], None] = field(compare=False)


def annotate(request: EvidenceRequest) -> np.ndarray:
    """The scene with the rule's geometry, the vehicle's box and path; the banner below."""
    image = request.frame.image.copy()
    height, width = image.shape[:2]
    camera = request.camera
    for zone in camera.zones:
        cv2.polylines(
            image, [to_pixels(zone.polygon, width, height).astype(np.int32)], True, CYAN, 2
        )
    for lane in camera.lanes:
        cv2.polylines(
            image, [to_pixels(lane.polygon, width, height).astype(np.int32)], True, CYAN, 1
        )
    for line in camera.lines:
        a, b = to_pixels(line.points, width, height).astype(np.int32)
        cv2.line(image, tuple(a), tuple(b), YELLOW, 2)
    if len(request.track_path) > 1:
        cv2.polylines(image, [np.asarray(request.track_path, np.int32)], False, YELLOW, 2)
    if request.box is not None:
        x1, y1, x2, y2 = (int(v) for v in request.box)
        cv2.rectangle(image, (x1, y1), (x2, y2), RED, 3)
    return add_banner(image, request.banner_fields())


def crop_of(
    image: np.ndarray, box: tuple[float, float, float, float], min_side: int = 160
) -> np.ndarray:
    height, width = image.shape[:2]
    x1, y1, x2, y2 = box
    pad_x, pad_y = (x2 - x1) * 0.2, (y2 - y1) * 0.2
    left, top = max(0, int(x1 - pad_x)), max(0, int(y1 - pad_y))
    right, bottom = min(width, int(x2 + pad_x)), min(height, int(y2 + pad_y))
    crop = image[top : max(bottom, top + 1), left : max(right, left + 1)]
    scale = max(1.0, min_side / max(1, min(crop.shape[:2])))
    if scale > 1.0:
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    return crop


def _detections_json(detections: Detections | None) -> list[dict[str, Any]]:
    if detections is None:
        return []
    return [
        {
            "box_xyxy": [round(float(v), 1) for v in detections.xyxy[i]],
            "class_id": int(detections.class_id[i]),
            "class": detections.class_name(i),
            "confidence": round(float(detections.confidence[i]), 3),
            "track_id": None if detections.tracker_id is None else int(detections.tracker_id[i]),
        }
        for i in range(len(detections))
    ]


def metadata_for(request: EvidenceRequest, refs: Sequence[EvidenceRef]) -> dict[str, Any]:
    event = request.alert.event
    zone = ZoneInfo(request.timezone)
    camera = request.camera
    started_local = event.started_at.astimezone(zone)
    return {
        "record_format": RECORD_FORMAT,
        "alert_id": str(request.alert.id),
        "event_id": str(event.id),
        "type": event.type.value,
        "severity": event.severity.value,
        "priority": request.alert.priority.value,
        "place": {
            "camera_id": camera.id,
            "camera_name": camera.name,
            "device_id": camera.device,
            "route": camera.route,
            "route_name": request.route_name,
            "km": camera.km,
            "km_text": format_km(camera.km),
            "lat": camera.lat,
            "lon": camera.lon,
            "area": camera.area,
        },
        "time": {
            "started_utc": event.started_at.isoformat(),
            "ended_utc": event.ended_at.isoformat(),
            "started_local": started_local.isoformat(),
            "ended_local": event.ended_at.astimezone(zone).isoformat(),
            "timezone": request.timezone,
            "utc_offset": utc_offset(started_local),
            "printed": local_time_text(event.started_at, request.timezone),
        },
        "violation": {
            "rule_id": event.rule_id,
            "type": event.type.value,
            "text": request.rule_text,
            "message": event.message,
            "values": dict(event.values),
        },
        "vehicle": {
            "track_id": event.track_id,
            "class": event.class_name,
            "box_xyxy": event.box_xyxy,
            "plate": plate_record(request.alert.plate),
        },
        "detecting_unit": request.unit or None,
        "banner": request.banner_fields(),
        "frame_detections": _detections_json(request.detections),
        "versions": {
            "roadwatch": __version__,
            "model": request.model_name,
            "rules": f"site-file rules of camera {camera.id}",
        },
        "files": [{"kind": r.kind, "sha256": r.sha256, "size_bytes": r.size_bytes} for r in refs],
    }


class EvidenceWriter(threading.Thread):
    """Writes evidence off the pipeline thread; each job waits until its clip's 'after' exists."""

    def __init__(
        self,
        files: EvidenceFiles,
        max_pending: int = 64,
        after_s: float = CLIP_AFTER_S,
        plates: Callable[[EvidenceRequest], PlateRead | None] | None = None,
    ) -> None:
        """``plates`` reads the vehicle's plate before the files are drawn (None: no reading)."""
        super().__init__(name="evidence", daemon=True)
        self.files = files
        self.plates = plates
        self.max_pending = max_pending
        self.after_s = after_s
        self._jobs: list[_Job] = []
        self._order = itertools.count()
        self._cv = threading.Condition()
        self._stopping = False
        self.dropped = 0
        self.failed = 0

    def submit(
        self, request: EvidenceRequest, done: Callable[[Alert, tuple[EvidenceRef, ...]], None]
    ) -> bool:
        """Queue a request; False (and counted) when the queue is full. Never blocks."""
        with self._cv:
            if len(self._jobs) >= self.max_pending:
                self.dropped += 1
                log.error("evidence queue full: alert %s has no evidence files", request.alert.id)
                return False
            ready = time.monotonic() + (self.after_s if request.ring is not None else 0.0)
            heapq.heappush(self._jobs, _Job(ready, next(self._order), request, done))
            self._cv.notify()
            return True

    def stop(self, flush: bool = True) -> None:
        """Stop; with ``flush`` pending jobs are written first (clips with what is there)."""
        with self._cv:
            self._stopping = True
            if not flush:
                self._jobs.clear()
            self._cv.notify()

    def run(self) -> None:
        lower_this_thread()  # clips and JPEGs wait; the detector does not
        while True:
            with self._cv:
                while True:
                    if self._jobs and (
                        self._stopping or self._jobs[0].ready_at <= time.monotonic()
                    ):
                        job = heapq.heappop(self._jobs)
                        break
                    if self._stopping and not self._jobs:
                        return
                    timeout = self._jobs[0].ready_at - time.monotonic() if self._jobs else None
                    self._cv.wait(timeout)
            request = self._with_plate(job.request)
            try:
                refs = self.write(request)
            except Exception:
                self.failed += 1
                log.exception("evidence for alert %s failed", request.alert.id)
                continue
            try:
                job.done(request.alert, refs)
            except Exception:
                log.exception("evidence callback failed")

    def _with_plate(self, request: EvidenceRequest) -> EvidenceRequest:
        """The request with the vehicle's plate on its alert, when one can be read."""
        if self.plates is None or request.alert.plate is not None:
            return request
        plate = self.plates(request)
        if plate is None:
            return request
        return replace(request, alert=request.alert.evolve(plate=plate))

    def write(self, request: EvidenceRequest) -> tuple[EvidenceRef, ...]:
        refs: list[EvidenceRef] = []
        ok, snapshot = cv2.imencode(".jpg", annotate(request), [cv2.IMWRITE_JPEG_QUALITY, 92])
        if ok:
            refs.append(self.files.put(snapshot.tobytes(), "snapshot", "jpg"))
        ok, raw = cv2.imencode(".jpg", request.frame.image, [cv2.IMWRITE_JPEG_QUALITY, 95])
        if ok:  # the unmarked frame: the legal original, and a training image
            refs.append(self.files.put(raw.tobytes(), "frame", "jpg"))
        if request.box is not None:
            ok, crop = cv2.imencode(
                ".jpg", crop_of(request.frame.image, request.box), [cv2.IMWRITE_JPEG_QUALITY, 95]
            )
            if ok:
                refs.append(self.files.put(crop.tobytes(), "crop", "jpg"))
        clip = self._clip(request)
        if clip is not None:
            refs.append(clip)
        metadata = json.dumps(metadata_for(request, refs), ensure_ascii=False, indent=2).encode()
        refs.append(self.files.put(metadata, "metadata", "json"))
        return tuple(refs)

    def _clip(self, request: EvidenceRequest) -> EvidenceRef | None:
        if request.ring is None:
            return None
        moment = request.frame.captured_mono
        frames = request.ring.between(moment - CLIP_BEFORE_S, moment + self.after_s)
        if len(frames) < 2:
            return None
        span = frames[-1].captured_mono - frames[0].captured_mono
        fps = max(1.0, (len(frames) - 1) / span) if span > 0 else 10.0
        height, width = frames[0].image.shape[:2]
        strips = clip_strips(request, [frame.captured_epoch for frame in frames], width)
        strip_height = next(iter(strips.values())).shape[0]
        self.files.root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=self.files.root, suffix=".mp4", delete=False) as tmp:
            temp_path = Path(tmp.name)
        writer, _ = open_mp4_writer(temp_path, fps, (width, height + strip_height))
        try:
            for frame in frames:
                image = frame.image
                if image.shape[:2] != (height, width):
                    image = cv2.resize(image, (width, height))
                writer.write(with_strip(image, strips[int(frame.captured_epoch)]))
        finally:
            writer.release()
        return self.files.put_file(temp_path, "clip", "mp4")


def clip_strips(
    request: EvidenceRequest, epochs: Sequence[float], width: int
) -> dict[int, np.ndarray]:
    """The banner strip of each second of a clip: camera, that second's time, violation.

    The text changes once a second, so a strip is rendered once per second and shared by
    that second's frames (bench/clip_banner.py measures the cost per frame). All have the
    height of the tallest, since every frame of a video has one size.
    """
    strips: dict[int, np.ndarray] = {}
    for second in sorted({int(epoch) for epoch in epochs}):
        moment = datetime.fromtimestamp(second, UTC)
        fields = clip_fields(request.camera.id, moment, request.timezone, request.rule_text)
        strips[second] = render_strip(fields, width)
    height = max(strip.shape[0] for strip in strips.values())
    for second, strip in strips.items():
        if strip.shape[0] < height:
            padding = np.zeros((height - strip.shape[0], *strip.shape[1:]), strip.dtype)
            strips[second] = np.vstack([strip, padding])
    return strips
