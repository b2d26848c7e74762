from __future__ import annotations

import time

import numpy as np
import pytest

from console.alerts.patrol import UnitStatus
from console.alerts.service import AlertService
from console.config.site_file import load_site_text
from console.detect.detections import Detections
from console.domain.alert_states import TransitionError
from console.domain.health import CameraHealth, StreamState
from console.domain.records import AlertStatus, AlertType
from console.sources.base import Frame
from tests.core.rule_factories import CLASS_IDS, HEIGHT, NAMES, SITE, WIDTH, box_at

RULES = "      - {type: stopped_vehicle, zone: shoulder, dwell_s: 5}"
UNITS = """
patrol_units:
  - {call_sign: CSGT-FAR, route: QL1, km_from: 6, km_to: 9}
  - {call_sign: CSGT-NEAR, route: QL1, km_from: 0, km_to: 2}
"""


def service() -> AlertService:
    from tests.core.rule_factories import CALIBRATION

    site = load_site_text(SITE.format(rules=RULES, calibration=CALIBRATION) + UNITS)
    return AlertService(site, console_id="console-1")


def feed_stopped_car(alerts: AlertService, seconds: float = 8.0, fps: float = 5.0) -> None:
    """A car standing on the shoulder, through the camera's pipeline into the service."""
    image = np.zeros((HEIGHT, WIDTH, 3), np.uint8)
    start = 1_800_000_000.0
    pipeline = alerts.pipelines["cam"]
    for step in range(int(seconds * fps)):
        t = start + step / fps
        detections = Detections.from_arrays(
            [box_at(0.1, 0.6, "car")], [0.9], [CLASS_IDS["car"]], None, NAMES
        )
        frame = Frame(image, step, time.monotonic(), t)
        alerts.on_result(pipeline.step(frame, detections, 10.0))


def test_stopped_car_raises_one_alert_then_dispatch_goes_to_the_nearest_unit() -> None:
    alerts = service()
    raised = []
    alerts.alert_listeners.append(raised.append)
    feed_stopped_car(alerts)
    assert [a.type for a in raised] == [AlertType.STOPPED_VEHICLE]
    alert = raised[0]
    alerts.act(alert.id, AlertStatus.ACKNOWLEDGED, actor="op1")
    dispatched = alerts.act(alert.id, AlertStatus.DISPATCHED, actor="op1").result()
    assert dispatched.assigned_unit == "CSGT-NEAR"  # camera at km 1 lies in its segment
    units = {u.call_sign: u for u in alerts.patrol.units()}
    assert units["CSGT-NEAR"].status is UnitStatus.EN_ROUTE
    alerts.act(alert.id, AlertStatus.RESOLVED, actor="op1", note="towed away")
    units = {u.call_sign: u for u in alerts.patrol.units()}
    assert units["CSGT-NEAR"].status is UnitStatus.AVAILABLE
    with pytest.raises(TransitionError):
        alerts.act(alert.id, AlertStatus.ACKNOWLEDGED, actor="op2")


def test_camera_outage_raises_a_health_alert_that_clears_when_it_is_back() -> None:
    alerts = service()
    engine = alerts.pipelines["cam"].rules
    engine.health_grace_s = 0.0
    down = CameraHealth("cam", StreamState.OFFLINE, "connection refused", 2.0)
    alerts.on_health(down)
    [alert] = alerts.open_alerts()
    assert alert.type is AlertType.CAMERA_HEALTH and "connection refused" in alert.event.message
    changes = []
    alerts.change_listeners.append(lambda a, action: changes.append((a.status, action.actor)))
    alerts.on_health(CameraHealth("cam", StreamState.LIVE))
    assert changes == [(AlertStatus.RESOLVED, "system")]
    assert alerts.open_alerts() == []
