from __future__ import annotations

from datetime import UTC, datetime, timedelta

from console.alerts.stats import (
    MinuteCount,
    alerts_per_hour,
    mean_response_per_shift,
    shift_start,
    vehicles_per_minute,
)
from console.domain.records import Alert, AlertType, Event, Severity

T0 = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)  # 10:00 in Hanoi


def alert_at(moment: datetime, kind: AlertType = AlertType.SPEEDING) -> Alert:
    event = Event(kind, "cam", moment, moment, Severity.MEDIUM)
    return Alert(event, Severity.MEDIUM, created_at=moment, updated_at=moment)


def test_vehicles_per_minute_fills_a_minute_grid_per_class() -> None:
    counts = [
        MinuteCount("cam", "car", T0, 12),
        MinuteCount("cam", "car", T0 + timedelta(minutes=2), 5),
        MinuteCount("cam2", "car", T0 + timedelta(minutes=2), 1),
        MinuteCount("cam", "truck", T0 + timedelta(minutes=1), 3),
        MinuteCount("cam", "car", T0 + timedelta(minutes=10), 99),  # outside
    ]
    series = vehicles_per_minute(counts, T0, T0 + timedelta(minutes=3))
    assert series["car"].values == (12.0, 0.0, 6.0)
    assert series["truck"].values == (0.0, 3.0, 0.0)
    assert series["car"].times()[1] == T0 + timedelta(minutes=1)


def test_alerts_per_hour_by_type() -> None:
    alerts = [
        alert_at(T0 + timedelta(minutes=5)),
        alert_at(T0 + timedelta(minutes=50)),
        alert_at(T0 + timedelta(hours=1, minutes=1), AlertType.WRONG_WAY),
    ]
    series = alerts_per_hour(alerts, T0, T0 + timedelta(hours=2))
    assert series[AlertType.SPEEDING].values == (2.0, 0.0)
    assert series[AlertType.WRONG_WAY].values == (0.0, 1.0)


def test_shifts_are_day_and_night_in_local_time() -> None:
    start, night = shift_start(T0, "Asia/Ho_Chi_Minh")
    assert (start.hour, night) == (6, False)
    early = datetime(2026, 11, 28, 21, 0, tzinfo=UTC)  # 04:00 local on the 29th
    start, night = shift_start(early, "Asia/Ho_Chi_Minh")
    assert (start.day, start.hour, night) == (28, 18, True)


def test_mean_response_per_shift() -> None:
    night_alert = datetime(2026, 11, 28, 13, 0, tzinfo=UTC)  # 20:00 local
    responses = [
        (T0, T0 + timedelta(seconds=30)),
        (T0 + timedelta(hours=1), T0 + timedelta(hours=1, seconds=90)),
        (night_alert, night_alert + timedelta(seconds=20)),
    ]
    shifts = mean_response_per_shift(responses, "Asia/Ho_Chi_Minh")
    assert [(s.night, s.mean_s, s.alerts) for s in shifts] == [(True, 20.0, 1), (False, 60.0, 2)]
