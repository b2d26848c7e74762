"""Camera health as the core reports it and the UI shows it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class StreamState(StrEnum):
    CONNECTING = "connecting"
    LIVE = "live"
    STALLED = "stalled"
    OFFLINE = "offline"
    ERROR = "error"
    DISABLED = "disabled"


@dataclass(frozen=True, slots=True)
class CameraHealth:
    """One camera's state with the reason a person can act on."""

    camera_id: str
    state: StreamState
    reason: str = ""
    retry_in_s: float | None = None
    input_fps: float = 0.0
    analysis_fps: float = 0.0
    dropped_frames: int = 0
