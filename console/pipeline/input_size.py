"""``image_size: auto``: the largest detector input the measured budget allows.

A larger input finds smaller, farther road users and costs more per frame. With ``auto``
(the demo site's setting) the model's single-frame time is measured at start at each size
it may choose (``AUTO_IMAGE_SIZES``, no larger than a fixed-size export allows), and the
largest size is chosen at which the enabled cameras' analysis (each camera's
``detect_fps`` times the model time of its own input, on its region of interest, plus
``POST_MODEL_MS`` for the tracker, rules and policy) fills at most
``ABOVE_FLOOR_UTILISATION`` (70 %) of the one detector thread, what the budget plans above
the floors. When the targets fit at no size, the largest size is chosen at which every
camera still gets its floor (the budget's 1 fps, or the rate its rules need on it:
``Rule.min_rate_fps``): the rules work at those rates, and a larger input finds the far
pedestrian the smaller one misses (the demo's, at 70 m: found at 800 px and 2 fps, missed
at 640). Only when not even the floors fit is the smallest size taken. The detector budget
(console/pipeline/scheduler.py) then shares what there is. An explicit size in the site
file is honoured as it is.

This is the one place ``auto`` becomes a number: everything else reads ``YoloModel.image_size``
(an ``int``) or the camera's own ``image_size``.
"""

from __future__ import annotations

import logging
import math
import statistics
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from console.config.site import AUTO_IMAGE_SIZES, Camera, ModelSettings
from console.detect.model import BatchModel
from console.pipeline.region import detect_region
from console.pipeline.scheduler import ABOVE_FLOOR_UTILISATION, FLOOR_FPS, UTILISATION
from console.pipeline.tiles import plan_tiles
from console.rules.engine import rules_min_rate_fps

log = logging.getLogger(__name__)

# Tracker, rules, alert policy and motion gate per analysed frame, beside the model
# (CameraPipeline.step p50 7-10 ms with 64-69 tracks per frame, docs/BENCHMARKS.md).
POST_MODEL_MS = 12.0
# The frame the cost is planned for: cameras' frames are not known before they arrive.
PLAN_WIDTH, PLAN_HEIGHT = 1280, 720
MEASURE_RUNS = 5


@dataclass(frozen=True, slots=True)
class InputSizeChoice:
    """The detector input size a site runs at, and why."""

    size: int
    auto: bool
    costs_ms: Mapping[int, float]  # measured model time per frame, by candidate size
    load: Mapping[int, float]  # share of the detector thread the cameras need at each size
    fits: bool  # the cameras' target rates fit the detector at ``size``
    cameras: int = 0
    fixed: bool = False  # a fixed-size export: its size is the only choice
    # share of the detector thread the cameras need at each size at their floors
    floor_load: Mapping[int, float] = field(default_factory=dict)
    # the size chosen at start, when the worker stepped down from it with the cameras running
    chosen_at_start: int | None = None

    def stepped_down(self, size: int) -> InputSizeChoice:
        """This choice after the worker stepped down to ``size`` (console/pipeline/worker.py)."""
        return replace(self, size=size, chosen_at_start=self.chosen_at_start or self.size)

    @property
    def floors_fit(self) -> bool:
        """Every camera gets at least its floor rate at ``size``."""
        return self.fits or self.floor_load.get(self.size, 1.0) <= UTILISATION

    @property
    def text(self) -> str:
        """One line for the log, the analyze output and the health records."""
        if not self.auto:
            return f"detector input: {self.size} px (set in the site file)"
        if self.fixed:
            return f"detector input: auto -> {self.size} px (the model's fixed input size)"
        measured = ", ".join(
            f"{self.costs_ms[s]:.0f} ms at {s}" for s in sorted(self.costs_ms, reverse=True)
        )
        needs = ", ".join(f"{self.load[s]:.0%} at {s}" for s in sorted(self.load, reverse=True))
        text = (
            f"detector input: auto -> {self.size} px (measured {measured} per frame; "
            f"{self.cameras} cameras need {needs} of the detector, "
            f"{ABOVE_FLOOR_UTILISATION:.0%} available)"
        )
        if self.chosen_at_start is not None:
            return (
                f"detector input: auto -> {self.size} px (chosen {self.chosen_at_start} px at "
                f"start from the model's time alone ({measured} per frame); with the cameras "
                "running their minimum rates did not fit, so it stepped down)"
            )
        if not self.fits and self.floors_fit:
            text += (
                f"; their detect_fps fit at no size: sized so that each gets the rate its "
                f"rules need ({self.floor_load[self.size]:.0%} of the detector), and the "
                "detector budget shares the rest"
            )
        elif not self.fits:
            text += (
                "; even the smallest size does not fit: the cameras will be analysed "
                "below their detect_fps (the detector budget shares what there is)"
            )
        return text


def input_pixels(camera: Camera, model_size: int) -> int:
    """Pixels of the model input for one of ``camera``'s frames (at its region's size).

    With ``detect_tiles``, each tile's input is added (console/pipeline/tiles.py): a tile
    runs at the model's own size, so tiling a region multiplies its cost.
    """
    model_input = camera.image_size or model_size
    size = model_input
    region = detect_region(camera, PLAN_WIDTH, PLAN_HEIGHT)
    width, height = (
        (region.x1 - region.x0, region.y1 - region.y0) if region else (PLAN_WIDTH, PLAN_HEIGHT)
    )
    if region is not None:
        size = region.input_size(size)
    scale = size / max(width, height)
    # Ultralytics letterboxes a frame to a multiple of 32 on each side.
    pixels = _up32(width * scale) * _up32(height * scale)
    for tile in plan_tiles(camera.detect_tiles, width, height, model_input):
        tile_width, tile_height = tile.x1 - tile.x0, tile.y1 - tile.y0
        tile_scale = model_input / max(tile_width, tile_height)
        pixels += _up32(tile_width * tile_scale) * _up32(tile_height * tile_scale)
    return pixels


