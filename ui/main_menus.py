"""Menus and the wall toolbar of the main window.

The menus drive the wall, its saved layouts and the language themselves; the window
connects the actions that are its own business (handover, quit, zone editor, alert pop-up).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QInputDialog,
    QMainWindow,
    QMenu,
    QToolBar,
)

from console.config.site_file import SiteConfig
from console.config.wall_layouts import LAYOUTS
from ui.i18n import current_language, install_translator
from ui.wall.camera_tree import CameraTree
from ui.wall.presets import WallPreset, WallPresets
from ui.wall.video_wall import VideoWall

LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


class MainMenus(QObject):
    def __init__(
        self,
        window: QMainWindow,
        settings: QSettings,
        site: SiteConfig,
        wall: VideoWall,
        camera_tree: CameraTree,
        docks: Iterable[QDockWidget],
    ) -> None:
        super().__init__(window)
        self.window = window
        self.settings = settings
        self.site = site
        self.wall = wall
        self.camera_tree = camera_tree
        self.presets = WallPresets(settings)
        bar = window.menuBar()
        self.file_menu = bar.addMenu("")
        self.view_menu = bar.addMenu("")
        self.wall_menu = bar.addMenu("")
        self.tools_menu = bar.addMenu("")
        self.language_menu = bar.addMenu("")

        self.handover_action = self.file_menu.addAction("")
        self.handover_action.setShortcut(QKeySequence("Ctrl+H"))
        self.file_menu.addSeparator()
        self.quit_action = self.file_menu.addAction("")
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)

        for dock in docks:
            self.view_menu.addAction(dock.toggleViewAction())

        self.toolbar = QToolBar(window)
        self.toolbar.setObjectName("toolbar-layout")
        self.toolbar.setMovable(False)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        group = QActionGroup(self)
        self.layout_actions: dict[str, QAction] = {}
        for index, name in enumerate(LAYOUTS):
            action = QAction(name, self)
            action.setCheckable(True)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _=False, n=name: wall.set_layout(n))
            group.addAction(action)
            self.toolbar.addAction(action)
            self.wall_menu.addAction(action)
            self.layout_actions[name] = action
        wall.layout_changed.connect(lambda n: self.layout_actions[n].setChecked(True))
        self.layout_actions[wall.layout_name].setChecked(True)
        self.wall_menu.addSeparator()
        self.toolbar.addSeparator()
        self.save_preset_action = QAction(self)
        self.save_preset_action.triggered.connect(self.ask_and_save_preset)
        self.presets_menu = QMenu(window)
        self.presets_menu.aboutToShow.connect(self._fill_presets_menu)
        self.presets_action = self.presets_menu.menuAction()
        self.tour_action = QAction(self)
        self.tour_action.setCheckable(True)
        self.tour_action.toggled.connect(self._toggle_tour)
        self.auto_pop_action = QAction(self)
        self.auto_pop_action.setCheckable(True)
        for action in (
            self.save_preset_action,
            self.presets_action,
            self.tour_action,
            self.auto_pop_action,
        ):
            self.wall_menu.addAction(action)
            self.toolbar.addAction(action)

        self.zone_editor_action = self.tools_menu.addAction("")

        languages = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, name in LANGUAGE_NAMES.items():
            action = self.language_menu.addAction(name)
            action.setCheckable(True)
            action.triggered.connect(lambda _=False, c=code: self.switch_language(c))
            languages.addAction(action)
            self.language_actions[code] = action
        app = QApplication.instance()
        if isinstance(app, QApplication):
            self.language_actions[current_language(app)].setChecked(True)

    # ---- actions ----------------------------------------------------------------------

    def switch_language(self, code: str) -> None:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        install_translator(app, code)
        self.language_actions[code].setChecked(True)
        self.settings.setValue("ui/language", code)

    def _toggle_tour(self, on: bool) -> None:
        wall = self.wall
        if on and not wall.touring:
            ids = self.camera_tree.group_camera_ids()
            wall.start_tour([self.site.camera(i) for i in ids])
        elif not on:
            wall.stop_tour()

    def ask_and_save_preset(self) -> None:
        name, ok = QInputDialog.getText(
            self.window, self.tr("Save wall layout"), self.tr("Name of this wall layout:")
        )
        if ok and name.strip():
            self.save_preset(name.strip())

    def save_preset(self, name: str) -> None:
        wall = self.wall
        ids = wall.camera_ids()[: len(wall.visible_tiles())]
        self.presets.save(WallPreset(name.replace("/", "-"), wall.layout_name, tuple(ids)))

    def apply_preset(self, name: str) -> bool:
        preset = self.presets.load(name)
        if preset is None:
            return False
        wall = self.wall
        wall.stop_tour()
        self.tour_action.setChecked(False)
        wall.set_layout(preset.layout)
        known = {c.id: c for c in self.site.cameras}
        wall.show_cameras([known.get(i) for i in preset.camera_ids if i is None or i in known])  # type: ignore[misc]
        return True

    def _fill_presets_menu(self) -> None:
        self.presets_menu.clear()
        names = self.presets.names()
        for name in names:
            action = self.presets_menu.addAction(name)
            action.triggered.connect(lambda _=False, n=name: self.apply_preset(n))
        if not names:
            empty = self.presets_menu.addAction(self.tr("(no saved layouts)"))
            empty.setEnabled(False)

    def retranslate(self) -> None:
        self.file_menu.setTitle(self.tr("&File"))
        self.view_menu.setTitle(self.tr("&View"))
        self.wall_menu.setTitle(self.tr("&Wall"))
        self.tools_menu.setTitle(self.tr("&Tools"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.handover_action.setText(self.tr("Shift handover…"))
        self.quit_action.setText(self.tr("Quit"))
        self.toolbar.setWindowTitle(self.tr("Wall layout"))
        for name, action in self.layout_actions.items():
            action.setToolTip(self.tr("Wall layout %1").replace("%1", name))
        self.save_preset_action.setText(self.tr("Save layout…"))
        self.presets_action.setText(self.tr("Saved layouts"))
        self.tour_action.setText(self.tr("Tour"))
        self.tour_action.setToolTip(self.tr("Cycle the selected group's cameras on the wall"))
        self.auto_pop_action.setText(self.tr("Alert pop-up"))
        self.auto_pop_action.setToolTip(
            self.tr("Show a new high-priority alert's camera in the designated tile")
        )
        self.zone_editor_action.setText(self.tr("Zone editor…"))
