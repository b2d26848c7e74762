"""Everything a running console owns besides widgets: runtime, alerts, evidence, the bridge.

Started and stopped as one piece so that closing the window stops every thread.
"""

from __future__ import annotations

import getpass
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject

from console.app.open_site import Role, open_site
from console.bus.client import BusClient
from console.bus.console_link import ConsoleBusLink
from console.config.site_file import SiteConfig
from console.detect.model import ModelLoadError
from console.pipeline.records import AnalysisResult
from console.pipeline.runtime import RuntimeOptions
from console.security.accounts import Accounts
from console.security.guard import SessionGuard
from console.security.roles import UserSession
from console.sim.clip_cache import missing_clips, render_missing
from console.sources.base import Frame
from console.sync.worker import SyncState, SyncStatus
from ui.bridge import CoreBridge

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SyncIndicator:
    """What the status bar shows about central storage, read from the sync worker's status."""

    connected: bool
    last_success: datetime | None
    backlog: int

    @classmethod
    def of(cls, status: SyncStatus) -> SyncIndicator:
        connected = status.state in (SyncState.IDLE, SyncState.SYNCING)
        return cls(connected, status.last_success_at, status.backlog)


@dataclass(frozen=True, slots=True)
class BusIndicator:
    """What the status bar shows about the site bus and its analytics nodes."""

    online: bool
    nodes: int
    cameras: int
    analysed: int  # cameras some node holds a lease for
    unowned: tuple[str, ...]
    analysed_fps: float
    # Per live node: its id, cameras held, capacity and analysed fps.
    node_rows: tuple[tuple[str, int, int, float], ...] = ()

    @classmethod
    def of(cls, link: ConsoleBusLink) -> BusIndicator:
        view = link.cluster
        enabled = [c.id for c in link.site.cameras if c.enabled]
        if view is None:
            return cls(link.online, 0, len(enabled), 0, tuple(enabled), 0.0)
        return cls(
            link.online,
            len(view.nodes),
            len(enabled),
            len(view.leases),
            tuple(view.unowned),
            sum(node.analysed_fps for node in view.nodes),
            tuple((n.node, len(n.cameras), n.capacity, n.analysed_fps) for n in view.nodes),
        )


@dataclass(frozen=True, slots=True)
class ClipPreparation:
    """How far the first start has rendered the demo's simulated cameras (status bar)."""

    clips_done: int
    clips_total: int
    fraction: float  # of all their frames, 0..1

    @property
    def percent(self) -> int:
        return int(self.fraction * 100)


class _RenderProgress:
    """Turns the renderer's per-clip progress into one ClipPreparation for the whole site."""

    def __init__(self, urls: list[str], publish: Callable[[ClipPreparation], None]) -> None:
        self._fractions = dict.fromkeys(urls, 0.0)
        self._publish = publish
        publish(ClipPreparation(0, len(urls), 0.0))

    def __call__(self, url: str, done: int, total: int) -> None:
        fraction = min(1.0, done / total) if total > 0 else 1.0
        self._fractions[url] = max(self._fractions.get(url, 0.0), fraction)
        fractions = self._fractions.values()
        self._publish(
            ClipPreparation(
                sum(f >= 1.0 for f in fractions), len(fractions), sum(fractions) / len(fractions)
            )
        )


def os_user_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "operator"


