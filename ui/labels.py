"""Operator-facing names of core enums, translated (the core only knows their codes)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication

from console.alerts.patrol import UnitStatus
from console.config.site import Camera
from console.domain.health import StreamState
from console.domain.records import AlertStatus, AlertType, Severity
from console.domain.text import format_km


def alert_type_label(kind: AlertType | str) -> str:
    names = {
        AlertType.WRONG_WAY: QCoreApplication.translate("Labels", "Wrong way"),
        AlertType.STOPPED_VEHICLE: QCoreApplication.translate("Labels", "Stopped vehicle"),
        AlertType.SPEEDING: QCoreApplication.translate("Labels", "Speeding"),
        AlertType.RED_LIGHT: QCoreApplication.translate("Labels", "Red light"),
        AlertType.LANE_VIOLATION: QCoreApplication.translate("Labels", "Lane violation"),
        AlertType.PEDESTRIAN: QCoreApplication.translate("Labels", "Pedestrian on road"),
        AlertType.CONGESTION: QCoreApplication.translate("Labels", "Congestion"),
        AlertType.CAMERA_HEALTH: QCoreApplication.translate("Labels", "Camera fault"),
        AlertType.WATCHLIST: QCoreApplication.translate("Labels", "Watch-list plate"),
    }
    return names.get(AlertType(kind), str(kind))


def status_label(status: AlertStatus | str) -> str:
    names = {
        AlertStatus.NEW: QCoreApplication.translate("Labels", "New"),
        AlertStatus.ACKNOWLEDGED: QCoreApplication.translate("Labels", "Acknowledged"),
        AlertStatus.DISPATCHED: QCoreApplication.translate("Labels", "Dispatched"),
        AlertStatus.RESOLVED: QCoreApplication.translate("Labels", "Resolved"),
        AlertStatus.FALSE_POSITIVE: QCoreApplication.translate("Labels", "False positive"),
    }
    if status == "note":
        return QCoreApplication.translate("Labels", "Note")
    return names.get(AlertStatus(status), str(status))


def severity_label(severity: Severity | str) -> str:
    names = {
        Severity.CRITICAL: QCoreApplication.translate("Labels", "Critical"),
        Severity.HIGH: QCoreApplication.translate("Labels", "High"),
        Severity.MEDIUM: QCoreApplication.translate("Labels", "Medium"),
        Severity.LOW: QCoreApplication.translate("Labels", "Low"),
    }
    return names.get(Severity(severity), str(severity))


def stream_state_label(state: StreamState) -> str:
    names = {
        StreamState.CONNECTING: QCoreApplication.translate("Labels", "Connecting"),
        StreamState.LIVE: QCoreApplication.translate("Labels", "Live"),
        StreamState.STALLED: QCoreApplication.translate("Labels", "Stalled"),
        StreamState.OFFLINE: QCoreApplication.translate("Labels", "Offline"),
        StreamState.ERROR: QCoreApplication.translate("Labels", "Error"),
        StreamState.DISABLED: QCoreApplication.translate("Labels", "Disabled"),
    }
    return names[state]


def unit_status_label(status: UnitStatus) -> str:
    names = {
        UnitStatus.AVAILABLE: QCoreApplication.translate("Labels", "Available"),
        UnitStatus.EN_ROUTE: QCoreApplication.translate("Labels", "En route"),
        UnitStatus.ON_SCENE: QCoreApplication.translate("Labels", "On scene"),
        UnitStatus.OFF_DUTY: QCoreApplication.translate("Labels", "Off duty"),
    }
    return names[status]


def class_label(name: str) -> str:
    names = {
        "person": QCoreApplication.translate("Labels", "person"),
        "bicycle": QCoreApplication.translate("Labels", "bicycle"),
        "car": QCoreApplication.translate("Labels", "car"),
        "motorcycle": QCoreApplication.translate("Labels", "motorcycle"),
        "bus": QCoreApplication.translate("Labels", "bus"),
        "truck": QCoreApplication.translate("Labels", "truck"),
    }
    return names.get(name, name)


def value_label(key: str) -> str:
    """Name (with unit) of a value a rule measured; unknown keys are shown as they are."""
    names = {
        "speed_kmh": QCoreApplication.translate("Labels", "Speed (km/h)"),
        "limit_kmh": QCoreApplication.translate("Labels", "Speed limit (km/h)"),
        "stopped_s": QCoreApplication.translate("Labels", "Stopped for (s)"),
        "dwell_s": QCoreApplication.translate("Labels", "Stopped for (s)"),
        "on_road_s": QCoreApplication.translate("Labels", "On the road for (s)"),
        "occupancy": QCoreApplication.translate("Labels", "Occupancy"),
        "mean_speed_kmh": QCoreApplication.translate("Labels", "Mean speed (km/h)"),
        "changed_fraction": QCoreApplication.translate("Labels", "Share of view changed"),
        "red_for_s": QCoreApplication.translate("Labels", "Red for (s)"),
        "signal": QCoreApplication.translate("Labels", "Signal"),
        "distance_against_m": QCoreApplication.translate("Labels", "Distance against traffic (m)"),
        "distance_against_px": QCoreApplication.translate(
            "Labels", "Distance against traffic (px)"
        ),
        "lane": QCoreApplication.translate("Labels", "Lane"),
        "class": QCoreApplication.translate("Labels", "Class"),
        "crossed": QCoreApplication.translate("Labels", "Crossed"),
        "state": QCoreApplication.translate("Labels", "Camera state"),
        "reason": QCoreApplication.translate("Labels", "Reason"),
        "plate": QCoreApplication.translate("Labels", "Plate"),
        "seen_in_alert": QCoreApplication.translate("Labels", "Read in alert"),
        "seen_for": QCoreApplication.translate("Labels", "Read for"),
    }
    return names.get(key, key)


def camera_title(camera: Camera) -> str:
    """Camera name with route and km post, not repeated when the name already has them."""
    if format_km(camera.km) in camera.name:
        return camera.name
    return f"{camera.name} · {camera.route} {format_km(camera.km)}"


def local_time(moment: datetime, timezone: str, with_date: bool = False) -> str:
    """A UTC moment as the site's wall-clock time (dd/mm/yyyy, as read in Vietnam)."""
    local = moment.astimezone(ZoneInfo(timezone))
    return local.strftime("%H:%M:%S %d/%m/%Y" if with_date else "%H:%M:%S")
