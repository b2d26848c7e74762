"""Accuracy of the live analysis chain on scripted simulator incidents and on clips.

Each scenario is rendered at an analysis rate (by default the 5 fps a camera asks for;
``tools/accuracy_report.py`` uses the rate this machine reaches live) and every frame goes
through the live :class:`~console.pipeline.camera.CameraPipeline` of a demo camera of the
same scene (motion gate, detector, tracker, rules, alert policy); the alerts are compared
with the simulator's ground truth. Used by tests and by ``tools/accuracy_report.py``,
which writes docs/ACCURACY.md.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from console.config.site import Camera
from console.config.site_file import SiteConfig
from console.detect.detections import Detections
from console.detect.model import BatchModel
from console.domain.classes import ROAD_USER_NAMES
from console.domain.geometry import box_iou
from console.domain.records import Alert, AlertType
from console.pipeline.camera import CameraPipeline
from console.sim import SimConfig, SimFrame, Simulator
from console.sim.records import IncidentTruth, Lighting, TruthObject
from console.sim.scenario import resolve_scenario_path
from console.sources.base import EndOfStreamError, Frame
from console.sources.capture import on_file_clock
from console.sources.factory import make_source

INCIDENT_TO_ALERT = {
    "wrong_way": AlertType.WRONG_WAY,
    "stopped_vehicle": AlertType.STOPPED_VEHICLE,
    "speeding": AlertType.SPEEDING,
    "red_light": AlertType.RED_LIGHT,
    "congestion": AlertType.CONGESTION,
    "pedestrian_on_road": AlertType.PEDESTRIAN,
    "lane_violation": AlertType.LANE_VIOLATION,
}
EARLY_S = 3.0  # an alert may start a little before the scripted start (track onset)
LATE_S = 25.0  # ...and come after it (dwell times, congestion windows)
ANALYSIS_FPS = 5.0
# The clock a case runs on: its frame times are this many epoch seconds plus the frame's own.
CASE_EPOCH_S = 1_800_000_000.0


@dataclass(frozen=True, slots=True)
class Case:
    scene: str
    scenario: str | None
    seed: int
    seconds: float
    lighting: Lighting = Lighting.DAY


@dataclass(frozen=True, slots=True)
class TrackedBox:
    """One frame of a track as the tracker output it."""

    time_s: float
    box_xyxy: tuple[float, float, float, float]
    class_name: str
    confidence: float


@dataclass
class CaseResult:
    case: Case
    incidents: list[IncidentTruth]
    alerts: list[Alert]
    matched: dict[str, Alert] = field(default_factory=dict)
    false_alerts: list[Alert] = field(default_factory=list)
    seconds: float = 0.0
    wall_seconds: float = 0.0
    # per analysed frame: time (s from start) -> every truth object (for matching by place)
    truth: dict[float, tuple[TruthObject, ...]] = field(default_factory=dict)
    # with run_case(keep_tracks=True): track id -> its tracked boxes, to explain an alert
    tracks: dict[int, list[TrackedBox]] = field(default_factory=dict)
    frames: int = 0  # analysed
    model_calls: int = 0  # frames the detector ran on (the others: the motion gate)
    model_ms: float = 0.0  # the detector's time over those calls

    def truth_near(self, time_s: float) -> tuple[TruthObject, ...]:
        if not self.truth:
            return ()
        nearest = min(self.truth, key=lambda t: abs(t - time_s))
        return self.truth[nearest]

    @property
    def recall(self) -> float:
        return len(self.matched) / len(self.incidents) if self.incidents else 1.0


def camera_for(site: SiteConfig, scene: str, fps: float = ANALYSIS_FPS) -> Camera:
    for camera in site.cameras:
        if camera.streams.main.startswith(f"sim://{scene}"):
            return camera.model_copy(update={"detect_fps": fps})
    raise LookupError(f"the site has no {scene} camera")


def simulator_for(case: Case, fps: float = ANALYSIS_FPS) -> Simulator:
    """The case's scene, rendered at the analysis rate."""
    scenario = resolve_scenario_path(case.scenario) if case.scenario else None
    return Simulator(
        SimConfig(
            scene=case.scene,
            seed=case.seed,
            fps=fps,
            scenario=scenario,
            lighting=case.lighting,
        )
    )


