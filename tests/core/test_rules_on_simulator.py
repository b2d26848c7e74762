"""Tracker, geometry, rules and policy on every scripted incident, with the simulator's own
ground truth standing in for the detector (the model is tested in tests/integration)."""

from __future__ import annotations

import pytest

from console.accuracy import INCIDENT_CASES, CaseResult, run_case, speed_error
from console.config.site_file import SiteConfig
from console.domain.geometry import box_iou
from tests.conftest import load_demo_site

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def results() -> list[CaseResult]:
    site = load_demo_site()
    return [run_case(case, site, None) for case in INCIDENT_CASES]


def test_every_scripted_incident_raises_its_alert(results: list[CaseResult]) -> None:
    missed = [r.case.scenario for r in results if r.recall < 1.0]
    assert not missed
    assert {r.case.scenario for r in results} == {
        "wrong_way",
        "stopped_vehicle",
        "speeding",
        "red_light",
        "congestion",
        "pedestrian_on_road",
        "lane_violation",
    }


def test_no_false_alerts_around_the_incidents(results: list[CaseResult]) -> None:
    false = {
        r.case.scenario: [(a.type.value, a.event.message) for a in r.false_alerts]
        for r in results
        if r.false_alerts
    }
    assert not false


def test_speeder_speed_is_within_ten_percent(results: list[CaseResult]) -> None:
    [speeding] = [r for r in results if r.case.scenario == "speeding"]
    error = speed_error(speeding)
    assert error is not None and error < 0.10


def test_kept_tracks_follow_the_alerted_road_user(demo_site: SiteConfig) -> None:
    site = demo_site
    [case] = [c for c in INCIDENT_CASES if c.scenario == "speeding"]
    result = run_case(case, site, None, keep_tracks=True)
    assert run_case(case, site, None).tracks == {}  # only kept when asked for
    [alert] = result.matched.values()
    track = result.tracks[alert.event.track_id]
    assert len(track) >= 5 and all(b.class_name == "car" for b in track)
    speeders = {t for incident in result.incidents for t in incident.track_ids}
    for box in track:
        [truth] = [o for o in result.truth_near(box.time_s) if o.track_id in speeders]
        assert box_iou(box.box_xyxy, truth.box_xyxy) > 0.9
