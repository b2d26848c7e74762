"""Cameras and files through OpenCV's FFmpeg backend."""

from __future__ import annotations

import os
import time
from pathlib import Path
from urllib.parse import urlsplit

import cv2

from console.config.secrets import expand_env, mask_url
from console.domain.health import StreamState
from console.sources.base import EndOfStreamError, Frame, SourceError
from console.sources.probe import diagnose_network_url
from console.sources.stream_url import NETWORK_SCHEMES, file_path_of

# RTSP over TCP survives NAT and packet loss on provincial links far better than UDP.
# OpenCV opens one stream at a time (a lock around FFmpeg's open), and FFmpeg by default
# reads up to 5 s of a new stream to guess its parameters: a 10 fps sub-stream took 2.9 s
# to open, so sixteen cameras took 46 s until the last one showed. The RTSP session
# description already carries the stream's parameters: half a second of probing (and up
# to 1 MB, a 4K key frame) opens it in 0.7 s (docs/DECISIONS.md).
os.environ.setdefault(
    "OPENCV_FFMPEG_CAPTURE_OPTIONS", "rtsp_transport;tcp|analyzeduration;500000|probesize;1000000"
)


class OpenCvSource:
    """RTSP/HTTP cameras, video files (optionally looping) and local capture devices."""

    def __init__(
        self,
        url: str,
        *,
        loop: bool = True,
        base_dir: Path | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        self.url = url
        self.loop = loop
        self.timeout_s = timeout_s
        scheme = urlsplit(url).scheme.lower()
        self.is_network = scheme in NETWORK_SCHEMES
        self.is_device = scheme == "device"
        self.path = None if self.is_network or self.is_device else file_path_of(url, base_dir)
        self.needs_pacing = self.path is not None
        self.fps = 0.0
        self._capture: cv2.VideoCapture | None = None
        self._index = 0
        self._frame_count = 0

    def __repr__(self) -> str:
        return f"OpenCvSource({mask_url(self.url)!r})"

    def open(self) -> None:
        self.close()
        if self.path is not None:
            self._capture = self._open_file(self.path)
        elif self.is_device:
            self._capture = self._open_device()
        else:
            self._capture = self._open_network()
        fps = self._capture.get(cv2.CAP_PROP_FPS)
        self.fps = float(fps) if fps and 1 <= fps <= 240 else 25.0
        self._frame_count = int(self._capture.get(cv2.CAP_PROP_FRAME_COUNT) or 0)

    def _open_file(self, path: Path) -> cv2.VideoCapture:
        if not path.exists():
            raise SourceError(f"file not found: {path}", StreamState.ERROR)
        if not path.is_file():
            raise SourceError(f"not a file: {path}", StreamState.ERROR)
        if path.stat().st_size == 0:
            raise SourceError(f"the file is empty (0 bytes): {path.name}", StreamState.ERROR)
        capture = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
        if not capture.isOpened():
            capture.release()
            raise SourceError(
                f"not a video OpenCV can decode (corrupt or unsupported): {path.name}",
                StreamState.ERROR,
            )
        ok, _ = capture.read()
        if not ok:
            capture.release()
            raise SourceError(
                f"the file has no readable video frames: {path.name}", StreamState.ERROR
            )
        capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
        return capture

    def _open_device(self) -> cv2.VideoCapture:
        index_text = urlsplit(self.url).netloc or urlsplit(self.url).path.strip("/")
        try:
            index = int(index_text)
        except ValueError:
            raise SourceError(
                f"device URL needs a number, e.g. device://0 (got {self.url})", StreamState.ERROR
            ) from None
        capture = cv2.VideoCapture(index)
        if not capture.isOpened():
            raise SourceError(f"capture device {index} is not available", StreamState.ERROR)
        return capture

    def _open_network(self) -> cv2.VideoCapture:
        timeout_ms = int(self.timeout_s * 1000)
        params = [
            cv2.CAP_PROP_OPEN_TIMEOUT_MSEC,
            timeout_ms,
            cv2.CAP_PROP_READ_TIMEOUT_MSEC,
            timeout_ms,
        ]
        try:
            real_url = expand_env(self.url)
        except LookupError as exc:
            raise SourceError(str(exc), StreamState.ERROR) from None
        capture = cv2.VideoCapture(real_url, cv2.CAP_FFMPEG, params)
        if not capture.isOpened():
            capture.release()
            reason = diagnose_network_url(self.url)
            state = (
                StreamState.ERROR
                if reason.startswith(("401", "403", "404"))
                else StreamState.OFFLINE
            )
            raise SourceError(reason, state)
        return capture

    def read(self) -> Frame:
        if self._capture is None:
            raise SourceError("source is not open")
        ok, image = self._capture.read()
        if not ok or image is None:
            if self.path is not None:
                if self.loop and self._index > 0:
                    self._capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
                    ok, image = self._capture.read()
                if not ok or image is None:
                    if not self.loop:
                        raise EndOfStreamError(str(self.path))
                    raise SourceError(f"decoding failed in {self.path.name}", StreamState.ERROR)
            else:
                raise SourceError(
                    f"no frames for {self.timeout_s:g} s (stream ended or stalled)",
                    StreamState.STALLED,
                )
        position = self._capture.get(cv2.CAP_PROP_POS_MSEC) / 1000.0 if self.path else None
        frame = Frame(image, self._index, time.monotonic(), time.time(), position)
        self._index += 1
        return frame

    @property
    def duration_s(self) -> float:
        """Length of a file (0 for streams and devices, or when the file does not say)."""
        if self.path is None or self._frame_count <= 0 or self.fps <= 0:
            return 0.0
        return self._frame_count / self.fps

    def seek(self, position_s: float) -> None:
        """Go to ``position_s`` seconds into a file (the next read returns that frame)."""
        if self._capture is None or self.path is None:
            return
        frame = int(position_s * self.fps) % max(1, self._frame_count)
        self._capture.set(cv2.CAP_PROP_POS_FRAMES, frame)

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None
