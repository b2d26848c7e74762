"""Score one clip's run against its labels: per rule and per counting line.

Each labelled event takes the first alert of its type raised in its window (from
``EARLY_S`` before its start to ``LATE_S`` after its end) whose box lies in the event's
area, if it has one. Another alert of that type in an event's window is a duplicate, not a
false alert; every other alert is false. Counts compare the line_count records of the
labelled classes and direction with the labeller's count.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from console.domain.records import Alert, AlertType
from console.evaluation.run import EARLY_S, LATE_S, ClipRun, ClipSetup, alert_time_s, in_area
from console.evaluation.truth import TruthCount, TruthEvent


@dataclass
class RuleScore:
    """One alert type on one clip (or summed over clips)."""

    rule: str
    configured: bool  # the camera has an enabled rule of this type
    events: int = 0
    alerted: int = 0
    delays_s: list[float] = field(default_factory=list)
    false_alerts: int = 0
    duplicates: int = 0
    hours: float = 0.0

    @property
    def recall(self) -> float | None:
        return self.alerted / self.events if self.events else None

    @property
    def false_per_camera_hour(self) -> float:
        return self.false_alerts / self.hours if self.hours else 0.0

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["recall"] = self.recall
        data["false_alerts_per_camera_hour"] = round(self.false_per_camera_hour, 1)
        data["delays_s"] = [round(d, 2) for d in self.delays_s]
        return data


@dataclass
class CountScore:
    line: str
    label: str
    truth: int
    uncertainty: int
    measured: int

    @property
    def error(self) -> int:
        return self.measured - self.truth

    @property
    def within_labels(self) -> bool:
        """The measured count lies inside the labeller's uncertainty."""
        return abs(self.error) <= self.uncertainty

    @property
    def relative_error(self) -> float | None:
        return self.error / self.truth if self.truth else None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["error"] = self.error
        data["within_labels"] = self.within_labels
        rel = self.relative_error
        data["relative_error"] = round(rel, 3) if rel is not None else None
        return data


@dataclass
class ClipScore:
    clip: str
    camera: str
    duration_s: float
    fps: float
    fps_source: str  # "measured" or "given"
    model: str
    run: ClipRun
    rules: list[RuleScore]
    counts: list[CountScore]
    false_alerts: list[Alert]
    # The same clip at other analysis rates (``roadwatch eval --compare-fps``).
    other_rates: list[ClipScore] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        run = self.run
        return {
            "clip": self.clip,
            "camera": self.camera,
            "duration_s": round(self.duration_s, 2),
            "analysis_fps": round(self.fps, 2),
            "fps_source": self.fps_source,
            "model": self.model,
            "frames_read": run.frames_read,
            "frames_analysed": run.frames_analysed,
            "model_calls": run.model_calls,
            "model_ms_mean": round(run.model_ms / run.model_calls, 1) if run.model_calls else None,
            "frame_size": list(run.frame_size),
            "rules": [rule.as_dict() for rule in self.rules],
            "counts": [count.as_dict() for count in self.counts],
            "alerts": [
                {
                    "type": alert.type.value,
                    "time_s": round(alert_time_s(alert), 2),
                    "class": alert.event.class_name,
                    "false": alert in self.false_alerts,
                    "message": alert.event.message,
                }
                for alert in run.alerts
            ],
            "at_other_rates": [other.as_dict() for other in self.other_rates],
        }


def score(setup: ClipSetup, run: ClipRun, fps: float, fps_source: str, model: str) -> ClipScore:
    truth = setup.truth
    configured = {
        AlertType(rule.type)
        for rule in setup.camera.rules
        if rule.enabled and rule.type not in ("line_count", "camera_health")
    }
    hours = truth.duration_s / 3600
    types = sorted(configured | {e.alert_type for e in truth.events}, key=lambda t: t.value)
    rules = {t: RuleScore(t.value, t in configured, hours=hours) for t in types}
    unmatched = list(run.alerts)
    for event in truth.events:
        rule = rules[event.alert_type]
        rule.events += 1
        alert = _first_match(event, unmatched, run)
        if alert is not None:
            unmatched.remove(alert)
            rule.alerted += 1
            rule.delays_s.append(alert_time_s(alert) - event.start_s)
    false_alerts = []
    for alert in unmatched:
        rule = rules.setdefault(
            alert.type, RuleScore(alert.type.value, alert.type in configured, hours=hours)
        )
        if any(_in_window(event, alert) for event in truth.events):
            rule.duplicates += 1
        else:
            rule.false_alerts += 1
            false_alerts.append(alert)
    counts = [
        CountScore(count.line, count.label, count.count, count.uncertainty, _measured(count, run))
        for count in truth.counts
    ]
    return ClipScore(
        truth.clip,
        setup.camera.id,
        truth.duration_s,
        fps,
        fps_source,
        model,
        run,
        list(rules.values()),
        counts,
        false_alerts,
    )


def _in_window(event: TruthEvent, alert: Alert) -> bool:
    at = alert_time_s(alert)
    return alert.type is event.alert_type and event.start_s - EARLY_S <= at <= event.end_s + LATE_S


def _first_match(event: TruthEvent, alerts: list[Alert], run: ClipRun) -> Alert | None:
    for alert in alerts:
        if _in_window(event, alert) and in_area(alert, event.area, run.frame_size):
            return alert
    return None


def _measured(count: TruthCount, run: ClipRun) -> int:
    classes = count.class_names
    return sum(
        1
        for record in run.counts
        if record.line_id == count.line
        and record.class_name in classes
        and (count.direction == "any" or record.direction == count.direction)
    )


def total_rules(clips: list[ClipScore]) -> list[RuleScore]:
    """Per rule over every clip: events, alerts and false alerts summed, hours added."""
    hours = sum(clip.duration_s for clip in clips) / 3600
    totals: dict[str, RuleScore] = {}
    for clip in clips:
        for rule in clip.rules:
            total = totals.setdefault(rule.rule, RuleScore(rule.rule, False, hours=hours))
            total.configured = total.configured or rule.configured
            total.events += rule.events
            total.alerted += rule.alerted
            total.delays_s += rule.delays_s
            total.false_alerts += rule.false_alerts
            total.duplicates += rule.duplicates
    return sorted(totals.values(), key=lambda r: r.rule)
