"""Simulated cameras rendered once into video files, then played like real cameras.

Rendering a 1280x720 scene in Python takes a large part of a core per camera, under the
GIL, which the detector then lacks: on 2 cores the demo analysed almost nothing. The
scenes are deterministic for their URL, so each is rendered once into the user's cache
folder (``roadwatch`` shows a progress bar the first time) and played from there as a
looping file camera: FFmpeg decodes it in C, outside the GIL, as it decodes real cameras.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import replace
from pathlib import Path

from console.paths import cache_dir
from console.sim.export import export_clip
from console.sim.scenario import load_scenario
from console.sim.url import parse_sim_url

log = logging.getLogger(__name__)

# Bump when the renderer's output changes, so old clips are rendered again.
RENDER_VERSION = 1
CLIP_FPS = 10.0  # cameras analyse at 5 fps; 10 keeps the wall fluid and decoding cheap
DEFAULT_SECONDS = 60.0  # a scene without a scenario loops after a minute

Progress = Callable[[str, int, int], None]  # (url, frames done, frames in all)


def clip_path(url: str) -> Path:
    """Where the rendered clip of ``url`` lives in the cache (it may not exist yet)."""
    key = hashlib.sha256(f"{RENDER_VERSION}|{CLIP_FPS}|{url}".encode()).hexdigest()[:20]
    return cache_dir() / "sim-clips" / f"{key}.mp4"


def cached_clip(url: str) -> Path | None:
    """The rendered clip of ``url`` if it was rendered before."""
    path = clip_path(url)
    return path if path.is_file() and path.stat().st_size > 0 else None


def render_clip(url: str, progress: Progress | None = None) -> Path:
    """Render ``url`` into the cache (atomically: a torn file is never left behind)."""
    config = parse_sim_url(url)
    config = replace(config, fps=min(config.fps, CLIP_FPS))
    seconds = load_scenario(config.scenario).duration_s if config.scenario else DEFAULT_SECONDS
    target = clip_path(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".render-") as work:
        report = (lambda done, total: progress(url, done, total)) if progress else None
        result = export_clip(config, seconds, work, report)
        shutil.move(str(result.video_path), target)
    log.info("rendered %s into %s (%d frames)", url, target, result.frames)
    return target


def sim_urls(urls: Iterable[str]) -> list[str]:
    """The distinct simulator URLs among ``urls``, in order."""
    return list(dict.fromkeys(u for u in urls if u.startswith("sim://")))


def missing_clips(urls: Iterable[str]) -> list[str]:
    """Simulator URLs whose clip has not been rendered yet."""
    return [url for url in sim_urls(urls) if cached_clip(url) is None]


def render_missing(
    urls: Iterable[str], progress: Progress | None = None, workers: int | None = None
) -> int:
    """Render every simulator URL not in the cache yet; returns how many were rendered.

    Several clips render side by side in worker processes (one per core: rendering is
    Python under the GIL); ``progress`` then hears of each clip when it is done. A clip
    that fails to render is logged and left to the live simulator.
    """
    missing = missing_clips(urls)
    workers = min(len(missing), workers or os.cpu_count() or 1)
    if workers <= 1:
        for url in missing:
            _render_or_log(url, progress)
        return len(missing)
    context = multiprocessing.get_context("spawn")  # no fork from a process with threads
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        futures = {pool.submit(render_clip, url): url for url in missing}
        for future in as_completed(futures):
            url = futures[future]
            try:
                future.result()
            except Exception:
                log.exception("could not render %s; it is rendered live instead", url)
            if progress is not None:
                progress(url, 1, 1)
    return len(missing)


def _render_or_log(url: str, progress: Progress | None) -> None:
    try:
        render_clip(url, progress)
    except Exception:
        log.exception("could not render %s; it is rendered live instead", url)
