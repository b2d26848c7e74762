"""Ground truth of a real recording, labelled by a person (docs/ACCURACY.md, "Ground truth").

One YAML file per clip names the clip (file name and SHA-256), the site file and camera
whose zones, lines and rules apply to it, every rule-relevant event with its times, and the
road users crossing each counting line. Validated with pydantic: an unknown key, a time
outside the clip, a line or rule the camera does not have is an error that says where.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from console.domain.classes import ROAD_USER_CLASSES, VEHICLE_CLASSES
from console.domain.records import AlertType

# The alert types a labeller can mark (camera health is not a road event).
EventType = Literal[
    "wrong_way",
    "stopped_vehicle",
    "speeding",
    "red_light",
    "lane_violation",
    "pedestrian",
    "congestion",
]
VEHICLES = "vehicles"  # every vehicle class together


class TruthFileError(ValueError):
    """A ground-truth file that cannot be used; the message says which file and why."""


class StrictTruth(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class TruthEvent(StrictTruth):
    """One rule-relevant event seen in the clip."""

    type: EventType = Field(description="The alert the event should raise.")
    start_s: float = Field(ge=0, description="Seconds from the clip's start when it begins.")
    end_s: float = Field(ge=0, description="Seconds from the clip's start when it ends.")
    area: tuple[float, float, float, float] | None = Field(
        None,
        description="Optional normalized box (x1, y1, x2, y2, 0..1) the road user stays in "
        "during the event: an alert elsewhere does not match it.",
    )
    note: str = Field("", description="What the labeller saw.")

    @model_validator(mode="after")
    def verify_times(self) -> TruthEvent:
        if self.end_s < self.start_s:
            raise ValueError(f"end_s {self.end_s:g} is before start_s {self.start_s:g}")
        if self.area is not None:
            x1, y1, x2, y2 = self.area
            if not (0 <= x1 < x2 <= 1 and 0 <= y1 < y2 <= 1):
                raise ValueError(
                    "area is (x1, y1, x2, y2) with 0 <= x1 < x2 <= 1 and 0 <= y1 < y2 <= 1"
                )
        return self

    @property
    def alert_type(self) -> AlertType:
        return AlertType(self.type)


class TruthCount(StrictTruth):
    """How many road users crossed one counting line during the clip."""

    line: str = Field(description="Id of the camera's line (a line_count rule counts on it).")
    classes: Literal["vehicles"] | list[str] = Field(
        "vehicles", description="'vehicles' (every vehicle class) or a list of class names."
    )
    direction: Literal["any", "forward", "backward"] = Field(
        "any", description="Crossings counted: either way, or one direction of the line."
    )
    count: int = Field(ge=0, description="Crossings counted by the labeller.")
    uncertainty: int = Field(
        0,
        ge=0,
        description="Crossings the labeller could not be sure of: the true count lies within "
        "count +- uncertainty (a moving camera, glare, a road user hidden behind another).",
    )
    note: str = Field("", description="How it was counted, what was hard to tell.")

    @field_validator("classes")
    @classmethod
    def known_classes(cls, value: str | list[str]) -> str | list[str]:
        if isinstance(value, list):
            unknown = sorted(set(value) - set(ROAD_USER_CLASSES))
            if unknown or not value:
                raise ValueError(
                    f"unknown classes {unknown}; use 'vehicles' or some of "
                    f"{list(ROAD_USER_CLASSES)}"
                )
        return value

    @property
    def class_names(self) -> frozenset[str]:
        return frozenset(VEHICLE_CLASSES if self.classes == VEHICLES else self.classes)

    @property
    def label(self) -> str:
        classes = self.classes if isinstance(self.classes, str) else "+".join(self.classes)
        return f"{self.line} ({classes}, {self.direction})"


class GroundTruth(StrictTruth):
    """The labels of one clip."""

    clip: str = Field(description="The recording's file name (the camera's stream is this file).")
    sha256: str = Field(
        pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the recording the labels are for."
    )
    site: str = Field(description="Site file with the camera, relative to this file.")
    camera: str = Field(description="Id of the camera in the site file.")
    duration_s: float = Field(gt=0, description="Length of the clip, seconds.")
    labelled_by: str = Field(min_length=1, description="Who labelled it, and how.")
    events: list[TruthEvent] = Field(
        description="Every rule-relevant event in the clip; an empty list says there is none."
    )
    counts: list[TruthCount] = Field(default_factory=list, description="Crossings per line.")
    notes: str = Field("", description="Anything a reader of the report should know.")

    @model_validator(mode="after")
    def verify_inside_clip(self) -> GroundTruth:
        for index, event in enumerate(self.events):
            if event.end_s > self.duration_s + 0.5:
                raise ValueError(
                    f"events[{index}] ends at {event.end_s:g} s, after the clip's "
                    f"{self.duration_s:g} s"
                )
        return self


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_truth(path: Path) -> GroundTruth:
    """Read and validate a ground-truth file; :class:`TruthFileError` says what is wrong."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise TruthFileError(f"cannot read the ground-truth file {path}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise TruthFileError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise TruthFileError(f"{path}: expected a mapping of clip, sha256, site, camera, ...")
    try:
        return GroundTruth.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or '(file)'}: {error['msg']}"
            for error in exc.errors()
        )
        raise TruthFileError(f"{path}: {problems}") from exc
