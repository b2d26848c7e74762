"""Training scenarios: what a trainee watches and what they are expected to do.

A training scenario (YAML) names up to four feeds, each shown as one of the site's cameras
(whose zones and rules then apply): a simulator scene with scripted incidents, or a stretch
of a recording. For every incident it lists the expected response (acknowledge within N s,
classify as a type, dispatch or not), and it may script false alarms the trainee should
dismiss. Only a trainer may save one (``create_training_scenario``).
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from console.domain.records import AlertType
from console.security.audit import AuditAction, AuditLog
from console.security.guard import checked
from console.security.roles import Actor, Permission
from console.sim.scenario import ScenarioError, load_scenario

INCIDENT_ALERT = {
    "wrong_way": AlertType.WRONG_WAY,
    "stopped_vehicle": AlertType.STOPPED_VEHICLE,
    "speeding": AlertType.SPEEDING,
    "red_light": AlertType.RED_LIGHT,
    "congestion": AlertType.CONGESTION,
    "pedestrian_on_road": AlertType.PEDESTRIAN,
    "lane_violation": AlertType.LANE_VIOLATION,
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SimulatorFeed(_Model):
    """A simulator scene; its scripted incidents start ``start_offset_s`` later in the run."""

    kind: Literal["simulator"]
    scenario: str = Field(description="Simulator scenario: bundled name or path of its YAML.")
    seed: int = Field(1, ge=0, description="Traffic seed (the same seed replays identically).")


class RecordingFeed(_Model):
    """A stretch of a camera's recording, played from the start of the run."""

    kind: Literal["recording"]
    camera: str = Field(description="Id of the recorded camera.")
    start: datetime = Field(description="UTC start of the stretch to play.")
    end: datetime = Field(description="UTC end of the stretch to play.")


class Feed(_Model):
    camera_id: str = Field(description="Site camera it plays as (its zones and rules apply).")
    source: Annotated[SimulatorFeed | RecordingFeed, Field(discriminator="kind")]
    start_offset_s: float = Field(0.0, ge=0.0, le=3600.0, description="Delay of its incidents.")


class ExpectedResponse(_Model):
    """What the trainee should do about one incident."""

    incident: str = Field(description="Incident id in the simulator scenario, or a label.")
    camera_id: str = Field(description="Camera (feed) where it happens.")
    alert_type: AlertType | None = Field(None, description="Default: the incident's own type.")
    at_s: float | None = Field(
        None, ge=0.0, description="Seconds into the run; default: the scripted start."
    )
    window_s: float = Field(60.0, gt=0.0, description="How long after at_s its alert may come.")
    acknowledge_within_s: float = Field(30.0, gt=0.0)
    classify_as: AlertType | None = Field(None, description="Classification expected, if any.")
    dispatch: bool = Field(False, description="Whether a patrol unit should be dispatched.")


class FalseAlarm(_Model):
    """A scripted false alert: the trainee should mark it as a false positive."""

    id: str
    camera_id: str
    at_s: float = Field(ge=0.0)
    type: AlertType = AlertType.PEDESTRIAN
    message: str = "scripted false alarm"
    dismiss_within_s: float = Field(60.0, gt=0.0)


class TrainingScenario(_Model):
    schema_version: Literal[1] = 1
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    duration_s: float = Field(120.0, gt=0.0, le=4 * 3600.0)
    feeds: list[Feed] = Field(min_length=1, max_length=4)
    expected: list[ExpectedResponse] = Field(default_factory=list)
    false_alarms: list[FalseAlarm] = Field(default_factory=list)
    author: str = ""

    @model_validator(mode="after")
    def verify_references(self) -> TrainingScenario:
        cameras = [feed.camera_id for feed in self.feeds]
        if len(set(cameras)) != len(cameras):
            raise ValueError("each feed needs its own camera_id")
        items: list[ExpectedResponse | FalseAlarm] = [*self.expected, *self.false_alarms]
        for item in items:
            if item.camera_id not in cameras:
                raise ValueError(f"camera {item.camera_id!r} is not one of the feeds {cameras}")
        for response in self.expected:
            feed = self.feed(response.camera_id)
            if isinstance(feed.source, RecordingFeed) and response.at_s is None:
                raise ValueError(f"incident {response.incident!r} on a recording needs at_s")
            if isinstance(feed.source, RecordingFeed) and response.alert_type is None:
                raise ValueError(f"incident {response.incident!r} on a recording needs alert_type")
        return self

    def feed(self, camera_id: str) -> Feed:
        return next(feed for feed in self.feeds if feed.camera_id == camera_id)


def scripted_incident(feed: Feed, incident_id: str) -> tuple[float, AlertType]:
    """Run time and alert type of a simulator feed's scripted incident."""
    assert isinstance(feed.source, SimulatorFeed)
    sim = load_scenario(feed.source.scenario)
    for number, incident in enumerate(sim.incidents, start=1):
        name = incident.id or f"{incident.type}-{number}"
        if name == incident_id:
            return feed.start_offset_s + incident.start_s, INCIDENT_ALERT[incident.type]
    names = [i.id or f"{i.type}-{n}" for n, i in enumerate(sim.incidents, start=1)]
    raise ScenarioError(f"incident {incident_id!r} is not in {feed.source.scenario} ({names})")


def response_time_and_type(
    scenario: TrainingScenario, response: ExpectedResponse
) -> tuple[float, AlertType]:
    feed = scenario.feed(response.camera_id)
    if isinstance(feed.source, SimulatorFeed):
        at_s, kind = scripted_incident(feed, response.incident)
        return (response.at_s if response.at_s is not None else at_s), response.alert_type or kind
    assert response.at_s is not None and response.alert_type is not None
    return response.at_s, response.alert_type


def load_training_scenario(path: Path) -> TrainingScenario:
    """Read and validate; errors name the file and field."""
    try:
        document = YAML(typ="safe").load(io.StringIO(Path(path).read_text(encoding="utf-8")))
    except (OSError, YAMLError) as error:
        raise ScenarioError(f"{path}: cannot read the training scenario: {error}") from error
    try:
        scenario = TrainingScenario.model_validate(document)
    except ValidationError as error:
        problems = "\n".join(
            f"  {'.'.join(str(p) for p in item['loc']) or 'scenario'}: {item['msg']}"
            for item in error.errors()
        )
        raise ScenarioError(f"{path}: invalid training scenario\n{problems}") from error
    for response in scenario.expected:
        response_time_and_type(scenario, response)  # the incident ids exist
    return scenario


def save_training_scenario(
    scenario: TrainingScenario, path: Path, actor: Actor, audit: AuditLog | None = None
) -> Path:
    """Write a scenario file; only a role with ``create_training_scenario`` may (trainer)."""
    user = checked(actor, Permission.CREATE_TRAINING_SCENARIO, audit, "save a training scenario")
    scenario = scenario.model_copy(update={"author": scenario.author or user.username})
    for response in scenario.expected:
        response_time_and_type(scenario, response)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    stream = io.StringIO()
    yaml = YAML(typ="safe")
    yaml.default_flow_style = False
    yaml.dump(scenario.model_dump(mode="json", exclude_defaults=False), stream)
    path.write_text(stream.getvalue(), encoding="utf-8")
    if audit is not None:
        audit.record(
            user.username, AuditAction.TRAINING_SCENARIO, {"name": scenario.name, "path": str(path)}
        )
    return path


def scenario_files(folder: Path) -> list[Path]:
    return sorted(Path(folder).glob("*.yaml")) if Path(folder).is_dir() else []


BUNDLED_SCENARIOS = Path(__file__).resolve().parent / "scenarios"
