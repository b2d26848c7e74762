"""Replay window: up to four recorded cameras on one clock, a timeline per camera, export.

The window owns a :class:`console.replay.SyncedReplay`; a timer asks it for each camera's
frame at the clock's position and paints it with the boxes stored beside the recording.
Recorded segments are small local MP4 files, decoded on the GUI thread one frame per tick
like the evidence clip player (at 16x a tick is a seek; still a few milliseconds).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QDateTime, QEvent, Qt, QTime, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSlider,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from console.config.site_file import SiteConfig
from console.domain.records import Alert
from console.recording.index import RecordingIndex
from console.replay.clock import MAX_SYNCED, SPEEDS, SyncedReplay
from console.replay.export import ExportedClip, NothingRecordedError, export_range
from console.replay.player import CameraPlayback, FilePlayback, Playback
from console.replay.timeline import alert_markers, build_timeline, epoch_range, stored_alerts
from console.store.local import LocalStore
from ui.gui_callbacks import GuiCallbacks
from ui.replay.timeline import TimelineWidget
from ui.replay.view import ReplayView

if TYPE_CHECKING:
    from ui.replay.reanalysis import ReanalysisDialog

TICK_MS = 40
ALERT_CONTEXT_S = 60.0
SLIDER_STEPS = 10_000


class ReplayWindow(QWidget):
    """Play, pause, step, seek, speed; timelines; export of a range."""

    alert_requested = Signal(object)  # uuid.UUID: the main window may open the alert

    def __init__(
        self,
        site: SiteConfig,
        index: RecordingIndex,
        store: LocalStore | None = None,
        parent: QWidget | None = None,
        *,
        exporter: Callable[..., ExportedClip] = export_range,
        # Asked before anything is shown; raises PermissionError to refuse the playback.
        on_opened: Callable[[list[str], float], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ReplayWindow")
        self.site = site
        self.index = index
        self.store = store
        self.answers = GuiCallbacks(self)
        self._loads = 0  # each load's number: a late answer for an earlier one is dropped
        self.zone = ZoneInfo(site.site.timezone)
        self.exporter = exporter
        # Called with (camera ids, start) whenever recordings are opened: the playback audit.
        self.on_opened = on_opened
        self.replay: SyncedReplay | None = None
        self.range_s: tuple[float, float] = (0.0, 1.0)
        self.names = {camera.id: camera.name for camera in site.cameras}

        self.camera_list = QListWidget(self)
        for camera in site.cameras:
            item = QListWidgetItem(camera.name, self.camera_list)
            item.setData(Qt.ItemDataRole.UserRole, camera.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.start_edit = QDateTimeEdit(self)
        self.start_edit.setCalendarPopup(True)
        self.start_edit.setDisplayFormat("dd/MM/yyyy HH:mm:ss")
        self._set_start_edit(datetime.now(self.zone).timestamp() - 3600.0)
        self.open_button = QPushButton(self)
        self.open_button.clicked.connect(self._open_checked)
        self.file_button = QPushButton(self)
        self.file_button.clicked.connect(self._ask_file)
        chooser = QVBoxLayout()
        self.cameras_label = QLabel(self)
        self.start_label = QLabel(self)
        for widget in (self.cameras_label, self.camera_list, self.start_label, self.start_edit):
            chooser.addWidget(widget)
        chooser.addWidget(self.open_button)
        chooser.addWidget(self.file_button)
        chooser_box = QWidget(self)
        chooser_box.setLayout(chooser)

        self.views = [ReplayView(self) for _ in range(MAX_SYNCED)]
        grid = QGridLayout()
        grid.setSpacing(2)
        for number, view in enumerate(self.views):
            grid.addWidget(view, number // 2, number % 2)
        self.timelines = [TimelineWidget(site.site.timezone, self) for _ in range(MAX_SYNCED)]
        for timeline in self.timelines:
            timeline.seek_requested.connect(self.seek)
            timeline.alert_clicked.connect(self.alert_requested.emit)

        self.back_button = QPushButton("◀|", self)
        self.back_button.clicked.connect(lambda: self.step(-1))
        self.play_button = QPushButton(self)
        self.play_button.setCheckable(True)
        self.play_button.toggled.connect(self.set_playing)
        self.forward_button = QPushButton("|▶", self)
        self.forward_button.clicked.connect(lambda: self.step(1))
        self.speed_box = QComboBox(self)
        for speed in SPEEDS:
            self.speed_box.addItem(f"{speed:g}x", speed)
        self.speed_box.setCurrentIndex(SPEEDS.index(1.0))
        self.speed_box.currentIndexChanged.connect(self._on_speed)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(0, SLIDER_STEPS)
        self.slider.sliderMoved.connect(self._on_slider)
        self.time_label = QLabel(self)
        self.mark_in_button = QPushButton(self)
        self.mark_in_button.clicked.connect(lambda: self._mark(0))
        self.mark_out_button = QPushButton(self)
        self.mark_out_button.clicked.connect(lambda: self._mark(1))
        self.export_button = QPushButton(self)
        self.export_button.clicked.connect(lambda: self.export_clip(None))
        self.reanalyse_button = QPushButton(self)
        self.reanalyse_button.clicked.connect(self.open_reanalysis)
        self.marks: list[float | None] = [None, None]
        transport = QHBoxLayout()
        controls: list[QWidget] = [
            self.back_button,
            self.play_button,
            self.forward_button,
            self.speed_box,
        ]
        for control in controls:
            transport.addWidget(control)
        transport.addWidget(self.slider, 1)
        transport.addWidget(self.time_label)
        for button in (
            self.mark_in_button,
            self.mark_out_button,
            self.export_button,
            self.reanalyse_button,
        ):
            transport.addWidget(button)

        player = QVBoxLayout()
        player.setContentsMargins(0, 0, 0, 0)
        player.addLayout(grid, 1)
        for timeline in self.timelines:
            player.addWidget(timeline)
        self.legend = QLabel(self)
        player.addWidget(self.legend)
        player.addLayout(transport)
        player_box = QWidget(self)
        player_box.setLayout(player)
        splitter = QSplitter(self)
        splitter.addWidget(chooser_box)
        splitter.addWidget(player_box)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([220, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._retranslate()
        self._show_loaded(0)

    # ---- opening ----------------------------------------------------------------------

    def open_cameras(self, camera_ids: list[str], start_s: float, end_s: float) -> None:
        """Replay up to four cameras from ``start_s``; timelines span [start_s, end_s].

        ``on_opened`` is asked first: it checks the playback permission in the core (and
        audits the playback); when it refuses, nothing is opened and the refusal is shown.
        """
        if not self._may_play(list(camera_ids), start_s):
            return
        playbacks: list[Playback] = [
            CameraPlayback(self.index, c, start_s, end_s) for c in camera_ids
        ]
        for row in range(self.camera_list.count()):
            item = self.camera_list.item(row)
            chosen = item.data(Qt.ItemDataRole.UserRole) in camera_ids
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
        self._set_start_edit(start_s)
        self._load(playbacks, start_s, end_s, camera_ids)

    def _may_play(self, camera_ids: list[str], start_s: float) -> bool:
        if self.on_opened is None:
            return True
        try:
            self.on_opened(camera_ids, start_s)
        except PermissionError as error:  # refused (and audited) by the core
            QMessageBox.warning(self, self.tr("Replay"), str(error))
            return False
        return True

    def open_at(self, camera_ids: list[str], moment: datetime, span_s: float = 3600.0) -> None:
        start = moment.timestamp()
        self.open_cameras(camera_ids, start, start + span_s)

    def open_alert(self, alert: Alert) -> None:
        """The alert's camera around the alert's time, positioned just before it."""
        at = alert.event.started_at.timestamp()
        self.open_cameras([alert.camera_id], at - ALERT_CONTEXT_S, at + ALERT_CONTEXT_S)
        self.seek(at - 5.0)

    def open_file(self, path: Path) -> None:
        if not self._may_play([], 0.0):
            return
        try:
            playback = FilePlayback(path)
        except ValueError as error:
            QMessageBox.warning(self, self.tr("Replay"), str(error))
            return
        self._load([playback], playback.start_s, playback.end_s, [])

    def _load(
        self, playbacks: list[Playback], start_s: float, end_s: float, camera_ids: list[str]
    ) -> None:
        self.close_replay()
        self.replay = SyncedReplay(playbacks[:MAX_SYNCED])
        self.range_s = (start_s, max(end_s, start_s + 1.0))
        self._loads += 1
        if self.store is not None and camera_ids:  # the markers follow once read
            start, end = epoch_range(*self.range_s)
            query = partial(stored_alerts, camera_ids=camera_ids, start=start, end=end)
            self.answers.when_done(
                self.store.reader.submit(query), partial(self._show_alerts, self._loads)
            )
        for number, timeline in enumerate(self.timelines):
            if number < len(playbacks) and number < len(camera_ids):
                camera_id = camera_ids[number]
                timeline.set_timeline(
                    build_timeline(self.index, camera_id, *self.range_s),
                    self.names.get(camera_id, camera_id),
                )
            else:
                timeline.set_timeline(None)
            timeline.setVisible(number < len(camera_ids))
        for number, view in enumerate(self.views):
            view.title = playbacks[number].source_id if number < len(playbacks) else ""
            if number < len(camera_ids):
                view.title = self.names.get(camera_ids[number], camera_ids[number])
        self._show_loaded(len(playbacks))
        self.replay.clock.end_s = self.range_s[1]
        self.seek(max(start_s, self.replay.start_s) if camera_ids else start_s)

    def _show_alerts(self, load: int, alerts: list[Alert]) -> None:
        """The range's stored alerts arrived: their markers join the timelines."""
        if load != self._loads:
            return  # another range is open by now
        for widget in self.timelines:
            timeline = widget.timeline
            if timeline is not None:
                timeline.alerts = alert_markers(
                    timeline.camera_id, timeline.start_s, timeline.end_s, alerts
                )
                widget.update()

    def _show_loaded(self, count: int) -> None:
        for number, view in enumerate(self.views):
            view.setVisible(number < max(1, count))
        for widget in (
            self.back_button,
            self.play_button,
            self.forward_button,
            self.slider,
            self.export_button,
            self.reanalyse_button,
            self.mark_in_button,
            self.mark_out_button,
        ):
            widget.setEnabled(count > 0)
        if count == 0:
            self.views[0].show_text(self.tr("Choose cameras and a time, or open a video file."))

    # ---- transport ------------------------------------------------------------------------

    @property
    def position_s(self) -> float:
        return self.replay.clock.position_s if self.replay is not None else 0.0

    def set_playing(self, playing: bool) -> None:
        if self.replay is None:
            return
        if playing:
            self.replay.clock.play()
            self._timer.start(TICK_MS)
        else:
            self.replay.clock.pause()
            self._timer.stop()
        self.play_button.blockSignals(True)
        self.play_button.setChecked(playing)
        self.play_button.blockSignals(False)
        self._retranslate()
        self.refresh()

    def set_speed(self, speed: float) -> None:
        self.speed_box.setCurrentIndex(SPEEDS.index(speed))

    def _on_speed(self, index: int) -> None:
        if self.replay is not None:
            self.replay.clock.set_speed(SPEEDS[index])

    def seek(self, time_s: float) -> None:
        if self.replay is None:
            return
        self.replay.clock.seek(min(max(time_s, self.range_s[0]), self.range_s[1]))
        self.refresh()

    def step(self, frames: int) -> None:
        if self.replay is None:
            return
        self._timer.stop()
        self.replay.step(frames)
        self.set_playing(False)

    def _on_slider(self, value: int) -> None:
        start, end = self.range_s
        self.seek(start + (end - start) * value / SLIDER_STEPS)

    def refresh(self) -> None:
        replay = self.replay
        if replay is None:
            return
        position = replay.clock.position_s
        if not replay.clock.playing and self._timer.isActive():
            self.set_playing(False)  # the clock reached the end
            return
        for number, frame in enumerate(replay.frames()):
            shown = self.timelines[number].timeline
            gap = shown.gap_at(position) if shown is not None else None
            if gap is not None and gap.reason == "offline":
                text = self.tr("Camera offline") + (f"\n{gap.detail}" if gap.detail else "")
            else:
                text = self.tr("Not recorded at this time")
            self.views[number].show_frame(frame, text)
        for widget in self.timelines:
            widget.set_position(position)
        start, end = self.range_s
        self.slider.blockSignals(True)
        self.slider.setValue(int(SLIDER_STEPS * (position - start) / max(1e-6, end - start)))
        self.slider.blockSignals(False)
        moment = datetime.fromtimestamp(position, self.zone)
        self.time_label.setText(f"{moment:%d/%m/%Y %H:%M:%S}.{moment.microsecond // 100_000}")

    # ---- export -------------------------------------------------------------------------

    def _mark(self, which: int) -> None:
        self.marks[which] = self.position_s
        self._retranslate()

    def export_range_s(self) -> tuple[float, float]:
        """The marked range, else 15 s either side of the playhead."""
        start, end = self.marks
        if start is not None and end is not None and end > start:
            return start, end
        return self.position_s - 15.0, self.position_s + 15.0

    def export_clip(self, path: Path | None) -> ExportedClip | None:
        replay = self.replay
        if replay is None or not isinstance(replay.playbacks[0], CameraPlayback):
            return None
        camera_id = replay.playbacks[0].source_id
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export clip"), f"{camera_id}.mp4", self.tr("MP4 video (*.mp4)")
            )
            if not chosen:
                return None
            path = Path(chosen)
        start, end = self.export_range_s()
        try:
            clip = self.exporter(self.index, camera_id, start, end, path)
        except (NothingRecordedError, PermissionError, RuntimeError) as error:
            QMessageBox.warning(self, self.tr("Export clip"), str(error))
            return None
        return clip

    def open_reanalysis(self) -> ReanalysisDialog | None:
        """The first camera over the marked range (else the whole opened range)."""
        from ui.replay.reanalysis import ReanalysisDialog

        replay = self.replay
        if replay is None or not isinstance(replay.playbacks[0], CameraPlayback):
            return None
        start, end = self.marks
        if start is None or end is None or end <= start:
            start, end = self.range_s
        dialog = ReanalysisDialog(
            self.site, self.index, replay.playbacks[0].source_id, start, end, self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    # ---- choosing -------------------------------------------------------------------------

    def checked_cameras(self) -> list[str]:
        ids = []
        for row in range(self.camera_list.count()):
            item = self.camera_list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                ids.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return ids[:MAX_SYNCED]

    def _open_checked(self) -> None:
        ids = self.checked_cameras()
        if not ids:
            QMessageBox.information(self, self.tr("Replay"), self.tr("Tick one to four cameras."))
            return
        start = self.start_edit_s()
        self.open_cameras(ids, start, start + timedelta(hours=1).total_seconds())

    def _set_start_edit(self, time_s: float) -> None:
        """Show a time in the site's zone (whatever the PC's own zone is)."""
        local = datetime.fromtimestamp(time_s, self.zone)
        self.start_edit.setDateTime(
            QDateTime(
                QDate(local.year, local.month, local.day),
                QTime(local.hour, local.minute, local.second),
            )
        )

    def start_edit_s(self) -> float:
        """The chosen start as UTC epoch seconds, read in the site's zone."""
        chosen = self.start_edit.dateTime()
        date, clock = chosen.date(), chosen.time()
        local = datetime(
            date.year(), date.month(), date.day(), clock.hour(), clock.minute(), clock.second(),
            tzinfo=self.zone,
        )  # fmt: skip
        return local.timestamp()

    def _ask_file(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open video file"), "", self.tr("Video files (*.mp4 *.avi *.mkv *.mov)")
        )
        if chosen:
            self.open_file(Path(chosen))

    # ---- language and lifetime ---------------------------------------------------------

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Replay"))
        self.cameras_label.setText(self.tr("Cameras (up to four)"))
        self.start_label.setText(self.tr("From"))
        self.open_button.setText(self.tr("Open recordings"))
        self.file_button.setText(self.tr("Open video file…"))
        playing = self.replay is not None and self.replay.clock.playing
        self.play_button.setText(self.tr("Pause") if playing else self.tr("Play"))
        self.back_button.setToolTip(self.tr("Previous frame"))
        self.forward_button.setToolTip(self.tr("Next frame"))
        self.speed_box.setToolTip(self.tr("Playback speed"))
        self.mark_in_button.setText(self.tr("Mark in") + (" ✓" if self.marks[0] else ""))
        self.mark_out_button.setText(self.tr("Mark out") + (" ✓" if self.marks[1] else ""))
        self.export_button.setText(self.tr("Export clip…"))
        self.reanalyse_button.setText(self.tr("Re-analyse…"))
        self.reanalyse_button.setToolTip(
            self.tr("Which alerts other rule settings would have raised on this recording")
        )
        swatch = "<span style='color:{}'>■</span> {}"
        self.legend.setText(
            "&nbsp;&nbsp;".join(
                [
                    swatch.format("#2e7d32", self.tr("recorded")),
                    swatch.format("#c62828", self.tr("camera offline")),
                    swatch.format("#4a5561", self.tr("not recorded")),
                    swatch.format("#ff9100", "▼ " + self.tr("alert (click to open)")),
                ]
            )
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def close_replay(self) -> None:
        self._timer.stop()
        if self.replay is not None:
            self.replay.close()
            self.replay = None

    def alert_ids(self) -> list[uuid.UUID]:
        return [m.alert_id for t in self.timelines if t.timeline for m in t.timeline.alerts]
