"""Alert lines in the operator's language, composed from the alert's type and values."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from console.domain import Alert, AlertType, Severity, frozen_values
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
