"""Records the store keeps besides the shared domain ones (console.domain.records)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from console.domain.records import new_id


def _frozen(details: Mapping[str, Any] | None = None) -> MappingProxyType[str, Any]:
    return MappingProxyType(dict(details or {}))


@dataclass(frozen=True, slots=True)
class TrafficCount:
    """Road users of one class that crossed a line or used a lane during one UTC minute."""

    camera_id: str
    class_name: str
    minute: datetime
    count: int
    lane: str = ""
    line_id: str = ""
    direction: str = ""
    id: uuid.UUID = field(default_factory=new_id)


@dataclass(frozen=True, slots=True)
class HealthIncident:
    """A period when a camera was not healthy; ``ended_at`` is None while it lasts."""

    camera_id: str
    state: str
    reason: str
    started_at: datetime
    ended_at: datetime | None = None
    id: uuid.UUID = field(default_factory=new_id)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """Who did what, when, from which console. The hash chain is filled in by the audit log."""

    at: datetime
    user: str
    action: str
    details: MappingProxyType[str, Any] = field(default_factory=_frozen)
    console_id: str = ""
    prev_hash: str = ""
    hash: str = ""
    id: uuid.UUID = field(default_factory=new_id)

    @staticmethod
    def details_of(details: Mapping[str, Any]) -> MappingProxyType[str, Any]:
        return _frozen(details)


@dataclass(frozen=True, slots=True)
class ActionConflict:
    """Why central storage did not apply an action (another console's action came first)."""

    action_id: uuid.UUID
    reason: str
