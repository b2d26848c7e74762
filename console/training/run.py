"""A trainee's run of a training scenario, kept apart from everything live.

The run has its own site (the scenario's feeds as cameras, no central storage), its own
database (``<data dir>/training/<run id>.sqlite``) and its own :class:`AlertService` with
``training=True``: every alert it raises is a training alert, which the store never puts in
the outbox, so nothing reaches the live database or central storage. Alerts arrive as if
live (simulator cameras through ``sim://`` URLs, recordings as clips); the run logs when
each arrived and what the trainee did, on the run's own clock, for the score report.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from ruamel.yaml import YAML

from console.alerts.service import AlertService
from console.config.site import Streams
from console.config.site_file import SiteConfig
from console.domain.records import (
    Alert,
    AlertAction,
    AlertStatus,
    AlertType,
    Event,
    Severity,
    utc_now,
)
from console.pipeline.runtime import RuntimeOptions, SiteRuntime
from console.pipeline.worker import BatchModel
from console.recording.index import RecordingIndex
from console.replay.export import export_range
from console.sim.scenario import load_scenario
from console.store.local import LocalStore
from console.store.sink import StoreSink
from console.training.scenario import RecordingFeed, SimulatorFeed, TrainingScenario

log = logging.getLogger(__name__)
TRAINING_CONSOLE = "training"
CLASSIFIED = "classified"


@dataclass(frozen=True, slots=True)
class RunEvent:
    """Something that happened in the run, ``at_s`` seconds after it started."""

    at_s: float
    alert_id: uuid.UUID
    kind: str  # raised | an AlertStatus value | classified
    actor: str = ""
    value: str = ""


class TrainingSink(StoreSink):
    """The store sink without traffic counts: simulated traffic is not traffic.

    Counts are the one write the store queues for central sync whatever the alert's flag;
    a training run keeps none, so its database has nothing to sync at all.
    """

    def counts_ready(self, counts: list[tuple[str, str, str, str, datetime, int]]) -> None:
        del counts


def training_folder(data_dir: Path) -> Path:
    return Path(data_dir) / "training"


class TrainingRun:
    """One trainee, one scenario, one separate database."""

    def __init__(
        self,
        scenario: TrainingScenario,
        site: SiteConfig,
        data_dir: Path,
        *,
        trainee: str,
        recordings: RecordingIndex | None = None,
        sim_size: tuple[int, int] = (1280, 720),
        sim_fps: float = 25.0,
        run_id: str | None = None,
    ) -> None:
        self.scenario = scenario
        self.trainee = trainee
        self.run_id = run_id or f"{utc_now():%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"
        self.folder = training_folder(data_dir) / self.run_id
        self.folder.mkdir(parents=True, exist_ok=True)
        self.database_path = training_folder(data_dir) / f"{self.run_id}.sqlite"
        self.sim_size = sim_size
        self.sim_fps = sim_fps
        self.feed_urls = {
            feed.camera_id: self._feed_url(feed.camera_id, recordings) for feed in scenario.feeds
        }
        self.site = self._training_site(site)
        self.store = LocalStore.open(self.database_path, console_id=TRAINING_CONSOLE)
        # Closed alerts stay in memory for the whole run: the score report reads them all.
        self.alerts = AlertService(
            self.site,
            sink=TrainingSink(self.store),
            console_id=TRAINING_CONSOLE,
            training=True,
            resolved_keep_s=None,
        )
        self.alerts.alert_listeners.append(self._on_alert)
        self.alerts.change_listeners.append(self._on_change)
        self.events: list[RunEvent] = []
        # When the trainee decided (run time), by (alert, action): the score counts from the
        # decision, not from the moment its write was committed.
        self._decided_at: dict[tuple[uuid.UUID, str], float] = {}
        self.false_alarm_alerts: dict[str, uuid.UUID] = {}
        self.runtime: SiteRuntime | None = None
        self.started_at = utc_now()
        self._started_mono = time.monotonic()
        self.clock: Callable[[], float] = lambda: time.monotonic() - self._started_mono
        self._lock = threading.Lock()
        self._ticker_stop = threading.Event()
        self._ticker: threading.Thread | None = None
        self.finished = False

    # ---- set-up -----------------------------------------------------------------------

    def _feed_url(self, camera_id: str, recordings: RecordingIndex | None) -> str:
        feed = self.scenario.feed(camera_id)
        source = feed.source
        if isinstance(source, SimulatorFeed):
            sim = load_scenario(source.scenario)
            shifted = sim.model_copy(
                update={
                    "incidents": [
                        i.model_copy(update={"start_s": i.start_s + feed.start_offset_s})
                        for i in sim.incidents
                    ],
                    "duration_s": sim.duration_s + feed.start_offset_s,
                }
            )
            path = self.folder / f"{camera_id}.scenario.yaml"
            with path.open("w", encoding="utf-8") as stream:
                YAML(typ="safe").dump(shifted.model_dump(mode="json", exclude_none=True), stream)
            width, height = self.sim_size
            return (
                f"sim://{sim.scene}?seed={source.seed}&scenario={quote(str(path), safe='/')}"
                f"&width={width}&height={height}&fps={self.sim_fps:g}"
            )
        assert isinstance(source, RecordingFeed)
        if recordings is None:
            raise ValueError(f"feed {camera_id} plays a recording, but no recordings are open")
        clip = export_range(
            recordings,
            source.camera,
            source.start.timestamp(),
            source.end.timestamp(),
            self.folder / f"{camera_id}.mp4",
        )
        return str(clip.path)

    def _training_site(self, site: SiteConfig) -> SiteConfig:
        cameras = []
        for feed in self.scenario.feeds:
            camera = site.camera(feed.camera_id)
            cameras.append(
                camera.model_copy(
                    update={
                        "streams": Streams(main=self.feed_urls[feed.camera_id]),
                        "enabled": True,
                        "record": False,
                    }
                )
            )
        storage = site.storage.model_copy(update={"data_dir": self.folder})
        # No central storage at all: a training site cannot sync even by mistake.
        return site.model_copy(update={"cameras": cameras, "central": None, "storage": storage})

    # ---- running ----------------------------------------------------------------------

    def now_s(self) -> float:
        return float(self.clock())

    def start_live(
        self, options: RuntimeOptions | None = None, model: BatchModel | None = None
    ) -> SiteRuntime:
        """Play the feeds in real time through the live pipeline (detector included)."""
        self.runtime = SiteRuntime(self.site, model=model, options=options)
        self.alerts.attach(self.runtime)
        self._started_mono = time.monotonic()
        self.started_at = utc_now()
        self.runtime.start()
        self._ticker = threading.Thread(target=self._tick_loop, name="training-tick", daemon=True)
        self._ticker.start()
        return self.runtime

    def _tick_loop(self) -> None:
        while not self._ticker_stop.wait(0.25):
            self.tick()

    def tick(self, now_s: float | None = None) -> None:
        """Raise the scripted false alarms that are due."""
        now = self.now_s() if now_s is None else now_s
        for alarm in self.scenario.false_alarms:
            if alarm.at_s <= now and alarm.id not in self.false_alarm_alerts:
                at = utc_now()
                event = Event(
                    alarm.type,
                    alarm.camera_id,
                    at,
                    at,
                    Severity.MEDIUM,
                    rule_id=f"{alarm.camera_id}:training:{alarm.id}",
                    message=alarm.message,
                )
                alert = Alert(event, Severity.MEDIUM, created_at=at, updated_at=at, training=True)
                self.false_alarm_alerts[alarm.id] = alert.id
                # The service's own raise path: stored, listeners told, exactly like a rule's.
                self.alerts.raise_alert(alert)

    @property
    def elapsed_s(self) -> float:
        return self.now_s()

    # ---- the trainee's actions (the UI calls these) -------------------------------------

    def act(
        self,
        alert_id: uuid.UUID,
        to: AlertStatus,
        *,
        actor: str,
        note: str = "",
        unit: str | None = None,
    ) -> Future[Alert]:
        """The trainee's decision; the future completes once it is saved (then logged)."""
        with self._lock:
            self._decided_at[(alert_id, to.value)] = self.now_s()
        return self.alerts.act(alert_id, to, actor=actor, note=note, unit=unit)

    def classify(self, alert_id: uuid.UUID, alert_type: AlertType, *, actor: str) -> None:
        """The trainee's judgement of what the alert shows (scored against the scenario)."""
        self.alerts.note(alert_id, actor=actor, text=f"{CLASSIFIED}: {alert_type.value}")
        self._log(RunEvent(self.now_s(), alert_id, CLASSIFIED, actor, alert_type.value))

    # ---- listeners ----------------------------------------------------------------------

    def _on_alert(self, alert: Alert) -> None:
        self._log(RunEvent(self.now_s(), alert.id, "raised"))

    def _on_change(self, alert: Alert, action: AlertAction) -> None:
        if action.action != "note":
            with self._lock:
                at_s = self._decided_at.pop((alert.id, action.action), None)
            self._log(
                RunEvent(
                    self.now_s() if at_s is None else at_s,
                    alert.id,
                    action.action,
                    action.actor,
                    action.unit or "",
                )
            )

    def _log(self, event: RunEvent) -> None:
        with self._lock:
            self.events.append(event)

    def raised_alerts(self) -> list[Alert]:
        return sorted(self.alerts.alerts.values(), key=lambda a: a.created_at)

    # ---- the end ------------------------------------------------------------------------

    def stop(self) -> None:
        self._ticker_stop.set()
        if self._ticker is not None:
            self._ticker.join(2.0)
        if self.runtime is not None:
            self.runtime.stop(timeout_s=2.0)
            self.runtime = None
        if not self.finished:
            # Every decision taken is saved, and so logged, before the run is scored.
            try:
                self.store.writer.flush().result(timeout=10)
            except Exception as error:  # a closed or failing store: score what was logged
                log.warning("training run %s: writes not all settled: %s", self.run_id, error)
        self.finished = True

    def close(self) -> None:
        self.stop()
        self.store.close()
