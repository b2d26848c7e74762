"""The site file's ``plates:`` section: reading number plates on vehicle alerts."""

from __future__ import annotations

from pydantic import Field

from console.config.geometry import StrictModel


class PlateSettings(StrictModel):
    """Number-plate reading (offline OCR on the evidence frames of each vehicle alert)."""

    read_on_alerts: bool = Field(
        True,
        description="Read the plate of the vehicle of every vehicle alert (wrong way, "
        "speeding, red light, stopped vehicle, lane violation), before its evidence is drawn.",
    )
    frames: int = Field(
        3,
        ge=1,
        le=8,
        description="Frames of the vehicle's track read and voted on (the largest views first); "
        "each costs about 0.1-0.5 s of one CPU core on the evidence thread.",
    )
