"""The site file: one YAML document that describes a traffic centre.

``load_site`` returns a validated, immutable :class:`SiteConfig` or raises
:class:`ConfigError` listing every problem with its YAML path and line number.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator
from pydantic_core import ErrorDetails

from console.config.geometry import StrictModel
from console.config.keyring_secrets import EnvironmentAndKeyring
from console.config.plates import PlateSettings
from console.config.site import (
    DEFAULT_PRIORITIES,
    BusSettings,
    Camera,
    CentralSettings,
    ModelSettings,
    PatrolUnit,
    Priority,
    Route,
    SiteInfo,
    StorageSettings,
)
from console.config.yaml_lines import YamlDocument, YamlFileError, load_yaml_file, parse_yaml_text

SCHEMA_VERSION = 1
Location = tuple[str | int, ...]


class SiteConfig(StrictModel):
    """A whole site file, validated."""

    schema_version: Literal[1] = Field(description="Version of the site-file format.")
    site: SiteInfo
    model: ModelSettings = Field(default_factory=ModelSettings)
    storage: StorageSettings = Field(default_factory=StorageSettings)
    central: CentralSettings | None = Field(None, description="Central PostgreSQL; none = offline.")
    bus: BusSettings | None = Field(
        None, description="Site bus (NATS JetStream) to analytics nodes; none = standalone."
    )
    routes: list[Route] = Field(min_length=1)
    cameras: list[Camera] = Field(min_length=1, max_length=2000)
    alert_priorities: dict[str, Priority] = Field(default_factory=lambda: dict(DEFAULT_PRIORITIES))
    patrol_units: list[PatrolUnit] = Field(default_factory=list)
    plates: PlateSettings = Field(
        default_factory=PlateSettings, description="Number-plate reading on vehicle alerts."
    )

    @model_validator(mode="after")
    def verify_references(self) -> SiteConfig:
        problems = [
            *verify_unique_ids(self),
            *verify_camera_routes(self),
            *verify_rule_geometry(self),
            *verify_alert_priorities(self),
        ]
        if problems:
            raise CrossReferenceError(problems)
        return self

    def camera(self, camera_id: str) -> Camera:
        for camera in self.cameras:
            if camera.id == camera_id:
                return camera
        raise KeyError(camera_id)

    def route(self, route_id: str) -> Route:
        for route in self.routes:
            if route.id == route_id:
                return route
        raise KeyError(route_id)


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """One thing wrong with a site file, and where."""

    location: Location
    message: str
    line: int | None = None

    @property
    def dotted(self) -> str:
        text = ""
        for part in self.location:
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
        return text or "(top level)"

    def describe(self, file: Path | None = None) -> str:
        where = (
            f"{file}:{self.line}"
            if file and self.line
            else (f"line {self.line}" if self.line else "")
        )
        prefix = f"{where}: " if where else ""
        return (
            f"{prefix}{self.dotted}: {self.message}" if self.location else f"{prefix}{self.message}"
        )


class CrossReferenceError(Exception):
    """Raised inside validation when parts of the file contradict each other."""

    def __init__(self, problems: list[ConfigProblem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


class ConfigError(ValueError):
    """The site file is unusable; ``problems`` says every reason."""

    def __init__(self, problems: Sequence[ConfigProblem], file: Path | None = None) -> None:
        self.problems = list(problems)
        self.file = file
        count = len(self.problems)
        header = f"{file or 'site file'}: {count} problem{'s' if count != 1 else ''}"
        super().__init__("\n".join([header, *(f"  {p.describe(file)}" for p in self.problems)]))


def verify_unique_ids(site: SiteConfig) -> Iterable[ConfigProblem]:
    seen: dict[str, int] = {}
    for index, camera in enumerate(site.cameras):
        if camera.id in seen:
            yield ConfigProblem(
                ("cameras", index, "id"),
                f"duplicate camera id '{camera.id}' (already used by cameras[{seen[camera.id]}])",
            )
        seen.setdefault(camera.id, index)
    route_ids: set[str] = set()
    for index, route in enumerate(site.routes):
        if route.id in route_ids:
            yield ConfigProblem(("routes", index, "id"), f"duplicate route id '{route.id}'")
        route_ids.add(route.id)
    for cam_index, camera in enumerate(site.cameras):
        names: set[str] = set()
        for kind in ("zones", "lines", "lanes"):
            for index, item in enumerate(getattr(camera, kind)):
                if item.id in names:
                    yield ConfigProblem(
                        ("cameras", cam_index, kind, index, "id"),
                        f"geometry id '{item.id}' is used twice in camera '{camera.id}'",
                    )
                names.add(item.id)


def verify_camera_routes(site: SiteConfig) -> Iterable[ConfigProblem]:
    routes = {route.id: route for route in site.routes}
    for index, camera in enumerate(site.cameras):
        route = routes.get(camera.route)
        if route is None:
            yield ConfigProblem(
                ("cameras", index, "route"),
                f"unknown route '{camera.route}'{_suggest(camera.route, routes)}",
            )
        elif not route.markers[0].km <= camera.km <= route.markers[-1].km:
            yield ConfigProblem(
                ("cameras", index, "km"),
                f"km {camera.km:g} is outside route {route.id} "
                f"(km {route.markers[0].km:g} to {route.markers[-1].km:g})",
            )


_RULE_REFERENCES = {
    "line": "lines",
    "stop_line": "lines",
    "lane": "lanes",
    "zone": "zones",
    "signal_zone": "zones",
}


def verify_rule_geometry(site: SiteConfig) -> Iterable[ConfigProblem]:
    for cam_index, camera in enumerate(site.cameras):
        for rule_index, rule in enumerate(camera.rules):
            for field, collection in _RULE_REFERENCES.items():
                wanted = getattr(rule, field, None)
                if wanted is None:
                    continue
                available = {item.id for item in getattr(camera, collection)}
                if wanted not in available:
                    yield ConfigProblem(
                        ("cameras", cam_index, "rules", rule_index, field),
                        f"{rule.type} rule refers to {collection[:-1]} '{wanted}', which camera "
                        f"'{camera.id}' does not define{_suggest(wanted, available)}",
                    )
            if rule.type == "speeding" and camera.calibration is None:
                yield ConfigProblem(
                    ("cameras", cam_index, "rules", rule_index),
                    "speeding needs a ground-plane calibration (cameras[].calibration) to "
                    "turn pixels into metres",
                )


def verify_alert_priorities(site: SiteConfig) -> Iterable[ConfigProblem]:
    for key in site.alert_priorities:
        if key not in DEFAULT_PRIORITIES:
            yield ConfigProblem(
                ("alert_priorities", key),
                f"unknown alert type '{key}'{_suggest(key, DEFAULT_PRIORITIES)}",
            )


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _without_union_tags(data: Any, location: Location) -> Location:
    """Drop the discriminator values pydantic inserts into paths (rules[0].speeding.x)."""
    kept: list[str | int] = []
    node = data
    for part in location:
        if isinstance(node, Mapping) and part not in node and node.get("type") == part:
            continue
        kept.append(part)
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
    return tuple(kept)


def _describe_error(error: ErrorDetails, document: YamlDocument) -> ConfigProblem:
    location: Location = _without_union_tags(document.data, tuple(error["loc"]))
    kind = error["type"]
    value = error.get("input")
    if kind == "missing":
        field = location[-1]
        return ConfigProblem(
            location, f"required field '{field}' is missing", document.line_of(location[:-1])
        )
    if kind == "extra_forbidden":
        field = str(location[-1])
        parent = _node_at(document.data, location[:-1])
        allowed = _allowed_fields(error, parent)
        return ConfigProblem(
            location,
            f"unknown field '{field}'{_suggest(field, allowed)}",
            document.line_of(location),
        )
    message = error["msg"].removeprefix("Value error, ")
    if isinstance(value, str | int | float | bool) and kind != "value_error":
        shown = value if not isinstance(value, str) or len(value) <= 60 else value[:57] + "..."
        message = f"{message} (got {shown!r})"
    return ConfigProblem(location, message, document.line_of(location))


def _node_at(data: Any, location: Location) -> Any:
    node = data
    for part in location:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _allowed_fields(error: ErrorDetails, parent: Any) -> list[str]:
    del error  # pydantic does not report the allowed keys; the suggestion uses the schema names
    return sorted(_ALL_FIELD_NAMES - (set(parent) if isinstance(parent, Mapping) else set()))


def _collect_field_names() -> frozenset[str]:
    import console.config.geometry as geometry
    import console.config.site as site_models

    names: set[str] = set(SiteConfig.model_fields)
    for module in (geometry, site_models):
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, StrictModel):
                names.update(obj.model_fields)
    return frozenset(names)


_ALL_FIELD_NAMES = _collect_field_names()


def validate_document(
    document: YamlDocument, environ: Mapping[str, str] | None = None
) -> SiteConfig:
    """Validate parsed YAML; raise :class:`ConfigError` with every problem found."""
    if not isinstance(document.data, Mapping):
        raise ConfigError(
            [ConfigProblem((), "the file must be a YAML mapping (key: value lines)", 1)],
            document.path,
        )
    context = {"environ": EnvironmentAndKeyring() if environ is None else environ}
    try:
        return SiteConfig.model_validate(document.data, context=context)
    except ValidationError as exc:
        problems = [_describe_error(error, document) for error in exc.errors()]
        raise ConfigError(problems, document.path) from None
    except CrossReferenceError as exc:
        problems = [
            ConfigProblem(p.location, p.message, document.line_of(p.location)) for p in exc.problems
        ]
        raise ConfigError(problems, document.path) from None


class AnyEnvironment(dict[str, str]):
    """Validation that must not depend on this machine having the site's secrets set."""

    def __contains__(self, key: object) -> bool:
        return True


def load_site(path: Path | str, environ: Mapping[str, str] | None = None) -> SiteConfig:
    """Read, parse and validate a site file."""
    file = Path(path)
    try:
        document = load_yaml_file(file)
    except YamlFileError as exc:
        raise ConfigError([ConfigProblem((), exc.message, exc.line)], file) from None
    return validate_document(document, environ)


def load_site_text(text: str, environ: Mapping[str, str] | None = None) -> SiteConfig:
    try:
        document = parse_yaml_text(text)
    except YamlFileError as exc:
        raise ConfigError([ConfigProblem((), exc.message, exc.line)]) from None
    return validate_document(document, environ)


def demo_site_path() -> Path:
    """The bundled demo site (synthetic cameras, no server needed)."""
    return Path(str(files("resources").joinpath("sites/demo.yaml")))
