"""Patrol units and who goes: the nearest available unit on the alert's route."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from enum import StrEnum

from console.config.site import PatrolUnit as PatrolUnitConfig


class UnitStatus(StrEnum):
    AVAILABLE = "available"
    EN_ROUTE = "en_route"
    ON_SCENE = "on_scene"
    OFF_DUTY = "off_duty"


@dataclass(frozen=True, slots=True)
class PatrolUnit:
    call_sign: str
    route: str
    km_from: float
    km_to: float
    status: UnitStatus
    alert_id: str | None = None

    def distance_km(self, route: str, km: float) -> float | None:
        """Kilometres from the unit's patrol segment to ``km``; None on another route."""
        if route != self.route:
            return None
        low, high = sorted((self.km_from, self.km_to))
        return 0.0 if low <= km <= high else min(abs(km - low), abs(km - high))


class PatrolBoard:
    """The units of a site and their status (thread-safe)."""

    def __init__(self, units: list[PatrolUnitConfig]) -> None:
        self._lock = threading.Lock()
        self._units = {
            u.call_sign: PatrolUnit(u.call_sign, u.route, u.km_from, u.km_to, UnitStatus(u.status))
            for u in units
        }

    def units(self) -> list[PatrolUnit]:
        with self._lock:
            return sorted(self._units.values(), key=lambda u: u.call_sign)

    def nearest_available(self, route: str, km: float) -> PatrolUnit | None:
        with self._lock:
            candidates = [
                (distance, unit.call_sign, unit)
                for unit in self._units.values()
                if unit.status is UnitStatus.AVAILABLE
                and (distance := unit.distance_km(route, km)) is not None
            ]
        return min(candidates)[2] if candidates else None

    def set_status(
        self, call_sign: str, status: UnitStatus, alert_id: str | None = None
    ) -> PatrolUnit:
        with self._lock:
            if call_sign not in self._units:
                raise KeyError(f"unknown patrol unit {call_sign}")
            unit = replace(self._units[call_sign], status=status, alert_id=alert_id)
            self._units[call_sign] = unit
            return unit

    def release_for(self, alert_id: str) -> PatrolUnit | None:
        """The alert is closed: its unit becomes available again."""
        with self._lock:
            for call_sign, unit in self._units.items():
                if unit.alert_id == alert_id:
                    self._units[call_sign] = replace(
                        unit, status=UnitStatus.AVAILABLE, alert_id=None
                    )
                    return self._units[call_sign]
        return None
