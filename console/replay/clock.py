"""One playback clock for up to four recordings: play, pause, step, seek, speed.

The clock maps wall time (monotonic) to recording time (UTC epoch seconds). Every view
asks its playback for the frame at the clock's position, so the cameras stay in step
whatever each one's frame rate or gaps.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from console.replay.player import Playback, ReplayFrame

SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
MAX_SYNCED = 4


class PlaybackClock:
    def __init__(
        self, position_s: float = 0.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._clock = clock
        self._anchor_position = position_s
        self._anchor_wall = clock()
        self.speed = 1.0
        self.playing = False
        self.end_s: float | None = None

    @property
    def position_s(self) -> float:
        if not self.playing:
            return self._anchor_position
        position = self._anchor_position + (self._clock() - self._anchor_wall) * self.speed
        if self.end_s is not None and position >= self.end_s:
            self.seek(self.end_s)
            self.playing = False
            return self.end_s
        return position

    def _reanchor(self, position_s: float) -> None:
        self._anchor_position = position_s
        self._anchor_wall = self._clock()

    def play(self) -> None:
        if not self.playing:
            self._reanchor(self._anchor_position)
            self.playing = True

    def pause(self) -> None:
        if self.playing:
            self._reanchor(self.position_s)
            self.playing = False

    def seek(self, position_s: float) -> None:
        self._reanchor(position_s)

    def set_speed(self, speed: float) -> None:
        if speed not in SPEEDS:
            raise ValueError(f"speed must be one of {', '.join(f'{s:g}x' for s in SPEEDS)}")
        self._reanchor(self.position_s)
        self.speed = speed


class SyncedReplay:
    """Up to four playbacks on one clock (the first is the one steps follow)."""

    def __init__(self, playbacks: Sequence[Playback], clock: PlaybackClock | None = None) -> None:
        if not 1 <= len(playbacks) <= MAX_SYNCED:
            raise ValueError(f"replay shows 1 to {MAX_SYNCED} cameras, got {len(playbacks)}")
        self.playbacks = list(playbacks)
        self.clock = clock or PlaybackClock(min(p.start_s for p in playbacks))
        self.clock.end_s = self.end_s

    @property
    def start_s(self) -> float:
        return min(p.start_s for p in self.playbacks)

    @property
    def end_s(self) -> float:
        return max(p.end_s for p in self.playbacks)

    def frames(self) -> list[ReplayFrame | None]:
        """Each camera's frame at the clock's position (None in a gap)."""
        position = self.clock.position_s
        return [p.frame_at(position) for p in self.playbacks]

    def seek(self, time_s: float) -> None:
        self.clock.seek(min(max(time_s, self.start_s), self.end_s))

    def step(self, frames: int = 1) -> float:
        """Pause and move ``frames`` frames of the first camera forward or back."""
        self.clock.pause()
        position = self.clock.position_s
        lead = self.playbacks[0]
        for _ in range(abs(frames)):
            moved = lead.next_time(position) if frames > 0 else lead.previous_time(position)
            if moved is None:
                break
            position = moved
        self.clock.seek(position)
        return position

    def close(self) -> None:
        for playback in self.playbacks:
            playback.close()
