"""One line saying what an alert is about, in the operator's language.

The core writes an English ``Event.message`` for logs, JSON lines and the central database;
the console composes its own line from the alert's type and measured values, so an
operator working in Vietnamese never reads English. Unknown shapes fall back to the core's
message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QCoreApplication

from console.domain.health import StreamState
from console.domain.records import Alert, AlertType
from ui.labels import class_label, stream_state_label
from ui.reason_text import reason_text

Values = Mapping[str, object]


def _number(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    return f"{number:.0f}" if abs(number) >= 10 else f"{number:.1f}"


def _wrong_way(values: Values) -> str:
    if "distance_against_m" in values:
        return QCoreApplication.translate(
            "AlertText", "Driving against the lane direction for %1 m"
        ).replace("%1", _number(values["distance_against_m"]))
    return QCoreApplication.translate("AlertText", "Driving against the lane direction")


def _stopped(values: Values) -> str:
    return QCoreApplication.translate("AlertText", "Vehicle stopped for %1 s").replace(
        "%1", _number(values["stopped_s"])
    )


def _speeding(values: Values) -> str:
    return (
        QCoreApplication.translate("AlertText", "%1 km/h where %2 km/h is allowed")
        .replace("%1", _number(values["speed_kmh"]))
        .replace("%2", _number(values["limit_kmh"]))
    )


def _red_light(values: Values) -> str:
    return QCoreApplication.translate(
        "AlertText", "Crossed the stop line %1 s into the red"
    ).replace("%1", _number(values["red_for_s"]))


def _lane(values: Values) -> str:
    if "class" in values:
        return (
            QCoreApplication.translate("AlertText", "%1 in a lane not meant for it (lane %2)")
            .replace("%1", class_label(str(values["class"])))
            .replace("%2", str(values.get("lane", "")))
        )
    return QCoreApplication.translate("AlertText", "Crossed a solid lane line")


def _pedestrian(values: Values) -> str:
    return QCoreApplication.translate(
        "AlertText", "Pedestrian on the carriageway for %1 s"
    ).replace("%1", _number(values["on_road_s"]))


def _congestion(values: Values) -> str:
    occupancy = f"{float(values['occupancy']) * 100:.0f}"  # type: ignore[arg-type]
    if "mean_speed_kmh" in values:
        return (
            QCoreApplication.translate(
                "AlertText", "Congestion: %1 % of the road taken, mean speed %2 km/h"
            )
            .replace("%1", occupancy)
            .replace("%2", _number(values["mean_speed_kmh"]))
        )
    return QCoreApplication.translate("AlertText", "Congestion: %1 % of the road taken").replace(
        "%1", occupancy
    )


def _camera(values: Values) -> str:
    if "changed_fraction" in values:
        return QCoreApplication.translate("AlertText", "Camera view blocked or moved")
    state = stream_state_label(StreamState(str(values["state"]))).lower()
    return (
        QCoreApplication.translate("AlertText", "Camera %1: %2")
        .replace("%1", state)
        .replace("%2", reason_text(str(values.get("reason", ""))))
    )


def _watchlist(values: Values) -> str:
    reason = str(values.get("reason", ""))
    text = QCoreApplication.translate("AlertText", "Watch-list plate %1 read").replace(
        "%1", str(values["plate"])
    )
    return f"{text}: {reason}" if reason else text


COMPOSERS: dict[AlertType, Callable[[Values], str]] = {
    AlertType.WRONG_WAY: _wrong_way,
    AlertType.STOPPED_VEHICLE: _stopped,
    AlertType.SPEEDING: _speeding,
    AlertType.RED_LIGHT: _red_light,
    AlertType.LANE_VIOLATION: _lane,
    AlertType.PEDESTRIAN: _pedestrian,
    AlertType.CONGESTION: _congestion,
    AlertType.CAMERA_HEALTH: _camera,
    AlertType.WATCHLIST: _watchlist,
}


def alert_message(alert: Alert) -> str:
    composer = COMPOSERS.get(alert.type)
    if composer is None:
        return alert.event.message
    try:
        text = composer(alert.event.values)
    except (KeyError, TypeError, ValueError):  # an older or foreign event: the core's words
        return alert.event.message
    return text[:1].upper() + text[1:]  # "xe máy ..." starts a line