class TruthDetector:
    """The simulator's ground truth as a perfect detector (a ``BatchModel``): an oracle.

    Tests the tracker, geometry, rules and policy on their own. :meth:`show` hands it the
    simulator frame whose truth the next :meth:`predict` returns.
    """

    names = ROAD_USER_NAMES
    # It reads the simulator's truth, not the image: a camera's pipeline hands it the whole
    # frame and cuts its boxes to the region of interest as a detector on the crop sees them.
    looks_at_pixels = False

    def __init__(self, min_height_px: float = 0.0) -> None:
        self.min_height_px = min_height_px  # what a detector resolves near the horizon
        self._frame: SimFrame | None = None

    def show(self, frame: SimFrame) -> None:
        self._frame = frame

    def predict(
        self,
        images: list[np.ndarray],
        confidence: float = 0.25,
        classes: list[int] | None = None,
        image_size: int | None = None,
    ) -> list[Detections]:
        del confidence, classes, image_size
        assert self._frame is not None and len(images) == 1, "show() one frame first"
        seen = truth_detections(self._frame)
        if self.min_height_px:
            seen = seen[(seen.xyxy[:, 3] - seen.xyxy[:, 1]) >= self.min_height_px]
        return [seen]


def sim_frame_record(frame: SimFrame) -> Frame:
    """A simulator frame as a source delivers it, on the cases' clock."""
    return Frame(
        frame.image,
        frame.index,
        time.monotonic(),
        CASE_EPOCH_S + frame.timestamp_s,
        frame.timestamp_s,
    )


def truth_detections(frame: SimFrame) -> Detections:
    """The simulator's ground truth as if a perfect detector had seen it."""
    objects = [o for o in frame.truth.objects if o.visible_fraction >= 0.4]
    return Detections.from_arrays(
        [o.box_xyxy for o in objects] or np.zeros((0, 4)),
        [0.95] * len(objects),
        [o.class_id for o in objects],
        None,
        ROAD_USER_NAMES,
    )


def clip_frames(path: Path, epoch_s: float = CASE_EPOCH_S) -> Iterator[Frame]:
    """A video file's frames as a live file camera reads them, on the file's own clock."""
    source = make_source(str(path), loop_files=False)
    source.open()
    try:
        while True:
            try:
                frame = source.read()
            except EndOfStreamError:
                return
            yield on_file_clock(frame, epoch_s, source.fps)
    finally:
        source.close()


def run_clip(
    path: Path,
    camera: Camera,
    site: SiteConfig,
    model: BatchModel,
    *,
    epoch_s: float = CASE_EPOCH_S,
    motion_gate: bool = True,
    region: bool = True,
) -> list[Alert]:
    """Every frame of a recording through ``camera``'s live pipeline: the alerts raised."""
    pipeline = CameraPipeline(camera, site, motion_gate=motion_gate, region=region)
    alerts: list[Alert] = []
    for frame in clip_frames(path, epoch_s):
        alerts.extend(pipeline.analyse(frame, model).alerts)
    return alerts


@dataclass(frozen=True, slots=True)
class Variant:
    """How a case's camera pipeline runs: the live defaults, or without a saving."""

    motion_gate: bool = True
    region: bool = True  # the detector sees the region of interest (the camera's zones)


def run_case(
    case: Case,
    site: SiteConfig,
    model: BatchModel | None,
    *,
    fps: float = ANALYSIS_FPS,
    motion_gate: bool = True,
    region: bool = True,
    keep_tracks: bool = False,
) -> CaseResult:
    """Render at ``fps``, run every frame through the camera's live pipeline, match alerts.

    With ``model=None`` the ground truth stands in for the detector (an oracle), which
    tests the tracker, geometry, rules and policy on their own. ``keep_tracks`` keeps
    every tracked box in the result (``tools/explain_alerts.py`` reads them).
    ``motion_gate`` and ``region`` (the region of interest) are the live defaults; the
    result counts the model calls and their time.
    """
    variants = {"case": Variant(motion_gate, region)}
    return run_case_variants(case, site, model, variants, fps=fps, keep_tracks=keep_tracks)["case"]


