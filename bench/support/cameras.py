"""Cameras for the benchmarks: the demo site's simulator streams, or the same scenes over RTSP.

``sim``: the simulator renders each camera in the benchmark's own process (about 4 ms of
NumPy/OpenCV drawing per 1280x720 frame, much of it holding the GIL), so it competes with
what is measured. ``rtsp``: each camera's scene is rendered once into a clip, re-encoded to
H.264 (cached in ``build/bench-clips``) and served by the real gst-rtsp-server of the
integration tests in its own process, passing the H.264 through; the process under test
then decodes RTSP in FFmpeg as it would with real cameras.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from console.sim.export import export_clip
from console.sim.url import parse_sim_url
from tests.integration.rtsp import RtspServer, transcode_to_h264

CLIP_CACHE = Path(__file__).resolve().parents[2] / "build" / "bench-clips"


def h264_clip(sim_url: str, seconds: float) -> Path:
    """An H.264 MP4 of ``seconds`` of the simulator stream ``sim_url`` (built once, cached)."""
    key = hashlib.sha256(f"{sim_url}|{seconds}".encode()).hexdigest()[:16]
    target = CLIP_CACHE / f"{key}.mp4"
    if target.is_file():
        return target
    config = parse_sim_url(sim_url)
    rendered = export_clip(config, seconds, CLIP_CACHE / f"{key}-render")
    transcode_to_h264(rendered.video_path, target, fps=round(config.fps))
    rendered.video_path.unlink()
    return target


@contextmanager
def camera_urls(sim_urls: list[str], source: str, clip_seconds: float) -> Iterator[list[str]]:
    """The URLs the benchmark's cameras open, valid inside the ``with`` block."""
    if source == "sim":
        yield list(sim_urls)
        return
    if source != "rtsp":
        raise ValueError(f"unknown camera source {source!r}: use sim or rtsp")
    clips = {url: h264_clip(url, clip_seconds) for url in dict.fromkeys(sim_urls)}
    mounts = {f"/cam{i}": clips[url] for i, url in enumerate(sim_urls)}
    with RtspServer(mounts) as server:
        yield [server.url(f"/cam{i}") for i in range(len(sim_urls))]
