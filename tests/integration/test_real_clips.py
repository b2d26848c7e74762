"""The real COCO YOLO11n (OpenVINO INT8) on the real clips, through the whole pipeline."""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from console.config.site_file import load_site
from console.domain.classes import ROAD_USER_CLASSES
from console.domain.health import StreamState
from console.pipeline.runtime import SiteRuntime
from console.pipeline.worker import AnalysisResult
from tests.conftest import require_shared

SITE_FILE = Path(__file__).resolve().parents[1] / "fixtures" / "sites" / "real-clips.yaml"

pytestmark = pytest.mark.integration


@pytest.mark.slow
def test_every_real_clip_gets_detections_and_tracks() -> None:
    require_shared("models/yolo11n_int8_openvino_model")
    site = load_site(SITE_FILE)
    for camera in site.cameras:
        require_shared(camera.streams.main.split("shared/", 1)[1])
    results: dict[str, list[AnalysisResult]] = defaultdict(list)
    lock = threading.Lock()

    def collect(result: AnalysisResult) -> None:
        with lock:
            results[result.camera_id].append(result)

    runtime = SiteRuntime(site, base_dir=SITE_FILE.parent)
    runtime.start()
    runtime.result_listeners.append(collect)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            with lock:
                if all(len(results[c.id]) >= 25 for c in site.cameras):
                    break
            time.sleep(0.5)
    finally:
        runtime.stop()
    assert runtime.model.names[2] == "car" and runtime.model.names[3] == "motorcycle"
    for camera in site.cameras:
        analysed = results[camera.id]
        assert len(analysed) >= 25, f"{camera.id}: only {len(analysed)} frames analysed"
        assert runtime.health_of(camera.id).state is StreamState.LIVE
        names = Counter(
            r.detections.class_name(i) for r in analysed for i in range(len(r.detections))
        )
        assert names, f"{camera.id}: no detections at all"
        assert set(names) <= set(ROAD_USER_CLASSES), names
        track_lengths = Counter(
            int(t)
            for r in analysed
            if r.detections.tracker_id is not None
            for t in r.detections.tracker_id
        )
        # at least one object followed over several analysed frames
        assert max(track_lengths.values()) >= 5, f"{camera.id}: no stable track {track_lengths}"
