"""Screenshots of replay and training for docs/screenshots (offscreen, no camera needed).

``QT_QPA_PLATFORM=offscreen .venv/bin/python -m ui.replay_screenshots docs/screenshots``

Records two demo cameras from the simulator (with the ground-truth boxes as the stored
analysis, one camera going offline for a while), stores an alert on each, opens the
replay window on them, then runs the bundled training scenario with a scripted trainee
and shows its score report.
"""

from __future__ import annotations

import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QApplication

from console.accuracy import TruthDetector
from console.config.site_file import SiteConfig, demo_site_path, load_site
from console.domain.records import Alert, AlertStatus, AlertType, Event, Severity, utc_from_epoch
from console.pipeline.camera import CameraPipeline
from console.recording import CameraRecorder, HealthChange, RecordingIndex, RecordingOptions
from console.recording.metadata import AnalysedBoxes
from console.sim import Simulator
from console.sim.url import parse_sim_url
from console.sources.base import Frame
from console.store.local import LocalStore
from console.training import TrainingRun, load_training_scenario
from console.training.drive import drive_with_ground_truth
from console.training.scenario import BUNDLED_SCENARIOS

MIN_BOX_PX = 14
DEMO_START = 1_780_000_000.0  # a fixed moment, so the screenshots do not change every run


def record_demo_camera(
    index: RecordingIndex,
    folder: Path,
    site: SiteConfig,
    camera_id: str,
    pieces: list[tuple[float, float]],
    fps: float = 5.0,
    size: tuple[int, int] = (640, 360),
) -> None:
    """Record ``camera_id``'s simulator scene during each (start offset, seconds) piece."""
    config = parse_sim_url(site.camera(camera_id).streams.main)
    simulator = Simulator(replace(config, fps=fps, width=size[0], height=size[1]))
    pipeline = CameraPipeline(site.camera(camera_id), site, detect_fps=fps)
    oracle = TruthDetector(min_height_px=MIN_BOX_PX)
    recorder = CameraRecorder(
        camera_id, folder, index, RecordingOptions(segment_s=20, queue_frames=100_000)
    )
    recorder.start()
    clock = 0.0
    for offset, seconds in pieces:
        while clock < offset:  # the scene goes on while the camera is offline
            simulator.next_frame()
            clock += 1.0 / fps
        for _ in range(int(seconds * fps)):
            sim_frame = simulator.next_frame()
            at = DEMO_START + clock
            clock += 1.0 / fps
            frame = Frame(sim_frame.image, sim_frame.index, at, at)
            recorder.offer_frame(frame)
            oracle.show(sim_frame)
            result = pipeline.analyse(frame, oracle)
            recorder.offer_detections(
                at, AnalysedBoxes(result.detections, result.raw_detections, result.from_motion_gate)
            )
    recorder.stop()
    recorder.join(60)


def demo_alert(camera_id: str, at_s: float, kind: AlertType, priority: Severity) -> Alert:
    at = utc_from_epoch(DEMO_START + at_s)
    event = Event(kind, camera_id, at, at, priority, message=f"{kind.value} (demo)")
    return Alert(event, priority, status=AlertStatus.RESOLVED, created_at=at, updated_at=at)


def settle(condition: Callable[[], bool], timeout_s: float = 5.0) -> None:
    """Run the event loop until ``condition`` holds (answers from the store's threads)."""
    deadline = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)


