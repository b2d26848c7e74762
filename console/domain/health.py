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
    target_fps: float = 0.0  # the analysis rate the camera asks for (detect_fps)
    budget_fps: float = 0.0  # its share of the detector's measured capacity now
    skipped_by_budget: int = 0  # analyses the camera asked for that the budget refused
    skipped_by_motion: int = 0  # frames analysed without the detector: nothing moved

    @property
    def at_floor(self) -> bool:
        """The detector is so overloaded that this camera gets only the minimum rate."""
        return 0 < self.budget_fps < self.target_fps and self.budget_fps <= 1.0 + 1e-6

    @property
    def overload_text(self) -> str:
        """What an operator or IT admin should read about this camera's analysis rate."""
        if not self.budget_fps or self.budget_fps >= self.target_fps - 1e-6:
            return ""
        text = (
            f"analysed at {self.analysis_fps:.1f} of {self.target_fps:g} fps: "
            "the detector cannot serve every camera"
        )
        if self.at_floor:
            text += (
                "; at the minimum rate - put fewer cameras on this PC, give them a smaller "
                "image_size, or move cameras to an analytics node"
            )
        return text
