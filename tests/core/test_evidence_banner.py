"""The evidence banner: every field readable (read back by OCR) at 320, 1280 and 3840 px."""

from __future__ import annotations

import dataclasses
import unicodedata
from datetime import UTC, datetime
from difflib import SequenceMatcher
from functools import cache
from pathlib import Path

import cv2
import numpy as np
import pytest

from console.config.site import Camera
from console.domain.plates import PlateColour, PlateRead
from console.domain.records import Alert, AlertType, Event, Severity
from console.domain.text import fold_diacritics
from console.evidence import banner
from console.evidence.banner import (
    MIN_FONT_PX,
    add_banner,
    font_px_for,
    layout,
    render_strip,
    with_strip,
)
from console.evidence.record import violation_text
from console.evidence.writer import EvidenceFiles, EvidenceRequest, EvidenceWriter
from console.sim import SimConfig, Simulator
from console.sources.base import Frame
from tests.conftest import load_demo_site

SIZES = [(320, 240), (1280, 720), (3840, 2160)]
# 2026-12-05 07:03:07 UTC is 14:03:07 in Bắc Ninh (UTC+7)
MOMENT = datetime(2026, 12, 5, 7, 3, 7, tzinfo=UTC)
UNIT = "Phòng CSGT Công an tỉnh Bắc Ninh"
MESSAGE = "vehicle stopped in the zone"


@cache
def ocr() -> object:
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def squeeze(text: str) -> str:
    """OCR text compared without case, diacritics, spaces or full-width forms."""
    return "".join(fold_diacritics(unicodedata.normalize("NFKC", text)).split())


def read_back(image: np.ndarray) -> str:
    result, _ = ocr()(image)  # type: ignore[operator]
    return " ".join(text for _box, text, _score in result or [])


def similarity_somewhere(expected: str, haystack: str) -> float:
    """The best match of ``expected`` against any stretch of ``haystack`` of about its length."""
    n = len(expected)
    best = 0.0
    for length in (n - 1, n, n + 1, n + 2):
        for start in range(max(1, len(haystack) - length + 1)):
            window = haystack[start : start + length]
            best = max(best, SequenceMatcher(None, expected, window).ratio())
    return best


def demo_camera() -> Camera:
    camera = load_demo_site().cameras[0]
    return camera.model_copy(
        update={"name": "Cầu Đình Bảng", "km": 125.3, "area": "Từ Sơn", "device_id": "HK-7731"}
    )


def simulated_frame(width: int, height: int) -> tuple[Frame, tuple[float, float, float, float]]:
    simulator = Simulator(SimConfig(width=width, height=height, seed=3))
    for _ in range(20):
        shot = simulator.next_frame()
    vehicle = max(
        (o for o in shot.truth.objects if o.class_name != "person"),
        key=lambda o: (o.box_xyxy[2] - o.box_xyxy[0]) * (o.box_xyxy[3] - o.box_xyxy[1]),
    )
    frame = Frame(shot.image, 20, 100.0, MOMENT.timestamp())
    return frame, vehicle.box_xyxy


def evidence_request(
    width: int, height: int, plate: PlateRead | None, language: str = "vi"
) -> EvidenceRequest:
    frame, box = simulated_frame(width, height)
    camera = demo_camera()
    event = Event(
        AlertType.STOPPED_VEHICLE,
        camera.id,
        MOMENT,
        MOMENT,
        Severity.HIGH,
        track_id=7,
        class_name="truck",
        box_xyxy=box,
        rule_id="stopped",
        message=MESSAGE,
    )
    return EvidenceRequest(
        Alert(event=event, priority=Severity.HIGH, plate=plate),
        camera,
        "Quốc lộ 1",
        "Asia/Ho_Chi_Minh",
        frame,
        box,
        [],
        None,
        "yolo11n",
        violation_text(event.type, MESSAGE, language),  # type: ignore[arg-type]
        unit=UNIT,
        language=language,  # type: ignore[arg-type]
    )


def stored_snapshot(request: EvidenceRequest, folder: Path) -> np.ndarray:
    """The snapshot as the evidence writer stores it (JPEG), decoded."""
    refs = EvidenceWriter(EvidenceFiles(folder)).write(request)
    snapshot = next(ref for ref in refs if ref.kind == "snapshot")
    image = cv2.imread(snapshot.path)
    assert image is not None
    return image


@pytest.mark.slow
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_field_of_the_snapshot_banner_reads_back_by_ocr(
    width: int, height: int, tmp_path: Path
) -> None:
    plate = PlateRead("30E-123.45", PlateColour.WHITE, 0.91, 1, True)
    request = evidence_request(width, height, plate)
    snapshot = stored_snapshot(request, tmp_path)
    cv2.imwrite(str(tmp_path / f"banner-{width}.png"), snapshot)
    assert snapshot.shape[1] == width and snapshot.shape[0] > height  # a strip below
    text = squeeze(read_back(snapshot))
    camera = request.camera
    exact = {
        "camera id": camera.id,
        "route": "QL1",
        "km": "Km125+300",
        "date and time to the second with offset": "2026-12-05 14:03:07 +07:00",
        "plate": "30E-123.45",
        "violation": MESSAGE,
        "device id": "HK-7731",
    }
    for field, value in exact.items():
        assert squeeze(value) in text, f"{field} {value!r} not read back at {width} px: {text}"
    # Vietnamese words: the OCR model reads Latin letters; its diacritics are a best effort.
    near = {
        "camera name": camera.name,
        "area": "Từ Sơn",
        "violation name": "Xe dừng đỗ",
        "vehicle type": "xe tải",
        "plate colour": "nền trắng",
        "unit": UNIT,
    }
    for field, value in near.items():
        score = similarity_somewhere(squeeze(value), text)
        assert score >= 0.75, f"{field} {value!r} not read back at {width} px ({score:.2f})"


