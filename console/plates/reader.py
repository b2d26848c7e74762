"""Find and read the number plate in a vehicle image, offline on the CPU.

PP-OCRv4 (through ``rapidocr-onnxruntime``; the ONNX weights ship inside its wheel under
Apache-2.0) finds text lines with its DB detector and reads them with its CRNN recogniser.
On a vehicle crop the plate is the text that parses as a Vietnamese plate
(:mod:`console.plates.format`): a single line (cars), or two lines one above the other
(motorbikes and square car plates). Other text on the vehicle (a taxi's name, a lorry's
phone number) does not parse and is ignored. Squarish boxes are also split into two halves
and read line by line, because the detector sometimes boxes both lines of a motorbike
plate as one. The plate's colour is taken from the pixels of the plate region.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from itertools import permutations
from typing import Any

import cv2
import numpy as np

from console.domain.plates import PlateRead
from console.plates.colour import plate_colour
from console.plates.format import parse_plate

log = logging.getLogger(__name__)

MIN_SIDE_PX = 96  # smaller crops are upscaled first: the recogniser wants 48-px lines
MAX_SIDE_PX = 1280  # larger ones are reduced: a plate fills far less than the frame
CORRECTION_PENALTY = 0.85  # confidence kept per glyph corrected by position


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of text the OCR found: its corners (pixels of the image read) and score."""

    corners: np.ndarray  # 4 x 2
    text: str
    score: float

    @property
    def top(self) -> float:
        return float(self.corners[:, 1].min())

    @property
    def bottom(self) -> float:
        return float(self.corners[:, 1].max())

    @property
    def left(self) -> float:
        return float(self.corners[:, 0].min())

    @property
    def right(self) -> float:
        return float(self.corners[:, 0].max())

    @property
    def height(self) -> float:
        return self.bottom - self.top


class PlateReader:
    """Reads plates; thread-safe (one OCR call at a time), the model loads on first use."""

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads
        self._engine: Any = None
        self._lock = threading.Lock()

    def _ocr(self) -> Any:
        if self._engine is None:
            from rapidocr_onnxruntime import RapidOCR  # heavy: only when a plate is read

            self._engine = RapidOCR(
                intra_op_num_threads=self.threads, inter_op_num_threads=1, print_verbose=False
            )
        return self._engine

    def read(self, image: np.ndarray) -> PlateRead | None:
        """The plate in ``image`` (a vehicle crop or a plate crop, BGR), or None."""
        if image is None or image.size == 0 or image.ndim != 3:
            return None
        scaled, _factor = _scaled(image)
        scaled = _padded(scaled)
        with self._lock:
            lines = self._lines(scaled)
            lines += self._split_squarish(scaled, lines)
        best: tuple[float, PlateRead] | None = None
        for group in _candidate_groups(lines):
            read = _read_of(group, scaled)
            if read is not None and (best is None or _score(read) > best[0]):
                best = (_score(read), read)
        return best[1] if best is not None else None

    def _lines(self, image: np.ndarray) -> list[TextLine]:
        result, _elapsed = self._ocr()(image)
        lines = []
        for corners, text, score in result or ():
            if any(ch.isalnum() for ch in text):
                lines.append(TextLine(np.asarray(corners, np.float32), text, float(score)))
        return lines

    def _split_squarish(self, image: np.ndarray, lines: list[TextLine]) -> list[TextLine]:
        """Read a two-line plate boxed as one line as two halves (recogniser only)."""
        halves: list[TextLine] = []
        for line in lines:
            width = line.right - line.left
            if line.height <= 0 or width / line.height > 2.2:
                continue
            top, bottom = int(max(0, line.top)), int(min(image.shape[0], line.bottom))
            left, right = int(max(0, line.left)), int(min(image.shape[1], line.right))
            middle = (top + bottom) // 2
            for y0, y1 in ((top, middle), (middle, bottom)):
                crop = image[y0:y1, left:right]
                if crop.size == 0:
                    continue
                result, _ = self._ocr()(crop, use_det=False, use_cls=False)
                if not result:
                    continue
                text, score = result[0][0], float(result[0][1])
                corners = np.array([[left, y0], [right, y0], [right, y1], [left, y1]], np.float32)
                halves.append(TextLine(corners, text, score))
        return halves


