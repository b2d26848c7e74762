"""The evidence record: vehicle type, plate and colour, violation, place, time, unit, device."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from console.config.site import Camera
from console.config.site_file import demo_site_path, load_site
from console.domain.plates import PlateColour, PlateRead, PlateSource
from console.domain.records import Alert, EvidenceRef
from console.evidence.case_export import CaseExporter
from console.evidence.case_verify import verify_package
from console.evidence.record import RECORD_FORMAT
from console.evidence.writer import EvidenceFiles, EvidenceWriter
from console.security.roles import Role, User
from console.security.site_key import load_or_create_site_key
from console.sources.buffers import FrameRing
from tests.core.test_evidence import frames, make_request

ROADWATCH = Path(sys.executable).with_name("roadwatch")
UNIT = "Phòng CSGT Công an tỉnh Bắc Ninh"
PLATE = PlateRead("30E-123.45", PlateColour.YELLOW, 0.874, 1, True, PlateSource.READER, 6)


def written_alert(
    folder: Path, plate: PlateRead | None = PLATE, device: str | None = None
) -> Alert:
    ring = FrameRing(seconds=20, max_bytes=10**9, fps=0)
    clip_frames = frames(20, 1000.0)
    for frame in clip_frames:
        ring.add(frame)
    request = make_request(ring, clip_frames[-1])
    camera = request.camera.model_copy(update={"device_id": device})
    request = type(request)(
        request.alert.evolve(plate=plate),
        camera,
        request.route_name,
        request.timezone,
        request.frame,
        request.box,
        request.track_path,
        request.ring,
        request.model_name,
        "Xe dừng đỗ – vehicle stopped in the zone",
        unit=UNIT,
    )
    refs = EvidenceWriter(EvidenceFiles(folder), after_s=0.0).write(request)
    return request.alert.evolve(evidence=refs)


def stored_metadata(alert: Alert) -> dict[str, Any]:
    ref = next(ref for ref in alert.evidence if ref.kind == "metadata")
    return json.loads(Path(ref.path).read_text(encoding="utf-8"))


def exported_metadata(alert: Alert, folder: Path) -> tuple[Path, dict[str, Any]]:
    key = load_or_create_site_key(folder / "key")
    out = folder / "case.zip"
    CaseExporter(key, "console-1", None).export(User("op", Role.OPERATOR), [alert], out)
    with zipfile.ZipFile(out) as archive:
        return out, json.loads(archive.read(f"alerts/{alert.id}/metadata.json"))


def assert_complete_record(record: dict[str, Any], plate: dict[str, Any] | None) -> None:
    assert record["vehicle"]["class"] == "truck"
    assert record["vehicle"]["plate"] == plate
    assert record["violation"]["type"] == "stopped_vehicle"
    assert record["violation"]["message"] == "stopped"
    place = record["place"]
    assert place["route"] == "QL1" and place["km_text"].startswith("Km")
    assert place["camera_id"] and place["device_id"]
    time = record["time"]
    assert time["started_utc"].endswith("+00:00")
    assert time["started_local"].endswith("+07:00") and time["utc_offset"] == "+07:00"
    assert time["timezone"] == "Asia/Ho_Chi_Minh"
    assert record["detecting_unit"] == UNIT


def test_the_writer_records_every_field_the_rules_ask_for(tmp_path: Path) -> None:
    alert = written_alert(tmp_path, device="SN-0042")
    record = stored_metadata(alert)
    assert record["record_format"] == RECORD_FORMAT
    plate = {
        "text": "30E-123.45",
        "key": "30E12345",
        "colour": "yellow",
        "confidence": 0.874,
        "source": "reader",
        "valid_format": True,
        "lines": 1,
        "frames_voted": 6,
    }
    assert_complete_record(record, plate)
    assert record["place"]["device_id"] == "SN-0042"
    assert record["time"]["printed"] in " ".join(record["banner"])
    assert any("30E-123.45" in line for line in record["banner"])
    assert any(UNIT in line for line in record["banner"])


def test_the_device_id_defaults_to_the_camera_id(tmp_path: Path) -> None:
    record = stored_metadata(written_alert(tmp_path, plate=None))
    assert record["place"]["device_id"] == record["place"]["camera_id"]
    assert record["vehicle"]["plate"] is None


def test_the_case_package_carries_the_record_and_verifies(tmp_path: Path) -> None:
    alert = written_alert(tmp_path / "evidence")
    package, record = exported_metadata(alert, tmp_path)
    assert_complete_record(record, stored_metadata(alert)["vehicle"]["plate"])
    assert "plate_at_capture" not in record["vehicle"]
    report = verify_package(package)
    assert report.ok, report.problems


def test_an_operators_correction_is_the_plate_and_the_read_one_is_kept(tmp_path: Path) -> None:
    alert = written_alert(tmp_path / "evidence")
    corrected = PlateRead("30E-128.45", PlateColour.YELLOW, 1.0, 1, True, PlateSource.OPERATOR)
    _package, record = exported_metadata(alert.evolve(plate=corrected), tmp_path)
    assert record["vehicle"]["plate"]["text"] == "30E-128.45"
    assert record["vehicle"]["plate"]["source"] == "operator"
    assert record["vehicle"]["plate_at_capture"]["text"] == "30E-123.45"


def test_an_old_record_without_the_new_fields_still_exports_and_verifies(tmp_path: Path) -> None:
    """Evidence written before record version 2: no plate, unit or device id in it."""
    alert = written_alert(tmp_path / "evidence", plate=None)
    old = stored_metadata(alert)
    for key in ("record_format", "detecting_unit", "banner"):
        del old[key]
    del old["place"]["device_id"], old["place"]["km_text"]
    del old["time"]["utc_offset"], old["time"]["printed"], old["time"]["ended_local"]
    del old["violation"]["type"], old["violation"]["text"]
    data = json.dumps(old, ensure_ascii=False, indent=2).encode()
    old_ref = EvidenceFiles(tmp_path / "evidence").put(data, "metadata", "json")
    refs = tuple(ref for ref in alert.evidence if ref.kind != "metadata") + (old_ref,)
    package, record = exported_metadata(alert.evolve(evidence=refs), tmp_path)
    assert record["record_format"] == "roadwatch-evidence-record/1"
    assert record["detecting_unit"] is None  # not recorded then: present, and null
    assert record["place"]["device_id"] is None
    assert record["vehicle"]["plate"] is None
    assert record["time"]["utc_offset"] == "+07:00"
    assert verify_package(package).ok
    result = subprocess.run(
        [str(ROADWATCH), "evidence", "verify", str(package)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0 and "VALID" in result.stdout, result.stderr


def test_a_changed_record_stops_the_export(tmp_path: Path) -> None:
    alert = written_alert(tmp_path / "evidence")
    ref: EvidenceRef = next(ref for ref in alert.evidence if ref.kind == "metadata")
    Path(ref.path).write_text(Path(ref.path).read_text().replace("30E-123.45", "30E-999.99"))
    assert hashlib.sha256(Path(ref.path).read_bytes()).hexdigest() != ref.sha256
    with pytest.raises(Exception, match="no longer matches its recorded SHA-256"):
        exported_metadata(alert, tmp_path)


def test_old_site_files_stay_valid_and_new_fields_are_checked(tmp_path: Path) -> None:
    site = load_site(demo_site_path())
    assert all(camera.device == camera.id for camera in site.cameras)
    camera = site.cameras[0].model_dump()
    with pytest.raises(ValidationError, match="device_id"):
        Camera.model_validate({**camera, "device_id": ""})
    assert Camera.model_validate({**camera, "device_id": "SN-1"}).device == "SN-1"


def write_site(folder: Path, site_extra: str, camera_extra: str) -> Path:
    demo = demo_site_path().read_text(encoding="utf-8")
    demo = re.sub(r"^  unit: .*\n", "", demo, count=1, flags=re.MULTILINE)  # the demo's own
    text = demo.replace("  language: vi\n", f"  language: vi\n{site_extra}", 1)
    first_camera = "  - id: "
    position = text.index(first_camera, text.index("\ncameras:"))
    end_of_line = text.index("\n", position) + 1
    text = text[:end_of_line] + camera_extra + text[end_of_line:]
    path = folder / "site.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def run_roadwatch(*args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [str(ROADWATCH), *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_check_config_accepts_the_unit_and_device_id_and_names_a_bad_one(tmp_path: Path) -> None:
    good = write_site(tmp_path, f"  unit: {UNIT}\n", "    device_id: HK-DS-2CD-0042\n")
    site = load_site(good)
    assert site.site.unit == UNIT and site.cameras[0].device == "HK-DS-2CD-0042"
    result = run_roadwatch("check-config", str(good))
    assert result.returncode == 0, result.stdout + result.stderr
    bad = write_site(tmp_path, f"  unit: {'x' * 201}\n", "    device_id: ''\n")
    result = run_roadwatch("check-config", str(bad))
    assert result.returncode == 1
    assert "device_id" in result.stderr + result.stdout
    assert "unit" in result.stderr + result.stdout
