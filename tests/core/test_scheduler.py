"""The detector budget shares what the model can analyse fairly among the cameras."""

from __future__ import annotations

import pytest

from console.config.site_file import SiteConfig
from console.pipeline.camera import CameraPipeline
from console.pipeline.scheduler import CameraDemand, CostMeter, fair_shares, floor_fits


def test_everyone_gets_the_target_when_it_fits() -> None:
    shares = fair_shares([CameraDemand("a", 5), CameraDemand("b", 5)], capacity_fps=12)
    assert shares == {"a": 5, "b": 5}


def test_an_overloaded_detector_shares_equally_between_equal_cameras() -> None:
    demands = [CameraDemand(f"cam{i}", 5) for i in range(10)]
    shares = fair_shares(demands, capacity_fps=20)
    assert shares == pytest.approx({d.camera_id: 2.0 for d in demands})
    assert sum(shares.values()) == pytest.approx(20)


def test_rates_above_the_floors_fill_the_detector_less_than_the_floors_may() -> None:
    demands = [CameraDemand(f"cam{i}", 5) for i in range(10)]
    # 20 fps at 85 %, 16.5 at 70 %: the floors (10) fit, the shares on top stop at 16.5.
    shares = fair_shares(demands, capacity_fps=20, above_floors_fps=16.5)
    assert shares == pytest.approx({d.camera_id: 1.65 for d in demands})
    # Floors that need more than 70 % still get it, up to the whole capacity ...
    many = [CameraDemand(f"cam{i}", 5) for i in range(18)]
    assert fair_shares(many, capacity_fps=20, above_floors_fps=16.5) == pytest.approx(
        {d.camera_id: 1.0 for d in many}
    )
    # ... and beyond it they are scaled down alike, as without the limit.
    crowd = [CameraDemand(f"cam{i}", 5) for i in range(25)]
    assert fair_shares(crowd, capacity_fps=20, above_floors_fps=16.5) == pytest.approx(
        fair_shares(crowd, capacity_fps=20)
    )


def test_busy_and_maximised_cameras_get_more_never_above_their_target() -> None:
    demands = [
        CameraDemand("quiet-1", 5),
        CameraDemand("quiet-2", 5),
        CameraDemand("busy", 5, weight=2),
        CameraDemand("maximised", 5, weight=6),
    ]
    shares = fair_shares(demands, capacity_fps=14)
    assert shares["maximised"] == pytest.approx(5)  # capped at its target
    # Above the floor, the busy camera's share grows twice as fast as a quiet one's.
    assert shares["busy"] - 1 == pytest.approx(2 * (shares["quiet-1"] - 1))
    assert shares["quiet-1"] == shares["quiet-2"] > 1.0
    assert sum(shares.values()) == pytest.approx(14)


def test_when_the_floor_does_not_fit_every_camera_gets_the_same_fraction_of_it() -> None:
    demands = [CameraDemand(f"c{i}", 5) for i in range(25)]
    demands.append(CameraDemand("focus", 5, weight=3))
    shares = fair_shares(demands, capacity_fps=13)
    # 26 cameras at 1 fps do not fit 13: each gets half, and the plan still fits, so the
    # detector is not behind every camera all the time; the worker says the floor is missed.
    assert not floor_fits(demands, capacity_fps=13)
    assert shares == pytest.approx({d.camera_id: 0.5 for d in demands})
    assert sum(shares.values()) == pytest.approx(13)


def test_below_the_floor_a_camera_asking_less_keeps_its_proportion() -> None:
    demands = [CameraDemand("slow", 0.5), CameraDemand("a", 5), CameraDemand("b", 5)]
    shares = fair_shares(demands, capacity_fps=1.25)
    assert shares == pytest.approx({"slow": 0.25, "a": 0.5, "b": 0.5})
    assert floor_fits(demands, capacity_fps=2.5)


def test_a_camera_asking_less_than_the_floor_gets_what_it_asks() -> None:
    shares = fair_shares([CameraDemand("slow", 0.5), CameraDemand("fast", 5)], capacity_fps=3)
    assert shares == pytest.approx({"slow": 0.5, "fast": 2.5})


def test_a_camera_whose_rules_need_two_fps_is_never_planned_below_it() -> None:
    # e.g. a lane rule on an uncalibrated camera needs 2 fps (Rule.min_rate_fps).
    demands = [CameraDemand("speed", 5, min_fps=2.0)] + [CameraDemand(f"c{i}", 5) for i in range(6)]
    assert fair_shares(demands, capacity_fps=8) == pytest.approx(
        {"speed": 2.0} | {f"c{i}": 1.0 for i in range(6)}
    )
    # what is left above the floors is shared as usual
    assert fair_shares(demands, capacity_fps=15) == pytest.approx(
        {"speed": 3.0} | {f"c{i}": 2.0 for i in range(6)}
    )
    # too many cameras for the floors: each gets the same fraction of its own
    assert fair_shares(demands, capacity_fps=4) == pytest.approx(
        {"speed": 1.0} | {f"c{i}": 0.5 for i in range(6)}
    )
    # a camera asking for less than its rules' minimum gets what it asks
    assert fair_shares([CameraDemand("slow", 1.5, min_fps=2.0)], 10)["slow"] == 1.5


def test_the_camera_pipeline_reports_the_rate_its_rules_need(demo_site: SiteConfig) -> None:
    lanes = next(c for c in demo_site.cameras if any(r.type == "lane_violation" for r in c.rules))
    assert lanes.calibration is not None
    # calibrated: every rule works at 1 fps (tests/core/test_rules_at_rates.py)
    assert CameraPipeline(lanes, demo_site).min_rate_fps == 1.0
    # without the road plane a lane rule needs 2 fps to keep a motorbike on one track
    uncalibrated = lanes.model_copy(
        update={"calibration": None, "rules": [r for r in lanes.rules if r.type != "speeding"]}
    )
    assert CameraPipeline(uncalibrated, demo_site).min_rate_fps == 2.0
    plain = uncalibrated.model_copy(
        update={"rules": [r for r in uncalibrated.rules if r.type != "lane_violation"]}
    )
    assert CameraPipeline(plain, demo_site).min_rate_fps == 1.0


def test_the_cost_meter_turns_measured_seconds_into_a_capacity() -> None:
    meter = CostMeter(window=4)
    assert meter.capacity_fps() is None
    meter.add(0.2, 2)  # 100 ms a frame
    assert meter.capacity_fps(utilisation=1.0) == pytest.approx(10)
    meter.add(0.16, 1)  # the mean of the frames so far
    assert meter.seconds_per_frame == pytest.approx(0.12)
    meter.add(0.1, 1)
    meter.add(0.1, 1)  # the window holds the last four: 100, 160, 100, 100 ms
    assert meter.seconds_per_frame == pytest.approx(0.115)


def test_one_stall_does_not_halve_the_capacity() -> None:
    meter = CostMeter(window=64)
    for _ in range(64):
        meter.add(0.03, 1)
    meter.add(0.3, 1)  # one frame ten times slower (a garbage collection, a neighbour)
    assert meter.capacity_fps(utilisation=1.0) == pytest.approx(1 / 0.03, rel=0.05)
    for _ in range(64):  # a machine that got slower for good is followed
        meter.add(0.06, 1)
    assert meter.capacity_fps(utilisation=1.0) == pytest.approx(1 / 0.06)
