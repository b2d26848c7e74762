"""Hand-offs between the capture thread and its readers, all bounded."""

from __future__ import annotations

import threading
from collections import deque

from console.sources.base import Frame


class LatestFrameSlot:
    """Holds only the newest frame: a slow reader sees fresh frames, never a backlog.

    Readers remember the ``version`` they last took; frames replaced before anyone took
    them are counted in ``overwritten``.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._frame: Frame | None = None
        self._version = 0
        self._taken_version = 0
        self.overwritten = 0
        self.arrived = threading.Condition(self._lock)
        self.taken = threading.Condition(self._lock)

    def put(self, frame: Frame) -> None:
        with self._lock:
            if self._frame is not None and self._taken_version < self._version:
                self.overwritten += 1
            self._frame = frame
            self._version += 1
            self.arrived.notify_all()

    def latest(self) -> tuple[int, Frame | None]:
        with self._lock:
            return self._version, self._frame

    def take_newer(self, seen_version: int) -> tuple[int, Frame] | None:
        """The newest frame if it is newer than ``seen_version`` (marks it taken)."""
        with self._lock:
            if self._frame is None or self._version <= seen_version:
                return None
            self._taken_version = self._version
            self.taken.notify_all()
            return self._version, self._frame

    def wait_taken(self, stop: threading.Event, poll_s: float = 0.05) -> None:
        """Block until a reader took the newest frame, or ``stop`` is set."""
        with self._lock:
            while self._taken_version < self._version and not stop.is_set():
                self.taken.wait(poll_s)

    def clear(self) -> None:
        with self._lock:
            self._frame = None


class FrameRing:
    """Recent frames for evidence clips, thinned to ``fps`` and bounded by seconds and bytes."""

    def __init__(self, seconds: float = 8.0, max_bytes: int = 192 * 1024 * 1024, fps: float = 10.0):
        self.seconds = seconds
        self.max_bytes = max_bytes
        self.period = 1.0 / fps if fps > 0 else 0.0
        self._frames: deque[Frame] = deque()
        self._next_due = float("-inf")
        self._bytes = 0
        self._lock = threading.Lock()

    def add(self, frame: Frame) -> None:
        with self._lock:
            now = frame.captured_mono
            if now < self._next_due - 1e-6:
                return
            # Keep the average rate at fps even when the input rate is not a multiple of it.
            self._next_due = max(self._next_due + self.period, now - self.period / 2)
            self._frames.append(frame)
            self._bytes += frame.nbytes
            oldest_allowed = now - self.seconds
            while self._frames and (
                self._frames[0].captured_mono < oldest_allowed or self._bytes > self.max_bytes
            ):
                self._bytes -= self._frames.popleft().nbytes

    def between(self, start_mono: float, end_mono: float) -> list[Frame]:
        with self._lock:
            return [f for f in self._frames if start_mono <= f.captured_mono <= end_mono]

    @property
    def nbytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._frames)
