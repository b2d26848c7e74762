from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from console.config.site_file import ConfigError, demo_site_path, load_site, load_site_text

MINIMAL = """\
schema_version: 1
site:
  id: test-centre
  name: Trung tâm thử nghiệm
routes:
  - id: QL1
    name: Quốc lộ 1
    markers:
      - {km: 100, lat: 21.2, lon: 106.1}
      - {km: 150, lat: 21.0, lon: 105.9}
cameras:
  - id: cam-1
    name: QL1 Km120 - Cầu Như Nguyệt
    route: QL1
    km: 120
    lat: 21.2
    lon: 106.1
    streams:
      main: rtsp://admin:${CAM_PASSWORD}@10.0.0.5/stream
    zones:
      - id: shoulder
        kind: emergency_lane
        polygon: [[0.1, 0.5], [0.3, 0.5], [0.3, 0.9], [0.1, 0.9]]
    rules:
      - type: stopped_vehicle
        zone: shoulder
        dwell_s: 20
"""
ENV = {"CAM_PASSWORD": "s3cret-pass"}


def problems_of(text: str, environ: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_site_text(text, environ=ENV if environ is None else environ)
    return [p.describe() for p in caught.value.problems]


def test_minimal_site_loads_with_defaults() -> None:
    site = load_site_text(MINIMAL, environ=ENV)
    camera = site.camera("cam-1")
    assert site.site.timezone == "Asia/Ho_Chi_Minh"
    assert camera.detect_fps == 5.0
    assert camera.rules[0].type == "stopped_vehicle"
    assert camera.rules[0].dwell_s == 20
    # the secret stays a reference: the config never holds the password itself
    assert "${CAM_PASSWORD}" in camera.streams.main
    assert "s3cret-pass" not in site.model_dump_json()


def test_round_trip_through_dump_gives_the_same_config() -> None:
    site = load_site_text(MINIMAL, environ=ENV)
    again = type(site).model_validate(site.model_dump(mode="json"), context={"environ": ENV})
    assert again == site


def test_demo_site_is_valid_and_large_enough() -> None:
    site = load_site(demo_site_path(), environ={})
    assert len(site.cameras) >= 9
    assert {r.id for r in site.routes} >= {"QL1", "QL18"}
    assert all(c.streams.main.startswith("sim://") for c in site.cameras)
    assert any("Đ" in c.name or "ắ" in c.name for c in site.cameras)  # real Vietnamese names


def test_missing_field_names_field_and_line() -> None:
    text = MINIMAL.replace("    name: QL1 Km120 - Cầu Như Nguyệt\n", "")
    [problem] = problems_of(text)
    assert "cameras[0].name" in problem
    assert "required field 'name' is missing" in problem
    assert problem.startswith("line 12:")  # the camera's mapping starts on line 12


def test_wrong_type_shows_value_and_line() -> None:
    [problem] = problems_of(MINIMAL.replace("dwell_s: 20", "dwell_s: soon"))
    assert problem.startswith("line 27:")
    assert "cameras[0].rules[0].dwell_s" in problem
    assert "'soon'" in problem


def test_bad_geometry_is_explained() -> None:
    crossing = "[[0.1, 0.5], [0.3, 0.9], [0.3, 0.5], [0.1, 0.9]]"
    [problem] = problems_of(
        MINIMAL.replace("[[0.1, 0.5], [0.3, 0.5], [0.3, 0.9], [0.1, 0.9]]", crossing)
    )
    assert "cameras[0].zones[0]" in problem and "cross each other" in problem
    outside = MINIMAL.replace("[0.3, 0.9], [0.1, 0.9]]", "[1.3, 0.9], [0.1, 0.9]]")
    [problem] = problems_of(outside)
    assert "outside the frame" in problem and "zones[0].polygon[2]" in problem


def test_a_camera_may_ask_for_its_own_detector_input_size() -> None:
    far = MINIMAL.replace("    streams:\n", "    image_size: 800\n    streams:\n")
    assert load_site_text(far, environ=ENV).camera("cam-1").image_size == 800
    assert load_site_text(MINIMAL, environ=ENV).camera("cam-1").image_size is None
    [problem] = problems_of(far.replace("image_size: 800", "image_size: 810"))
    assert "cameras[0].image_size" in problem and "multiple of 32" in problem


def test_unknown_env_var_is_reported() -> None:
    [problem] = problems_of(MINIMAL, environ={})
    assert "cameras[0].streams.main" in problem
    assert "CAM_PASSWORD" in problem and "not set" in problem


def test_clear_text_password_is_refused() -> None:
    [problem] = problems_of(MINIMAL.replace("${CAM_PASSWORD}", "hunter22"))
    assert "clear text" in problem
    assert "hunter22" not in problem


def test_duplicate_camera_id_points_at_second_camera() -> None:
    camera = MINIMAL.split("cameras:\n", 1)[1]
    text = MINIMAL + camera.replace("  - id: cam-1", "  - id: cam-1", 1)
    [problem] = problems_of(text)
    assert "duplicate camera id 'cam-1'" in problem
    assert "cameras[1].id" in problem
    assert problem.startswith("line 28:")


def test_rule_referring_to_unknown_zone_suggests_the_right_one() -> None:
    [problem] = problems_of(MINIMAL.replace("zone: shoulder", "zone: shoulders"))
    assert "does not define" in problem and "did you mean 'shoulder'" in problem


def test_unknown_field_suggests_the_right_one() -> None:
    [problem] = problems_of(MINIMAL.replace("    km: 120\n", "    km: 120\n    detct_fps: 5\n"))
    assert "unknown field 'detct_fps'" in problem and "did you mean 'detect_fps'" in problem


def test_camera_outside_its_route_and_unknown_route() -> None:
    problems = problems_of(MINIMAL.replace("    km: 120\n", "    km: 180\n"))
    assert any("outside route QL1" in p for p in problems)
    problems = problems_of(MINIMAL.replace("    route: QL1\n", "    route: QL2\n"))
    assert any("unknown route 'QL2'" in p for p in problems)


def test_yaml_syntax_error_has_line() -> None:
    [problem] = problems_of(MINIMAL.replace("  name: Trung tâm thử nghiệm", "  name: [unclosed"))
    assert "not valid YAML" in problem
    assert problem.startswith("line ")


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_site(tmp_path / "absent.yaml")
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("site:\n  name: Tr\xe2m\n".encode("latin-1"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_site(latin1)
    huge = tmp_path / "huge.yaml"
    huge.write_text("site: " + "x" * (3 * 1024 * 1024))
    with pytest.raises(ConfigError, match="at most 2 MB"):
        load_site(huge)
    scalar = tmp_path / "scalar.yaml"
    scalar.write_text("just a string\n")
    with pytest.raises(ConfigError, match="YAML mapping"):
        load_site(scalar)


def test_all_problems_are_reported_at_once() -> None:
    text = MINIMAL.replace("dwell_s: 20", "dwell_s: -4").replace(
        "    lat: 21.2\n    lon", "    lat: 121.2\n    lon"
    )
    problems = problems_of(text)
    assert len(problems) == 2


def test_speeding_requires_calibration() -> None:
    text = textwrap.dedent(MINIMAL) + "      - type: speeding\n"
    [problem] = problems_of(text)
    assert "calibration" in problem