def cost_ms(pixels: float, measured: Mapping[int, float]) -> float:
    """Model time for an input of ``pixels``, from times measured on 16:9 frames by size.

    Linear in the input's pixels between the measured sizes, proportional beyond them.
    """
    points = sorted((_frame_pixels(size), ms) for size, ms in measured.items())
    if pixels <= points[0][0]:
        return points[0][1] * pixels / points[0][0]
    if pixels >= points[-1][0]:
        return points[-1][1] * pixels / points[-1][0]
    for (p0, c0), (p1, c1) in zip(points, points[1:], strict=False):
        if p0 <= pixels <= p1:
            return c0 + (c1 - c0) * (pixels - p0) / (p1 - p0)
    raise AssertionError("unreachable")


def floor_fps(camera: Camera) -> float:
    """The rate the detector budget never plans ``camera`` below (if it can help it)."""
    return min(camera.detect_fps, max(FLOOR_FPS, rules_min_rate_fps(camera)))


def detector_load(
    cameras: Iterable[Camera],
    model_size: int,
    measured: Mapping[int, float],
    rate: Callable[[Camera], float] = lambda camera: camera.detect_fps,
) -> float:
    """Share of the detector thread's time the cameras need at ``model_size``.

    Each camera at ``rate`` (by default its target, ``detect_fps``).
    """
    seconds = sum(
        rate(camera) * (cost_ms(input_pixels(camera, model_size), measured) + POST_MODEL_MS)
        for camera in cameras
    )
    return seconds / 1000.0


def choose_size(
    cameras: Sequence[Camera],
    measured: Mapping[int, float],
    utilisation: float = ABOVE_FLOOR_UTILISATION,
) -> InputSizeChoice:
    """The largest size the cameras' targets fit at; else their floors; else the smallest.

    Fit in ``utilisation`` of the detector: what the budget plans above the floors
    (console/pipeline/scheduler.py). The band up to ``UTILISATION``, where floors may still
    go, is the slack for the running cost: the model's time measured here, before any
    stream decodes, was 5-15 % below its time with 16 cameras decoding, and 16 cameras
    chosen at 800 px by an 85 % limit then stepped down to 640 after 15 s of missed floors
    (docs/DECISIONS.md 25).
    """
    enabled = [camera for camera in cameras if camera.enabled]
    load = {size: detector_load(enabled, size, measured) for size in measured}
    floor_load = {size: detector_load(enabled, size, measured, floor_fps) for size in measured}
    fitting = [size for size in measured if load[size] <= utilisation]
    at_floors = [size for size in measured if floor_load[size] <= utilisation]
    size = max(fitting or at_floors or [min(measured)])
    return InputSizeChoice(
        size, True, dict(measured), load, bool(fitting), len(enabled), floor_load=floor_load
    )


def measure_costs(
    model: BatchModel, sizes: Iterable[int], runs: int = MEASURE_RUNS
) -> dict[int, float]:
    """The model's time (ms) for one 1280x720 frame at each size.

    Sizes take turns (a neighbour's burst of load on a shared machine falls on all of them)
    and each gets the median of ``runs`` after a warm-up; a larger input is never taken to
    cost less than a smaller one (the measurement's noise, not the model).
    """
    frame = np.zeros((PLAN_HEIGHT, PLAN_WIDTH, 3), np.uint8)
    ordered = sorted(set(sizes))
    for size in ordered:
        model.predict([frame], image_size=size)  # a new size may build its shapes first
    times: dict[int, list[float]] = {size: [] for size in ordered}
    for _ in range(runs):
        for size in ordered:
            started = time.perf_counter()
            model.predict([frame], image_size=size)
            times[size].append((time.perf_counter() - started) * 1000.0)
    costs: dict[int, float] = {}
    floor = 0.0
    for size in ordered:
        floor = max(floor, statistics.median(times[size]))
        costs[size] = floor
    return costs


def resolve_image_size(
    settings: ModelSettings,
    cameras: Sequence[Camera],
    model: BatchModel,
    *,
    fixed_size: int | None = None,
    measured: Mapping[int, float] | None = None,
) -> InputSizeChoice:
    """The model's input size for this site: the one set, or what ``auto`` chooses.

    ``fixed_size``: the only size a fixed-size export runs at. ``measured``: model times by
    size, instead of measuring them (tests).
    """
    explicit = settings.explicit_image_size
    enabled = sum(camera.enabled for camera in cameras)
    if explicit is not None:
        return InputSizeChoice(explicit, False, {}, {}, True, enabled)
    if fixed_size is not None:
        return InputSizeChoice(fixed_size, True, {}, {}, True, enabled, fixed=True)
    if measured is None:
        started = time.perf_counter()
        measured = measure_costs(model, AUTO_IMAGE_SIZES)
        log.debug("model timed at %s px in %.1f s", AUTO_IMAGE_SIZES, time.perf_counter() - started)
    choice = choose_size(cameras, measured)
    (log.info if choice.floors_fit else log.warning)("%s", choice.text)
    return choice


def _up32(value: float) -> int:
    return max(32, math.ceil(value / 32 - 1e-9) * 32)


def _frame_pixels(size: int) -> int:
    """Input pixels of a 16:9 frame at ``size``."""
    return _up32(size) * _up32(size * PLAN_HEIGHT / PLAN_WIDTH)
