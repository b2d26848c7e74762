"""What a rule sees each analysed frame, and what it must implement."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, time
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

import numpy as np

from console.config.geometry import Lane, RuleBase
from console.config.site import Camera
from console.detect.detections import Detections
from console.domain.geometry import DirectedLine, GroundPlane, PixelPolygon
from console.domain.records import AlertType, Event, Severity, Value, frozen_values, utc_from_epoch
from console.rules.tracks import TrackState

_PLACE_FIELDS = ("lane", "zone", "line", "stop_line")


@dataclass(frozen=True, slots=True)
class FrameContext:
    camera: Camera
    time_s: float  # epoch seconds of the frame
    image: np.ndarray | None
    width: int
    height: int
    detections: Detections
    tracks: list[TrackState]  # tracks present in this frame
    ground: GroundPlane | None
    raw_detections: Detections | None = None  # before tracking (new tracks not yet output)

    @property
    def all_detections(self) -> Detections:
        return self.raw_detections if self.raw_detections is not None else self.detections

    @property
    def at(self) -> datetime:
        return utc_from_epoch(self.time_s)


ConfigT = TypeVar("ConfigT", bound=RuleBase)


class Rule(Generic[ConfigT]):
    """A configured rule of one camera, for frames of one size.

    Subclasses set ``alert_type``, prepare their geometry in :meth:`setup` and implement
    :meth:`evaluate`.
    """

    alert_type: AlertType
    # Names of the attributes that hold something per track id (dicts or sets keyed by it):
    # dropped when the track is gone, or a console running for weeks would keep them all.
    PER_TRACK_STATE: tuple[str, ...] = ()
    # The lowest analysis rate the rule works at; the detector budget never plans a camera
    # below the highest of its rules' (console/pipeline/scheduler.py).
    MIN_RATE_FPS: float = 1.0

    @classmethod
    def min_rate_fps(cls, camera: Camera) -> float:
        """The lowest analysis rate the rule works at on ``camera``."""
        return cls.MIN_RATE_FPS

    def __init__(
        self,
        config: ConfigT,
        camera: Camera,
        timezone: str,
        width: int,
        height: int,
        ground: GroundPlane | None,
    ) -> None:
        self.config = config
        self.camera = camera
        self.width = width
        self.height = height
        self.ground = ground
        place = next(
            (str(getattr(config, f)) for f in _PLACE_FIELDS if getattr(config, f, None)), ""
        )
        self.rule_id = config.id or ":".join(
            part for part in (camera.id, str(getattr(config, "type", "rule")), place) if part
        )
        self._timezone = ZoneInfo(timezone)
        self._windows = [_parse_window(w) for w in config.schedule]
        self.setup()

    def setup(self) -> None:
        """Turn the normalized geometry into pixels (and metres); called once."""

    def zone_polygon(self, zone_id: str) -> PixelPolygon:
        zone = next(z for z in self.camera.zones if z.id == zone_id)
        return PixelPolygon.from_normalized(zone.polygon, self.width, self.height)

    def lane_config(self, lane_id: str) -> Lane:
        return next(lane for lane in self.camera.lanes if lane.id == lane_id)

    def directed_line(self, line_id: str) -> DirectedLine:
        line = next(item for item in self.camera.lines if item.id == line_id)
        return DirectedLine.from_normalized(line.points, self.width, self.height)

    def forget(self, track_ids: Collection[int]) -> None:
        """Drop what this rule kept about tracks that are gone."""
        for name in self.PER_TRACK_STATE:
            state = getattr(self, name)
            for track_id in track_ids:
                if isinstance(state, dict):
                    state.pop(track_id, None)
                else:
                    state.discard(track_id)

    def active_at(self, time_s: float) -> bool:
        if not self.config.enabled:
            return False
        if not self._windows:
            return True
        local = utc_from_epoch(time_s).astimezone(self._timezone).time()
        return any(_in_window(local, start, end) for start, end in self._windows)

    def applies_to(self, track: TrackState) -> bool:
        return track.class_name in self.config.classes

    def big_enough(self, track: TrackState, context: FrameContext) -> bool:
        """Near enough to judge, and not cut by the image edge."""
        x1, y1, x2, y2 = track.last.box
        return not track.last.at_border and (y2 - y1) >= self.config.min_box_height * context.height

    def evaluate(self, context: FrameContext) -> list[Event]:
        raise NotImplementedError

    def event(
        self,
        context: FrameContext,
        *,
        started_s: float,
        severity: Severity,
        track: TrackState | None = None,
        values: Mapping[str, Value] | None = None,
        message: str = "",
    ) -> Event:
        box = track.last.box if track is not None else None
        return Event(
            type=self.alert_type,
            camera_id=self.camera.id,
            started_at=utc_from_epoch(started_s),
            ended_at=context.at,
            severity=severity,
            track_id=track.track_id if track is not None else None,
            class_name=track.class_name if track is not None else None,
            box_xyxy=box,
            values=frozen_values(values),
            rule_id=self.rule_id,
            message=message,
        )


def _parse_window(text: str) -> tuple[time, time]:
    start, end = text.split("-")
    h1, m1 = (int(v) for v in start.split(":"))
    h2, m2 = (int(v) for v in end.split(":"))
    end_time = time(23, 59, 59) if h2 == 24 else time(h2, m2)
    return time(h1, m1), end_time


def _in_window(now: time, start: time, end: time) -> bool:
    if start <= end:
        return start <= now < end
    return now >= start or now < end  # a window across midnight, e.g. 22:00-05:00
