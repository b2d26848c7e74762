"""Traffic-light state from the lamp's pixels, and the red-light rule that uses it."""

from __future__ import annotations

from enum import StrEnum

import cv2
import numpy as np

from console.config import geometry as cfg
from console.domain.geometry import PixelPolygon
from console.domain.records import AlertType, Event, Severity
from console.rules.base import FrameContext, Rule
from console.rules.tracks import VEHICLES


class Signal(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    UNKNOWN = "unknown"


# OpenCV hue runs 0..179.
_HUE_RANGES = {
    Signal.RED: ((0, 10), (165, 179)),
    Signal.AMBER: ((11, 34),),
    Signal.GREEN: ((40, 95),),
}


class SignalClassifier:
    """Which lamp is lit inside a region: the colour with the most bright, saturated pixels."""

    def __init__(self, polygon: PixelPolygon, min_pixels: int = 6) -> None:
        self.polygon = polygon
        x, y, w, h = cv2.boundingRect(np.round(polygon.points).astype(np.int32))
        self.box = (max(0, x), max(0, y), max(1, w), max(1, h))
        self.min_pixels = min_pixels

    def classify(self, image: np.ndarray) -> Signal:
        x, y, w, h = self.box
        roi = image[y : y + h, x : x + w]
        if roi.size == 0:
            return Signal.UNKNOWN
        hsv = cv2.cvtColor(roi, cv2.COLOR_BGR2HSV)
        lit = (hsv[..., 2] >= 150) & (hsv[..., 1] >= 90)
        hue = hsv[..., 0]
        counts = {
            signal: int(sum(np.count_nonzero(lit & (hue >= lo) & (hue <= hi)) for lo, hi in ranges))
            for signal, ranges in _HUE_RANGES.items()
        }
        best = max(counts, key=lambda s: counts[s])
        return best if counts[best] >= self.min_pixels else Signal.UNKNOWN


class RedLightRule(Rule[cfg.RedLightRule]):
    """A vehicle crossing the stop line forwards while the light is red.

    Vehicles that crossed on amber are not flagged; ``amber_grace_s`` also forgives the
    first moments of red. The signal comes from the lamp region of the image, or from an
    external controller feed through :meth:`set_external_signal`.
    """

    alert_type = AlertType.RED_LIGHT
    PER_TRACK_STATE = ("fired",)

    def setup(self) -> None:
        self.line = self.directed_line(self.config.stop_line)
        self.classifier = (
            SignalClassifier(self.zone_polygon(self.config.signal_zone))
            if self.config.signal_zone
            else None
        )
        self.external: Signal | None = None
        self.state = Signal.UNKNOWN
        self.state_since = 0.0
        self.fired: set[int] = set()

    def set_external_signal(self, signal: Signal) -> None:
        self.external = signal

    def _update_signal(self, context: FrameContext) -> None:
        if self.external is not None:
            observed = self.external
        elif self.classifier is not None and context.image is not None:
            observed = self.classifier.classify(context.image)
        else:
            observed = Signal.UNKNOWN
        if observed is not Signal.UNKNOWN and observed is not self.state:
            self.state = observed
            self.state_since = context.time_s

    def evaluate(self, context: FrameContext) -> list[Event]:
        self._update_signal(context)
        if self.state is not Signal.RED:
            return []
        red_for = context.time_s - self.state_since
        if red_for < self.config.amber_grace_s:
            return []
        events = []
        for track in context.tracks:
            if (
                track.class_name not in VEHICLES
                or track.track_id in self.fired
                or len(track.positions) < 2
            ):
                continue
            if not self.applies_to(track):
                continue
            before, now = track.positions[-2], track.positions[-1]
            if now.time_s - before.time_s > 2.0:
                continue  # a gap in the track: the crossing moment is unknown
            if self.line.crossing((before.x, before.y), (now.x, now.y)) > 0:
                self.fired.add(track.track_id)
                events.append(
                    self.event(
                        context,
                        started_s=now.time_s,
                        severity=Severity.MEDIUM,
                        track=track,
                        values={"signal": "red", "red_for_s": round(red_for, 1)},
                        message="vehicle crossed the stop line on red",
                    )
                )
        return events
