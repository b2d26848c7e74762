"""Alert lines in the operator's language, composed from the alert's type and values."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from console.domain.records import Alert, AlertType, Severity, frozen_values
from tests.core.test_store_support import T0, make_event
from ui.alert_text import alert_message
from ui.i18n import install_translator

CASES = [
    (AlertType.WRONG_WAY, {"distance_against_m": 19.5}, "Đi ngược chiều làn 20 m"),
    (AlertType.STOPPED_VEHICLE, {"stopped_s": 34.2}, "Xe dừng 34 giây"),
    (
        AlertType.SPEEDING,
        {"speed_kmh": 118.2, "limit_kmh": 100.0},
        "118 km/h, tốc độ cho phép 100 km/h",
    ),
    (AlertType.RED_LIGHT, {"signal": "red", "red_for_s": 1.2}, "khi đèn đỏ đã bật 1.2 giây"),
    (AlertType.LANE_VIOLATION, {"lane": "away-1", "class": "motorcycle"}, "(làn away-1)"),
    (AlertType.LANE_VIOLATION, {"lane": "away-1", "crossed": "solid line"}, "Đè vạch liền"),
    (AlertType.PEDESTRIAN, {"on_road_s": 4.0}, "Người đi bộ trên lòng đường 4.0 giây"),
    (
        AlertType.CONGESTION,
        {"occupancy": 0.42, "mean_speed_kmh": 12.0},
        "42 % mặt đường bị chiếm, tốc độ trung bình 12 km/h",
    ),
    (AlertType.CAMERA_HEALTH, {"state": "offline", "reason": "connection refused"}, "Camera "),
    (AlertType.CAMERA_HEALTH, {"changed_fraction": 0.8}, "Camera bị che hoặc bị xoay"),
]


def alert(kind: AlertType, values: dict[str, object], message: str = "core words") -> Alert:
    event = make_event(type=kind, values=frozen_values(values), message=message)
    return Alert(event=event, priority=Severity.HIGH, created_at=T0, updated_at=T0)


@pytest.fixture
def vietnamese(qapp: QApplication) -> Iterator[None]:
    install_translator(qapp, "vi")
    yield
    install_translator(qapp, "en")


@pytest.mark.parametrize(("kind", "values", "expected"), CASES)
def test_every_alert_type_reads_in_vietnamese(
    vietnamese: None, kind: AlertType, values: dict[str, object], expected: str
) -> None:
    text = alert_message(alert(kind, values))
    assert expected in text and "core words" not in text


def test_english_is_composed_too_and_a_foreign_event_keeps_the_core_words(
    qapp: QApplication,
) -> None:
    install_translator(qapp, "en")
    speeding = alert(AlertType.SPEEDING, {"speed_kmh": 118.2, "limit_kmh": 100.0})
    assert alert_message(speeding) == "118 km/h where 100 km/h is allowed"
    odd = alert(AlertType.SPEEDING, {"speed": "fast"}, message="202 km/h (older console)")
    assert alert_message(odd) == "202 km/h (older console)"


def test_camera_failure_reasons_are_translated_keeping_names_and_numbers(
    vietnamese: None,
) -> None:
    from ui.reason_text import reason_text

    assert reason_text("connection refused by 10.1.2.3:554 (nothing listens there)") == (
        "10.1.2.3:554 từ chối kết nối (không có dịch vụ nào nghe ở đó)"
    )
    assert reason_text("no frames for 8 s") == "không có hình trong 8 giây"
    assert reason_text("401 Unauthorized: wrong user name or password").endswith("mật khẩu")
    assert reason_text("something new from a later version") == (
        "something new from a later version"
    )
    health = alert(AlertType.CAMERA_HEALTH, {"state": "offline", "reason": "the stream ended"})
    assert alert_message(health) == "Camera mất kết nối: luồng đã kết thúc"


def test_the_core_s_own_failure_sentences_are_the_ones_translated(
    vietnamese: None, tmp_path: Path
) -> None:
    from console.sources.base import SourceError
    from console.sources.opencv_source import OpenCvSource
    from console.sources.probe import probe_network_url
    from ui.reason_text import reason_text

    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    reasons = [
        probe_network_url("rtsp://127.0.0.1:9/stream", timeout_s=1).detail,  # closed port
        probe_network_url("rtsp://no-such-host.invalid/stream", timeout_s=1).detail,
    ]
    for url in (str(empty), str(tmp_path / "missing.mp4")):
        with pytest.raises(SourceError) as failure:
            OpenCvSource(url).open()
        reasons.append(str(failure.value))
    for reason in reasons:
        assert reason_text(reason) != reason, reason
