"""The score report as HTML (in-app view, PDF through the UI) and CSV (spreadsheets).

The labels are a mapping so the UI can pass its translated texts; the defaults are the
English source texts. Times are shown in the site's time zone.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable, Mapping
from zoneinfo import ZoneInfo

from console.domain.records import AlertType
from console.training.scoring import ScoreReport

LABELS: Mapping[str, str] = {
    "title": "Training score report",
    "banner": "ĐÀO TẠO / TRAINING",
    "scenario": "Scenario",
    "trainee": "Trainee",
    "run": "Run",
    "started": "Started",
    "duration": "Duration",
    "score": "Score",
    "incidents": "Incidents",
    "incident": "Incident",
    "camera": "Camera",
    "type": "Type",
    "at": "At (s)",
    "detected": "Acknowledged",
    "ack_time": "Time to acknowledge (s)",
    "classified": "Classification",
    "dispatch": "Dispatch",
    "points": "Points",
    "false_alarms": "False alarms",
    "alarm": "False alarm",
    "dismissed": "Dismissed",
    "other_alerts": "Other alerts (not scored)",
    "status": "Final status",
    "yes": "yes",
    "no": "no",
    "missed": "missed",
    "late": "late",
    "none": "-",
}


def _yes(value: bool | None, labels: Mapping[str, str]) -> str:
    if value is None:
        return labels["none"]
    return labels["yes"] if value else labels["no"]


def _mark(correct: bool | None) -> str:
    """A check or a cross after what the trainee did (nothing when not asked)."""
    if correct is None:
        return ""
    return " ✓" if correct else " ✗"


def report_html(
    report: ScoreReport,
    timezone: str = "UTC",
    labels: Mapping[str, str] | None = None,
    *,
    type_name: Callable[[AlertType], str] = lambda kind: kind.value,
    camera_name: Callable[[str], str] = str,
) -> str:
    """A self-contained HTML page (inline style; QTextDocument renders it for the PDF).

    ``type_name`` and ``camera_name`` turn codes into what a reader knows (the UI passes
    its translated alert types and the site's camera names).
    """
    text = {**LABELS, **(labels or {})}
    e = html.escape
    started = report.started_at.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M:%S")
    rows = []
    for item in report.incidents:
        delay = item.time_to_acknowledge_s
        if delay is None:
            ack = f"<span style='color:#c62828'>{e(text['missed'])}</span>"
        elif not item.acknowledged_in_time:
            ack = f"{delay:.1f} ({e(text['late'])})"
        else:
            ack = f"{delay:.1f}"
        classified = (
            text["none"]
            if item.classify_as is None
            else f"{type_name(item.classified_as) if item.classified_as else text['none']}"
            f"{_mark(item.classification_correct)}"
        )
        dispatch = f"{_yes(item.dispatched, text)}{_mark(item.dispatch_correct)}"
        rows.append(
            "<tr>"
            f"<td>{e(item.incident)}</td><td>{e(camera_name(item.camera_id))}</td>"
            f"<td>{e(type_name(item.alert_type))}</td><td>{item.at_s:.0f}</td>"
            f"<td>{_yes(item.detected, text)}</td><td>{ack}</td><td>{e(classified)}</td>"
            f"<td>{e(dispatch)}</td><td>{item.points} / {item.max_points}</td>"
            "</tr>"
        )
    alarms = [
        "<tr>"
        f"<td>{e(a.label)}</td><td>{e(camera_name(a.camera_id))}</td>"
        f"<td>{_yes(a.dismissed, text)}{_mark(a.dismissed)}</td><td>{a.points} / 1</td>"
        "</tr>"
        for a in report.false_alarms
    ]
    others = [
        "<tr>"
        f"<td>{e(camera_name(o.camera_id))}</td><td>{e(type_name(o.alert_type))}</td>"
        f"<td>{'' if o.raised_s is None else f'{o.raised_s:.0f}'}</td>"
        f"<td>{e(o.final_status.value)}</td>"
        "</tr>"
        for o in report.other_alerts
    ]
    head = "".join(
        f"<th>{e(text[k])}</th>"
        for k in (
            "incident",
            "camera",
            "type",
            "at",
            "detected",
            "ack_time",
            "classified",
            "dispatch",
            "points",
        )
    )
    style = (
        "body{font-family:sans-serif;font-size:10pt} table{border-collapse:collapse}"
        " th,td{border:1px solid #9aa5b1;padding:3px 6px}"
        " th{background:#dfe6ee;color:#10161c;text-align:left}"
        " .banner{background:#b26a00;color:white;font-weight:bold;padding:4px 8px}"
    )
    parts = [
        f"<html><head><meta charset='utf-8'><style>{style}</style></head><body>",
        f"<p class='banner'>{e(text['banner'])}</p>",
        f"<h2>{e(text['title'])}</h2>",
        "<table>",
        f"<tr><th>{e(text['scenario'])}</th><td>{e(report.scenario)}</td></tr>",
        f"<tr><th>{e(text['trainee'])}</th><td>{e(report.trainee)}</td></tr>",
        f"<tr><th>{e(text['run'])}</th><td>{e(report.run_id)}</td></tr>",
        f"<tr><th>{e(text['started'])}</th><td>{e(started)}</td></tr>",
        f"<tr><th>{e(text['duration'])}</th><td>{report.duration_s:.0f} s</td></tr>",
        f"<tr><th>{e(text['score'])}</th><td><b>{report.points} / {report.max_points}"
        f" ({report.percent:.0f}%)</b></td></tr>",
        "</table>",
        f"<h3>{e(text['incidents'])}</h3>",
        f"<table><tr>{head}</tr>{''.join(rows)}</table>",
    ]
    if alarms:
        parts += [
            f"<h3>{e(text['false_alarms'])}</h3>",
            f"<table><tr><th>{e(text['alarm'])}</th><th>{e(text['camera'])}</th>"
            f"<th>{e(text['dismissed'])}</th><th>{e(text['points'])}</th></tr>"
            f"{''.join(alarms)}</table>",
        ]
    if others:
        parts += [
            f"<h3>{e(text['other_alerts'])}</h3>",
            f"<table><tr><th>{e(text['camera'])}</th><th>{e(text['type'])}</th>"
            f"<th>{e(text['at'])}</th><th>{e(text['status'])}</th></tr>{''.join(others)}</table>",
        ]
    parts.append("</body></html>")
    return "\n".join(parts)


CSV_COLUMNS = (
    "row",
    "label",
    "camera_id",
    "type",
    "at_s",
    "acknowledged",
    "time_to_acknowledge_s",
    "classify_as",
    "classified_as",
    "dispatch_expected",
    "dispatched",
    "dismissed",
    "points",
    "max_points",
)


def report_csv(report: ScoreReport) -> str:
    """One row per incident and false alarm, and a total row (UTF-8, comma separated)."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for item in report.incidents:
        delay = item.time_to_acknowledge_s
        writer.writerow(
            [
                "incident",
                item.incident,
                item.camera_id,
                item.alert_type.value,
                f"{item.at_s:.1f}",
                item.detected,
                "" if delay is None else f"{delay:.1f}",
                item.classify_as.value if item.classify_as else "",
                item.classified_as.value if item.classified_as else "",
                item.dispatch_expected,
                item.dispatched,
                "",
                item.points,
                item.max_points,
            ]
        )
    for alarm in report.false_alarms:
        writer.writerow(
            [
                "false_alarm",
                alarm.label,
                alarm.camera_id,
                "",
                "" if alarm.raised_s is None else f"{alarm.raised_s:.1f}",
                "",
                "",
                "",
                "",
                "",
                "",
                alarm.dismissed,
                alarm.points,
                1,
            ]
        )
    writer.writerow(["total", report.scenario, "", "", "", "", "", "", "", "", "", "",
                     report.points, report.max_points])  # fmt: skip
    return stream.getvalue()