@pytest.mark.slow
def test_a_vehicle_without_a_plate_says_so_in_english(tmp_path: Path) -> None:
    request = evidence_request(320, 240, None, language="en")
    text = squeeze(read_back(stored_snapshot(request, tmp_path)))
    for value in ("Plate: not read", "Violation: Stopped vehicle", "2026-12-05 14:03:07 +07:00"):
        assert squeeze(value) in text, f"{value!r} not read back: {text}"


def test_the_picture_is_not_covered() -> None:
    request = evidence_request(320, 240, None)
    from console.evidence.writer import annotate

    snapshot = annotate(request)
    original = request.frame.image
    assert snapshot.shape[0] > original.shape[0]
    top = slice(0, 40)  # where the old banner covered the scene: sky, no overlays
    assert np.array_equal(snapshot[top], original[top])


def test_type_scales_with_the_width_but_never_below_the_minimum() -> None:
    assert font_px_for(320) == MIN_FONT_PX
    assert font_px_for(3840) > font_px_for(1280) > MIN_FONT_PX
    assert render_strip(["x"], 3840).shape[0] > render_strip(["x"], 1280).shape[0]


def test_long_fields_wrap_onto_more_lines_and_lose_no_word() -> None:
    font, _ = banner._font(MIN_FONT_PX)
    fields = [
        f"Vi phạm: {violation_text(AlertType.SPEEDING, '92 km/h where 60 km/h is allowed', 'vi')}",
        "Đơn vị: " + UNIT,
        "Camera: " + "x" * 80,  # one word wider than the line
    ]
    lines = layout(fields, font, 300)
    assert len(lines) > len(fields)
    assert all(font.getlength(line) <= 300 for line in lines)
    printed = "".join("".join(lines).split())
    assert printed == "".join("".join(fields).split())


def test_short_fields_share_a_line_on_a_wide_image() -> None:
    font, _ = banner._font(font_px_for(1280))
    assert len(layout(["Camera: c1", "Time: 2026-12-05 14:03:07 +07:00"], font, 1260)) == 1


def test_strip_width_must_match_the_image() -> None:
    with pytest.raises(ValueError, match="render the strip at the image's width"):
        with_strip(np.zeros((10, 20, 3), np.uint8), np.zeros((4, 30, 3), np.uint8))


def test_strip_height_is_even_for_video_encoders() -> None:
    for width in (320, 333, 1280, 1921):
        assert render_strip(["Camera: c1", "Thời gian: 2026"], width).shape[0] % 2 == 0


def test_a_missing_font_still_prints_every_field_without_diacritics(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(banner, "FONT_FILE", Path("/nonexistent/font.ttf"))
    banner._font.cache_clear()
    try:
        image = add_banner(np.full((240, 320, 3), 90, np.uint8), ["Đơn vị: Phòng CSGT"])
    finally:
        monkeypatch.undo()
        banner._font.cache_clear()
    assert image.shape[0] > 240
    assert (image[240:] > 200).any()  # text was printed
    assert "printed without diacritics" in caplog.text


def test_the_clip_frames_carry_camera_their_own_time_and_violation(tmp_path: Path) -> None:
    from console.sources.buffers import FrameRing

    request = evidence_request(320, 240, None)
    ring = FrameRing(seconds=20, max_bytes=10**9, fps=0)
    for i in range(30):  # 3 s at 10 fps, ending at the alert (14:03:04.1 to 14:03:07.0)
        back = (29 - i) / 10
        ring.add(
            dataclasses.replace(
                request.frame,
                index=i,
                captured_mono=request.frame.captured_mono - back,
                captured_epoch=MOMENT.timestamp() - back,
            )
        )
    request = dataclasses.replace(request, ring=ring)
    refs = EvidenceWriter(EvidenceFiles(tmp_path), after_s=0.0).write(request)
    clip = cv2.VideoCapture(next(ref.path for ref in refs if ref.kind == "clip"))
    frames = []
    while (read := clip.read())[0]:
        frames.append(read[1])
    clip.release()
    assert len(frames) == 30
    assert {frame.shape for frame in frames} == {frames[0].shape}
    assert frames[0].shape[0] > 240
    for frame, second in ((frames[0], "04"), (frames[-1], "07")):
        text = squeeze(read_back(frame))
        for value in (request.camera.id, f"2026-12-05 14:03:{second} +07:00", MESSAGE):
            assert squeeze(value) in text, f"{value!r} not on the clip frame: {text}"