def _scaled(image: np.ndarray) -> tuple[np.ndarray, float]:
    height, width = image.shape[:2]
    factor = 1.0
    if min(height, width) < MIN_SIDE_PX:
        factor = MIN_SIDE_PX / min(height, width)
    if max(height, width) * factor > MAX_SIDE_PX:
        factor = MAX_SIDE_PX / max(height, width)
    if factor == 1.0:
        return image, 1.0
    interpolation = cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA
    return cv2.resize(image, None, fx=factor, fy=factor, interpolation=interpolation), factor


def _padded(image: np.ndarray) -> np.ndarray:
    """The image inside a grey border.

    The text detector misses a line that runs to the image's edge (a tight plate crop),
    because it grows its boxes outwards from the text.
    """
    border = max(8, min(image.shape[:2]) // 8)
    return cv2.copyMakeBorder(
        image, border, border, border, border, cv2.BORDER_CONSTANT, value=(128, 128, 128)
    )


def _beside(left: TextLine, right: TextLine) -> bool:
    """Two boxes of one text line: level with each other, ``right`` just after ``left``."""
    height = min(left.height, right.height)
    overlap = min(left.bottom, right.bottom) - max(left.top, right.top)
    gap = right.left - left.right
    return overlap >= 0.6 * height and -0.3 * height <= gap <= 1.0 * height


def _joined(lines: list[TextLine]) -> list[TextLine]:
    """Lines the detector cut in two (a plate's last digits boxed apart), joined again."""
    joined = []
    for left in lines:
        for right in lines:
            if left is not right and _beside(left, right):
                corners = np.concatenate([left.corners, right.corners])
                x0, y0 = corners.min(axis=0)
                x1, y1 = corners.max(axis=0)
                box = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32)
                score = min(left.score, right.score)
                joined.append(TextLine(box, left.text + right.text, score))
    return joined


def _candidate_groups(lines: list[TextLine]) -> list[tuple[TextLine, ...]]:
    """Each line alone (or joined with its cut-off end), and pairs stacked like a plate's."""
    lines = lines + _joined(lines)
    groups: list[tuple[TextLine, ...]] = [(line,) for line in lines]
    for upper, lower in permutations(lines, 2):
        if _stacked(upper, lower):
            groups.append((upper, lower))
    return groups


def _stacked(upper: TextLine, lower: TextLine) -> bool:
    height = max(upper.height, lower.height)
    gap = lower.top - upper.bottom
    if not (-0.35 * height <= gap <= 0.8 * height):
        return False
    if not (0.5 <= upper.height / max(lower.height, 1e-6) <= 2.0):
        return False
    overlap = min(upper.right, lower.right) - max(upper.left, lower.left)
    narrower = min(upper.right - upper.left, lower.right - lower.left)
    return overlap >= 0.5 * narrower


def _read_of(group: tuple[TextLine, ...], image: np.ndarray) -> PlateRead | None:
    text = " ".join(line.text for line in group)
    parsed = parse_plate(text, lines=len(group))
    if parsed is None or ("." in text and len(parsed.number) == 4):
        return None  # a dot is printed only in five-digit numbers ("123.45"): digits are lost
    score = min(line.score for line in group) * CORRECTION_PENALTY**parsed.corrections
    corners = np.concatenate([line.corners for line in group])
    x0, y0 = np.floor(corners.min(axis=0)).astype(int)
    x1, y1 = np.ceil(corners.max(axis=0)).astype(int)
    pad_x, pad_y = (x1 - x0) // 10, (y1 - y0) // 10
    region = image[
        max(0, y0 - pad_y) : min(image.shape[0], y1 + pad_y),
        max(0, x0 - pad_x) : min(image.shape[1], x1 + pad_x),
    ]
    return PlateRead(
        text=parsed.text,
        colour=plate_colour(region),
        confidence=round(score, 3),
        lines=len(group),
        valid=True,
    )


def _score(read: PlateRead) -> float:
    # Two lines that parse together beat one of them alone (its half is rarely a plate).
    return read.confidence + 0.05 * (read.lines - 1)
