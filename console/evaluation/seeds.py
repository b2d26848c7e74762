"""The simulator seed sets of tests/data/heldout_seeds.yaml: held out, and tuned on.

Thresholds were tuned on the former report's seeds; the held-out set measures the rules on
scenes nobody tuned on. The file says which is which; this module turns a set into the
accuracy harness's cases (the same scenes, scenarios and lengths as console/accuracy.py).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from console.accuracy import DAY_NORMAL_CASES, INCIDENT_CASES, Case
from console.sim.records import Lighting


class SeedFileError(ValueError):
    """The seed file is missing, not YAML, or not in the expected shape."""


class SeedSet(BaseModel):
    """One set of seeds: one per scripted incident scenario, one per normal-traffic scene."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    incidents: dict[str, int] = Field(
        description="Scenario name (console/accuracy.py's INCIDENT_CASES) -> seed."
    )
    normal: dict[str, int] = Field(description="Scene (highway, intersection) -> seed by day.")
    night_offset: int = Field(
        100, ge=1, description="Added to a day seed for the same scene by night."
    )
    other_tuning_seeds: list[int] = Field(
        default_factory=list, description="Further seeds used for tuning (only listed)."
    )

    @model_validator(mode="after")
    def verify_names(self) -> SeedSet:
        scenarios = {case.scenario for case in INCIDENT_CASES}
        unknown = set(self.incidents) - scenarios
        missing = scenarios - set(self.incidents)
        if unknown or missing:
            raise ValueError(
                f"incidents must name each scenario once: unknown {sorted(unknown)}, "
                f"missing {sorted(s for s in missing if s)}"
            )
        scenes = {case.scene for case in DAY_NORMAL_CASES}
        if set(self.normal) != scenes:
            raise ValueError(f"normal must name exactly the scenes {sorted(scenes)}")
        return self

    def all_seeds(self) -> set[int]:
        day = set(self.normal.values())
        return (
            set(self.incidents.values())
            | day
            | {seed + self.night_offset for seed in day}
            | set(self.other_tuning_seeds)
        )

    def incident_cases(self) -> list[Case]:
        """console/accuracy.py's incident cases on this set's seeds."""
        return [replace(case, seed=self.incidents[case.scenario or ""]) for case in INCIDENT_CASES]

    def normal_cases(self, day_minutes: float) -> list[Case]:
        """Normal traffic per scene by day for ``day_minutes``, by night for half as long."""
        day = [
            replace(case, seed=self.normal[case.scene], seconds=day_minutes * 60)
            for case in DAY_NORMAL_CASES
        ]
        night = [
            replace(
                case,
                seed=case.seed + self.night_offset,
                lighting=Lighting.NIGHT,
                seconds=case.seconds / 2,
            )
            for case in day
        ]
        return day + night


class SeedFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    held_out: SeedSet = Field(description="Never tuned on: the report's seeds.")
    tuning: SeedSet = Field(description="The seeds the rules were tuned on.")

    @model_validator(mode="after")
    def verify_disjoint(self) -> SeedFile:
        shared = self.held_out.all_seeds() & self.tuning.all_seeds()
        if shared:
            raise ValueError(f"seeds both held out and tuned on: {sorted(shared)}")
        return self


def load_seed_file(path: Path) -> SeedFile:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return SeedFile.model_validate(data)
    except OSError as exc:
        raise SeedFileError(f"cannot read the seed file {path}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise SeedFileError(f"{path} is not valid YAML: {exc}") from exc
    except ValidationError as exc:
        raise SeedFileError(f"{path}: {exc}") from exc
