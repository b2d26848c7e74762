"""Vietnamese plates: the format, colours, votes across frames, and the offline reader."""

from __future__ import annotations

import numpy as np
import pytest

from console.domain.plates import PlateColour, PlateRead, plate_key
from console.plates.colour import plate_colour
from console.plates.format import display_text, parse_plate
from console.plates.reader import PlateReader
from console.plates.vote import vote
from tests.conftest import require
from tests.core.plate_images import FONT, drawn_plate


@pytest.mark.parametrize(
    ("text", "lines", "display"),
    [
        ("30E-123.45", 1, "30E-123.45"),
        ("30e12345", None, "30E-123.45"),
        ("29-B1 123.45", 2, "29-B1 123.45"),
        ("29B112345", 2, "29-B1 123.45"),
        ("51LD-123.45", 1, "51LD-123.45"),
        ("29-AA 123.45", 2, "29-AA 123.45"),
        ("99-MĐ1 123.45", 2, "99-MĐ1 123.45"),
        ("30A-1234", 1, "30A-1234"),
        ("29B11234", 2, "29-B1 1234"),
        ("29B11234", 1, "29B-112.34"),
    ],
)
def test_plates_parse_to_their_display_form(text: str, lines: int | None, display: str) -> None:
    parsed = parse_plate(text, lines)
    assert parsed is not None and parsed.text == display
    assert parsed.corrections == 0


def test_look_alike_glyphs_are_corrected_by_position_and_counted() -> None:
    parsed = parse_plate("3OE-I23.4S", 1)  # O for 0, I for 1, S for 5
    assert parsed is not None
    assert parsed.text == "30E-123.45" and parsed.corrections == 3
    series_digit = parse_plate("308-123.45", 1)  # 8 where the series letter is: B
    assert series_digit is not None and series_digit.text == "30B-123.45"


@pytest.mark.parametrize("text", ["13A-123.45", "ABC", "30E-123", "3-E12345", "", "30I-123.45X"])
def test_text_that_is_not_a_plate_is_refused(text: str) -> None:
    assert parse_plate(text, 1) is None  # 13 is no province; the rest do not fit
    assert display_text(text) == " ".join(text.upper().split())


def test_search_key_ignores_case_punctuation_spaces_and_diacritics() -> None:
    assert plate_key("29-b1 123.45") == plate_key("29B1-12345") == "29B112345"
    assert plate_key("99-MĐ1 123.45") == "99MD112345"


def test_colour_of_plate_backgrounds() -> None:
    def flat(bgr: tuple[int, int, int]) -> np.ndarray:
        image = np.full((40, 120, 3), bgr, np.uint8)
        image[10:30, 10:110:12] = (20, 20, 20)  # glyph strokes
        return image

    assert plate_colour(flat((245, 245, 245))) is PlateColour.WHITE
    assert plate_colour(flat((0, 200, 250))) is PlateColour.YELLOW
    assert plate_colour(flat((190, 60, 20))) is PlateColour.BLUE
    assert plate_colour(flat((30, 30, 210))) is PlateColour.RED
    assert plate_colour(flat((5, 5, 5))) is PlateColour.UNKNOWN
    assert plate_colour(np.zeros((0, 0, 3), np.uint8)) is PlateColour.UNKNOWN


def test_vote_prefers_agreement_and_valid_reads() -> None:
    agree = PlateRead("30E-123.45", PlateColour.WHITE, 0.9, valid=True)
    other = PlateRead("30E-128.45", PlateColour.WHITE, 0.95, valid=True)
    invalid = PlateRead("30E-12", PlateColour.UNKNOWN, 0.99, valid=False)
    result = vote([agree, other, agree, invalid])
    assert result is not None and result.text == "30E-123.45"
    assert result.frames == 4 and result.colour is PlateColour.WHITE
    assert result.confidence < 0.9  # disagreement costs confidence
    unanimous = vote([agree, agree])
    assert unanimous is not None and unanimous.confidence == pytest.approx(0.9)
    assert vote([]) is None


@pytest.fixture(scope="module")
def reader() -> PlateReader:
    require(FONT.exists(), f"{FONT} (Debian fonts-noto-core, installed by make system-deps)")
    return PlateReader()


@pytest.mark.parametrize(
    ("lines", "background", "ink", "text", "colour"),
    [
        (["30E-123.45"], (255, 255, 255), (0, 0, 0), "30E-123.45", PlateColour.WHITE),
        (["29-B1", "123.45"], (255, 255, 255), (0, 0, 0), "29-B1 123.45", PlateColour.WHITE),
        (["51LD-678.90"], (250, 210, 0), (0, 0, 0), "51LD-678.90", PlateColour.YELLOW),
        (["80A-123.45"], (20, 60, 200), (255, 255, 255), "80A-123.45", PlateColour.BLUE),
    ],
)
def test_reader_reads_one_and_two_line_plates_and_their_colour(
    reader: PlateReader,
    lines: list[str],
    background: tuple[int, int, int],
    ink: tuple[int, int, int],
    text: str,
    colour: PlateColour,
) -> None:
    read = reader.read(drawn_plate(lines, background, ink))
    assert read is not None
    assert read.text == text and read.colour is colour and read.lines == len(lines)
    assert read.valid and 0.5 < read.confidence <= 1.0


def test_reader_returns_none_without_a_plate(reader: PlateReader) -> None:
    assert reader.read(np.full((200, 300, 3), 90, np.uint8)) is None
    assert reader.read(drawn_plate(["TAXI MAI LINH"])) is None  # text, but not a plate
    assert reader.read(np.zeros((0, 0, 3), np.uint8)) is None
