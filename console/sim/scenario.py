"""Scenario files: scripted incidents on top of normal traffic (YAML, pydantic 2)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from console.sim.layout import scene_layout

SCENARIO_DIR = Path(__file__).resolve().parents[2] / "resources" / "scenarios"

VehicleClass = Literal["car", "bus", "truck", "motorcycle", "bicycle"]


class _Incident(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str | None = Field(None, description="Name in the ground truth; default TYPE-N.")
    start_s: float = Field(ge=0.0, description="Seconds after frame 0 when the incident begins.")


class WrongWay(_Incident):
    """A vehicle drives its lane against the signed direction."""

    type: Literal["wrong_way"]
    vehicle_class: VehicleClass = Field("car", description="COCO class of the wrong-way driver.")
    lane: str = Field("away-1", description="Lane it drives in (against that lane's direction).")
    speed_mps: float = Field(14.0, gt=0.0, le=40.0, description="Its desired speed.")


class StoppedVehicle(_Incident):
    """A vehicle pulls over (e.g. into the emergency lane) and stays stopped."""

    type: Literal["stopped_vehicle"]
    vehicle_class: VehicleClass = Field("truck", description="COCO class of the vehicle.")
    lane: str = Field("away-e", description="Lane it stops in.")
    stop_at_m: float = Field(60.0, gt=5.0, description="Distance along the lane where it stops.")
    duration_s: float = Field(30.0, gt=0.0, description="How long it stays stopped.")
    speed_mps: float = Field(10.0, gt=0.0, le=30.0, description="Approach speed.")


class Speeding(_Incident):
    """A vehicle at a known constant speed, clear of other traffic in its lane."""

    type: Literal["speeding"]
    vehicle_class: VehicleClass = Field("car", description="COCO class of the speeder.")
    lane: str = Field("away-1", description="Lane it drives in.")
    speed_mps: float = Field(33.0, gt=0.0, le=70.0, description="Its exact speed over ground.")


class RedLight(_Incident):
    """A vehicle crosses the stop line on red (intersection only)."""

    type: Literal["red_light"]
    vehicle_class: VehicleClass = Field("motorcycle", description="COCO class of the runner.")
    lane: str = Field("north-2", description="Signalised approach lane.")
    speed_mps: float = Field(9.0, gt=1.0, le=25.0, description="Its constant speed.")


class Congestion(_Incident):
    """Traffic builds up: more arrivals, desired speeds fall to a crawl, then recover."""

    type: Literal["congestion"]
    lanes: list[str] | None = Field(None, description="Affected lanes; default all away lanes.")
    duration_s: float = Field(60.0, gt=0.0, description="How long the jam lasts.")
    ramp_s: float = Field(15.0, ge=0.0, description="Seconds for speeds to fall to the crawl.")
    crawl_speed_mps: float = Field(2.0, ge=0.0, le=10.0, description="Speed drivers fall to.")
    arrival_factor: float = Field(2.5, ge=1.0, le=10.0, description="Arrival rate multiplier.")


class PedestrianOnRoad(_Incident):
    """A person walks across the carriageway."""

    type: Literal["pedestrian_on_road"]
    at_m: float = Field(70.0, gt=10.0, description="Distance from the camera where they cross.")
    speed_mps: float = Field(1.1, gt=0.2, le=3.0, description="Walking speed.")


class LaneViolation(_Incident):
    """A vehicle drives in a lane not signed for its class."""

    type: Literal["lane_violation"]
    vehicle_class: VehicleClass = Field("motorcycle", description="COCO class of the violator.")
    lane: str = Field("away-1", description="Lane it wrongly uses.")
    speed_mps: float = Field(13.0, gt=0.0, le=40.0, description="Its desired speed.")


Incident = Annotated[
    WrongWay | StoppedVehicle | Speeding | RedLight | Congestion | PedestrianOnRoad | LaneViolation,
    Field(discriminator="type"),
]


class Scenario(BaseModel):
    """A scripted scenario: which scene, how busy, and the incidents to play."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="Short name shown to trainers.")
    description: str = Field("", description="What a trainee should notice.")
    scene: Literal["highway", "intersection"] = Field("highway", description="Scene to play in.")
    duration_s: float = Field(60.0, gt=0.0, description="Suggested clip length.")
    traffic_density: float | None = Field(
        None, ge=0.0, le=5.0, description="Overrides the source's traffic density."
    )
    incidents: list[Incident] = Field(default_factory=list, description="Scripted incidents.")

    @model_validator(mode="after")
    def verify_incidents_fit_scene(self) -> Scenario:
        layout = scene_layout(self.scene)
        seen: set[str] = set()
        for number, incident in enumerate(self.incidents, start=1):
            lanes = getattr(incident, "lanes", None) or []
            lane = getattr(incident, "lane", None)
            for lane_id in [*lanes, *([lane] if lane else [])]:
                layout.lane(lane_id)  # raises with the list of known lanes
            if isinstance(incident, RedLight):
                if layout.signal is None:
                    raise ValueError(f"incident {number}: red_light needs a signalised scene")
                if layout.lane(incident.lane).signal_group is None:
                    raise ValueError(f"incident {number}: lane {incident.lane} has no signal")
            name = incident_id(incident, number)
            if name in seen:
                raise ValueError(f"incident {number}: duplicate id {name!r}")
            seen.add(name)
        return self


