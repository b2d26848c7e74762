"""The operator console's main window: docks around the video wall, state in the status bar.

Widgets get their models in the constructor; this class only wires their signals.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from functools import partial
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QScrollArea, QTextBrowser, QWidget

from console import APP_NAME, __version__
from console.alerts.handover import HandoverReport, OutageLog, latest_report
from console.alerts.plate_desk import PlateDesk
from console.alerts.service import AlertService
from console.config.site_file import SiteConfig
from console.config.wall_layouts import LAYOUTS
from console.domain.health import CameraHealth
from console.domain.records import Alert, AlertAction, EvidenceRef, utc_now
from console.store import queries
from ui.admin.statistics import StatisticsView
from ui.alerts.detail import AlertDetail
from ui.alerts.handover import (
    PAPER,
    HandoverDialog,
    HandoverRenderer,
    ShiftRecords,
    compose_report,
    read_shift,
)
from ui.alerts.patrol_panel import PatrolPanel
from ui.alerts.plate_panel import PlatePanel
from ui.alerts.queue_model import AlertQueueModel
from ui.alerts.queue_view import AlertQueueView
from ui.alerts.sound import SoundPlayer, default_sound_player, loud_enough
from ui.alerts.triage import DialogPrompts, TriageController, TriagePrompts
from ui.bridge import CoreBridge
from ui.gui_callbacks import GuiCallbacks
from ui.main_menus import MainMenus
from ui.replay_training import ReplayTrainingActions
from ui.session import ConsoleSession, os_user_name
from ui.wall.camera_tree import CameraTree
from ui.wall.route_map import RouteMap
from ui.wall.status_bar import ConsoleStatusBar
from ui.wall.video_wall import VideoWall

INITIAL_ALERTS = 5000
DOCK_AREAS = {
    "cameras": Qt.DockWidgetArea.LeftDockWidgetArea,
    "route-map": Qt.DockWidgetArea.LeftDockWidgetArea,
    "alerts": Qt.DockWidgetArea.BottomDockWidgetArea,
    "statistics": Qt.DockWidgetArea.BottomDockWidgetArea,
    "alert-detail": Qt.DockWidgetArea.RightDockWidgetArea,
    "patrol": Qt.DockWidgetArea.RightDockWidgetArea,
    "handover": Qt.DockWidgetArea.RightDockWidgetArea,
}


def scrollable(widget: QWidget) -> QScrollArea:
    """A dock content that scrolls instead of forcing the window taller than the screen."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(widget)
    return area