def replay_screenshot(out: Path, work: Path, site: SiteConfig) -> Path:
    from ui.replay.window import ReplayWindow

    index = RecordingIndex.in_folder(work / "recordings")
    first, second = "ql1-km122-nhu-nguyet", "ql1-km129-dai-phuc"
    record_demo_camera(index, work / "recordings", site, first, [(0, 60)])
    record_demo_camera(index, work / "recordings", site, second, [(0, 22), (38, 22)])
    index.add_health(HealthChange(second, DEMO_START + 22.5, "offline", "connection refused"))
    index.add_health(HealthChange(second, DEMO_START + 37.5, "live"))
    store = LocalStore.open(work / "db.sqlite")
    for alert in (
        demo_alert(first, 8, AlertType.WRONG_WAY, Severity.CRITICAL),
        demo_alert(second, 3, AlertType.RED_LIGHT, Severity.MEDIUM),
        demo_alert(second, 45, AlertType.RED_LIGHT, Severity.MEDIUM),
    ):
        store.writer.save_alert(alert).result()
    window = ReplayWindow(site, index, store)
    window.resize(1400, 820)
    window.show()
    QApplication.processEvents()
    window.open_cameras([first, second], DEMO_START - 2, DEMO_START + 62)
    settle(lambda: bool(window.alert_ids()))  # the markers come from the store's reader
    window.seek(DEMO_START + 14.0)
    window.show()
    QApplication.processEvents()
    path = out / "replay-timeline.png"
    window.grab().save(str(path))
    window.seek(DEMO_START + 30.0)  # the second camera is offline here
    QApplication.processEvents()
    window.grab().save(str(out / "replay-offline-gap.png"))
    window.close_replay()
    window.close()
    store.close()
    index.close()
    return path


def training_screenshot(out: Path, work: Path, site: SiteConfig, suffix: str = "") -> Path:
    from ui.training.panel import TrainingPanel

    scenario = load_training_scenario(BUNDLED_SCENARIOS / "highway-and-junction.yaml")
    done: set[uuid.UUID] = set()

    def trainee(run: TrainingRun, now_s: float) -> None:
        raised = {e.alert_id: e.at_s for e in run.events if e.kind == "raised"}
        for alert in run.raised_alerts():
            if alert.id in done or now_s - raised[alert.id] < 6.0:
                continue
            done.add(alert.id)
            if alert.type is AlertType.WRONG_WAY:
                run.act(alert.id, AlertStatus.ACKNOWLEDGED, actor="hoc-vien")
                run.classify(alert.id, AlertType.WRONG_WAY, actor="hoc-vien")
                run.act(alert.id, AlertStatus.DISPATCHED, actor="hoc-vien")
            elif alert.type is AlertType.RED_LIGHT:
                run.act(alert.id, AlertStatus.ACKNOWLEDGED, actor="hoc-vien")
                run.classify(alert.id, AlertType.SPEEDING, actor="hoc-vien")

    def factory(chosen: object) -> TrainingRun:
        del chosen
        return TrainingRun(scenario, site, work, trainee="hoc-vien", sim_size=(640, 360))

    panel = TrainingPanel(site, work, lambda: "hoc-vien", run_factory=factory, start_live=False)
    panel.resize(1200, 760)
    panel.show()
    run = panel.start_run()
    assert run is not None
    drive_with_ground_truth(run, scenario.duration_s, trainee)
    run.store.writer.flush().result(10)  # the trainee's actions are saved, then shown
    QApplication.processEvents()
    panel.table.selectRow(0)
    QApplication.processEvents()  # the camera screens get their size
    panel.feeds.highlight(scenario.feeds[0].camera_id)
    for feed in scenario.feeds:  # each camera as the trainee saw it 15 s in
        config = parse_sim_url(run.feed_urls[feed.camera_id])
        preview = Simulator(replace(config, fps=5.0))
        for _ in range(76):
            image = preview.next_frame().image
        panel.feeds.show_image(feed.camera_id, image)
    QApplication.processEvents()
    panel.grab().save(str(out / f"training-run{suffix}.png"))
    panel.end_run()
    QApplication.processEvents()
    path = out / f"training-score-report{suffix}.png"
    panel.grab().save(str(path))
    panel.close()
    return path


def main(argv: list[str]) -> int:
    """Write the screenshots in English, and the score report once more in Vietnamese."""
    out = Path(argv[1] if len(argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(argv)
    from ui.i18n import install_translator
    from ui.theme import apply_theme

    assert isinstance(app, QApplication)
    apply_theme(app)
    site = load_site(demo_site_path(), environ={})
    install_translator(app, "en")
    with tempfile.TemporaryDirectory() as work:
        print(replay_screenshot(out, Path(work), site))
        print(training_screenshot(out, Path(work), site))
    install_translator(app, "vi")
    with tempfile.TemporaryDirectory() as work:
        print(training_screenshot(out, Path(work), site, "-vi"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
