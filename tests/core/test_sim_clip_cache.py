"""Simulated cameras are rendered once into the cache and then played like file cameras."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.sim.clip_cache import cached_clip, clip_path, missing_clips, render_missing
from console.sources.factory import make_source
from console.sources.opencv_source import OpenCvSource
from console.sources.sim_source import SimSource

URL = "sim://highway?seed=7&width=320&height=180"
pytestmark = pytest.mark.slow  # renders a minute of video per scene


@pytest.mark.slow
def test_a_scene_renders_once_then_plays_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROADWATCH_CACHE_DIR", str(tmp_path))
    assert missing_clips([URL, URL, "rtsp://cam/1"]) == [URL]
    assert isinstance(make_source(URL), SimSource)  # not rendered yet: rendered live

    progress: list[tuple[int, int]] = []
    assert render_missing([URL], lambda url, done, total: progress.append((done, total))) == 1
    clip = cached_clip(URL)
    assert clip == clip_path(URL) and clip.parent.parent == tmp_path
    assert progress[-1][0] == progress[-1][1] == 600  # a minute at 10 fps
    assert [p.name for p in clip.parent.iterdir()] == [clip.name]  # no half-written file left

    source = make_source(URL)
    assert isinstance(source, OpenCvSource)
    source.open()
    try:
        frame = source.read()
        assert frame.image.shape == (180, 320, 3)
        assert source.fps == 10.0 and source.needs_pacing
    finally:
        source.close()
    assert render_missing([URL]) == 0  # the second start renders nothing


def test_several_scenes_render_side_by_side_in_worker_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROADWATCH_CACHE_DIR", str(tmp_path))
    urls = [URL, "sim://intersection?seed=8&width=320&height=180"]
    finished: list[str] = []

    def progress(url: str, done: int, total: int) -> None:
        if done == total:  # a clip is done (the rendered seconds come before)
            finished.append(url)

    rendered = render_missing(urls, progress, workers=2)
    assert rendered == 2 and sorted(finished) == sorted(urls)
    assert all(cached_clip(url) is not None for url in urls)
    assert missing_clips(urls) == []
