"""Plates drawn with a real font on a grey 'vehicle', for the reader's unit tests.

The reader's accuracy is measured on photographs (tests/data/plates, bench/plates.py);
these drawings only pin its behaviour: one and two lines, colours, unreadable input.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT = Path("/usr/share/fonts/truetype/noto/NotoSansMono-Bold.ttf")  # fonts-noto-core


def drawn_plate(
    lines: list[str],
    background: tuple[int, int, int] = (255, 255, 255),
    ink: tuple[int, int, int] = (0, 0, 0),
    size: int = 44,
) -> np.ndarray:
    """A BGR image: the plate on a grey body with a margin, like a vehicle crop."""
    font = ImageFont.truetype(str(FONT), size)
    line_h = int(size * 1.35)
    width = max(int(font.getbbox(line)[2]) for line in lines) + 30
    height = line_h * len(lines) + 20
    plate = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(plate)
    draw.rectangle([2, 2, width - 3, height - 3], outline=ink, width=3)
    for i, line in enumerate(lines):
        draw.text((15, 8 + line_h * i), line, fill=ink, font=font)
    body = Image.new("RGB", (width + 200, height + 160), (90, 90, 100))
    body.paste(plate, (100, 100))
    return cv2.cvtColor(np.array(body), cv2.COLOR_RGB2BGR)
