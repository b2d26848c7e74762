"""Writing MP4 files with OpenCV, whichever codec this OpenCV build can encode."""

from __future__ import annotations

from pathlib import Path

import cv2

# MPEG-4 part 2 is in every OpenCV wheel; H.264 only where the build found an encoder.
MP4_CODECS = ("mp4v", "avc1")


def open_mp4_writer(path: Path, fps: float, size: tuple[int, int]) -> tuple[cv2.VideoWriter, str]:
    """An open writer and the codec it uses; raises RuntimeError when none works."""
    for codec in MP4_CODECS:
        writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*codec), fps, size)
        if writer.isOpened():
            return writer, codec
        writer.release()
    raise RuntimeError(f"OpenCV cannot write MP4 here (tried codecs {', '.join(MP4_CODECS)})")