def run_case_variants(
    case: Case,
    site: SiteConfig,
    model: BatchModel | None,
    variants: Mapping[str, Variant],
    *,
    fps: float = ANALYSIS_FPS,
    keep_tracks: bool = False,
    models: Mapping[str, BatchModel] | None = None,
) -> dict[str, CaseResult]:
    """:func:`run_case` for several variants of the camera's pipeline on the same frames.

    Each frame is rendered once and goes through one pipeline per variant, each variant
    first in turn (so a change of the machine's load falls on every variant alike); a
    result per variant. ``models`` gives a variant its own model instance (a model that
    alternates between input shapes may pay for each change: a benchmark keeps them apart).
    """
    started = time.monotonic()
    simulator = simulator_for(case, fps)
    camera = camera_for(site, case.scene, fps)
    pipelines = {
        name: CameraPipeline(
            camera, site, motion_gate=v.motion_gate, detect_fps=fps, region=v.region
        )
        for name, v in variants.items()
    }
    oracle = TruthDetector() if model is None else None
    detector: BatchModel = oracle or model  # type: ignore[assignment]
    alerts: dict[str, list[Alert]] = {name: [] for name in variants}
    truth: dict[float, tuple[TruthObject, ...]] = {}
    tracks: dict[str, dict[int, list[TrackedBox]]] = {name: {} for name in variants}
    calls = dict.fromkeys(variants, 0)
    model_ms = dict.fromkeys(variants, 0.0)
    frames = int(case.seconds * fps)
    order = list(pipelines)
    for index in range(frames):
        frame = simulator.next_frame()
        truth[round(frame.timestamp_s, 3)] = frame.truth.objects
        if oracle is not None:
            oracle.show(frame)
        record = sim_frame_record(frame)
        turn = index % len(order)  # each variant goes first in turn: no order bias in timing
        for name in order[turn:] + order[:turn]:
            chosen = models[name] if models and name in models else detector
            analysis = pipelines[name].analyse(record, chosen)
            if not analysis.from_motion_gate:
                calls[name] += 1
                model_ms[name] += analysis.inference_ms
            if keep_tracks:
                _keep_tracks(tracks[name], analysis.detections, frame.timestamp_s)
            alerts[name].extend(analysis.alerts)
    results = {}
    for name in variants:
        result = CaseResult(
            case,
            list(simulator.incidents),
            alerts[name],
            seconds=case.seconds,
            truth=truth,
            tracks=tracks[name],
            frames=frames,
            model_calls=calls[name],
            model_ms=model_ms[name],
        )
        match(result, CASE_EPOCH_S)
        result.wall_seconds = time.monotonic() - started
        results[name] = result
    return results


def _keep_tracks(tracks: dict[int, list[TrackedBox]], tracked: Detections, time_s: float) -> None:
    if tracked.tracker_id is None:
        return
    for index, track_id in enumerate(tracked.tracker_id):
        x1, y1, x2, y2 = (float(v) for v in tracked.xyxy[index])
        tracks.setdefault(int(track_id), []).append(
            TrackedBox(
                round(time_s, 3),
                (x1, y1, x2, y2),
                tracked.class_names.get(int(tracked.class_id[index]), "?"),
                float(tracked.confidence[index]),
            )
        )


def on_incident_track(result: CaseResult, incident: IncidentTruth, alert: Alert, at: float) -> bool:
    """The alert's box is on one of the incident's road users (any, for area incidents)."""
    if not incident.track_ids or alert.event.box_xyxy is None:
        return True
    boxes = [o.box_xyxy for o in result.truth_near(at) if o.track_id in incident.track_ids]
    return any(box_iou(alert.event.box_xyxy, box) >= 0.3 for box in boxes)


def match(result: CaseResult, epoch0: float) -> None:
    """Each incident takes the first alert of its type, in its time window, on its vehicle."""
    unmatched = list(result.alerts)
    for incident in result.incidents:
        expected = INCIDENT_TO_ALERT[incident.type.value]
        start = incident.start_s if incident.start_s is not None else 0.0
        end = incident.end_s if incident.end_s is not None else result.seconds
        for alert in unmatched:
            at = alert.event.ended_at.timestamp() - epoch0
            if (
                alert.type is expected
                and start - EARLY_S <= at <= end + LATE_S
                and on_incident_track(result, incident, alert, at)
            ):
                result.matched[incident.incident_id] = alert
                unmatched.remove(alert)
                break
    # An alert of the incident's own type in its window is a duplicate, not a false alarm.
    windows = [
        (
            INCIDENT_TO_ALERT[i.type.value],
            (i.start_s or 0.0) - EARLY_S,
            (i.end_s if i.end_s is not None else result.seconds) + LATE_S,
        )
        for i in result.incidents
    ]
    for alert in unmatched:
        at = alert.event.ended_at.timestamp() - epoch0
        if not any(alert.type is kind and low <= at <= high for kind, low, high in windows):
            result.false_alerts.append(alert)