class MainWindow(QMainWindow):
    def __init__(
        self,
        site: SiteConfig,
        settings: QSettings,
        session: ConsoleSession | None = None,
        parent: QWidget | None = None,
        *,
        sound_player: SoundPlayer | None = None,
        prompts: TriagePrompts | None = None,
    ) -> None:
        super().__init__(parent)
        self.site = site
        self.settings = settings
        self.session = session
        self.setObjectName("MainWindow")
        self.site_path: Path | None = None  # set by ui.app when the site came from a file
        self.alert_service = session.alerts if session is not None else AlertService(site)
        bridge = (
            session.bridge if session is not None else CoreBridge(None, self.alert_service, self)
        )
        self.bridge = bridge
        self.user = session.user if session is not None else os_user_name
        self.sound_player = sound_player or default_sound_player()
        self.auto_pop_alerts = True
        # The session records outages from the runtime (stored, synced); without one, here.
        self.outages = session.outages if session is not None else OutageLog()
        store = session.store if session is not None else None

        self.wall = VideoWall(site.site.timezone, bridge if session else None, self, site.cameras)
        self.setCentralWidget(self.wall)
        self.camera_tree = CameraTree(site, self)
        self.route_map = RouteMap(site, self)
        self.queue_model = AlertQueueModel(site, self)
        self.triage = TriageController(
            self.alert_service, self.user, prompts or DialogPrompts(self), self
        )
        self.alert_queue = AlertQueueView(self.queue_model, self.triage, self)
        self.alert_detail = AlertDetail(
            site,
            self.triage,
            store,
            self,
            actor=(lambda: session.user_session) if session is not None else (lambda: None),
            audit=session.audit if session is not None else None,
        )
        if session is not None:
            desk = PlateDesk(session.alerts, session.store, session.audit)
            plates = PlatePanel(desk, lambda: getattr(session, "user_session", None))
            self.alert_detail.attach_plates(plates)
            plates.refused.connect(lambda text: self.statusBar().showMessage(text, 10_000))
            plates.done.connect(lambda text: self.statusBar().showMessage(text, 6_000))
        self.patrol_panel = PatrolPanel(self.alert_service, self)
        self.statistics = StatisticsView(self.alert_service, store, self)
        self.handover_view = QTextBrowser(self)
        self.handover_view.setStyleSheet(PAPER)
        self.handover_renderer = HandoverRenderer(site, self)
        self.docks: dict[str, QDockWidget] = {}
        for name, widget in (
            ("cameras", self.camera_tree),
            ("route-map", self.route_map),
            ("alerts", self.alert_queue),
            ("statistics", self.statistics),
            ("alert-detail", scrollable(self.alert_detail)),
            ("patrol", self.patrol_panel),
            ("handover", self.handover_view),
        ):
            self.docks[name] = self._add_dock(name, widget)
        self.tabifyDockWidget(self.docks["alerts"], self.docks["statistics"])
        self.tabifyDockWidget(self.docks["alert-detail"], self.docks["patrol"])
        self.tabifyDockWidget(self.docks["patrol"], self.docks["handover"])
        self.docks["alerts"].raise_()
        self.docks["alert-detail"].raise_()
        self.resizeDocks(
            [self.docks["cameras"], self.docks["alert-detail"]],
            [330, 560],
            Qt.Orientation.Horizontal,
        )
        self.resizeDocks([self.docks["alerts"]], [240], Qt.Orientation.Vertical)
        self.menus = MainMenus(
            self, settings, site, self.wall, self.camera_tree, self.docks.values()
        )
        self.layout_actions = self.menus.layout_actions
        self.replay_training = ReplayTrainingActions(  # Tools > Replay..., Training...
            self,
            site,
            session,
            self.user,
            (self.menus.tools_menu, self.menus.view_menu),
        )
        self.status = ConsoleStatusBar(
            self.statusBar(),
            site,
            user=self.user,
            role=session.role if session is not None else (lambda: "operator"),
            sync_indicator=session.sync_indicator if session is not None else (lambda: None),
            bus_indicator=session.bus_indicator if session is not None else (lambda: None),
            training=(lambda: session.training) if session is not None else (lambda: False),
            analysis_problem=(lambda: session.start_error) if session is not None else (lambda: ""),
            preparing=(lambda: session.preparing) if session is not None else (lambda: None),
        )
        self._connect()
        self.answers = GuiCallbacks(self)
        self._load_alerts()
        self._refresh_alert_badges()
        self.wall.show_cameras([c for c in site.cameras if c.enabled])
        self.resize(1600, 900)
        self._retranslate()
        self._restore_state()
        self._show_last_handover()

    # ---- construction -----------------------------------------------------------------

    def _add_dock(self, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(self)
        dock.setObjectName(f"dock-{name}")
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(DOCK_AREAS[name], dock)
        return dock

    def _connect(self) -> None:
        bridge = self.bridge
        bridge.health_changed.connect(self.set_health)
        bridge.alert_raised.connect(self.on_alert_raised)
        bridge.alert_changed.connect(self.on_alert_changed)
        bridge.evidence_ready.connect(self.on_evidence_ready)
        self.camera_tree.camera_activated.connect(self.show_camera_maximised)
        self.camera_tree.tour_requested.connect(self.start_tour)
        self.wall.camera_maximise_requested.connect(self.show_camera_maximised)
        self.wall.touring_changed.connect(self._on_touring_changed)
        if self.session is not None:  # the maximised camera gets more of the detector
            self.wall.focus_changed.connect(self.session.set_focus)
            self.wall.shown_changed.connect(self.session.set_shown)  # decoded on a bus site
        self.route_map.camera_clicked.connect(self.show_camera_on_wall)
        self.alert_queue.open_requested.connect(self.open_alert)
        self.alert_queue.current_changed.connect(self._on_queue_selection)
        self.triage.refused.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        menus = self.menus
        menus.handover_action.triggered.connect(self.open_handover)
        menus.quit_action.triggered.connect(self.close)
        menus.zone_editor_action.triggered.connect(self.open_zone_editor)
        menus.auto_pop_action.setChecked(self.auto_pop_alerts)
        menus.auto_pop_action.toggled.connect(lambda on: setattr(self, "auto_pop_alerts", on))
        self.replay_training.alert_requested.connect(self.open_alert)

    # ---- cameras ----------------------------------------------------------------------

    def show_camera_maximised(self, camera_id: str) -> None:
        self.wall.maximise(self.site.camera(camera_id))

    def show_camera_on_wall(self, camera_id: str) -> None:
        """Show a camera on the wall (where it is, else the alert tile or tile 1); flash it."""
        if self.wall.tile_for(camera_id) is None:
            index = self.wall.alert_tile_index
            visible = len(self.wall.visible_tiles())
            self.wall.place_cameras(
                index if index is not None and index < visible else 0, [camera_id]
            )
        self.wall.flash_camera(camera_id)

    def start_tour(self, camera_ids: list[str], dwell_s: float = 10.0) -> None:
        cameras = [self.site.camera(i) for i in camera_ids]
        self.wall.start_tour([c for c in cameras if c.enabled], dwell_s)
        self.menus.tour_action.setChecked(True)

    def _on_touring_changed(self, touring: bool) -> None:
        self.menus.tour_action.blockSignals(True)
        self.menus.tour_action.setChecked(touring)
        self.menus.tour_action.blockSignals(False)

    def set_health(self, health: CameraHealth) -> None:
        if self.session is not None:
            for tile in self.wall.visible_tiles():
                tile.demo_model = self.session.demo_model
        if self.session is None:
            self.outages.record(health, utc_now())
        self.camera_tree.set_health(health)
        self.wall.set_health(health)
        self.route_map.set_state(health.camera_id, health.state)
        self.status.set_health(health)

    # ---- alerts -----------------------------------------------------------------------

    def on_alert_raised(self, alert: Alert) -> None:
        self.queue_model.upsert(alert)
        if loud_enough(alert) and not alert.status.is_terminal:
            self.sound_player(alert)
            if self.auto_pop_alerts:
                self.wall.pop_alert_camera(alert.camera_id)
            self.wall.flash_camera(alert.camera_id)
        self._refresh_alert_badges()
        if self.alert_queue.selected_alert_id() is None:
            self.alert_queue.select_row(0)

    def _load_alerts(self) -> None:
        """The alerts in memory now; the last day's from the store once read (read-only)."""
        self.queue_model.set_alerts(self.alert_service.alerts.values())
        if self.session is not None:
            since = utc_now() - timedelta(days=1)
            query = partial(queries.list_alerts, since=since, limit=INITIAL_ALERTS)
            self.answers.when_done(self.session.store.reader.submit(query), self._add_stored)

    def _add_stored(self, stored: list[Alert]) -> None:
        """Stored alerts join the queue; what the queue holds already is newer and stays."""
        selected = self.alert_queue.selected_alert_id()
        known = {a.id: a for a in self.queue_model.all_alerts()}
        missing = [a for a in stored if a.id not in known]
        if not missing:
            return
        self.queue_model.set_alerts([*known.values(), *missing])
        if selected is not None:
            self.alert_queue.select_alert(selected)
        self._refresh_alert_badges()

    def on_alert_changed(self, alert: Alert, action: AlertAction) -> None:
        self.queue_model.upsert(alert)
        self.statistics.note_action(alert, action)
        self.alert_detail.update_alert(alert, action)
        self.patrol_panel.refresh()
        self._refresh_alert_badges()

    def on_evidence_ready(self, alert: Alert, _refs: tuple[EvidenceRef, ...]) -> None:
        self.queue_model.upsert(alert)
        self.alert_detail.update_alert(alert)

    def open_alert(self, alert_id: uuid.UUID) -> None:
        alert = self.alert_service.alerts.get(alert_id) or self.queue_model.alert(alert_id)
        if alert is None:  # closed a while ago (a replay marker): as stored, once read
            self.answers.when_done(self.alert_service.find(alert_id), self._show_found)
            return
        self._show_found(alert)

    def _show_found(self, alert: Alert | None) -> None:
        if alert is None:
            return
        self.alert_detail.show_alert(alert)
        self.docks["alert-detail"].show()
        self.docks["alert-detail"].raise_()
        self.show_camera_on_wall(alert.camera_id)

    def _on_queue_selection(self, alert_id: uuid.UUID | None) -> None:
        if alert_id is None:
            return
        alert = self.alert_service.alerts.get(alert_id) or self.queue_model.alert(alert_id)
        if alert is not None:
            self.alert_detail.show_alert(alert)

    def _refresh_alert_badges(self) -> None:
        self.route_map.set_open_alerts(self.queue_model.open_count_by_camera())

    # ---- shift handover ---------------------------------------------------------------

    def handover_folder(self) -> Path | None:
        return self.session.handover_dir if self.session is not None else None

    def open_handover(self) -> HandoverDialog | None:
        if self.session is None:
            return None
        session = self.session
        dialog = HandoverDialog(
            read_shift(session),
            partial(self._compose_handover, session),
            self.handover_renderer,
            session.handover_dir,
            self,
        )
        dialog.accepted.connect(self._show_last_handover)
        dialog.open()
        return dialog

    def _compose_handover(
        self, session: ConsoleSession, records: ShiftRecords, notes: str
    ) -> HandoverReport:
        return compose_report(session, self.outages, records, notes)

    def _show_last_handover(self) -> None:
        folder = self.handover_folder()
        report = latest_report(folder) if folder is not None else None
        if report is None:
            self.handover_view.setHtml(
                "<p>"
                + self.tr(
                    "No handover report yet. Write one at the end of the shift "
                    "(File > Shift handover)."
                )
                + "</p>"
            )
            return
        self.handover_view.setHtml(self.handover_renderer.render(report))
        self.docks["handover"].show()
        self.docks["handover"].raise_()

    # ---- tools ------------------------------------------------------------------------

    def open_zone_editor(self) -> None:
        from ui.admin.zone_editor import ZoneEditor

        session = self.session
        editor = ZoneEditor(
            self.site,
            (lambda: session.user_session) if session is not None else (lambda: None),
            session.audit if session is not None else None,
            self.bridge.latest_frame if session is not None else None,
            self,
            site_path=self.site_path,
        )
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.show()

    # ---- language and state -----------------------------------------------------------

    def _retranslate(self) -> None:
        self.setWindowTitle(f"{APP_NAME} {__version__} - {self.site.site.name}")
        titles = {
            "cameras": self.tr("Cameras"),
            "route-map": self.tr("Route map"),
            "alerts": self.tr("Alert queue"),
            "statistics": self.tr("Statistics"),
            "alert-detail": self.tr("Alert detail"),
            "patrol": self.tr("Patrol units"),
            "handover": self.tr("Shift handover"),
        }
        for name, dock in self.docks.items():
            dock.setWindowTitle(titles[name])
        self.menus.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self._show_last_handover()
        super().changeEvent(event)

    def _user_key(self, key: str) -> str:
        return f"users/{self.user()}/{key}"

    def _restore_state(self) -> None:
        geometry = self.settings.value(self._user_key("geometry"))
        state = self.settings.value(self._user_key("state"))
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            self.restoreState(state)
        layout = self.settings.value(self._user_key("wall_layout"))
        if isinstance(layout, str) and layout in LAYOUTS:
            self.wall.set_layout(layout)
        alert_tile = self.settings.value(self._user_key("alert_tile"))
        if alert_tile not in (None, ""):
            self.wall.set_alert_tile(int(str(alert_tile)))

    def save_state(self) -> None:
        self.settings.setValue(self._user_key("geometry"), self.saveGeometry())
        self.settings.setValue(self._user_key("state"), self.saveState())
        self.settings.setValue(self._user_key("wall_layout"), self.wall.grid_layout_name)
        tile = self.wall.alert_tile_index
        self.settings.setValue(self._user_key("alert_tile"), "" if tile is None else tile)
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.wall.stop()
        self.status.stop()
        self.alert_detail.clip.close_clip()
        self.replay_training.shutdown()
        if self.session is not None:
            self.session.stop()
        self.save_state()
        super().closeEvent(event)
