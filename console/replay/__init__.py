"""Replay of recordings and video files: playback by time, one clock, timeline, export."""

from console.replay.clock import SPEEDS, PlaybackClock, SyncedReplay
from console.replay.player import CameraPlayback, FilePlayback, Playback, ReplayFrame
from console.replay.timeline import Gap, Interval, Timeline, build_timeline

__all__ = [
    "SPEEDS",
    "CameraPlayback",
    "FilePlayback",
    "Gap",
    "Interval",
    "Playback",
    "PlaybackClock",
    "ReplayFrame",
    "SyncedReplay",
    "Timeline",
    "build_timeline",
]
