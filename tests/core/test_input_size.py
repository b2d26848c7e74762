"""``image_size: auto`` picks the largest input the measured budget allows; a number is kept."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from console.config.site import AUTO_IMAGE_SIZES
from console.config.site_file import SiteConfig
from console.detect.detections import Detections
from console.pipeline.input_size import (
    POST_MODEL_MS,
    choose_size,
    cost_ms,
    detector_load,
    input_pixels,
    measure_costs,
    resolve_image_size,
)
from console.pipeline.region import detect_region

# Model times (ms per 1280x720 frame) of a fast and of a slow machine.
FAST = {480: 6.0, 640: 10.0, 800: 15.0}
MEDIUM = {480: 15.0, 640: 25.0, 800: 40.0}
SLOW = {480: 30.0, 640: 50.0, 800: 80.0}
CRAWLING = {480: 200.0, 640: 330.0, 800: 520.0}


class TimedModel:
    """Takes longer for larger inputs; counts its calls."""

    names = {2: "car"}

    def __init__(self) -> None:
        self.sizes: list[int | None] = []

    def predict(
        self,
        images: list[np.ndarray],
        confidence: float = 0.25,
        classes: list[int] | None = None,
        image_size: int | None = None,
    ) -> list[Detections]:
        self.sizes.append(image_size)
        return [Detections.empty() for _ in images]


def with_cameras(site: SiteConfig, count: int, detect_fps: float = 5.0) -> SiteConfig:
    cameras = [
        site.cameras[i % len(site.cameras)].model_copy(
            update={"id": f"cam{i}", "detect_fps": detect_fps, "image_size": None}
        )
        for i in range(count)
    ]
    return site.model_copy(update={"cameras": cameras})


def test_the_demo_site_chooses_its_size(demo_site: SiteConfig) -> None:
    assert demo_site.model.image_size == "auto"
    assert demo_site.model.explicit_image_size is None
    assert demo_site.model.nominal_image_size == max(AUTO_IMAGE_SIZES) == 800


def test_auto_takes_the_largest_size_that_fits_and_smaller_ones_for_more_cameras(
    demo_site: SiteConfig,
) -> None:
    few = with_cameras(demo_site, 2)
    assert choose_size(few.cameras, FAST).size == 800

    chosen = [choose_size(with_cameras(demo_site, n).cameras, FAST) for n in (2, 6, 8)]
    sizes = [choice.size for choice in chosen]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] > sizes[-1]
    for choice in chosen:
        if choice.fits:
            assert choice.load[choice.size] <= 0.7
            larger = [s for s in choice.load if s > choice.size]
            assert all(choice.load[s] > 0.7 for s in larger)


def test_a_slower_model_gets_a_smaller_size(demo_site: SiteConfig) -> None:
    site = with_cameras(demo_site, 4)
    fast, slow = choose_size(site.cameras, FAST), choose_size(site.cameras, SLOW)
    assert fast.size > slow.size


def test_when_nothing_fits_the_smallest_is_taken_and_the_line_says_so(
    demo_site: SiteConfig, caplog: pytest.LogCaptureFixture
) -> None:
    site = with_cameras(demo_site, 10)
    with caplog.at_level(logging.INFO):
        choice = resolve_image_size(site.model, site.cameras, TimedModel(), measured=CRAWLING)
    assert choice.size == 480 and not choice.fits and not choice.floors_fit
    assert choice.text.startswith("detector input: auto -> 480 px (measured 520 ms at 800")
    assert "below their detect_fps" in choice.text
    assert any(r.levelno == logging.WARNING and "auto -> 480" in r.message for r in caplog.records)


def test_when_the_targets_fit_at_no_size_the_largest_that_gives_every_floor_is_taken(
    demo_site: SiteConfig, caplog: pytest.LogCaptureFixture
) -> None:
    # Ten cameras at 5 fps fit at no size on the slow machine; at their floors (2 fps for
    # the cameras with speeding or lane rules, 1 fps for the others) they fit at a larger
    # size than the smallest: a larger input finds far road users the smaller one misses.
    site = with_cameras(demo_site, 10)
    with caplog.at_level(logging.INFO):
        choice = resolve_image_size(site.model, site.cameras, TimedModel(), measured=MEDIUM)
    assert not choice.fits and choice.floors_fit
    assert choice.size > 480
    assert choice.floor_load[choice.size] <= 0.7
    assert all(choice.floor_load[s] > 0.7 for s in choice.floor_load if s > choice.size)
    assert "sized so that each gets the rate its rules need" in choice.text
    assert not any(r.levelno >= logging.WARNING for r in caplog.records)
    # With the cameras decoding, the floors may still not fit: the worker steps down, and
    # the line says from what and why.
    stepped = choice.stepped_down(480)
    assert stepped.size == 480 and stepped.chosen_at_start == choice.size
    assert f"auto -> 480 px (chosen {choice.size} px at start" in stepped.text
    assert "stepped down" in stepped.text
    assert stepped.stepped_down(320).chosen_at_start == choice.size


def test_an_explicit_size_is_honoured_without_measuring(demo_site: SiteConfig) -> None:
    settings = demo_site.model.model_copy(update={"image_size": 640})
    model = TimedModel()
    choice = resolve_image_size(settings, with_cameras(demo_site, 50).cameras, model)
    assert choice.size == 640 and not choice.auto and model.sizes == []
    assert choice.text == "detector input: 640 px (set in the site file)"


def test_a_fixed_size_export_keeps_its_size(demo_site: SiteConfig) -> None:
    model = TimedModel()
    choice = resolve_image_size(demo_site.model, demo_site.cameras, model, fixed_size=640)
    assert choice.size == 640 and choice.fixed and model.sizes == []


def test_the_plan_counts_each_camera_at_its_own_size_and_region(demo_site: SiteConfig) -> None:
    highway = next(c for c in demo_site.cameras if c.streams.main.startswith("sim://highway"))
    region = detect_region(highway, 1280, 720)
    assert region is not None
    # the crop at its scaled size costs less than the frame at the model's size
    assert input_pixels(highway, 800) < 800 * 480
    assert input_pixels(highway.model_copy(update={"detect_region": "full"}), 800) == 800 * 480
    # a camera's own size does not follow the model's
    own = highway.model_copy(update={"image_size": 640, "detect_region": "full"})
    assert input_pixels(own, 480) == input_pixels(own, 800) == 640 * 384
    # costs are linear in pixels between the measured sizes
    assert cost_ms(800 * 480, FAST) == pytest.approx(15.0)
    assert 10.0 < cost_ms(704 * 416, FAST) < 15.0
    load = detector_load([own], 800, FAST)
    assert load == pytest.approx(own.detect_fps * (10.0 + POST_MODEL_MS) / 1000.0)


def test_measuring_times_each_size_and_never_finds_a_larger_one_cheaper() -> None:
    model = TimedModel()
    costs = measure_costs(model, (800, 480, 640), runs=2)
    assert sorted(costs) == [480, 640, 800]
    assert costs[480] <= costs[640] <= costs[800]
    assert sorted(set(model.sizes)) == [480, 640, 800] and len(model.sizes) == 9