class ConsoleSession:
    def __init__(
        self,
        site: SiteConfig,
        base_dir: Path | None = None,
        options: RuntimeOptions | None = None,
        parent: QObject | None = None,
        database: Path | None = None,
    ) -> None:
        self.site = site
        self.sync_indicator: Callable[[], SyncIndicator | None] = lambda: None
        self.bus_indicator: Callable[[], BusIndicator | None] = lambda: None
        # On a site bus the console shows what analytics nodes analyse (docs/DEPLOY.md); it
        # decodes only the cameras on its visible tiles and loads no model.
        self.display_only = site.bus is not None and not site.bus.console_analyses
        if self.display_only:
            options = replace(
                options or RuntimeOptions(),
                analyse=False,
                start_cameras=False,
                sub_streams_on_tiles=True,
            )
        self.opened = open_site(
            site, role=Role.CONSOLE, base_dir=base_dir, database=database, options=options
        )
        self.console_id = self.opened.console_id
        self.data_folder = self.opened.paths.data_folder
        self.runtime = self.opened.runtime
        self.services = self.opened.services
        self.store = self.services.store
        self.evidence = self.services.evidence
        self.alerts = self.services.alerts
        self.sync_worker = self.services.sync
        self.outages = self.services.outages
        self.retention = self.services.retention
        self.audit = self.opened.audit
        self.recorder = self.opened.recorder
        if self.sync_worker is not None:
            worker = self.sync_worker
            self.sync_indicator = lambda: SyncIndicator.of(worker.status)
        self.bridge = CoreBridge(self.runtime, self.alerts, parent)
        self.bus_link: ConsoleBusLink | None = None
        self._shown_frames: dict[str, Frame] = {}
        self._shown_lock = threading.Lock()
        self._camera_changes = ThreadPoolExecutor(1, thread_name_prefix="shown-cameras")
        if self.display_only:
            self._join_bus()
        self.start_error = ""
        # While the first start renders the demo's simulated cameras (None otherwise).
        self.preparing: ClipPreparation | None = None
        self._starter: threading.Thread | None = None
        self._stopping = threading.Event()
        self._runtime_started = threading.Event()
        self._focus_lock = threading.Lock()
        self._focus: str | None = None
        # Until someone logs in, the OS user is the operator.
        self.user: Callable[[], str] = os_user_name
        self.role: Callable[[], str] = lambda: "operator"
        self.training = False
        self.accounts = Accounts(self.store, self.audit)
        self.user_session: UserSession | None = None

    def _join_bus(self) -> None:
        bus = self.site.bus
        assert bus is not None
        client = BusClient(bus, name=f"roadwatch-console-{self.console_id}")
        link = ConsoleBusLink(
            self.site, self.alerts, self.store, client, console_id=self.console_id
        )
        self.bus_link = link
        self.bus_indicator = lambda: BusIndicator.of(link)
        for camera in self.site.cameras:
            if camera.enabled:
                listeners = self.runtime.frame_listeners.setdefault(camera.id, [])
                listeners.append(partial(link.overlays.add_frame, camera.id))
        link.health_listeners.append(self.bridge.on_health)
        self.bridge.frame_source = self._frame_to_show
        self.bridge.result_source = self._result_for_shown

    def _frame_to_show(self, camera_id: str) -> tuple[int, Frame | None]:
        assert self.bus_link is not None
        frame = self.bus_link.overlays.frame_to_show(camera_id, time.time())
        if frame is None:
            return 0, None
        with self._shown_lock:
            self._shown_frames[camera_id] = frame
        return frame.index + 1, frame

    def _result_for_shown(self, camera_id: str) -> AnalysisResult | None:
        assert self.bus_link is not None
        with self._shown_lock:
            frame = self._shown_frames.get(camera_id)
        return self.bus_link.overlays.result_for(camera_id, frame) if frame is not None else None

    def set_shown(self, camera_ids: frozenset[str]) -> None:
        """The cameras on the wall's visible tiles: a display console decodes only those."""
        if not self.display_only or self._stopping.is_set():
            return
        self._camera_changes.submit(self._decode_only, camera_ids)

    def _decode_only(self, camera_ids: frozenset[str]) -> None:
        while not self._runtime_started.wait(0.5):  # the demo clips may still be rendering
            if self._stopping.is_set():
                return
        if self._stopping.is_set():
            return
        running = set(self.runtime.cameras)
        for camera_id in sorted(running - camera_ids):
            self.runtime.remove_camera(camera_id, reason="not shown on this console")
        for camera_id in sorted(camera_ids - running):
            try:
                self.runtime.add_camera(camera_id)
            except (KeyError, ValueError) as error:
                log.warning("camera %s not shown: %s", camera_id, error)

    def sign_in(self, user_session: UserSession) -> None:
        """From now on actions are this user's, and the core refuses what the role may not do."""
        self.user_session = user_session
        self.alerts.guard = SessionGuard(user_session, self.audit)
        self.user = lambda: user_session.username
        self.role = lambda: user_session.user.role.value

    @property
    def handover_dir(self) -> Path:
        return self.data_folder / "handover"

    def start(self) -> None:
        """Render missing demo clips, load the model and start the cameras, off the GUI thread."""
        self.opened.start_services()
        if self.bus_link is not None:
            self.bus_link.start()
        self._starter = threading.Thread(
            target=self._start_runtime, name="session-start", daemon=True
        )
        self._starter.start()

    def _start_runtime(self) -> None:
        self._render_sim_clips()
        if self._stopping.is_set():
            return
        try:
            self.opened.start_analysis()
        except ModelLoadError as error:
            self.start_error = str(error)
            log.error("analysis not started: %s", error)
        self._runtime_started.set()
        self._apply_focus()

    def _render_sim_clips(self) -> None:
        """Render the simulated cameras not in the cache yet (the demo's first start).

        The cameras start only afterwards, so none renders live meanwhile; a clip that
        cannot be rendered leaves its camera to the live simulator.
        """
        urls = [
            url
            for camera in self.site.cameras
            if camera.enabled
            for url in (camera.streams.main, camera.streams.detect)
            if url
        ]
        try:
            missing = missing_clips(urls)
            if missing:
                log.info("rendering %d simulated camera(s) once into the cache", len(missing))
                progress = _RenderProgress(missing, lambda state: setattr(self, "preparing", state))
                render_missing(missing, progress, stop=self._stopping)
        except Exception:  # the console runs on: those cameras render live
            log.exception("could not render the simulated cameras; they are rendered live")
        finally:
            self.preparing = None

    def set_focus(self, camera_id: str | None) -> None:
        """The camera on the operator's maximised tile gets more of the detector (None: none).

        Remembered until analysis runs, so a tile maximised while the model loads counts too.
        """
        with self._focus_lock:
            self._focus = camera_id
            self._apply_focus_locked()

    def _apply_focus(self) -> None:
        with self._focus_lock:
            self._apply_focus_locked()

    def _apply_focus_locked(self) -> None:
        detector = self.runtime.detector
        if detector is not None:
            detector.set_focus(self._focus)
        if self.display_only and not self._stopping.is_set():  # maximised: the main stream
            wanted = {self._focus} if self._focus else set()
            self._camera_changes.submit(self.runtime.show_main_stream, wanted)

    @property
    def demo_model(self) -> bool:
        return bool(getattr(self.runtime.model, "is_demo", False))

    def stop(self) -> None:
        self._stopping.set()  # a first start still rendering demo clips gives up
        if self._starter is not None:
            self._starter.join(timeout=10)
        self._camera_changes.shutdown(wait=True, cancel_futures=True)
        if self.bus_link is not None:
            self.bus_link.stop()
        self.opened.stop()
