"""The score of a training run: each incident's handling, dismissed false alarms, a total.

Points per incident: 2 for acknowledging it in time (1 if late, 0 if missed), 1 for the
right classification when the scenario asks for one, 1 for dispatching exactly when it
should be dispatched. Each scripted false alarm marked as a false positive in time earns 1.
Alerts that match nothing scripted are listed but not scored: on real footage the scenario
cannot know whether they were right.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime

from console.domain.records import Alert, AlertStatus, AlertType
from console.training.run import CLASSIFIED, RunEvent, TrainingRun
from console.training.scenario import ExpectedResponse, response_time_and_type

EARLY_S = 3.0  # an alert may come a little before the scripted start (track onset)


@dataclass(frozen=True, slots=True)
class IncidentScore:
    incident: str
    camera_id: str
    alert_type: AlertType
    at_s: float
    alert_id: uuid.UUID | None
    raised_s: float | None
    acknowledged_s: float | None
    acknowledge_within_s: float
    classify_as: AlertType | None
    classified_as: AlertType | None
    dispatch_expected: bool
    dispatched: bool
    points: int
    max_points: int

    @property
    def detected(self) -> bool:
        """An alert was raised and the trainee acknowledged it."""
        return self.acknowledged_s is not None

    @property
    def time_to_acknowledge_s(self) -> float | None:
        if self.acknowledged_s is None or self.raised_s is None:
            return None
        return self.acknowledged_s - self.raised_s

    @property
    def acknowledged_in_time(self) -> bool:
        delay = self.time_to_acknowledge_s
        return delay is not None and delay <= self.acknowledge_within_s

    @property
    def classification_correct(self) -> bool | None:
        if self.classify_as is None:
            return None
        return self.classified_as is self.classify_as

    @property
    def dispatch_correct(self) -> bool:
        return self.dispatched == self.dispatch_expected


@dataclass(frozen=True, slots=True)
class FalseAlarmScore:
    label: str
    camera_id: str
    alert_id: uuid.UUID | None
    raised_s: float | None
    dismissed_s: float | None
    dismiss_within_s: float
    points: int

    @property
    def dismissed(self) -> bool:
        return (
            self.dismissed_s is not None
            and self.raised_s is not None
            and self.dismissed_s - self.raised_s <= self.dismiss_within_s
        )


@dataclass(frozen=True, slots=True)
class OtherAlert:
    alert_id: uuid.UUID
    camera_id: str
    alert_type: AlertType
    raised_s: float | None
    final_status: AlertStatus


@dataclass
class ScoreReport:
    scenario: str
    trainee: str
    run_id: str
    started_at: datetime
    duration_s: float
    incidents: list[IncidentScore] = field(default_factory=list)
    false_alarms: list[FalseAlarmScore] = field(default_factory=list)
    other_alerts: list[OtherAlert] = field(default_factory=list)

    @property
    def points(self) -> int:
        return sum(i.points for i in self.incidents) + sum(f.points for f in self.false_alarms)

    @property
    def max_points(self) -> int:
        return sum(i.max_points for i in self.incidents) + len(self.false_alarms)

    @property
    def percent(self) -> float:
        return 100.0 * self.points / self.max_points if self.max_points else 100.0


def _first(events: list[RunEvent], alert_id: uuid.UUID, kinds: tuple[str, ...]) -> RunEvent | None:
    return next((e for e in events if e.alert_id == alert_id and e.kind in kinds), None)


def score_run(run: TrainingRun) -> ScoreReport:
    """Match the run's alerts to the scenario's incidents and score the trainee's actions."""
    events = sorted(run.events, key=lambda e: e.at_s)
    raised_at = {e.alert_id: e.at_s for e in events if e.kind == "raised"}
    alerts = [a for a in run.raised_alerts() if a.id in raised_at]
    alerts.sort(key=lambda a: raised_at[a.id])
    report = ScoreReport(run.scenario.name, run.trainee, run.run_id, run.started_at, run.now_s())
    used: set[uuid.UUID] = set(run.false_alarm_alerts.values())
    for response in run.scenario.expected:
        at_s, kind = response_time_and_type(run.scenario, response)
        alert = next(
            (
                a
                for a in alerts
                if a.id not in used
                and a.camera_id == response.camera_id
                and a.type is kind
                and at_s - EARLY_S <= raised_at[a.id] <= at_s + response.window_s
            ),
            None,
        )
        if alert is not None:
            used.add(alert.id)
        report.incidents.append(_incident_score(response, at_s, kind, alert, events, raised_at))
    for alarm in run.scenario.false_alarms:
        alert_id = run.false_alarm_alerts.get(alarm.id)
        dismissed = (
            _first(events, alert_id, (AlertStatus.FALSE_POSITIVE.value,)) if alert_id else None
        )
        raised = raised_at.get(alert_id) if alert_id else None
        score = FalseAlarmScore(
            alarm.id,
            alarm.camera_id,
            alert_id,
            raised,
            dismissed.at_s if dismissed else None,
            alarm.dismiss_within_s,
            0,
        )
        report.false_alarms.append(replace(score, points=int(score.dismissed)))
    # Duplicates of a scored incident (same camera and type in its window) are not "other".
    windows = [
        (i.camera_id, i.alert_type, i.at_s - EARLY_S, i.at_s + r.window_s)
        for i, r in zip(report.incidents, run.scenario.expected, strict=True)
    ]
    for alert in alerts:
        if alert.id in used or any(
            alert.camera_id == c and alert.type is t and low <= raised_at[alert.id] <= high
            for c, t, low, high in windows
        ):
            continue
        report.other_alerts.append(
            OtherAlert(alert.id, alert.camera_id, alert.type, raised_at[alert.id], alert.status)
        )
    return report


def _incident_score(
    response: ExpectedResponse,
    at_s: float,
    kind: AlertType,
    alert: Alert | None,
    events: list[RunEvent],
    raised_at: dict[uuid.UUID, float],
) -> IncidentScore:
    max_points = 2 + (1 if response.classify_as is not None else 0) + 1
    if alert is None:
        return IncidentScore(
            response.incident,
            response.camera_id,
            kind,
            at_s,
            None,
            None,
            None,
            response.acknowledge_within_s,
            response.classify_as,
            None,
            response.dispatch,
            False,
            0,
            max_points,
        )
    acknowledged = _first(
        events,
        alert.id,
        (AlertStatus.ACKNOWLEDGED.value, AlertStatus.DISPATCHED.value),
    )
    classified = next(
        (e for e in reversed(events) if e.alert_id == alert.id and e.kind == CLASSIFIED), None
    )
    dispatched = _first(events, alert.id, (AlertStatus.DISPATCHED.value,)) is not None
    score = IncidentScore(
        response.incident,
        response.camera_id,
        kind,
        at_s,
        alert.id,
        raised_at[alert.id],
        acknowledged.at_s if acknowledged else None,
        response.acknowledge_within_s,
        response.classify_as,
        AlertType(classified.value) if classified else None,
        response.dispatch,
        dispatched,
        0,
        max_points,
    )
    points = 0
    if score.detected:
        points += 2 if score.acknowledged_in_time else 1
        points += 1 if score.dispatch_correct else 0
        points += 1 if score.classification_correct else 0
    return replace(score, points=points)
