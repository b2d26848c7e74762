"""Live analysis, re-analysis and the accuracy harness run one chain: same clip, same alerts.

A scripted speeding scene is rendered to an MP4 once. The same file then goes through
(1) the live path: ``open_site`` with the clip as a file camera, the runtime's capture
thread and detector worker, into the alert service; (2) re-analysis of the file as a
recording; (3) the accuracy harness's ``run_clip``. All three use the real bundled demo
model at the camera's own input size and the motion gate, and must raise the same alerts.
"""

from __future__ import annotations

import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from console.accuracy import CASE_EPOCH_S, camera_for, clip_frames, run_clip
from console.app.open_site import Role, open_site
from console.config.site import Streams
from console.config.site_file import SiteConfig
from console.detect.detections import Detections
from console.detect.model import YoloModel, choose_model, input_sizes
from console.domain.records import Alert
from console.pipeline.region import detect_region
from console.pipeline.runtime import RuntimeOptions
from console.recording import RecordingIndex
from console.recording.index import Segment
from console.recording.metadata import frame_line, write_line
from console.replay.reanalysis import reanalyse
from console.sim import SimConfig
from console.sim.export import export_clip
from console.sim.scenario import resolve_scenario_path
from tests.conftest import load_demo_site

pytestmark = [pytest.mark.integration, pytest.mark.slow]
FPS = 5.0
SECONDS = 20.0


def alert_key(alert: Alert) -> tuple[str, str, int | None, float, str]:
    event = alert.event
    return (
        event.type.value,
        event.rule_id,
        event.track_id,
        round(event.started_at.timestamp(), 3),
        alert.priority.value,
    )


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SiteConfig]:
    """The demo site's highway camera reading a 20 s clip of a scripted speeder."""
    out = tmp_path_factory.mktemp("clip")
    config = SimConfig(
        scene="highway", seed=40_003, fps=FPS, scenario=resolve_scenario_path("speeding")
    )
    clip = export_clip(config, SECONDS, out).video_path
    site = load_demo_site()
    camera = camera_for(site, "highway", FPS).model_copy(
        # Its own input size, unlike the site's model.image_size: every path must honour it.
        update={"streams": Streams(main=str(clip)), "record": False, "image_size": 640}
    )
    others = [c.model_copy(update={"enabled": False}) for c in site.cameras if c.id != camera.id]
    storage = site.storage.model_copy(update={"data_dir": out / "data"})
    return clip, site.model_copy(update={"cameras": [camera, *others], "storage": storage})


class SizeNotingModel:
    """The real model, noting the input size of every call."""

    def __init__(self, model: YoloModel) -> None:
        self.model = model
        self.names = model.names
        self.sizes: set[int | None] = set()

    def predict(
        self,
        images: list[np.ndarray],
        confidence: float = 0.25,
        classes: list[int] | None = None,
        image_size: int | None = None,
    ) -> list[Detections]:
        self.sizes.add(image_size)
        return self.model.predict(images, confidence, classes, image_size)


@pytest.fixture(scope="module")
def model(scene: tuple[Path, SiteConfig]) -> SizeNotingModel:
    site = scene[1]
    loaded = YoloModel.from_settings(choose_model(site.model.path), site.model).load()
    loaded.prepare_sizes(input_sizes(site.model, site.cameras))
    return SizeNotingModel(loaded)


def live_alerts(clip: Path, site: SiteConfig, model: SizeNotingModel, folder: Path) -> list[Alert]:
    frames = int(cv2.VideoCapture(str(clip)).get(cv2.CAP_PROP_FRAME_COUNT))
    opened = open_site(
        site,
        role=Role.ANALYZE,
        database=folder / "roadwatch.sqlite",
        options=RuntimeOptions(lockstep_epoch_s=CASE_EPOCH_S),
        model=model,
        console_id="test",
    )
    assert not opened.runtime.options.display  # headless: no stream decoded for a tile
    raised: list[Alert] = []
    opened.alerts.alert_listeners.append(raised.append)
    camera_id = next(c.id for c in site.cameras if c.enabled)
    pipeline = opened.runtime.pipelines[camera_id]
    try:
        opened.start_services()
        opened.start_analysis()
        deadline = time.monotonic() + 240
        while pipeline.analysed < frames and time.monotonic() < deadline:
            time.sleep(0.1)
        assert pipeline.analysed == frames, f"live analysed {pipeline.analysed}/{frames} frames"
    finally:
        opened.stop()
    return raised


def recording_of(clip: Path, camera_id: str, folder: Path) -> RecordingIndex:
    """The clip itself as a recorded segment, with the frame times a live camera gave it."""
    times = [frame.captured_epoch for frame in clip_frames(clip)]
    meta = folder / "clip.jsonl"
    with meta.open("w", encoding="utf-8") as stream:
        for index, at in enumerate(times):
            write_line(stream, frame_line(index, at))
    capture = cv2.VideoCapture(str(clip))
    width, height = int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)), int(capture.get(4))
    capture.release()
    index = RecordingIndex.in_folder(folder)
    index.add(
        Segment(
            camera_id,
            times[0],
            times[-1] + 1.0 / FPS,  # as the recorder closes a segment
            clip,
            meta,
            len(times),
            FPS,
            width,
            height,
            clip.stat().st_size,
            "mp4v",
        )
    )
    return index


def test_live_reanalysis_and_accuracy_raise_the_same_alerts(
    scene: tuple[Path, SiteConfig], model: SizeNotingModel, tmp_path: Path
) -> None:
    clip, site = scene
    camera = next(c for c in site.cameras if c.enabled)
    assert camera.image_size == 640 != site.model.image_size

    live = live_alerts(clip, site, model, tmp_path)
    accuracy = run_clip(clip, camera, site, model)
    index = recording_of(clip, camera.id, tmp_path / "recordings")
    replayed = reanalyse(
        index, camera, site, CASE_EPOCH_S - 1, CASE_EPOCH_S + SECONDS + 1, model=model
    )

    # The camera's 640 px, scaled to its region of interest (the same pixels per metre).
    region = detect_region(camera, 1280, 720)
    assert region is not None
    assert model.sizes == {region.input_size(640)}, "a path ran the detector at another size"
    assert any(a.type.value == "speeding" for a in live), [alert_key(a) for a in live]
    assert replayed.frames_analysed == int(SECONDS * FPS)
    assert sorted(map(alert_key, live)) == sorted(map(alert_key, accuracy))
    assert sorted(map(alert_key, replayed.alerts)) == sorted(map(alert_key, live))
