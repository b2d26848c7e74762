"""The Vietnamese plate format: parse what OCR read, correct look-alike characters, display.

A civil plate is a two-digit province code, a series and a number:

- cars (one line, or two on square plates): ``30E-123.45``, older ``30E-1234``;
  series of one or two letters (``LD`` joint ventures, ``KT`` economic zones, ``NG``/``NN``/
  ``QT`` foreign and diplomatic).
- motorbikes (two lines): ``29-B1 123.45`` (letter and digit), ``29-AA 123.45`` (two letters,
  under 50 cc), ``29-MĐ1 123.45`` (electric); older numbers have four digits.

Position decides whether a glyph is a digit or a letter, so OCR's usual swaps (O/0, B/8,
S/5, Z/2, I/1, G/6, A/4, T/7, D/0) are corrected by position and counted: a reading that
needs fewer corrections is preferred, and the count lowers the confidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from console.domain.plates import plate_key

# Province codes in use (Circular 79/2024/TT-BCA, annex); 80 is the central agencies' code.
PROVINCE_CODES = frozenset(
    {11, 12, *range(14, 39), 40, 41, 43, *range(47, 87), 88, 89, 90, 92, 93, 94, 95, 97, 98, 99}
)
# Series letters; I, J, O, Q and W are not issued (they read as digits or other letters).
SERIES_LETTERS = frozenset("ABCDEFGHKLMNPRSTUVXYZ")
TWO_LETTER_SERIES = frozenset({"LD", "KT", "NG", "NN", "QT", "CV", "DA", "MD", "TD", "HC"})

_TO_DIGIT = {"O": "0", "D": "0", "Q": "0", "U": "0", "I": "1", "L": "1", "J": "1", "T": "7",
             "Z": "2", "S": "5", "B": "8", "G": "6", "A": "4"}
_TO_LETTER = {"0": "D", "1": "T", "2": "Z", "4": "A", "5": "S", "6": "G", "7": "T", "8": "B",
              "O": "D", "Q": "D", "I": "T", "J": "T", "W": "V"}
_ALNUM = re.compile(r"[0-9A-Z]+")
_DOTTED = re.compile(r"[0-9A-Za-z]{3}\.[0-9A-Za-z]{2}")


@dataclass(frozen=True, slots=True)
class ParsedPlate:
    province: str
    series: str  # "E", "LD", "B1", "AA", "MD1"
    number: str  # four or five digits
    corrections: int  # glyphs changed by position to make it fit

    @property
    def motorbike(self) -> bool:
        """Two-line motorbike plates: a digit in the series, MĐ, or two letters not a car's."""
        if self.series[-1].isdigit() or len(self.series) == 3:
            return True
        return len(self.series) == 2 and self.series not in TWO_LETTER_SERIES

    @property
    def text(self) -> str:
        number = f"{self.number[:3]}.{self.number[3:]}" if len(self.number) == 5 else self.number
        series = self.series.replace("MD", "MĐ") if self.series.startswith("MD") else self.series
        if self.motorbike:
            return f"{self.province}-{series} {number}"
        return f"{self.province}{series}-{number}"

    @property
    def key(self) -> str:
        return plate_key(self.text)


def _digits(text: str) -> tuple[str, int] | None:
    out, fixes = [], 0
    for ch in text:
        if ch.isdigit():
            out.append(ch)
        elif ch in _TO_DIGIT:
            out.append(_TO_DIGIT[ch])
            fixes += 1
        else:
            return None
    return "".join(out), fixes


def _letter(ch: str) -> tuple[str, int] | None:
    if ch in SERIES_LETTERS:
        return ch, 0
    fixed = _TO_LETTER.get(ch)
    return (fixed, 1) if fixed is not None and fixed in SERIES_LETTERS else None


def _series(raw: str, motorbike: bool | None) -> tuple[str, int] | None:
    """Series of 1-3 glyphs: letter, letter+letter, letter+digit, or MD+digit."""
    first = _letter(raw[0])
    if first is None:
        return None
    if len(raw) == 1:
        return (first[0], first[1]) if motorbike is not True else None
    if len(raw) == 3:
        if raw[:2] not in {"MD", "M0"} or not raw[2].isdigit():
            return None
        return "MD" + raw[2], int(raw[1] == "0")
    second = raw[1]
    if second.isdigit() and motorbike is not False:
        return first[0] + second, first[1]
    as_letter = _letter(second)
    if as_letter is None:
        return None
    pair = first[0] + as_letter[0]
    if motorbike is False and pair not in TWO_LETTER_SERIES:
        return None
    return pair, first[1] + as_letter[1]


def parse_plate(text: str, lines: int | None = None) -> ParsedPlate | None:
    """The best reading of ``text`` as a Vietnamese civil plate, or None.

    ``lines`` (1 or 2) is how many text lines the plate had: two lines mean a motorbike
    unless the series is letters only. Punctuation, spaces and case are ignored.
    """
    key = "".join(_ALNUM.findall(plate_key(text)))
    dotted = _DOTTED.search(text) is not None  # "123.45": a five-digit number
    best: ParsedPlate | None = None
    for series_len in (1, 2, 3):
        for number_len in (5, 4):
            if 2 + series_len + number_len != len(key):
                continue
            for motorbike in _motorbike_options(lines, series_len):
                candidate = _assemble(key, series_len, motorbike)
                if candidate is None:
                    continue
                if best is None or _rank(candidate, lines, dotted) < _rank(best, lines, dotted):
                    best = candidate
    return best


def _motorbike_options(lines: int | None, series_len: int) -> tuple[bool | None, ...]:
    if series_len == 1:
        return (False,)
    if lines == 1:
        return (False,)
    return (None,)


def _assemble(key: str, series_len: int, motorbike: bool | None) -> ParsedPlate | None:
    province = _digits(key[:2])
    series = _series(key[2 : 2 + series_len], motorbike)
    number = _digits(key[2 + series_len :])
    if province is None or series is None or number is None:
        return None
    if int(province[0]) not in PROVINCE_CODES:
        return None
    return ParsedPlate(province[0], series[0], number[0], province[1] + series[1] + number[1])


def _rank(plate: ParsedPlate, lines: int | None, dotted: bool) -> tuple[int, int, int, int]:
    """How good a reading is: lower is better.

    Fewer corrections first; then a printed dot's five digits (a square car plate's
    "29A / 790.93" is no motorbike's "29-A7 9093"); then the shape the line count
    suggests; then five-digit numbers.
    """
    dot_mismatch = int(dotted and len(plate.number) != 5)
    shape_mismatch = int(lines is not None and (lines == 2) != plate.motorbike)
    return plate.corrections, dot_mismatch, shape_mismatch, -len(plate.number)


def display_text(text: str, lines: int | None = None) -> str:
    """The canonical display of a plate if it parses, else the upper-cased input as typed."""
    parsed = parse_plate(text, lines)
    return parsed.text if parsed is not None else " ".join(text.upper().split())