def incident_id(incident: _Incident, number: int) -> str:
    return incident.id or f"{getattr(incident, 'type', 'incident')}-{number}"


class ScenarioError(ValueError):
    """A scenario file that cannot be read or does not validate."""


def resolve_scenario_path(name_or_path: str | Path) -> Path:
    """A path as given (relative to the current directory), else a bundled scenario name."""
    path = Path(name_or_path).expanduser()
    if path.is_file():
        return path.resolve()
    bundled = SCENARIO_DIR / path.name
    dashed = SCENARIO_DIR / path.name.replace("_", "-")
    for candidate in (bundled, bundled.with_suffix(".yaml"), dashed.with_suffix(".yaml")):
        if candidate.is_file():
            return candidate
    names = ", ".join(sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml")))
    raise ScenarioError(f"scenario {str(name_or_path)!r} not found; bundled scenarios: {names}")


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; errors name the file, field and YAML line."""
    resolved = resolve_scenario_path(path)
    text = resolved.read_text(encoding="utf-8")
    yaml = YAML(typ="rt")
    try:
        document = yaml.load(io.StringIO(text))
    except YAMLError as error:
        raise ScenarioError(f"{resolved}: not valid YAML: {error}") from error
    if not isinstance(document, dict):
        raise ScenarioError(f"{resolved}: expected a mapping at the top level")
    try:
        return Scenario.model_validate(_plain(document))
    except ValidationError as error:
        problems = []
        for item in error.errors():
            where = ".".join(str(part) for part in item["loc"])
            line = _line_of(document, item["loc"])
            at = f" (line {line})" if line else ""
            problems.append(f"  {where or 'scenario'}{at}: {item['msg']}")
        raise ScenarioError(f"{resolved}: invalid scenario\n" + "\n".join(problems)) from error


def _plain(node: object) -> object:
    if isinstance(node, dict):
        return {str(key): _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(value) for value in node]
    return node


def _line_of(document: object, loc: tuple[int | str, ...]) -> int | None:
    """1-based YAML line of the deepest existing node on ``loc``."""
    node = document
    line: int | None = None
    for part in loc:
        lc = getattr(node, "lc", None)
        try:
            if isinstance(node, dict) and part in node:
                if lc is not None:
                    line = lc.key(part)[0] + 1
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                if lc is not None:
                    line = lc.item(part)[0] + 1
                node = node[part]
            else:
                continue  # discriminator tags such as 'wrong_way' are not YAML nodes
        except (KeyError, IndexError, TypeError):
            break
    return line
