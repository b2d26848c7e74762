"""Why a camera is down, in the operator's language.

The core explains failures in English sentences (console/sources: probe and capture) for
logs and the self-check. The console translates the ones it knows by pattern, keeping
names, addresses and numbers; an unknown sentence is shown as the core wrote it.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReasonText", text)


# (pattern of the core's sentence, the same sentence with %1, %2 for the captured parts;
# QT_TRANSLATE_NOOP marks it for lupdate and returns it unchanged)
PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), template)
    for pattern, template in (
        (
            r"connection refused by (\S+) \(nothing listens there\)",
            QT_TRANSLATE_NOOP("ReasonText", "connection refused by %1 (nothing listens there)"),
        ),
        (
            r"no answer from (\S+) within (\S+) s",
            QT_TRANSLATE_NOOP("ReasonText", "no answer from %1 within %2 s"),
        ),
        (
            r"unknown host '(.+)' \(name not found\)",
            QT_TRANSLATE_NOOP("ReasonText", "unknown host '%1' (name not found)"),
        ),
        (
            r"network error reaching (\S+): (.+)",
            QT_TRANSLATE_NOOP("ReasonText", "network error reaching %1: %2"),
        ),
        (
            r"401 Unauthorized: wrong user name or password",
            QT_TRANSLATE_NOOP("ReasonText", "401 Unauthorized: wrong user name or password"),
        ),
        (
            r"403 Forbidden: the camera refuses this user",
            QT_TRANSLATE_NOOP("ReasonText", "403 Forbidden: the camera refuses this user"),
        ),
        (
            r"404 Not Found: wrong stream path",
            QT_TRANSLATE_NOOP("ReasonText", "404 Not Found: wrong stream path"),
        ),
        (
            r"503 Service Unavailable: the camera is busy or has too many clients",
            QT_TRANSLATE_NOOP(
                "ReasonText", "503 Service Unavailable: the camera is busy or has too many clients"
            ),
        ),
        (
            r"the server did not answer as an RTSP camera",
            QT_TRANSLATE_NOOP("ReasonText", "the server did not answer as an RTSP camera"),
        ),
        (
            r"the server accepted the connection but sent no video",
            QT_TRANSLATE_NOOP("ReasonText", "the server accepted the connection but sent no video"),
        ),
        (
            r"the camera answered but the video could not be decoded \(unsupported codec\?\)",
            QT_TRANSLATE_NOOP(
                "ReasonText",
                "the camera answered but the video could not be decoded (unsupported codec?)",
            ),
        ),
        (
            r"no frames for (\S+) s \(stream ended or stalled\)",
            QT_TRANSLATE_NOOP("ReasonText", "no frames for %1 s (stream ended or stalled)"),
        ),
        (r"no frames for (\S+) s", QT_TRANSLATE_NOOP("ReasonText", "no frames for %1 s")),
        (r"the stream ended", QT_TRANSLATE_NOOP("ReasonText", "the stream ended")),
        (r"file not found: (.+)", QT_TRANSLATE_NOOP("ReasonText", "file not found: %1")),
        (
            r"the file is empty \(0 bytes\): (.+)",
            QT_TRANSLATE_NOOP("ReasonText", "the file is empty (0 bytes): %1"),
        ),
        (
            r"not a video OpenCV can decode \(corrupt or unsupported\): (.+)",
            QT_TRANSLATE_NOOP(
                "ReasonText", "not a video that can be decoded (corrupt or unsupported): %1"
            ),
        ),
        (
            r"the file has no readable video frames: (.+)",
            QT_TRANSLATE_NOOP("ReasonText", "the file has no readable video frames: %1"),
        ),
        (r"decoding failed in (.+)", QT_TRANSLATE_NOOP("ReasonText", "decoding failed in %1")),
        (
            r"capture device (\S+) is not available",
            QT_TRANSLATE_NOOP("ReasonText", "capture device %1 is not available"),
        ),
        (r"bad simulator URL: (.+)", QT_TRANSLATE_NOOP("ReasonText", "bad simulator URL: %1")),
    )
)


def reason_text(reason: str) -> str:
    """``reason`` in the current language when its pattern is known, else unchanged."""
    for pattern, template in PATTERNS:
        match = pattern.fullmatch(reason.strip())
        if match:
            text = _tr(template)
            for number, part in enumerate(match.groups(), start=1):
                text = text.replace(f"%{number}", part)
            return text
    return reason
