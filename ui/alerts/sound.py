"""Alert sounds behind a plain callable, so the console works without an audio stack.

PySide6-Essentials has no QtMultimedia (QSoundEffect lives in PySide6-Addons, ~200 MB
more); see docs/DECISIONS.md. The default player uses QtMultimedia when it is installed
and otherwise the platform bell. Tests pass their own recorder.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication

from console.domain.records import Alert, Severity

log = logging.getLogger(__name__)
SOUNDS_DIR = Path(__file__).resolve().parents[2] / "resources" / "sounds"
SOUND_FILES = {Severity.CRITICAL: "alert-critical.wav", Severity.HIGH: "alert-high.wav"}
SoundPlayer = Callable[[Alert], None]


def loud_enough(alert: Alert) -> bool:
    """Only high-priority alerts make a sound (a calm room hears the ones that matter)."""
    return alert.priority in SOUND_FILES


def default_sound_player() -> SoundPlayer:
    try:
        multimedia = importlib.import_module("PySide6.QtMultimedia")
    except ImportError:
        log.info("QtMultimedia not installed: alert sounds use the system bell")
        return lambda alert: QApplication.beep()
    effects = {}
    for severity, name in SOUND_FILES.items():
        effect = multimedia.QSoundEffect()
        effect.setSource(QUrl.fromLocalFile(str(SOUNDS_DIR / name)))
        effects[severity] = effect

    def play(alert: Alert) -> None:
        effect = effects.get(alert.priority)
        if effect is not None:
            effect.play()

    return play
