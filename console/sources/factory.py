"""Choose the source class for a stream URL."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from console.sources.base import FrameSource
from console.sources.opencv_source import OpenCvSource


def make_source(
    url: str, *, base_dir: Path | None = None, loop_files: bool = True, timeout_s: float = 10.0
) -> FrameSource:
    """A new, unopened source for ``url`` (``sim://``, ``rtsp://``, ``http://``, files...)."""
    if urlsplit(url).scheme.lower() == "sim":
        from console.sim.clip_cache import cached_clip

        clip = cached_clip(url)
        if clip is not None:  # rendered once before: played like a file camera (C decoding)
            return OpenCvSource(str(clip), loop=loop_files, base_dir=base_dir)
        from console.sources.sim_source import SimSource  # the simulator is only loaded when used

        return SimSource(url, base_dir=base_dir)
    return OpenCvSource(url, loop=loop_files, base_dir=base_dir, timeout_s=timeout_s)
