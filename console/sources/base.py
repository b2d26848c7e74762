"""What every frame source provides, and the records it produces."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from console.domain.health import StreamState


@dataclass(frozen=True, slots=True)
class Frame:
    """One decoded image and when it arrived (monotonic for latency, epoch for records)."""

    image: np.ndarray
    index: int
    captured_mono: float
    captured_epoch: float
    position_s: float | None = None  # position inside a file or simulation, if any

    @property
    def nbytes(self) -> int:
        return int(self.image.nbytes)


class SourceError(Exception):
    """A source cannot deliver frames; ``reason`` is written for an operator to read."""

    def __init__(self, reason: str, state: StreamState = StreamState.OFFLINE) -> None:
        super().__init__(reason)
        self.reason = reason
        self.state = state


class EndOfStreamError(Exception):
    """A finite source (a file without looping) has no more frames."""


class FrameSource(Protocol):
    """A stream of frames. ``read`` blocks until the next frame (or raises)."""

    #: Frames per second the source produces (nominal); 0 when unknown.
    fps: float
    #: True when ``read`` returns as fast as it can (files, simulator): the caller paces it.
    needs_pacing: bool

    def open(self) -> None: ...

    def read(self) -> Frame: ...

    def close(self) -> None: ...
