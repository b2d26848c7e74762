"""Per-camera multi-object tracking."""
