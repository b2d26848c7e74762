"""A number plate read from an alert's vehicle: the text, its colour and how sure we are.

The plate reader (``console.plates``) produces it, the alert carries it, the evidence
banner and the case record print it, and an operator may correct it (audited).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class PlateColour(StrEnum):
    """Background colour of a Vietnamese plate, which says who the vehicle belongs to."""

    WHITE = "white"  # private and business vehicles
    YELLOW = "yellow"  # commercial transport (taxis, lorries, buses) since 2020
    BLUE = "blue"  # state agencies
    RED = "red"  # military
    UNKNOWN = "unknown"


class PlateSource(StrEnum):
    READER = "reader"  # read by the plate reader
    OPERATOR = "operator"  # entered or corrected by an operator (audited)


@dataclass(frozen=True, slots=True)
class PlateRead:
    """One plate: ``text`` is the display form ("30E-123.45", "29-B1 123.45")."""

    text: str
    colour: PlateColour = PlateColour.UNKNOWN
    confidence: float = 0.0
    lines: int = 1
    valid: bool = False  # the text parses as a Vietnamese plate (province code, series)
    source: PlateSource = PlateSource.READER
    frames: int = 1  # frames of the track whose reads were voted on

    @property
    def key(self) -> str:
        return plate_key(self.text)


_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


def plate_key(text: str) -> str:
    """The search key of a plate: upper case, no diacritics, no punctuation or spaces.

    "29-b1 123.45", "29B1-12345" and "29B112345" all give "29B112345"; "Đ" becomes "D".
    """
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_ALNUM.sub("", ascii_only.upper())
