"""The messages on the site bus, version 1: typed, validated, with JSON schemas (docs/events).

Every message is one UTF-8 JSON object with ``v`` (format version), ``kind`` and ``site``.
A message that does not parse as its kind is refused with :class:`MalformedMessageError`; the
receiver logs and drops it. Unknown extra fields are allowed (a newer sender may add some),
missing or ill-typed ones are not.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from types import MappingProxyType
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from console.domain.health import CameraHealth
from console.domain.records import (
    Alert,
    AlertAction,
    AlertStatus,
    AlertType,
    Event,
    EvidenceRef,
    Severity,
)

FORMAT_VERSION: Literal[1] = 1


class MalformedMessageError(ValueError):
    """A message on the bus that is not valid JSON of the kind its subject carries."""


class BusMessage(BaseModel):
    # The schemas describe what is sent: every field is always there (defaults included).
    model_config = ConfigDict(
        extra="ignore", frozen=True, json_schema_serialization_defaults_required=True
    )

    v: Literal[1] = FORMAT_VERSION
    site: str = Field(min_length=1, description="Site id of the sender.")


class Owned(BusMessage):
    """A message about a camera, sent by the node that holds its lease."""

    node: str = Field(min_length=1, description="Id of the analytics node that sent it.")
    camera_id: str = Field(min_length=1)
    epoch: int = Field(
        ge=0, description="The camera's lease epoch; receivers drop epochs older than the newest."
    )


class BoxJson(BaseModel):
    model_config = ConfigDict(
        extra="ignore", frozen=True, json_schema_serialization_defaults_required=True
    )

    track_id: int | None = None
    class_name: str
    confidence: float = Field(ge=0, le=1)
    xyxy: tuple[float, float, float, float]


class AlertBody(BaseModel):
    """An alert as a console shows and stores it (the event that raised it included)."""

    model_config = ConfigDict(
        extra="ignore", frozen=True, json_schema_serialization_defaults_required=True
    )

    id: uuid.UUID
    type: AlertType
    priority: Severity
    status: AlertStatus = AlertStatus.NEW
    created_at: datetime
    updated_at: datetime
    event_id: uuid.UUID
    started_at: datetime
    ended_at: datetime
    severity: Severity
    track_id: int | None = None
    class_name: str | None = None
    box_xyxy: tuple[float, float, float, float] | None = None
    values: dict[str, float | int | str | bool] = Field(default_factory=dict)
    rule_id: str = ""
    message: str = ""
    training: bool = False


class AlertMessage(Owned):
    kind: Literal["alert"] = "alert"
    alert: AlertBody


class EvidenceFile(BaseModel):
    model_config = ConfigDict(
        extra="ignore", frozen=True, json_schema_serialization_defaults_required=True
    )

    kind: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    path: str = Field(description="Path on the node that wrote it (central sync uploads it).")
    size_bytes: int = Field(ge=0)


class EvidenceMessage(Owned):
    kind: Literal["evidence"] = "evidence"
    alert_id: uuid.UUID
    files: list[EvidenceFile]


class ActionMessage(BusMessage):
    """An operator's (or the system's) step on an alert, from any console or node."""

    kind: Literal["action"] = "action"
    id: uuid.UUID
    alert_id: uuid.UUID
    camera_id: str
    action: str = Field(description="An alert status (acknowledged, dispatched, ...) or 'note'.")
    actor: str
    console_id: str = ""
    at: datetime
    note: str = ""
    unit: str | None = None


class TracksMessage(Owned):
    """One analysed frame: what a console draws over the frame captured at ``captured_at``."""

    kind: Literal["tracks"] = "tracks"
    captured_at: float = Field(description="Capture time, seconds since the Unix epoch (UTC).")
    frame_index: int
    width: int = Field(ge=1)
    height: int = Field(ge=1)
    boxes: list[BoxJson]
    from_motion_gate: bool = False


class HealthMessage(Owned):
    kind: Literal["health"] = "health"
    state: str
    reason: str = ""
    input_fps: float = 0.0
    analysis_fps: float = 0.0
    target_fps: float = 0.0
    budget_fps: float = 0.0


class NodeHeartbeat(BusMessage):
    kind: Literal["node"] = "node"
    node: str = Field(min_length=1)
    host: str = ""
    version: str = ""
    capacity: int = Field(ge=0)
    cameras: list[str] = Field(default_factory=list)
    analysed_fps: float = 0.0
    outbox_waiting: int = Field(0, description="Alerts and actions not yet on the bus.")
    started_at: datetime
    sent_at: datetime


class LeaseValue(BusMessage):
    """The value of a camera's key in the leases bucket."""

    kind: Literal["lease"] = "lease"
    node: str = Field(min_length=1)
    camera_id: str
    epoch: int = Field(ge=0, description="Revision of the entry that created the lease.")
    acquired_at: datetime


class AlertState(BusMessage):
    """The value of an alert's key in the alert-state bucket."""

    kind: Literal["alert_state"] = "alert_state"
    alert_id: uuid.UUID
    status: AlertStatus
    actor: str
    console_id: str = ""
    at: datetime
    action_id: uuid.UUID | None = None


MESSAGE_TYPES: tuple[type[BusMessage], ...] = (
    AlertMessage,
    EvidenceMessage,
    ActionMessage,
    TracksMessage,
    HealthMessage,
    NodeHeartbeat,
    LeaseValue,
    AlertState,
)
M = TypeVar("M", bound=BusMessage)


def encode(message: BusMessage) -> bytes:
    return message.model_dump_json(exclude_none=False).encode()


