"""Bus messages: the committed JSON schemas, round trips, and malformed input refused."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest

from console.bus.messages import (
    AlertMessage,
    BoxJson,
    MalformedMessageError,
    NodeHeartbeat,
    TracksMessage,
    alert_from_message,
    alert_message,
    decode,
    decode_any,
    encode,
    json_schemas,
    tracks_payload,
)
from console.domain.records import Alert, AlertType, Event, Severity, utc_now
from tools.write_event_schemas import FOLDER, schema_text


def an_alert() -> Alert:
    now = utc_now()
    event = Event(
        type=AlertType.WRONG_WAY,
        camera_id="ql1-km122",
        started_at=now,
        ended_at=now + timedelta(seconds=2),
        severity=Severity.CRITICAL,
        track_id=7,
        class_name="car",
        box_xyxy=(1.0, 2.0, 30.0, 40.0),
        values={"speed_kmh": 42.5, "lane": "toward-1"},
        rule_id="wrong-way",
        message="car against traffic",
    )
    return Alert(event=event, priority=Severity.CRITICAL)


def test_committed_schemas_match_the_models() -> None:
    schemas = json_schemas()
    committed = {path.name.removesuffix(".schema.json") for path in Path(FOLDER).glob("*.json")}
    assert committed == set(schemas), "run: python tools/write_event_schemas.py"
    for kind, schema in schemas.items():
        text = (FOLDER / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert text == schema_text(schema), f"{kind}: run python tools/write_event_schemas.py"


def test_an_alert_message_validates_against_its_schema_and_round_trips() -> None:
    alert = an_alert()
    message = alert_message(alert, site="bac-ninh", node="node-1", epoch=12)
    data = encode(message)
    schema = json.loads((FOLDER / "alert.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(data), schema)  # what a third-party consumer checks
    back = alert_from_message(decode_any(data))  # type: ignore[arg-type]
    assert back == alert


def test_a_heartbeat_validates_against_its_schema() -> None:
    beat = NodeHeartbeat(
        site="s", node="n", capacity=4, cameras=["a"], started_at=utc_now(), sent_at=utc_now()
    )
    schema = json.loads((FOLDER / "node.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(encode(beat)), schema)


@pytest.mark.parametrize(
    "data",
    [
        b"not json",
        b"[1, 2]",
        b'{"kind": "alert", "v": 1, "site": "s"}',  # missing fields
        b'{"kind": "launch-missiles", "v": 1, "site": "s"}',
        b'{"kind": "node", "v": 2, "site": "s", "node": "n", "capacity": 1}',  # newer format
        '{"kind": "alert", "v": 1, "site": "\u00e9"}'.encode("latin-1"),
    ],
)
def test_malformed_messages_are_refused_with_a_reason(data: bytes) -> None:
    with pytest.raises(MalformedMessageError) as refused:
        decode_any(data)
    assert str(refused.value)


def test_decode_checks_the_expected_kind() -> None:
    beat = NodeHeartbeat(site="s", node="n", capacity=1, started_at=utc_now(), sent_at=utc_now())
    with pytest.raises(MalformedMessageError, match="AlertMessage"):
        decode(encode(beat), AlertMessage)


def test_the_fast_tracks_payload_is_a_valid_tracks_message() -> None:
    boxes = [(7, "car", 0.91, (1.0, 2.0, 30.5, 40.25)), (None, "person", 1.2, (5, 6, 7, 8))]
    fields = {
        "site": "s",
        "node": "n",
        "camera_id": "cam",
        "epoch": 3,
        "captured_at": 1764900000.25,
        "frame_index": 12,
        "width": 640,
        "height": 360,
        "from_motion_gate": False,
    }
    payload = tracks_payload(boxes=boxes, **fields)  # type: ignore[arg-type]
    schema = json.loads((FOLDER / "tracks.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(payload), schema)
    typed = TracksMessage(
        boxes=[
            BoxJson(track_id=7, class_name="car", confidence=0.91, xyxy=(1.0, 2.0, 30.5, 40.25)),
            BoxJson(track_id=None, class_name="person", confidence=1.0, xyxy=(5, 6, 7, 8)),
        ],
        **fields,  # type: ignore[arg-type]
    )
    assert decode(payload, TracksMessage) == typed
    assert json.loads(payload) == json.loads(encode(typed))
