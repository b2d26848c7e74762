"""What an evidence record says: the fields printed on the banner and kept in its metadata.

Vietnamese rules for camera-detected violations (Circular 73/2024/TT-BCA, and before it
Circular 06/2017/TT-BGTVT) expect every image to show the date and time to the second
and the place, and the record to carry vehicle type, plate and plate colour, violation,
place, time and the detecting unit. The banner prints them in the site's language; the
core has no Qt translations, so the few words it needs are here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from console.domain.plates import PlateColour, PlateRead, PlateSource
from console.domain.records import AlertType
from console.domain.text import format_km

# Version 1 (no "record_format" key): before plate, detecting unit and device id.
RECORD_FORMAT = "roadwatch-evidence-record/2"

Language = Literal["vi", "en"]

_LABELS: dict[str, dict[str, str]] = {
    "vi": {
        "camera": "Camera",
        "device": "thiết bị",
        "place": "Địa điểm",
        "time": "Thời gian",
        "violation": "Vi phạm",
        "vehicle": "Phương tiện",
        "plate": "Biển số",
        "not_read": "chưa đọc được",
        "by_operator": "nhập tay",
        "unit": "Đơn vị",
        "no_unit": "chưa khai báo",
    },
    "en": {
        "camera": "Camera",
        "device": "device",
        "place": "Place",
        "time": "Time",
        "violation": "Violation",
        "vehicle": "Vehicle",
        "plate": "Plate",
        "not_read": "not read",
        "by_operator": "entered by operator",
        "unit": "Unit",
        "no_unit": "not set",
    },
}

# The same words as the console's Vietnamese translation (resources/translations).
_ALERT_NAMES: dict[str, dict[AlertType, str]] = {
    "vi": {
        AlertType.WRONG_WAY: "Đi ngược chiều",
        AlertType.STOPPED_VEHICLE: "Xe dừng đỗ",
        AlertType.SPEEDING: "Quá tốc độ",
        AlertType.RED_LIGHT: "Vượt đèn đỏ",
        AlertType.LANE_VIOLATION: "Sai làn đường",
        AlertType.PEDESTRIAN: "Người đi bộ trên đường",
        AlertType.CONGESTION: "Ùn tắc",
        AlertType.CAMERA_HEALTH: "Sự cố camera",
        AlertType.WATCHLIST: "Biển số trong danh sách theo dõi",
    },
    "en": {
        AlertType.WRONG_WAY: "Wrong way",
        AlertType.STOPPED_VEHICLE: "Stopped vehicle",
        AlertType.SPEEDING: "Speeding",
        AlertType.RED_LIGHT: "Red light",
        AlertType.LANE_VIOLATION: "Lane violation",
        AlertType.PEDESTRIAN: "Pedestrian on road",
        AlertType.CONGESTION: "Congestion",
        AlertType.CAMERA_HEALTH: "Camera fault",
        AlertType.WATCHLIST: "Watch-list plate",
    },
}

_CLASS_NAMES: dict[str, dict[str, str]] = {
    "vi": {
        "person": "người đi bộ",
        "bicycle": "xe đạp",
        "car": "ô tô",
        "motorcycle": "xe máy",
        "bus": "xe khách",
        "truck": "xe tải",
    },
}

_COLOURS: dict[str, dict[PlateColour, str]] = {
    "vi": {
        PlateColour.WHITE: "nền trắng",
        PlateColour.YELLOW: "nền vàng",
        PlateColour.BLUE: "nền xanh",
        PlateColour.RED: "nền đỏ",
        PlateColour.UNKNOWN: "màu nền không rõ",
    },
    "en": {
        PlateColour.WHITE: "white",
        PlateColour.YELLOW: "yellow",
        PlateColour.BLUE: "blue",
        PlateColour.RED: "red",
        PlateColour.UNKNOWN: "colour unknown",
    },
}


def labels(language: Language) -> dict[str, str]:
    return _LABELS.get(language, _LABELS["en"])


def violation_text(kind: AlertType, message: str, language: Language) -> str:
    """'Quá tốc độ – 72 km/h where 50 km/h is allowed': the rule's name and what it measured."""
    name = _ALERT_NAMES.get(language, _ALERT_NAMES["en"]).get(kind, kind.value)
    return f"{name} – {message}" if message else name


def utc_offset(moment: datetime) -> str:
    """'+07:00': the ISO 8601 offset of an aware time."""
    return moment.isoformat()[-6:] if moment.utcoffset() else "+00:00"


def local_time_text(moment: datetime, timezone: str) -> str:
    """'2026-12-05 14:03:07 +07:00': local time at the site, to the second, with its offset."""
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{local:%Y-%m-%d %H:%M:%S} {utc_offset(local)}"


def vehicle_text(class_name: str | None, language: Language) -> str:
    """The detector's class in the site's language ('xe tải'); '' when none."""
    if not class_name:
        return ""
    return _CLASS_NAMES.get(language, {}).get(class_name, class_name)


def plate_text(plate: PlateRead | None, language: Language) -> str:
    """'30E-123.45 (nền trắng)', with 'nhập tay' when an operator entered it."""
    words = labels(language)
    if plate is None:
        return words["not_read"]
    colour = _COLOURS.get(language, _COLOURS["en"])[plate.colour]
    notes = [colour] + ([words["by_operator"]] if plate.source is PlateSource.OPERATOR else [])
    return f"{plate.text} ({', '.join(notes)})"


def plate_record(plate: PlateRead | None) -> dict[str, Any] | None:
    """The plate as the case record keeps it (None: no plate was read)."""
    if plate is None:
        return None
    return {
        "text": plate.text,
        "key": plate.key,
        "colour": plate.colour.value,
        "confidence": round(plate.confidence, 3),
        "source": plate.source.value,
        "valid_format": plate.valid,
        "lines": plate.lines,
        "frames_voted": plate.frames,
    }


@dataclass(frozen=True, slots=True)
class Place:
    """Where the camera is, as the banner prints it."""

    camera_id: str
    camera_name: str
    device_id: str
    route: str
    route_name: str
    km: float
    area: str = ""

    def text(self) -> str:
        """'QL1 Km125+300 (Quốc lộ 1), Từ Sơn'."""
        road = f"{self.route} {format_km(self.km)}"
        if self.route_name and self.route_name != self.route:
            road += f" ({self.route_name})"
        return f"{road}, {self.area}" if self.area else road


def banner_fields(
    place: Place,
    moment: datetime,
    timezone: str,
    violation: str,
    vehicle_class: str | None,
    plate: PlateRead | None,
    unit: str,
    language: Language,
) -> list[str]:
    """The snapshot banner: camera, place, time, violation, vehicle, plate, unit."""
    words = labels(language)
    camera = f"{place.camera_id} {place.camera_name}"
    if place.device_id != place.camera_id:
        camera += f" ({words['device']} {place.device_id})"
    vehicle = vehicle_text(vehicle_class, language)
    return [
        f"{words['camera']}: {camera}",
        f"{words['place']}: {place.text()}",
        f"{words['time']}: {local_time_text(moment, timezone)}",
        f"{words['violation']}: {violation}",
        *([f"{words['vehicle']}: {vehicle}"] if vehicle else []),
        f"{words['plate']}: {plate_text(plate, language)}",
        f"{words['unit']}: {unit or words['no_unit']}",
    ]


def clip_fields(camera_id: str, moment: datetime, timezone: str, violation: str) -> list[str]:
    """Each clip frame: camera, that frame's own time to the second, violation."""
    return [camera_id, local_time_text(moment, timezone), violation]
