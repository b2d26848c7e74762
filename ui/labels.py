"""Operator-facing names of core enums, translated (the core only knows their codes)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication

from console.domain import AlertStatus, AlertType, Severity
from console.health import StreamState
from console.patrol import UnitStatus


def _t(text: str) -> str:
    return QCoreApplication.translate("Labels", text)


def alert_type_label(kind: AlertType | str) -> str:
    names = {
        AlertType.WRONG_WAY: _t("Wrong way"),
        AlertType.STOPPED_VEHICLE: _t("Stopped vehicle"),
        AlertType.SPEEDING: _t("Speeding"),
        AlertType.RED_LIGHT: _t("Red light"),
        AlertType.LANE_VIOLATION: _t("Lane violation"),
        AlertType.PEDESTRIAN: _t("Pedestrian on road"),
        AlertType.CONGESTION: _t("Congestion"),
        AlertType.CAMERA_HEALTH: _t("Camera fault"),
    }
    return names.get(AlertType(kind), str(kind))


def status_label(status: AlertStatus | str) -> str:
    names = {
        AlertStatus.NEW: _t("New"),
        AlertStatus.ACKNOWLEDGED: _t("Acknowledged"),
        AlertStatus.DISPATCHED: _t("Dispatched"),
        AlertStatus.RESOLVED: _t("Resolved"),
        AlertStatus.FALSE_POSITIVE: _t("False positive"),
    }
    if status == "note":
        return _t("Note")
    return names.get(AlertStatus(status), str(status))


def severity_label(severity: Severity | str) -> str:
    names = {
        Severity.CRITICAL: _t("Critical"),
        Severity.HIGH: _t("High"),
        Severity.MEDIUM: _t("Medium"),
        Severity.LOW: _t("Low"),
    }
    return names.get(Severity(severity), str(severity))


def stream_state_label(state: StreamState) -> str:
    names = {
        StreamState.CONNECTING: _t("Connecting"),
        StreamState.LIVE: _t("Live"),
        StreamState.STALLED: _t("Stalled"),
        StreamState.OFFLINE: _t("Offline"),
        StreamState.ERROR: _t("Error"),
        StreamState.DISABLED: _t("Disabled"),
    }
    return names[state]


def unit_status_label(status: UnitStatus) -> str:
    names = {
        UnitStatus.AVAILABLE: _t("Available"),
        UnitStatus.EN_ROUTE: _t("En route"),
        UnitStatus.ON_SCENE: _t("On scene"),
        UnitStatus.OFF_DUTY: _t("Off duty"),
    }
    return names[status]


def class_label(name: str) -> str:
    names = {
        "person": _t("person"),
        "bicycle": _t("bicycle"),
        "car": _t("car"),
        "motorcycle": _t("motorcycle"),
        "bus": _t("bus"),
        "truck": _t("truck"),
    }
    return names.get(name, name)


def local_time(moment: datetime, timezone: str, with_date: bool = False) -> str:
    """A UTC moment as the site's wall-clock time (dd/mm/yyyy, as read in Vietnam)."""
    local = moment.astimezone(ZoneInfo(timezone))
    return local.strftime("%H:%M:%S %d/%m/%Y" if with_date else "%H:%M:%S")
