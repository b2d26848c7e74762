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
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import replace
from multiprocessing.queues import SimpleQueue
from multiprocessing.synchronize import Event
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


class RenderStoppedError(Exception):
    """Rendering was asked to stop (the program is closing); the clip is not kept."""


def render_missing(
    urls: Iterable[str],
    progress: Progress | None = None,
    workers: int | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Render every simulator URL not in the cache yet; returns how many were to render.

    Several clips render side by side in worker processes (one per core: rendering is
    Python under the GIL). ``progress`` hears of every rendered second of each clip, and
    of each clip when it is done (``done == total``). A clip that fails to render is
    logged and left to the live simulator. Once ``stop`` is set this returns at once; the
    workers end within about a second of video and keep no clip they did not finish.
    """
    missing = missing_clips(urls)
    workers = min(len(missing), workers or os.cpu_count() or 1)
    if workers <= 1:
        for url in missing:
            if stop is not None and stop.is_set():
                break
            _render_or_log(url, progress, stop)
        return len(missing)
    context = multiprocessing.get_context("spawn")  # no fork from a process with threads
    updates: SimpleQueue[tuple[str, int, int]] = context.SimpleQueue()
    stop_workers = context.Event()
    pool = ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(updates, stop_workers),
    )
    stopped = False
    try:
        futures = {pool.submit(_render_in_worker, url): url for url in missing}
        pending: set[Future[Path]] = set(futures)
        while pending:
            if stop is not None and stop.is_set():
                # Each worker gives up at its next rendered second and removes its
                # half-rendered clip itself: a closing program does not wait for that.
                stop_workers.set()
                stopped = True
                break
            done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            _relay(updates, progress)
            for future in done:
                _finished(futures[future], future, progress)
        if not stopped:
            _relay(updates, progress)
    finally:
        pool.shutdown(wait=not stopped, cancel_futures=True)
    return len(missing)


# In a render worker process: where its progress goes, and the parent's request to stop.
_worker_updates: SimpleQueue[tuple[str, int, int]] | None = None
_worker_stop: Event | None = None


def _start_worker(updates: SimpleQueue[tuple[str, int, int]], stop: Event) -> None:
    global _worker_updates, _worker_stop
    _worker_updates, _worker_stop = updates, stop


def _render_in_worker(url: str) -> Path:
    def report(url: str, done: int, total: int) -> None:
        if _worker_stop is not None and _worker_stop.is_set():
            raise RenderStoppedError(url)
        if _worker_updates is not None and done < total:  # the parent reports the end
            _worker_updates.put((url, done, total))

    return render_clip(url, report)


def _relay(updates: SimpleQueue[tuple[str, int, int]], progress: Progress | None) -> None:
    while not updates.empty():
        update = updates.get()
        if progress is not None:
            progress(*update)


def _finished(url: str, future: Future[Path], progress: Progress | None) -> None:
    if future.cancelled():
        return
    error = future.exception()
    if isinstance(error, RenderStoppedError):
        return
    if error is not None:
        log.error(
            "could not render %s; it is rendered live instead",
            url,
            exc_info=(type(error), error, error.__traceback__),
        )
    if progress is not None:
        progress(url, 1, 1)


def _render_or_log(url: str, progress: Progress | None, stop: threading.Event | None) -> None:
    def report(url: str, done: int, total: int) -> None:
        if stop is not None and stop.is_set():
            raise RenderStoppedError(url)
        if progress is not None:
            progress(url, done, total)

    try:
        render_clip(url, report)
    except RenderStoppedError:
        log.info("stopped rendering %s", url)
    except Exception:
        log.exception("could not render %s; it is rendered live instead", url)
