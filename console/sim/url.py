"""``sim://SCENE?key=value...`` source URLs."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from console.sim.records import SCENES, Lighting, SimConfig
from console.sim.scenario import ScenarioError, load_scenario, resolve_scenario_path

_FLOAT_KEYS = ("fps", "rain", "noise", "shake", "density")
_INT_KEYS = ("seed", "width", "height", "jpeg")
KNOWN_KEYS = (
    "seed",
    "scenario",
    "lighting",
    "fps",
    "width",
    "height",
    "rain",
    "noise",
    "shake",
    "jpeg",
    "density",
)


def parse_sim_url(url: str) -> SimConfig:
    """Parse e.g. ``sim://highway?seed=3&scenario=speeding&lighting=night&fps=25``.

    ``scenario`` is a path (relative to the current directory, or absolute) or the name of
    a bundled scenario in resources/scenarios. ``jpeg`` is the JPEG quality (1..100) and
    ``density`` the traffic density. Raises ValueError naming the bad part.
    """
    parts = urlsplit(url)
    if parts.scheme != "sim":
        raise ValueError(f"not a simulator URL (expected sim://SCENE?...): {url!r}")
    scene = (parts.netloc or parts.path.lstrip("/")).lower()
    if scene not in SCENES:
        raise ValueError(f"unknown scene {scene!r} in {url!r}; expected one of {', '.join(SCENES)}")
    values: dict[str, str] = {}
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key not in KNOWN_KEYS:
            known = ", ".join(KNOWN_KEYS)
            raise ValueError(f"unknown parameter {key!r} in {url!r}; known: {known}")
        if key in values:
            raise ValueError(f"parameter {key!r} given twice in {url!r}")
        values[key] = value
    numbers: dict[str, float | int] = {}
    for key in _INT_KEYS:
        if key in values:
            try:
                numbers[key] = int(values[key])
            except ValueError:
                raise ValueError(f"{key} must be a whole number, got {values[key]!r}") from None
    for key in _FLOAT_KEYS:
        if key in values:
            try:
                numbers[key] = float(values[key])
            except ValueError:
                raise ValueError(f"{key} must be a number, got {values[key]!r}") from None
    lighting = Lighting.DAY
    if "lighting" in values:
        try:
            lighting = Lighting(values["lighting"].lower())
        except ValueError:
            options = ", ".join(item.value for item in Lighting)
            raise ValueError(
                f"lighting must be one of {options}, got {values['lighting']!r}"
            ) from None
    scenario: Path | None = None
    if values.get("scenario"):
        try:
            scenario = resolve_scenario_path(values["scenario"])
            written_for = load_scenario(scenario).scene
        except ScenarioError as error:
            raise ValueError(str(error)) from None
        if written_for != scene:
            raise ValueError(
                f"scenario {values['scenario']!r} is written for the {written_for} "
                f"scene, not {scene}"
            )
    return SimConfig(
        scene=scene,
        seed=int(numbers.get("seed", 0)),
        width=int(numbers.get("width", 1280)),
        height=int(numbers.get("height", 720)),
        fps=float(numbers.get("fps", 25.0)),
        lighting=lighting,
        rain=float(numbers.get("rain", 0.0)),
        noise=float(numbers.get("noise", 0.0)),
        shake=float(numbers.get("shake", 0.0)),
        jpeg_quality=int(numbers["jpeg"]) if "jpeg" in numbers else None,
        scenario=scenario,
        traffic_density=float(numbers.get("density", 1.0)),
    )
