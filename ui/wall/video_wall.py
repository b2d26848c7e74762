"""The video wall: a grid of camera tiles in one of the standard layouts.

Cameras are assigned to positions; a layout shows the first N positions. A maximised
camera is the one-tile layout; double-clicking it (or choosing a layout) returns to the grid
it came from. The camera on a single tile is the wall's focus: the detector gives it a
larger share when it cannot serve every camera.

The wall's compositor thread draws each visible tile's picture from the newest frame of its
camera; the wall collects the finished pictures on its own 25 Hz timer (never a queue) and
repaints only the tiles that got a new one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from console.config.site import Camera
from console.config.wall_layouts import LAYOUTS
from console.domain.health import CameraHealth
from ui.bridge import CoreBridge
from ui.wall.compositor import WallCompositor
from ui.wall.tile import CameraTile

DISPLAY_FPS = 25
MAXIMISED = "1"  # the layout a maximised camera is shown in
MAX_TILES = max(len(layout.cells) for layout in LAYOUTS.values())


class VideoWall(QWidget):
    layout_changed = Signal(str)
    camera_maximise_requested = Signal(str)
    touring_changed = Signal(bool)
    focus_changed = Signal(object)  # the camera id on the wall's only tile, or None
    shown_changed = Signal(object)  # frozenset of the camera ids on the visible tiles

    def __init__(
        self,
        timezone: str,
        bridge: CoreBridge | None = None,
        parent: QWidget | None = None,
        cameras: list[Camera] | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self._zone = ZoneInfo(timezone)
        self._known = {c.id: c for c in cameras or []}
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(2, 2, 2, 2)
        self._grid.setSpacing(2)
        self.tiles: list[CameraTile] = []
        self._cameras: list[Camera | None] = []
        self.health: dict[str, CameraHealth] = {}
        self.layout_name = ""
        self.alert_tile_index: int | None = None
        self._before_maximise: tuple[str, list[Camera | None]] | None = None
        self._focus: str | None = None
        self._shown: frozenset[str] = frozenset()
        self._tour: list[Camera] = []
        self._tour_page = 0
        self._tour_timer = QTimer(self)
        self._tour_timer.timeout.connect(self._next_tour_page)
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._tick_clock)
        self._clock.start()
        self._pump = QTimer(self)
        self._pump.setInterval(1000 // DISPLAY_FPS)
        self._pump.timeout.connect(self.pull_frames)
        self.compositor = (
            WallCompositor(bridge.latest_frame, bridge.latest_result)
            if bridge is not None
            else None
        )
        if self.compositor is not None:
            self.compositor.start()
            self._pump.start()
        self.set_layout("3x3")

    # ---- layout -----------------------------------------------------------------------

    def set_layout(self, name: str) -> None:
        layout = LAYOUTS[name]
        if name != MAXIMISED and self._before_maximise is not None:
            self._cameras = self._before_maximise[1]  # back to the grid: its cameras too
            self._before_maximise = None
        for tile in self.tiles:
            self._grid.removeWidget(tile)
        while len(self.tiles) < len(layout.cells):
            tile = CameraTile(self, composes_itself=self.compositor is None)
            tile.double_clicked.connect(self._on_double_click)
            tile.cameras_dropped.connect(self._on_drop)
            tile.alert_tile_requested.connect(self._on_alert_tile_requested)
            tile.clear_requested.connect(lambda t: self.put_camera(self.tiles.index(t), None))
            self.tiles.append(tile)
        for tile in self.tiles[len(layout.cells) :]:
            tile.hide()
        for index, cell in enumerate(layout.cells):
            tile = self.tiles[index]
            self._grid.addWidget(tile, cell.row, cell.column, cell.row_span, cell.column_span)
            tile.show()
        for r in range(4):
            self._grid.setRowStretch(r, 1 if r < layout.rows else 0)
            self._grid.setColumnStretch(r, 1 if r < layout.columns else 0)
        self.layout_name = name
        if self._tour:
            self._show_tour_page()
        self._apply_cameras()
        self.layout_changed.emit(name)

    def visible_tiles(self) -> list[CameraTile]:
        return self.tiles[: len(LAYOUTS[self.layout_name].cells)]

    # ---- maximised camera -------------------------------------------------------------

    def maximise(self, camera: Camera) -> None:
        """Show one camera over the whole wall, remembering the grid to return to."""
        self.stop_tour()
        if self.layout_name != MAXIMISED:
            self._before_maximise = (self.layout_name, list(self._cameras))
        self._cameras = [camera]
        self.set_layout(MAXIMISED)

    def restore_grid(self) -> bool:
        """Back to the layout and cameras shown before maximising; False if there were none."""
        if self._before_maximise is None:
            return False
        self.set_layout(self._before_maximise[0])
        return True

    @property
    def grid_layout_name(self) -> str:
        """The layout to remember: the grid under a maximised camera, else the one shown."""
        return self._before_maximise[0] if self._before_maximise else self.layout_name

    @property
    def focused_camera(self) -> str | None:
        """The camera on the wall's only tile (maximised), or None when several are shown."""
        tiles = self.visible_tiles()
        if len(tiles) != 1 or tiles[0].camera is None:
            return None
        return tiles[0].camera.id

    def _on_double_click(self, camera_id: str) -> None:
        if self.layout_name == MAXIMISED and self.restore_grid():
            return
        self.camera_maximise_requested.emit(camera_id)

    def _note_focus(self) -> None:
        focus = self.focused_camera
        if focus != self._focus:
            self._focus = focus
            self.focus_changed.emit(focus)

    # ---- which camera where -----------------------------------------------------------

    def show_cameras(self, cameras: list[Camera]) -> None:
        self._cameras = list(cameras)
        self._apply_cameras()

    def camera_ids(self) -> list[str | None]:
        """Camera of each wall position (longer than the visible tiles when a layout shrank)."""
        return [c.id if c else None for c in self._cameras]

    def put_camera(self, index: int, camera: Camera | None) -> None:
        while len(self._cameras) <= index:
            self._cameras.append(None)
        self._cameras[index] = camera
        self._apply_cameras()

    def place_cameras(self, index: int, camera_ids: list[str]) -> None:
        """A drop: one camera goes to ``index`` (swapping if already shown), several fill on."""
        cameras = [self._known[i] for i in camera_ids if i in self._known]
        if not cameras:
            return
        self.stop_tour()
        if len(cameras) == 1:
            camera = cameras[0]
            current = [c.id if c else None for c in self._cameras]
            while len(self._cameras) <= index:
                self._cameras.append(None)
            if camera.id in current:
                source = current.index(camera.id)
                self._cameras[source] = self._cameras[index]
            self._cameras[index] = camera
        else:
            visible = len(self.visible_tiles())
            for offset, camera in enumerate(cameras[: max(1, visible - index)]):
                while len(self._cameras) <= index + offset:
                    self._cameras.append(None)
                self._cameras[index + offset] = camera
        self._apply_cameras()

    def _on_drop(self, tile: CameraTile, camera_ids: list[str]) -> None:
        self.place_cameras(self.tiles.index(tile), camera_ids)

    def tile_for(self, camera_id: str) -> CameraTile | None:
        for tile in self.visible_tiles():
            if tile.camera is not None and tile.camera.id == camera_id:
                return tile
        return None

    def _apply_cameras(self) -> None:
        for index, tile in enumerate(self.visible_tiles()):
            camera = self._cameras[index] if index < len(self._cameras) else None
            if tile.camera is not camera:
                tile.set_camera(camera, self.health.get(camera.id) if camera else None)
            tile.is_alert_tile = index == self.alert_tile_index
        self._tick_clock()
        self._note_focus()
        shown = frozenset(t.camera.id for t in self.visible_tiles() if t.camera is not None)
        if shown != self._shown:
            self._shown = shown
            self.shown_changed.emit(shown)

    def set_health(self, health: CameraHealth) -> None:
        self.health[health.camera_id] = health
        tile = self.tile_for(health.camera_id)
        if tile is not None:
            tile.set_health(health)

    # ---- alerts -----------------------------------------------------------------------

    def _on_alert_tile_requested(self, tile: CameraTile) -> None:
        index = self.tiles.index(tile)
        self.set_alert_tile(None if self.alert_tile_index == index else index)

    def set_alert_tile(self, index: int | None) -> None:
        self.alert_tile_index = index
        for position, tile in enumerate(self.tiles):
            tile.is_alert_tile = position == index

    def pop_alert_camera(self, camera_id: str) -> None:
        """Show the camera of a new alert in the designated tile (if one is designated)."""
        if self.alert_tile_index is None or camera_id not in self._known:
            return
        if self.alert_tile_index >= len(self.visible_tiles()):
            return
        self.put_camera(self.alert_tile_index, self._known[camera_id])

    def flash_camera(self, camera_id: str) -> bool:
        tile = self.tile_for(camera_id)
        if tile is None:
            return False
        tile.flash()
        return True

    # ---- tour -------------------------------------------------------------------------

    def start_tour(self, cameras: list[Camera], dwell_s: float = 10.0) -> None:
        """Cycle pages of ``cameras`` through the wall, ``dwell_s`` seconds per page."""
        self._tour = list(cameras)
        self._tour_page = 0
        self._before_maximise = None
        self._show_tour_page()
        self._tour_timer.start(int(dwell_s * 1000))
        self.touring_changed.emit(True)

    def stop_tour(self) -> None:
        was_touring = self._tour_timer.isActive()
        self._tour_timer.stop()
        self._tour = []
        if was_touring:
            self.touring_changed.emit(False)

    @property
    def touring(self) -> bool:
        return self._tour_timer.isActive()

    def _next_tour_page(self) -> None:
        pages = self._tour_pages()
        self._tour_page = (self._tour_page + 1) % max(1, pages)
        self._show_tour_page()

    def _tour_pages(self) -> int:
        per_page = len(self.visible_tiles())
        return max(1, -(-len(self._tour) // per_page))

    def _show_tour_page(self) -> None:
        per_page = len(self.visible_tiles())
        start = (self._tour_page % self._tour_pages()) * per_page
        self._cameras = list(self._tour[start : start + per_page])
        self._apply_cameras()

    # ---- frames -----------------------------------------------------------------------

    def pull_frames(self) -> None:
        """Show each visible tile's newest finished picture; older ones are skipped.

        The compositor thread does the scaling and drawing; here a ready picture is only
        handed to its tile, and only tiles with a new picture are repainted.
        """
        if self.compositor is None:
            return
        ready = self.compositor.take_all()
        scenes = {}
        for index, tile in enumerate(self.visible_tiles()):
            scenes[index] = tile.scene()
            composed = ready.get(index)
            if composed is not None and tile.show_composed(composed):
                tile.update()
        self.compositor.want(scenes)

    def stop(self) -> None:
        if self.compositor is not None:
            self.compositor.stop()
        self._pump.stop()
        self._clock.stop()
        self._tour_timer.stop()

    def _tick_clock(self) -> None:
        text = datetime.now(UTC).astimezone(self._zone).strftime("%H:%M:%S %d/%m/%Y")
        for tile in self.visible_tiles():
            tile.set_clock(text)
