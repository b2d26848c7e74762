"""A visible watermark (console, operator, export time) on exported images and clip frames.

The stamp goes on a grey strip added below the picture, under the evidence banner (which
it must not cover), wrapped like the banner so it is whole at any width; a faint copy
across the middle means cutting the strips off does not remove the mark.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import cv2
import numpy as np

from console.evidence.banner import render_strip, with_strip
from console.video import open_mp4_writer

_FONT = cv2.FONT_HERSHEY_SIMPLEX
STAMP_GREY = 70  # the stamp's strip: grey, told apart from the evidence banner's black


class WatermarkError(RuntimeError):
    """An evidence image or clip cannot be decoded, so it cannot be watermarked."""


def watermark(image: np.ndarray, text: str, strip: np.ndarray | None = None) -> np.ndarray:
    """A copy of ``image`` with ``text`` faintly across it and on a strip added below it.

    ``strip`` is the stamp's strip when already rendered (every frame of a clip shares one).
    """
    marked = image.copy()
    height, width = marked.shape[:2]
    scale = max(0.4, min(1.0, width / 1400))
    thickness = 1 if scale < 0.7 else 2
    (text_w, _text_h), _baseline = cv2.getTextSize(text, _FONT, scale, thickness)
    centre = marked.copy()
    x = max(4, (width - text_w) // 2)
    cv2.putText(
        centre, text, (x, height // 2), _FONT, scale, (255, 255, 255), thickness, cv2.LINE_AA
    )
    cv2.addWeighted(centre, 0.35, marked, 0.65, 0, marked)
    return with_strip(marked, strip if strip is not None else stamp_strip(text, width))


def stamp_strip(text: str, width: int) -> np.ndarray:
    return render_strip([text], width, background=STAMP_GREY)


def watermark_jpeg(data: bytes, text: str, quality: int = 92) -> bytes:
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise WatermarkError("an evidence image cannot be decoded")
    ok, encoded = cv2.imencode(".jpg", watermark(image, text), [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise WatermarkError("the watermarked image cannot be encoded")
    return encoded.tobytes()


def watermark_clip(data: bytes, text: str, scratch: Path) -> bytes:
    """Re-encode an MP4 clip with the watermark on every frame (OpenCV, same fps and size)."""
    with tempfile.TemporaryDirectory(dir=scratch) as folder:
        source, target = Path(folder) / "source.mp4", Path(folder) / "marked.mp4"
        source.write_bytes(data)
        capture = cv2.VideoCapture(str(source))
        try:
            fps = capture.get(cv2.CAP_PROP_FPS) or 10.0
            ok, frame = capture.read()
            if not ok:
                raise WatermarkError("the evidence clip cannot be decoded")
            height, width = frame.shape[:2]
            strip = stamp_strip(text, width)
            writer, _codec = open_mp4_writer(target, fps, (width, height + strip.shape[0]))
            try:
                while ok:
                    writer.write(watermark(frame, text, strip))
                    ok, frame = capture.read()
            finally:
                writer.release()
        finally:
            capture.release()
        return target.read_bytes()
