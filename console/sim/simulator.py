"""The simulator: a deterministic synthetic traffic camera with ground truth."""

from __future__ import annotations

import math

import cv2
import numpy as np

from console.sim.background import occluder_mask, render_background
from console.sim.camera import PinholeCamera
from console.sim.incidents import IncidentDirector
from console.sim.layout import SceneLayout, scene_layout
from console.sim.records import FrameTruth, IncidentTruth, SimConfig, SimFrame
from console.sim.render import ActorRenderer, SignalLamps
from console.sim.scenario import Scenario, load_scenario
from console.sim.traffic import Traffic
from console.sim.truth import build_objects

SHAKE_AT_720P_PX = 4.0
NOISE_BANK = 4


class Simulator:
    """Renders frames of one scene in order: ``next_frame()`` returns frame 0, 1, 2...

    The same ``SimConfig`` (seed included) always produces bit-identical frames and truth.
    """

    def __init__(self, config: SimConfig, scenario: Scenario | None = None) -> None:
        """``scenario`` is a scenario built in code (training data); a file goes in the config."""
        if scenario is not None and config.scenario is not None:
            raise ValueError("give the scenario either in the config or as an object, not both")
        self.config = config
        self.scenario: Scenario | None = (
            load_scenario(config.scenario) if config.scenario is not None else scenario
        )
        self.layout: SceneLayout = scene_layout(config.scene)
        if self.scenario is not None and self.scenario.scene != config.scene:
            raise ValueError(
                f"scenario {self.scenario.name!r} is written for the {self.scenario.scene} "
                f"scene, not {config.scene}"
            )
        self.margin_px = max(int(math.ceil(SHAKE_AT_720P_PX * config.height / 720.0)) + 1, 2)
        self.camera = PinholeCamera(self.layout.camera, config.width, config.height)
        padded = PinholeCamera(self.layout.camera, config.width, config.height, self.margin_px)
        self._background = render_background(
            self.layout, padded, config.lighting, config.rain, config.seed
        )
        self._occluder_mask = occluder_mask(self.layout, padded)
        density = config.traffic_density
        if self.scenario is not None and self.scenario.traffic_density is not None:
            density = self.scenario.traffic_density
        self._director = IncidentDirector(self.layout, self.scenario)
        self._traffic = Traffic(
            self.layout, config.seed, density, self._director, config.bicycle_share
        )
        self._actors = ActorRenderer(self.camera, config.lighting, self.layout.occluders)
        head = self.layout.signal_head_xyz_m
        self._signal = (
            SignalLamps(self.camera, head)
            if head is not None and self.layout.signal is not None
            else None
        )
        streams = np.random.SeedSequence([config.seed, 23]).spawn(2)
        self._weather_rng = np.random.default_rng(streams[0])
        shake_rng = np.random.default_rng(streams[1])
        self._shake_phase = shake_rng.uniform(0, 2 * math.pi, size=4)
        self._noise = self._noise_bank(np.random.default_rng([config.seed, 31]))
        self._index = 0

    @property
    def frame_index(self) -> int:
        """Index of the frame the next ``next_frame()`` call returns."""
        return self._index

    @property
    def incidents(self) -> tuple[IncidentTruth, ...]:
        """Every scripted incident with its real start/end time and track ids so far."""
        return self._director.truths()

    def next_frame(self) -> SimFrame:
        index = self._index
        fps = self.config.fps
        timestamp = index / fps
        if index > 0:
            self._traffic.step(1.0 / fps, end_time_s=timestamp)
        self._index += 1

        dx, dy = self._shake(timestamp)
        m = self.margin_px
        h, w = self.config.height, self.config.width
        scenery = self._background[m + dy : m + dy + h, m + dx : m + dx + w]
        image = scenery.copy()
        mask = (
            None
            if self._occluder_mask is None
            else self._occluder_mask[m + dy : m + dy + h, m + dx : m + dx + w]
        )
        boxes = self._actors.draw(image, self._traffic.actors, (dx, dy), scenery, mask)
        signal_state = remaining = None
        if self._signal is not None and self.layout.signal is not None:
            signal_state, remaining = self.layout.signal.state("main", timestamp)
            # the head hangs above every road user's sight line, so it is drawn last
            self._signal.draw(image, signal_state, remaining, (dx, dy))
        self._weather(image)
        if self.config.jpeg_quality is not None:
            ok, encoded = cv2.imencode(
                ".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, self.config.jpeg_quality]
            )
            decoded = cv2.imdecode(encoded, cv2.IMREAD_COLOR) if ok else None
            if decoded is not None:
                image = decoded
        layout = self.layout
        active = self._director.active_ids()
        remaining_s = None if remaining is None else round(remaining, 3)

        def truth() -> FrameTruth:
            return FrameTruth(
                objects=build_objects(layout, boxes, w, h),
                signal_state=signal_state,
                signal_remaining_s=remaining_s,
                active_incident_ids=active,
            )

        return SimFrame(index=index, timestamp_s=timestamp, image=image, truth_source=truth)

    def _shake(self, time_s: float) -> tuple[int, int]:
        amplitude = self.config.shake * (self.margin_px - 1)
        if amplitude <= 0:
            return 0, 0
        p = self._shake_phase
        # two incommensurate wobbles per axis: wind sway plus a faster pole vibration
        dx = 0.7 * math.sin(2.1 * time_s + p[0]) + 0.3 * math.sin(9.7 * time_s + p[1])
        dy = 0.7 * math.sin(1.7 * time_s + p[2]) + 0.3 * math.sin(11.3 * time_s + p[3])
        return int(round(dx * amplitude)), int(round(dy * amplitude))

    def _noise_bank(self, rng: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray]]:
        sigma = 10.0 * min(self.config.noise + 0.5 * self.config.rain, 1.5)
        if sigma <= 0:
            return []
        bank = []
        for _ in range(NOISE_BANK):
            noise = rng.normal(0.0, sigma, size=(self.config.height, self.config.width, 1))
            noise = np.repeat(noise, 3, axis=2)
            bank.append(
                (np.clip(noise, 0, 255).astype(np.uint8), np.clip(-noise, 0, 255).astype(np.uint8))
            )
        return bank

    def _weather(self, image: np.ndarray) -> None:
        rng = self._weather_rng
        if self.config.rain > 0:
            h, w = image.shape[:2]
            count = int(250 * self.config.rain * w * h / (1280 * 720))
            x = rng.uniform(0, w, count)
            y = rng.uniform(0, h, count)
            length = rng.uniform(8, 22, count) * h / 720
            slant = 0.18
            starts = np.stack([x, y], axis=1)
            ends = starts + np.stack([-slant * length, length], axis=1)
            lines = np.stack([starts, ends], axis=1).round().astype(np.int32)
            cv2.polylines(image, list(lines), False, (200, 200, 200), 1, cv2.LINE_AA)
        if self._noise:
            plus, minus = self._noise[int(rng.integers(len(self._noise)))]
            cv2.add(image, plus, dst=image)
            cv2.subtract(image, minus, dst=image)
