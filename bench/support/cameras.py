"""Cameras for the benchmarks: real clips over RTSP, the simulator's scenes over RTSP, or sim://.

``media``: the real traffic clips of ``../shared/media`` (H.264 MP4, local test material,
never copied into the repository) served as they are, byte for byte, by the integration
tests' real gst-rtsp-server in its own process, which passes their H.264 through; the
process under test decodes RTSP in FFmpeg as it does with real cameras. The clips are dealt
to the cameras in turn. (Re-encoding them with the tests' GStreamer transcoder was tried
and rejected: it fails on the 1080p clip, "Buffer has no PTS", and spoils the first frames
of another; served as they are, every clip's first frame arrives within about a second.)
``rtsp``: each camera's simulator scene rendered once into a clip, re-encoded to H.264 with
one key frame a second (cached in ``build/bench-clips``) and served the same way.
``sim``: the simulator renders each camera in the benchmark's own process (about 4 ms of
NumPy/OpenCV drawing per 1280x720 frame, much of it holding the GIL), so it competes with
what is measured.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import cv2

from console.sim.export import export_clip
from console.sim.url import parse_sim_url
from tests.integration.rtsp import RtspServer, RtspServerError, transcode_to_h264

REPO = Path(__file__).resolve().parents[2]
CLIP_CACHE = REPO / "build" / "bench-clips"
SHARED_MEDIA = REPO.parent / "shared" / "media"
SOURCES = ("media", "rtsp", "sim")
IN_CI = os.environ.get("CI", "").lower() == "true"


class CamerasUnavailableError(RuntimeError):
    """The clips or the RTSP server are missing here; the message says which and why."""


def report_unavailable(bench: str, error: CamerasUnavailableError) -> int:
    """Say why the benchmark ``bench`` did not run (JSON last line); its exit code.

    A skip on a developer's machine, a failure under CI=true.
    """
    if IN_CI:
        print(f"{bench} benchmark cannot run: {error} (CI=true: a failure)", file=sys.stderr)
        print(json.dumps({"bench": bench, "error": str(error)}))
        return 1
    print(f"{bench} benchmark skipped: {error}", file=sys.stderr)
    print(json.dumps({"bench": bench, "skipped": str(error)}))
    return 0


@dataclass(frozen=True, slots=True)
class BenchCamera:
    """What a benchmark camera opens, and the frame rate its stream runs at."""

    url: str
    fps: float
    clip: str  # the clip or scene it shows, for the JSON line


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


def media_clips(folder: Path) -> list[Path]:
    """The MP4 clips under ``folder``, sorted; CamerasUnavailableError when there are none."""
    clips = sorted(folder.rglob("*.mp4")) if folder.is_dir() else []
    if not clips:
        raise CamerasUnavailableError(f"no real clips: {folder} is missing or holds no .mp4 file")
    return clips


def clip_fps(path: Path) -> float:
    capture = cv2.VideoCapture(str(path))
    try:
        fps = float(capture.get(cv2.CAP_PROP_FPS))
    finally:
        capture.release()
    if not fps > 0:
        raise CamerasUnavailableError(f"OpenCV cannot read the frame rate of {path}")
    return fps


@contextmanager
def bench_cameras(
    sim_urls: list[str], source: str, clip_seconds: float, media: Path = SHARED_MEDIA
) -> Iterator[list[BenchCamera]]:
    """One camera per demo stream in ``sim_urls``, valid inside the ``with`` block.

    Raises CamerasUnavailableError when the clips or the RTSP server are missing.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown camera source {source!r}: use one of {', '.join(SOURCES)}")
    if source == "sim":
        yield [BenchCamera(url, parse_sim_url(url).fps, url) for url in sim_urls]
        return
    try:
        if source == "media":
            originals = media_clips(media)
            shown = [originals[i % len(originals)] for i in range(len(sim_urls))]
            cameras = [(path, clip_fps(path), path.name) for path in shown]
        else:
            clips = {url: h264_clip(url, clip_seconds) for url in dict.fromkeys(sim_urls)}
            cameras = [(clips[url], parse_sim_url(url).fps, url) for url in sim_urls]
        server = RtspServer({f"/cam{i}": clip for i, (clip, _, _) in enumerate(cameras)})
        server.start()
    except RtspServerError as error:  # the server, or the transcoder of the sim clips
        raise CamerasUnavailableError(f"no RTSP cameras: {error}") from error
    try:
        yield [
            BenchCamera(server.url(f"/cam{i}"), fps, shows)
            for i, (_, fps, shows) in enumerate(cameras)
        ]
    finally:
        server.stop()
