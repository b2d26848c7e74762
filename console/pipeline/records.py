"""The typed records one camera's pipeline takes and gives."""

from __future__ import annotations

from dataclasses import dataclass

from console.detect.detections import Detections
from console.domain.records import Alert, Event
from console.rules.area_rules import CountRecord
from console.sources.base import Frame


@dataclass(frozen=True, slots=True)
class RaisedAlert:
    """An alert the policy let through, with what its evidence needs from the tracker."""

    alert: Alert
    track_path: tuple[tuple[float, float], ...] = ()  # the track's ground points, oldest first
    # The track's boxes with their frame times (epoch s), oldest first: where the plate
    # reader looks for the vehicle in the evidence frames.
    track_boxes: tuple[tuple[float, tuple[float, float, float, float]], ...] = ()


@dataclass(frozen=True, slots=True)
class AnalysisResult:
    """One analysed frame of one camera: boxes, and what the rules and policy made of them."""

    camera_id: str
    frame: Frame
    detections: Detections  # tracked: every row has a tracker_id
    inference_ms: float
    latency_ms: float  # from the frame leaving the decoder to this result
    from_motion_gate: bool  # True when the model was skipped and the last boxes were kept
    raw_detections: Detections | None = None  # before tracking: every box the model saw
    events: tuple[Event, ...] = ()
    raised: tuple[RaisedAlert, ...] = ()
    counts: tuple[CountRecord, ...] = ()

    @property
    def alerts(self) -> tuple[Alert, ...]:
        return tuple(raised.alert for raised in self.raised)