def speed_error(result: CaseResult) -> float | None:
    """Relative error of the measured speed of a scripted speeder (None if not applicable)."""
    for incident in result.incidents:
        alert = result.matched.get(incident.incident_id)
        truth = incident.scripted_speed_mps
        if incident.type.value == "speeding" and alert is not None and truth:
            measured = float(alert.event.values["speed_kmh"]) / 3.6
            return abs(measured - truth) / truth
    return None


# Seeds 40 000+ are used nowhere in training (10 000+), validation (20 000+) or the
# model card's hold-out set (30 000+).
INCIDENT_CASES: Sequence[Case] = (
    Case("highway", "wrong_way", 40_001, 40),
    Case("highway", "stopped_vehicle", 40_002, 45),
    Case("highway", "speeding", 40_003, 20),
    Case("intersection", "red_light", 40_004, 40),
    Case("highway", "congestion", 40_005, 90),
    Case("highway", "pedestrian_on_road", 40_006, 45),
    Case("highway", "lane_violation", 40_007, 30),
)
DAY_NORMAL_CASES: Sequence[Case] = (
    Case("highway", "normal_traffic", 41_001, 300),
    Case("intersection", None, 41_002, 300),
)
NIGHT_SEED_OFFSET = 100


def normal_cases(day_minutes: float, seed_offset: int = 0) -> list[Case]:
    """Normal traffic on each scene: by day for ``day_minutes``, by night for half as long."""
    day = [
        replace(c, seed=c.seed + seed_offset, seconds=day_minutes * 60) for c in DAY_NORMAL_CASES
    ]
    night = [
        replace(c, seed=c.seed + NIGHT_SEED_OFFSET, lighting=Lighting.NIGHT, seconds=c.seconds / 2)
        for c in day
    ]
    return day + night


@dataclass(frozen=True, slots=True)
class IdPersistence:
    vehicles: int
    matched_frames: int
    frames_with_main_id: int
    visible_frames: int

    @property
    def share(self) -> float:
        """Of the frames where a vehicle was tracked, the share carrying its main id."""
        return self.frames_with_main_id / self.matched_frames if self.matched_frames else 0.0

    @property
    def coverage(self) -> float:
        """Of the frames where a vehicle was visible and big enough, the share tracked."""
        return self.matched_frames / self.visible_frames if self.visible_frames else 0.0


def id_persistence(
    case: Case,
    site: SiteConfig,
    model: BatchModel | None,
    min_height_px: float = 22.0,
) -> IdPersistence:
    """How well the live pipeline's tracks keep one id (simulator truth as the reference)."""
    simulator = simulator_for(case)
    pipeline = CameraPipeline(camera_for(site, case.scene), site)
    oracle = TruthDetector() if model is None else None
    detector: BatchModel = oracle or model  # type: ignore[assignment]
    seen: dict[int, list[int | None]] = {}
    for _ in range(int(case.seconds * ANALYSIS_FPS)):
        frame = simulator.next_frame()
        if oracle is not None:
            oracle.show(frame)
        tracked = pipeline.analyse(sim_frame_record(frame), detector).detections
        for obj in frame.truth.objects:
            x1, y1, x2, y2 = obj.box_xyxy
            if obj.class_name == "person" or obj.visible_fraction < 0.6 or y2 - y1 < min_height_px:
                continue
            best_id, best_iou = None, 0.5
            for i in range(len(tracked)):
                tx1, ty1, tx2, ty2 = (float(v) for v in tracked.xyxy[i])
                iou = box_iou(obj.box_xyxy, (tx1, ty1, tx2, ty2))
                if iou >= best_iou and tracked.tracker_id is not None:
                    best_id, best_iou = int(tracked.tracker_id[i]), iou
            seen.setdefault(obj.track_id, []).append(best_id)
    matched = main = visible = 0
    for ids in seen.values():
        visible += len(ids)
        hits = [i for i in ids if i is not None]
        matched += len(hits)
        if hits:
            main += max(hits.count(i) for i in set(hits))
    return IdPersistence(len(seen), matched, main, visible)
