"""Named wall arrangements (layout + camera per position), saved in the user's settings."""

from __future__ import annotations

import json
from dataclasses import dataclass

from PySide6.QtCore import QSettings

from console.config.wall_layouts import LAYOUTS

GROUP = "wall_presets"


@dataclass(frozen=True, slots=True)
class WallPreset:
    name: str
    layout: str
    camera_ids: tuple[str | None, ...]


class WallPresets:
    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    def names(self) -> list[str]:
        self.settings.beginGroup(GROUP)
        try:
            return sorted(self.settings.childKeys())
        finally:
            self.settings.endGroup()

    def save(self, preset: WallPreset) -> None:
        value = json.dumps({"layout": preset.layout, "cameras": list(preset.camera_ids)})
        self.settings.setValue(f"{GROUP}/{preset.name}", value)
        self.settings.sync()

    def load(self, name: str) -> WallPreset | None:
        raw = self.settings.value(f"{GROUP}/{name}")
        try:
            data = json.loads(str(raw))
            layout = str(data["layout"])
            cameras = tuple(str(c) if c else None for c in data["cameras"])
        except (TypeError, ValueError, KeyError):
            return None  # a damaged entry is ignored, never fatal
        if layout not in LAYOUTS:
            return None
        return WallPreset(name, layout, cameras)

    def delete(self, name: str) -> None:
        self.settings.remove(f"{GROUP}/{name}")
