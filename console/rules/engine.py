"""One camera's rules: analysis results in, events and counts out."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from console.config import geometry as cfg
from console.config.site import Camera
from console.detect.detections import Detections
from console.domain.geometry import GroundPlane
from console.domain.health import CameraHealth, StreamState
from console.domain.records import AlertType, Event, Severity, frozen_values, utc_from_epoch
from console.rules.area_rules import (
    CameraViewRule,
    CongestionRule,
    CountRecord,
    LineCounter,
    PedestrianRule,
)
from console.rules.base import FrameContext, Rule
from console.rules.signal import RedLightRule
from console.rules.tracks import TrackBook
from console.rules.vehicle_rules import (
    LaneViolationRule,
    SpeedingRule,
    StoppedVehicleRule,
    WrongWayRule,
)

log = logging.getLogger(__name__)

RULE_CLASSES: dict[str, type[Rule[Any]]] = {
    "wrong_way": WrongWayRule,
    "stopped_vehicle": StoppedVehicleRule,
    "speeding": SpeedingRule,
    "lane_violation": LaneViolationRule,
    "red_light": RedLightRule,
    "pedestrian": PedestrianRule,
    "congestion": CongestionRule,
    "camera_health": CameraViewRule,
}
DOWN_STATES = frozenset({StreamState.OFFLINE, StreamState.ERROR, StreamState.STALLED})


@dataclass(frozen=True, slots=True)
class RuleOutput:
    events: list[Event] = field(default_factory=list)
    counts: list[CountRecord] = field(default_factory=list)


def rules_min_rate_fps(camera: Camera) -> float:
    """The lowest analysis rate at which every rule of ``camera`` works."""
    return max(
        (
            RULE_CLASSES[config.type].min_rate_fps(camera)
            for config in camera.rules
            if not isinstance(config, cfg.LineCountRule)
        ),
        default=Rule.MIN_RATE_FPS,
    )


class RuleEngine:
    """Built lazily on the first frame, when the image size is known."""

    def __init__(
        self,
        camera: Camera,
        timezone: str,
        health_grace_s: float = 10.0,
        frame_size: tuple[int, int] | None = None,
    ) -> None:
        self.camera = camera
        self.timezone = timezone
        self.health_grace_s = health_grace_s
        self.size: tuple[int, int] | None = None
        self.rules: list[Rule[Any]] = []
        self.counters: list[LineCounter] = []
        self.tracks = TrackBook(None)
        self.ground: GroundPlane | None = None
        self._down_since: float | None = None
        self._down_reported = False
        if frame_size is not None:
            self._build(*frame_size)

    def _build(self, width: int, height: int) -> None:
        self.size = (width, height)
        if self.camera.calibration is not None:
            self.ground = GroundPlane(self.camera.calibration, width, height)
        self.tracks = TrackBook(self.ground)
        self.rules = []
        self.counters = []
        for config in self.camera.rules:
            if isinstance(config, cfg.LineCountRule):
                self.counters.append(LineCounter(config, self.camera, width, height))
                continue
            rule_class = RULE_CLASSES[config.type]
            self.rules.append(
                rule_class(config, self.camera, self.timezone, width, height, self.ground)
            )

    def prepare(self, width: int, height: int) -> None:
        """Build the rules and the road plane for frames of this size (once per size)."""
        if self.size != (width, height):
            self._build(width, height)

    @property
    def min_rate_fps(self) -> float:
        """The lowest analysis rate at which every rule of the camera works."""
        return rules_min_rate_fps(self.camera)

    def rule(self, rule_type: str) -> Rule[Any]:
        return next(r for r in self.rules if getattr(r.config, "type", None) == rule_type)

    def priority_of(self, event: Event) -> str | None:
        """The priority the site file gives the rule that raised ``event``, if any."""
        rule = next((r for r in self.rules if r.rule_id == event.rule_id), None)
        return rule.config.priority if rule is not None else None

    def process_detections(
        self,
        detections: Detections,
        time_s: float,
        image: np.ndarray | None,
        width: int,
        height: int,
        raw: Detections | None = None,
        first_sightings: Sequence[tuple[float, Detections]] = (),
    ) -> RuleOutput:
        """Events and counts for one frame's tracked boxes (``raw``: before tracking).

        ``first_sightings``: the earlier first boxes of tracks the tracker confirmed now.
        """
        self.prepare(width, height)
        tracks = self.tracks.update(detections, time_s, width, height, first_sightings)
        context = FrameContext(
            self.camera, time_s, image, width, height, detections, tracks, self.ground, raw
        )
        output = RuleOutput()
        for rule in self.rules:
            if not rule.active_at(time_s):
                continue
            try:
                output.events.extend(rule.evaluate(context))
            except Exception:  # one broken rule must not silence the others
                log.exception("rule %s failed on camera %s", rule.rule_id, self.camera.id)
        for counter in self.counters:
            output.counts.extend(counter.update(tracks))
        if gone := self.tracks.take_forgotten():
            for rule in self.rules:
                rule.forget(gone)
            for counter in self.counters:
                counter.forget(gone)
        return output

    def on_health(self, health: CameraHealth, now_s: float) -> Event | None:
        """A camera down for longer than the grace period raises one camera-health event."""
        if health.state in DOWN_STATES:
            if self._down_since is None:
                self._down_since = now_s
            if not self._down_reported and now_s - self._down_since >= self.health_grace_s:
                self._down_reported = True
                return Event(
                    type=AlertType.CAMERA_HEALTH,
                    camera_id=self.camera.id,
                    started_at=utc_from_epoch(self._down_since),
                    ended_at=utc_from_epoch(now_s),
                    severity=Severity.MEDIUM,
                    values=frozen_values({"state": health.state.value, "reason": health.reason}),
                    rule_id=f"{self.camera.id}:offline",
                    message=f"camera {health.state.value}: {health.reason}",
                )
        elif health.state is StreamState.LIVE:
            self._down_since = None
            self._down_reported = False
        return None

    @property
    def camera_is_back(self) -> bool:
        return self._down_since is None
