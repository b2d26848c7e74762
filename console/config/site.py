"""Site-level models of the site file: the centre, its routes, cameras, model and storage."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator

from console.config.geometry import (
    Calibration,
    Lane,
    Line,
    RuleConfig,
    StrictModel,
    Zone,
    road_user_classes,
)
from console.config.secrets import env_references, has_clear_password
from console.domain.classes import ClassName

STREAM_SCHEMES = ("rtsp", "rtsps", "http", "https", "file", "device", "sim")
Identifier = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
Priority = Literal["critical", "high", "medium", "low"]


def _check_env_references(value: str, info: ValidationInfo) -> str:
    environ = (info.context or {}).get("environ")
    if environ is not None:
        missing = [name for name in env_references(value) if name not in environ]
        if missing:
            raise ValueError(
                f"refers to environment variable {missing[0]}, which is not set "
                f"(set it before starting RoadWatch, e.g. export {missing[0]}=...)"
            )
    return value


def _check_stream_url(value: str, info: ValidationInfo) -> str:
    scheme = urlsplit(value).scheme.lower()
    if "://" in value and scheme not in STREAM_SCHEMES:
        raise ValueError(
            f"unsupported stream scheme '{scheme}://'; use one of "
            + ", ".join(f"{s}://" for s in STREAM_SCHEMES)
        )
    if has_clear_password(value):
        raise ValueError(
            "the password is written in clear text; put it in an environment variable and "
            "write it as ${NAME}, e.g. rtsp://admin:${CAM_PASSWORD}@10.0.0.5/stream"
        )
    return _check_env_references(value, info)


StreamUrl = Annotated[str, Field(min_length=1, max_length=2048), AfterValidator(_check_stream_url)]
SecretTemplate = Annotated[str, Field(max_length=2048), AfterValidator(_check_env_references)]


class SiteInfo(StrictModel):
    id: Identifier = Field(description="Short identifier of the centre, e.g. 'bac-ninh'.")
    name: str = Field(min_length=1, max_length=200, description="Name shown in the title bar.")
    timezone: str = Field("Asia/Ho_Chi_Minh", description="IANA zone used to show times.")
    language: Literal["vi", "en"] = Field("vi", description="Default interface language.")
    unit: str = Field(
        "",
        max_length=200,
        description="The detecting unit printed on evidence and named in case records, e.g. "
        "'Phòng CSGT Công an tỉnh Bắc Ninh'. Empty: the evidence says the unit is not set.",
    )

    @field_validator("timezone")
    @classmethod
    def verify_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone '{value}'; use an IANA name such as Asia/Ho_Chi_Minh"
            ) from None
        return value


class RouteMarker(StrictModel):
    km: float = Field(ge=0, le=3000, description="Kilometre post.")
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class Route(StrictModel):
    id: Identifier = Field(description="Route code as signposted, e.g. QL1, QL18.")
    name: str = Field(min_length=1, max_length=200)
    markers: list[RouteMarker] = Field(min_length=2, description="Km posts in increasing km order.")

    @model_validator(mode="after")
    def verify_markers_increase(self) -> Route:
        kms = [m.km for m in self.markers]
        if any(b <= a for a, b in zip(kms, kms[1:], strict=False)):
            raise ValueError("markers must be listed in strictly increasing km order")
        return self


class Streams(StrictModel):
    main: StreamUrl = Field(description="Stream shown on the wall (full resolution).")
    detect: StreamUrl | None = Field(None, description="Low-resolution stream for analysis.")
    evidence: Literal["main", "detect"] = Field(
        "main",
        description="The stream evidence clips are cut from when a detect stream is set: "
        "'main' (full resolution; a headless analytics node then decodes both streams) or "
        "'detect' (a headless node decodes only the low-resolution stream: about a third of "
        "the decoding of a 720p camera, clips at the detect stream's resolution).",
    )


class Camera(StrictModel):
    id: Identifier = Field(description="Unique camera identifier.")
    name: str = Field(min_length=1, max_length=200, description="Name shown to operators.")
    route: Identifier = Field(description="Id of the route the camera watches.")
    km: float = Field(ge=0, le=3000, description="Kilometre position on the route.")
    area: str = Field("", max_length=200, description="Town or district, for grouping.")
    device_id: str | None = Field(
        None,
        min_length=1,
        max_length=100,
        description="The camera device's own identifier (serial number or asset tag), kept "
        "in evidence records; default: the camera id.",
    )
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    streams: Streams
    detect_fps: float = Field(5.0, gt=0, le=30, description="Analysed frames per second.")
    enabled: bool = True
    record: bool = Field(False, description="Record the display stream continuously.")
    classes: list[ClassName] = Field(default_factory=road_user_classes)
    confidence: float | None = Field(None, gt=0, lt=1, description="Overrides the model's.")
    image_size: int | None = Field(
        None,
        ge=160,
        le=1920,
        multiple_of=32,
        description="Detector input width for this camera; overrides the model's. Larger "
        "finds smaller, farther road users at a higher cost (e.g. a long highway view).",
    )
    detect_region: Literal["zones", "full"] = Field(
        "zones",
        description="What the detector looks at: 'zones' crops each frame to the bounding "
        "box of the camera's zones, lanes and lines (with room above them for tall "
        "vehicles), at an input size that keeps the pixels per metre; 'full' the whole frame. "
        "A camera without zones, lanes or lines always uses the whole frame.",
    )
    detect_tiles: Literal["off", "auto"] | Annotated[int, Field(ge=1, le=8)] = Field(
        "off",
        description="Also run the detector on overlapping tiles of the region's far half, "
        "for small, far road users (a pedestrian 10 px wide, motorbikes at the far end of a "
        "wide view): 'off'; 'auto' (tiles of the model's input size at the frame's own "
        "resolution, when the region is at least 1.25 times the input); or N tiles across "
        "the width (finer). Each tile costs one more model pass per analysed frame "
        "(console/pipeline/tiles.py, docs/MODELS.md).",
    )
    zones: list[Zone] = Field(default_factory=list)
    lines: list[Line] = Field(default_factory=list)
    lanes: list[Lane] = Field(default_factory=list)
    calibration: Calibration | None = None
    rules: list[RuleConfig] = Field(default_factory=list)

    @property
    def device(self) -> str:
        """The device identifier evidence records name: ``device_id``, else the camera id."""
        return self.device_id or self.id


# Two boxes of one class overlapping more than this are one object (see DECISIONS 10).
DEFAULT_NMS_IOU = 0.5
MIN_IMAGE_SIZE, MAX_IMAGE_SIZE = 160, 1920
# The detector input sizes ``image_size: auto`` chooses from (DECISIONS 16, 17): below 480 only
# when the cameras would otherwise not get their minimum rates.
AUTO_IMAGE_SIZES = (320, 384, 480, 640, 800)


class ModelSettings(StrictModel):
    path: str = Field(
        "yolo11n.pt",
        description="Model file (.pt, .onnx, OpenVINO folder) or an Ultralytics model name.",
    )
    device: str = Field("cpu", pattern=r"^(cpu|cuda|cuda:\d+)$")
    confidence: float = Field(0.35, gt=0, lt=1)
    image_size: int | Literal["auto"] = Field(
        640,
        description="Detector input width in pixels (a multiple of 32 from 160 to 1920), or "
        "'auto': at start, the largest of 480, 640 and 800 px that the measured model time "
        "allows for the enabled cameras' detect_fps (console/pipeline/input_size.py).",
    )
    nms_iou: float = Field(
        DEFAULT_NMS_IOU,
        gt=0,
        lt=1,
        description="Two boxes of one class overlapping more than this are one object. "
        "Ultralytics' 0.7 kept a second box on one vehicle often enough to switch its id.",
    )
    threads: Annotated[int, Field(ge=1, le=256)] | Literal["auto"] = Field(
        "auto",
        description="CPU threads per inference, or 'auto': half the cores, at least one, "
        "leaving the rest to decoding, plate reading and the display "
        "(console/detect/inference_threads.py).",
    )

    @field_validator("image_size", mode="before")
    @classmethod
    def verify_image_size(cls, value: object) -> object:
        if isinstance(value, str) and value.strip().lower() == "auto":
            return "auto"
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and MIN_IMAGE_SIZE <= value <= MAX_IMAGE_SIZE
            and value % 32 == 0
        ):
            return value
        raise ValueError(
            f"image_size must be 'auto' or a number of pixels, a multiple of 32 from "
            f"{MIN_IMAGE_SIZE} to {MAX_IMAGE_SIZE} such as 640 (got {value!r})"
        )

    @property
    def explicit_image_size(self) -> int | None:
        """The input size the site file sets; None for ``auto`` (chosen at start)."""
        return None if self.image_size == "auto" else self.image_size

    @property
    def nominal_image_size(self) -> int:
        """The size set, or for ``auto`` the largest it may choose.

        For tools that measure nothing live (the model card, offline reports); the running
        size of ``auto`` is chosen by console/pipeline/input_size.py.
        """
        return self.explicit_image_size or max(AUTO_IMAGE_SIZES)


class StorageSettings(StrictModel):
    data_dir: Path | None = Field(
        None, description="Local database and evidence; default: user data dir."
    )
    evidence_budget_gb: float = Field(50.0, gt=0, le=100_000)
    retention_days: int = Field(90, ge=1, le=3650)


class CentralSettings(StrictModel):
    url: SecretTemplate = Field(
        description="SQLAlchemy URL of the central PostgreSQL; password as ${ENV_VAR}."
    )
    sslmode: Literal["disable", "prefer", "require", "verify-ca", "verify-full"] = "prefer"

    @field_validator("url")
    @classmethod
    def verify_postgres_url(cls, value: str) -> str:
        if not value.startswith(("postgresql://", "postgresql+psycopg://")):
            raise ValueError("central storage must be a PostgreSQL URL (postgresql+psycopg://...)")
        if has_clear_password(value):
            raise ValueError("the password is written in clear text; write it as ${ENV_VAR}")
        return value


class BusTls(StrictModel):
    ca_file: Path | None = Field(None, description="CA certificate that signed the servers'.")
    cert_file: Path | None = Field(None, description="This machine's client certificate.")
    key_file: Path | None = Field(None, description="Its private key.")


class BusSettings(StrictModel):
    """The site bus (NATS with JetStream): analytics nodes, display consoles, other systems."""

    servers: list[SecretTemplate] = Field(
        min_length=1, description="NATS server URLs, e.g. nats://10.0.0.10:4222 (one per member)."
    )
    user: SecretTemplate | None = Field(None, description="Bus user name, or ${ENV_VAR}.")
    password: SecretTemplate | None = Field(
        None, description="Bus password, always as ${ENV_VAR} (environment or OS keyring)."
    )
    nkey_seed_file: Path | None = Field(None, description="NKey seed file (instead of a password).")
    tls: BusTls | None = None
    lease_ttl_s: float = Field(
        6.0,
        ge=2.0,
        le=120.0,
        description="A camera lease lapses this long after its owner's last renewal; another "
        "node then analyses the camera.",
    )
    node_capacity: int = Field(
        8, ge=1, le=500, description="Cameras a node takes when `roadwatch node` is not told."
    )
    console_analyses: bool = Field(
        False,
        description="Consoles analyse cameras themselves as well (normally only nodes do, and "
        "consoles show what the nodes publish).",
    )

    @field_validator("servers")
    @classmethod
    def verify_servers(cls, value: list[str]) -> list[str]:
        for url in value:
            scheme = urlsplit(url).scheme.lower()
            if scheme not in ("nats", "tls", "ws", "wss"):
                raise ValueError(f"'{url}' is not a NATS URL; write nats://HOST:4222")
            if has_clear_password(url):
                raise ValueError("the password is written in clear text; use bus.password")
        return value

    @field_validator("password")
    @classmethod
    def verify_password_reference(cls, value: str | None) -> str | None:
        if value is not None and not env_references(value):
            raise ValueError("write the bus password as ${ENV_VAR}, never in clear text")
        return value


class PatrolUnit(StrictModel):
    call_sign: Identifier
    route: Identifier
    km_from: float = Field(ge=0, le=3000)
    km_to: float = Field(ge=0, le=3000)
    status: Literal["available", "en_route", "on_scene", "off_duty"] = "available"


DEFAULT_PRIORITIES: dict[str, Priority] = {
    "wrong_way": "critical",
    "pedestrian": "high",
    "stopped_vehicle": "high",
    "red_light": "medium",
    "speeding": "medium",
    "congestion": "medium",
    "lane_violation": "low",
    "camera_health": "medium",
    "line_count": "low",
}
