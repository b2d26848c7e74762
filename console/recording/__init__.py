"""Continuous recording of camera streams in indexed MP4 segments with their metadata."""

from console.recording.index import HealthChange, RecordingIndex, Segment
from console.recording.metadata import SegmentMetadata
from console.recording.recorder import (
    CameraRecorder,
    RecordingOptions,
    SiteRecorder,
    recordings_folder,
)

__all__ = [
    "CameraRecorder",
    "HealthChange",
    "RecordingIndex",
    "RecordingOptions",
    "Segment",
    "SegmentMetadata",
    "SiteRecorder",
    "recordings_folder",
]