def decode(data: bytes, kind: type[M]) -> M:
    """Parse ``data`` as ``kind``; MalformedMessageError says why it is not one."""
    try:
        return kind.model_validate_json(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "message"
        raise MalformedMessageError(f"not a {kind.__name__}: {where}: {first['msg']}") from None
    except (UnicodeDecodeError, ValueError) as error:
        raise MalformedMessageError(f"not a {kind.__name__}: {error}") from None


def decode_any(data: bytes) -> BusMessage:
    """Parse a message of any kind (``kind`` says which)."""
    try:
        kind = json.loads(data).get("kind")
    except (ValueError, AttributeError) as error:
        raise MalformedMessageError(f"not a JSON object: {error}") from None
    for model in MESSAGE_TYPES:
        if model.model_fields["kind"].default == kind:
            return decode(data, model)
    raise MalformedMessageError(f"unknown message kind {kind!r}")


# ---- between the domain records and the messages ----------------------------------------


def alert_message(alert: Alert, *, site: str, node: str, epoch: int) -> AlertMessage:
    event = alert.event
    body = AlertBody(
        id=alert.id,
        type=event.type,
        priority=alert.priority,
        status=alert.status,
        created_at=alert.created_at,
        updated_at=alert.updated_at,
        event_id=event.id,
        started_at=event.started_at,
        ended_at=event.ended_at,
        severity=event.severity,
        track_id=event.track_id,
        class_name=event.class_name,
        box_xyxy=event.box_xyxy,
        values=dict(event.values),
        rule_id=event.rule_id,
        message=event.message,
        training=alert.training,
    )
    return AlertMessage(site=site, node=node, camera_id=event.camera_id, epoch=epoch, alert=body)


def alert_from_message(message: AlertMessage) -> Alert:
    body = message.alert
    event = Event(
        type=body.type,
        camera_id=message.camera_id,
        started_at=body.started_at,
        ended_at=body.ended_at,
        severity=body.severity,
        track_id=body.track_id,
        class_name=body.class_name,
        box_xyxy=body.box_xyxy,
        values=MappingProxyType(dict(body.values)),
        rule_id=body.rule_id,
        message=body.message,
        id=body.event_id,
    )
    return Alert(
        event=event,
        priority=body.priority,
        status=body.status,
        created_at=body.created_at,
        updated_at=body.updated_at,
        training=body.training,
        id=body.id,
    )


def evidence_message(
    alert: Alert, refs: tuple[EvidenceRef, ...], *, site: str, node: str, epoch: int
) -> EvidenceMessage:
    files = [
        EvidenceFile(kind=r.kind, sha256=r.sha256, path=r.path, size_bytes=r.size_bytes)
        for r in refs
    ]
    return EvidenceMessage(
        site=site, node=node, camera_id=alert.camera_id, epoch=epoch, alert_id=alert.id, files=files
    )


def refs_from_message(message: EvidenceMessage) -> tuple[EvidenceRef, ...]:
    return tuple(EvidenceRef(f.kind, f.sha256, f.path, f.size_bytes) for f in message.files)


def action_message(action: AlertAction, *, site: str, camera_id: str) -> ActionMessage:
    return ActionMessage(
        site=site,
        id=action.id,
        alert_id=action.alert_id,
        camera_id=camera_id,
        action=action.action,
        actor=action.actor,
        console_id=action.console_id,
        at=action.at,
        note=action.note,
        unit=action.unit,
    )


def action_from_message(message: ActionMessage) -> AlertAction:
    return AlertAction(
        alert_id=message.alert_id,
        action=message.action,
        actor=message.actor,
        at=message.at,
        note=message.note,
        console_id=message.console_id,
        unit=message.unit,
        id=message.id,
    )


TrackedBox = tuple[int | None, str, float, Sequence[float]]  # track id, class, confidence, xyxy


def tracks_payload(
    *,
    site: str,
    node: str,
    camera_id: str,
    epoch: int,
    captured_at: float,
    frame_index: int,
    width: int,
    height: int,
    boxes: Iterable[TrackedBox],
    from_motion_gate: bool,
) -> bytes:
    """A ``tracks`` message as sent, built without validation (the hot path).

    It is sent for every analysed frame of every camera, from the node's own typed results:
    the same JSON as ``encode(TracksMessage(...))`` (tests/core/test_bus_messages.py checks).
    """
    document = {
        "v": FORMAT_VERSION,
        "site": site,
        "node": node,
        "camera_id": camera_id,
        "epoch": epoch,
        "kind": "tracks",
        "captured_at": captured_at,
        "frame_index": frame_index,
        "width": width,
        "height": height,
        "boxes": [
            {
                "track_id": track_id,
                "class_name": class_name,
                "confidence": min(1.0, max(0.0, confidence)),
                "xyxy": [float(v) for v in xyxy],
            }
            for track_id, class_name, confidence, xyxy in boxes
        ],
        "from_motion_gate": from_motion_gate,
    }
    return json.dumps(document, separators=(",", ":")).encode()


def health_message(health: CameraHealth, *, site: str, node: str, epoch: int) -> HealthMessage:
    return HealthMessage(
        site=site,
        node=node,
        camera_id=health.camera_id,
        epoch=epoch,
        state=health.state.value,
        reason=health.reason,
        input_fps=health.input_fps,
        analysis_fps=health.analysis_fps,
        target_fps=health.target_fps,
        budget_fps=health.budget_fps,
    )


def json_schemas() -> dict[str, dict[str, Any]]:
    """Each message kind's JSON schema, as committed in docs/events/ (a test compares)."""
    return {
        model.model_fields["kind"].default: model.model_json_schema(mode="serialization")
        for model in MESSAGE_TYPES
    }
