"""Re-analysis: a recording through tracker + rules + policy with other rule settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.accuracy import ANALYSIS_FPS, TruthDetector, camera_for
from console.config.geometry import SpeedingRule
from console.config.site_file import SiteConfig
from console.domain.records import AlertType
from console.pipeline.camera import CameraPipeline
from console.recording import CameraRecorder, RecordingIndex, RecordingOptions
from console.recording.metadata import AnalysedBoxes
from console.replay.reanalysis import reanalyse
from console.sim import SimConfig, Simulator
from console.sim.scenario import resolve_scenario_path
from console.sources.base import Frame
from tests.conftest import load_demo_site

T0 = 1_800_000_000.0


def record_speeding_scene(folder: Path) -> RecordingIndex:
    """20 s of the scripted speeder, recorded with the (ground-truth) boxes the live view had."""
    simulator = Simulator(
        SimConfig(
            scene="highway",
            seed=40_003,
            width=640,
            height=360,
            fps=ANALYSIS_FPS,
            scenario=resolve_scenario_path("speeding"),
        )
    )
    index = RecordingIndex.in_folder(folder)
    recorder = CameraRecorder(
        "ql1-km122-nhu-nguyet", folder, index, RecordingOptions(segment_s=10, queue_frames=10_000)
    )
    site = load_demo_site()
    pipeline = CameraPipeline(camera_for(site, "highway"), site)  # the live chain
    oracle = TruthDetector()
    recorder.start()
    for _ in range(int(20 * ANALYSIS_FPS)):
        sim_frame = simulator.next_frame()
        at = T0 + sim_frame.timestamp_s
        frame = Frame(sim_frame.image, sim_frame.index, at, at)
        recorder.offer_frame(frame)
        oracle.show(sim_frame)
        result = pipeline.analyse(frame, oracle)
        recorder.offer_detections(
            at, AnalysedBoxes(result.detections, result.raw_detections, result.from_motion_gate)
        )
    recorder.stop()
    recorder.join(30)
    return index


@pytest.mark.slow
def test_other_rule_settings_change_which_alerts_a_recording_raises(
    demo_site: SiteConfig, tmp_path: Path
) -> None:
    site = demo_site
    index = record_speeding_scene(tmp_path)
    camera = camera_for(site, "highway")
    as_deployed = reanalyse(index, camera, site, T0, T0 + 20)
    assert as_deployed.frames_analysed >= 95
    assert AlertType.SPEEDING in [a.type for a in as_deployed.alerts]

    relaxed_rules = [
        rule.model_copy(update={"limit_kmh": dict.fromkeys(rule.limit_kmh, 150.0)})
        if isinstance(rule, SpeedingRule)
        else rule
        for rule in camera.rules
    ]
    relaxed = reanalyse(
        index, camera.model_copy(update={"rules": relaxed_rules}), site, T0, T0 + 20
    )
    assert AlertType.SPEEDING not in [a.type for a in relaxed.alerts]
    assert relaxed.frames_analysed == as_deployed.frames_analysed
