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


SUB_STREAM_WIDTH = 640  # a camera's usual sub-stream: 640x360 (D1 or smaller) at 10 fps
SUB_STREAM_FPS = 10.0
# The test server loops a clip with a gap at each restart: a short clip (the 4.8 s bridge)
# repeated in its sub-stream loops as seldom as the others.
SUB_STREAM_MIN_S = 30.0


@dataclass(frozen=True, slots=True)
class BenchCamera:
    """What a benchmark camera opens, and the frame rate its stream runs at.

    ``detect_url``: the camera's low-resolution sub-stream (``streams.detect``), if served.
    """

    url: str
    fps: float
    clip: str  # the clip or scene it shows, for the JSON line
    detect_url: str | None = None
    detect_fps: float | None = None

    @property
    def analysed_fps(self) -> float:
        """The frame rate of the stream the analysis decodes."""
        return self.detect_fps if self.detect_url and self.detect_fps else self.fps


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


def sub_stream_clip(original: Path) -> Path:
    """``original`` as an IP camera's sub-stream shows it: at most 640 px wide, 10 fps, H.264
    with one key frame a second, repeated to last ``SUB_STREAM_MIN_S`` (built once with
    OpenCV and the tests' transcoder, cached in build/bench-clips, never in the repository)."""
    stat = original.stat()
    key = hashlib.sha256(
        f"{original.name}|{stat.st_size}|{SUB_STREAM_WIDTH}|{SUB_STREAM_FPS}|"
        f"{SUB_STREAM_MIN_S}".encode()
    ).hexdigest()[:16]
    target = CLIP_CACHE / f"sub-{key}.mp4"
    if target.is_file():
        return target
    CLIP_CACHE.mkdir(parents=True, exist_ok=True)
    scratch = CLIP_CACHE / f"sub-{key}-scratch.avi"
    capture = cv2.VideoCapture(str(original))
    fps = float(capture.get(cv2.CAP_PROP_FPS)) or 25.0
    writer: cv2.VideoWriter | None = None
    next_s = 0.0
    index = 0
    try:
        while True:
            ok, image = capture.read()
            if not ok:
                if writer is None or next_s >= SUB_STREAM_MIN_S:
                    break
                capture.release()  # once more from the start, until it lasts long enough
                capture = cv2.VideoCapture(str(original))
                continue
            at_s = index / fps
            index += 1
            if at_s + 1e-6 < next_s:
                continue
            next_s += 1.0 / SUB_STREAM_FPS
            height, width = image.shape[:2]
            if width > SUB_STREAM_WIDTH:
                size = (SUB_STREAM_WIDTH, round(height * SUB_STREAM_WIDTH / width / 2) * 2)
                image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
            if writer is None:
                fourcc = cv2.VideoWriter.fourcc(*"MJPG")
                shape = (image.shape[1], image.shape[0])
                writer = cv2.VideoWriter(str(scratch), fourcc, SUB_STREAM_FPS, shape)
            writer.write(image)
    finally:
        capture.release()
        if writer is not None:
            writer.release()
    if writer is None:
        raise CamerasUnavailableError(f"OpenCV read no frame of {original}")
    try:
        transcode_to_h264(scratch, target, fps=round(SUB_STREAM_FPS))
    except RtspServerError as error:
        message = f"cannot build the sub-stream of {original}: {error}"
        raise CamerasUnavailableError(message) from error
    finally:
        scratch.unlink(missing_ok=True)
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
    sim_urls: list[str],
    source: str,
    clip_seconds: float,
    media: Path = SHARED_MEDIA,
    *,
    sub_streams: bool = False,
) -> Iterator[list[BenchCamera]]:
    """One camera per demo stream in ``sim_urls``, valid inside the ``with`` block.

    ``sub_streams`` (``media`` only): each camera also serves its clip as a sub-stream
    (:func:`sub_stream_clip`), as IP cameras do for analysis.
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
        mounts = {f"/cam{i}": clip for i, (clip, _, _) in enumerate(cameras)}
        subs = {}
        if sub_streams and source == "media":
            built = {path: sub_stream_clip(path) for path in dict.fromkeys(shown)}
            subs = {f"/cam{i}-sub": built[path] for i, path in enumerate(shown)}
        server = RtspServer(mounts | subs)
        server.start()
    except RtspServerError as error:  # the server, or the transcoder of the sim clips
        raise CamerasUnavailableError(f"no RTSP cameras: {error}") from error
    try:
        yield [
            BenchCamera(
                server.url(f"/cam{i}"),
                fps,
                shows,
                server.url(f"/cam{i}-sub") if subs else None,
                SUB_STREAM_FPS if subs else None,
            )
            for i, (_, fps, shows) in enumerate(cameras)
        ]
    finally:
        server.stop()
