"""The operator console's main window: docks around the video wall, state in the status bar."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QToolBar, QWidget

from console import APP_NAME, __version__
from console.config import SiteConfig
from console.health import CameraHealth, StreamState
from console.wall_layouts import LAYOUTS
from ui.camera_tree import CameraTree
from ui.session import ConsoleSession
from ui.video_wall import VideoWall


class MainWindow(QMainWindow):
    def __init__(
        self,
        site: SiteConfig,
        settings: QSettings,
        session: ConsoleSession | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.site = site
        self.settings = settings
        self.session = session
        self.setObjectName("MainWindow")
        self.setWindowTitle(f"{APP_NAME} {__version__} - {site.site.name}")
        bridge = session.bridge if session is not None else None
        self.wall = VideoWall(site.site.timezone, bridge, self)
        self.setCentralWidget(self.wall)
        self.camera_tree = CameraTree(site, self)
        self.camera_tree.camera_activated.connect(self.show_camera_maximised)
        self.camera_dock = self._add_dock("cameras", self.tr("Cameras"), self.camera_tree)
        self._health: dict[str, CameraHealth] = {}
        self._build_toolbar()
        self._build_status_bar()
        self.wall.show_cameras([c for c in site.cameras if c.enabled])
        self.resize(1600, 900)
        self._restore_state()
        if bridge is not None:
            bridge.health_changed.connect(self.set_health)

    def _add_dock(self, name: str, title: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{name}")
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        return dock

    def _build_toolbar(self) -> None:
        toolbar = QToolBar(self.tr("Wall layout"), self)
        toolbar.setObjectName("toolbar-layout")
        toolbar.setMovable(False)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        group = QActionGroup(self)
        self.layout_actions: dict[str, QAction] = {}
        for index, name in enumerate(LAYOUTS):
            action = QAction(name, self)
            action.setCheckable(True)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.setToolTip(self.tr("Wall layout %1").replace("%1", name))
            action.triggered.connect(lambda _=False, n=name: self.wall.set_layout(n))
            group.addAction(action)
            toolbar.addAction(action)
            self.layout_actions[name] = action
        self.wall.layout_changed.connect(lambda n: self.layout_actions[n].setChecked(True))
        self.layout_actions[self.wall.layout_name].setChecked(True)
        toolbar.addSeparator()
        toolbar.addAction(self.camera_dock.toggleViewAction())

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.health_label = QLabel(self)
        self.mode_label = QLabel(
            self.tr("Offline - local storage only")
            if self.site.central is None
            else self.tr("Central storage: not connected yet"),
            self,
        )
        bar.addWidget(self.health_label, 1)
        bar.addPermanentWidget(self.mode_label)
        self._refresh_health_summary()

    def show_camera_maximised(self, camera_id: str) -> None:
        camera = self.site.camera(camera_id)
        self.wall.set_layout("1")
        self.wall.show_cameras([camera])

    def set_health(self, health: CameraHealth) -> None:
        self._health[health.camera_id] = health
        if self.session is not None:
            for tile in self.wall.visible_tiles():
                tile.demo_model = self.session.demo_model
        self.camera_tree.set_health(health)
        tile = self.wall.tile_for(health.camera_id)
        if tile is not None:
            tile.set_health(health)
        self._refresh_health_summary()

    def _refresh_health_summary(self) -> None:
        enabled = [c.id for c in self.site.cameras if c.enabled]
        states = [
            self._health[c].state if c in self._health else StreamState.CONNECTING for c in enabled
        ]
        live = states.count(StreamState.LIVE)
        down = sum(
            s in (StreamState.OFFLINE, StreamState.ERROR, StreamState.STALLED) for s in states
        )
        self.health_label.setText(
            self.tr("Cameras: %1 live, %2 down, %3 in total")
            .replace("%1", str(live))
            .replace("%2", str(down))
            .replace("%3", str(len(enabled)))
        )

    def _restore_state(self) -> None:
        geometry = self.settings.value("main/geometry")
        state = self.settings.value("main/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            self.restoreState(state)
        layout = self.settings.value("main/wall_layout")
        if isinstance(layout, str) and layout in LAYOUTS:
            self.wall.set_layout(layout)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.wall.stop()
        if self.session is not None:
            self.session.stop()
        self.settings.setValue("main/geometry", self.saveGeometry())
        self.settings.setValue("main/state", self.saveState())
        self.settings.setValue("main/wall_layout", self.wall.layout_name)
        self.settings.sync()
        super().closeEvent(event)
