"""The evidence banner: a strip added below a picture that prints the record's fields.

The strip never covers the picture: it is appended under it, as tall as its text needs.
The type scales with the image width and never falls below ``MIN_FONT_PX``, and text that
does not fit on one line wraps onto the next instead of being cut off, so every field is
readable on a 320-px frame as on a 4K one (tests/core/test_evidence_banner.py reads them
back with OCR). Vietnamese needs a font with its diacritics (the Hershey fonts of OpenCV
are ASCII only), so the text is drawn with Pillow in Noto Sans, shipped in
resources/fonts under the SIL Open Font License (docs/DECISIONS.md 19).
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

log = logging.getLogger(__name__)

FONT_FILE = Path(str(files("resources").joinpath("fonts/NotoSans-Regular.ttf")))
# 14 px Noto Sans has 10-px capitals: the smallest size people and OCR read reliably.
MIN_FONT_PX = 14
# 1280 px wide -> 21 px type, 3840 -> 64 px: about 100 characters per line at any width.
WIDTH_PER_FONT_PX = 60
LINE_SPACING = 1.3
FIELD_SEPARATOR = "   "
TEXT_GREY = 255
STRIP_GREY = 0

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def font_px_for(width: int) -> int:
    """The type size for an image ``width`` pixels wide."""
    return max(MIN_FONT_PX, round(width / WIDTH_PER_FONT_PX))


@lru_cache(maxsize=16)
def _font(size: int) -> tuple[Font, bool]:
    """The banner font at ``size`` px and whether it has Vietnamese (False: fallback)."""
    try:
        return ImageFont.truetype(str(FONT_FILE), size), True
    except OSError:
        # A damaged install must not lose evidence: print ASCII with Pillow's own font.
        log.error("banner font %s missing: evidence printed without diacritics", FONT_FILE)
        return ImageFont.load_default(size), False


def _without_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def _width(font: Font, text: str) -> float:
    return float(font.getlength(text))


def _wrap_words(text: str, font: Font, max_width: float) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``max_width``.

    A single word wider than the line (a long id) is broken between characters.
    """
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if _width(font, candidate) <= max_width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for character in word:
            if current and _width(font, current + character) > max_width:
                lines.append(current)
                current = ""
            current += character
    if current or not lines:
        lines.append(current)
    return lines


def layout(fields: Sequence[str], font: Font, max_width: float) -> list[str]:
    """The banner's lines: whole fields side by side while they fit, long ones wrapped.

    A wrapped field keeps its lines to itself, so no field starts mid-line after another's
    tail.
    """
    lines: list[str] = []
    current = ""
    for field in fields:
        candidate = f"{current}{FIELD_SEPARATOR}{field}" if current else field
        if _width(font, candidate) <= max_width:
            current = candidate
            continue
        if current:
            lines.append(current)
        pieces = _wrap_words(field, font, max_width)
        if len(pieces) == 1:
            current = pieces[0]
        else:
            lines.extend(pieces)
            current = ""
    if current:
        lines.append(current)
    return lines


def render_strip(
    fields: Sequence[str], width: int, font_px: int | None = None, background: int = STRIP_GREY
) -> np.ndarray:
    """A BGR strip ``width`` pixels wide with ``fields`` printed white on ``background`` grey.

    Its height is what the lines need (rounded up to an even number, which video
    encoders with 4:2:0 chroma require).
    """
    font, has_vietnamese = _font(font_px or font_px_for(width))
    texts = [unicodedata.normalize("NFC", f) for f in fields if f]
    if not has_vietnamese:
        texts = [_without_diacritics(t) for t in texts]
    size = font.size if isinstance(font, ImageFont.FreeTypeFont) else MIN_FONT_PX
    margin = max(4, round(size * 0.4))
    lines = layout(texts, font, width - 2 * margin)
    line_height = round(size * LINE_SPACING)
    height = 2 * margin + line_height * len(lines)
    height += height % 2
    canvas = Image.new("L", (width, height), background)
    draw = ImageDraw.Draw(canvas)
    for number, line in enumerate(lines):
        draw.text((margin, margin + number * line_height), line, fill=TEXT_GREY, font=font)
    grey = np.asarray(canvas)
    return np.repeat(grey[:, :, None], 3, axis=2)


def with_strip(image: np.ndarray, strip: np.ndarray) -> np.ndarray:
    """``image`` with ``strip`` below it (a new array; the picture itself is untouched)."""
    if strip.shape[1] != image.shape[1]:
        raise ValueError(
            f"the banner strip is {strip.shape[1]} px wide and the image {image.shape[1]} px; "
            "render the strip at the image's width"
        )
    return np.vstack([image, strip.astype(image.dtype, copy=False)])


def add_banner(image: np.ndarray, fields: Sequence[str]) -> np.ndarray:
    """``image`` with a strip below it printing ``fields`` (see ``render_strip``)."""
    return with_strip(image, render_strip(fields, image.shape[1]))
