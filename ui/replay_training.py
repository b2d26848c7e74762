"""Replay and training in the main window: two Tools menu entries, two docks, the recorder.

``MainWindow`` builds one, hands it its menus, and connects ``alert_requested`` to its
alert detail. The docks are created on first use, so a console that never replays pays
nothing. :func:`attach_recorder` belongs with the session's runtime: it must
run before ``session.start()`` and its ``stop()`` after the session stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QWidget

from console.config.site_file import SiteConfig
from console.domain.records import Alert
from console.paths import data_dir
from console.recording import RecordingIndex, SiteRecorder, recordings_folder
from console.replay.export import ExportedClip, export_range, open_playback
from console.security.permits import NotLoggedInError
from console.security.roles import UserSession

if TYPE_CHECKING:
    from ui.replay.window import ReplayWindow
    from ui.session import ConsoleSession
    from ui.training.panel import TrainingPanel


def attach_recorder(session: ConsoleSession) -> SiteRecorder | None:
    """Record the session's cameras with ``record: true`` (None when there are none)."""
    recorder = SiteRecorder(session.site, recordings_folder(session.data_folder))
    if not recorder.recorders:
        recorder.index.close()
        return None
    recorder.attach(session.runtime)
    recorder.start()
    return recorder


class ReplayTrainingActions(QObject):
    """Tools > Replay… and Tools > Training…, each opening its dock in ``window``."""

    alert_requested = Signal(object)  # uuid.UUID: an alert picked on the replay's timeline

    def __init__(
        self,
        window: QMainWindow,
        site: SiteConfig,
        session: ConsoleSession | None,
        user: Callable[[], str],
        menus: tuple[QMenu, QMenu],
        index: RecordingIndex | None = None,
    ) -> None:
        """``menus`` are the window's Tools menu (the two entries) and View menu (the docks)."""
        super().__init__(window)
        self.window = window
        self.site = site
        self.session = session
        self.user = user
        self.tools_menu, self.view_menu = menus
        folder = session.data_folder if session is not None else data_dir()
        self.data_folder = Path(folder)
        self._index = index
        self.audit: Any = getattr(session, "audit", None)  # an AuditLog once login wires one
        self.replay: ReplayWindow | None = None
        self.training: TrainingPanel | None = None
        self.replay_dock: QDockWidget | None = None
        self.training_dock: QDockWidget | None = None
        self.replay_action = QAction(self)
        self.replay_action.triggered.connect(lambda: self.open_replay())
        self.training_action = QAction(self)
        self.training_action.triggered.connect(self.open_training)
        self.tools_menu.addSeparator()
        self.tools_menu.addAction(self.replay_action)
        self.tools_menu.addAction(self.training_action)
        window.installEventFilter(self)
        self.retranslate()

    @property
    def index(self) -> RecordingIndex:
        """The recordings' index (SQLite), opened when replay first needs it.

        Not with the window: building the main window touches no database on the GUI thread.
        """
        if self._index is None:
            self._index = RecordingIndex.in_folder(recordings_folder(self.data_folder))
        return self._index

    # ---- docks --------------------------------------------------------------------------

    def _dock(self, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(self.window)
        dock.setObjectName(f"dock-{name}")
        dock.setWidget(widget)
        self.window.addDockWidget(area, dock)
        self.view_menu.addAction(dock.toggleViewAction())
        return dock

    def open_replay(self, alert: Alert | None = None) -> ReplayWindow:
        """Show the replay dock; with an alert, at the alert's camera and time."""
        from ui.replay.window import ReplayWindow

        if self.replay is None:
            session = self.session
            self.replay = ReplayWindow(
                self.site,
                self.index,
                session.store if session is not None else None,
                self.window,
                exporter=self._export,
                on_opened=self._audit_playback,
            )
            self.replay.alert_requested.connect(self.alert_requested.emit)
            self.replay_dock = self._dock(
                "replay", self.replay, Qt.DockWidgetArea.BottomDockWidgetArea
            )
            self.retranslate()
        assert self.replay_dock is not None
        self.replay_dock.show()
        self.replay_dock.raise_()
        if alert is not None:
            self.replay.open_alert(alert)
        return self.replay

    def open_training(self) -> TrainingPanel:
        from ui.training.panel import TrainingPanel

        if self.training is None:
            self.training = TrainingPanel(
                self.site,
                self.data_folder,
                self.user,
                self.window,
                actor=lambda: getattr(self.session, "user_session", None),
                audit=self.audit,
            )
            self.training_dock = self._dock(
                "training", self.training, Qt.DockWidgetArea.RightDockWidgetArea
            )
            self.retranslate()
        assert self.training_dock is not None
        self.training_dock.show()
        self.training_dock.raise_()
        return self.training

    def _actor(self) -> UserSession | None:
        return getattr(self.session, "user_session", None)

    def _export(
        self, index: RecordingIndex, camera_id: str, start_s: float, end_s: float, path: Path
    ) -> ExportedClip:
        """Export as the logged-in user: the core checks ``export_evidence`` and audits it."""
        actor = self._actor()
        if actor is None:
            raise NotLoggedInError("export a recording")
        return export_range(index, camera_id, start_s, end_s, path, actor=actor, audit=self.audit)

    def _audit_playback(self, camera_ids: list[str], start_s: float) -> None:
        """Before a playback opens: ``playback`` checked in the core, the playback audited."""
        if self.audit is None:
            raise NotLoggedInError("play back recordings")
        open_playback(self._actor(), self.audit, camera_ids, start_s)

    # ---- language and lifetime ----------------------------------------------------------

    def retranslate(self) -> None:
        self.replay_action.setText(self.tr("Replay…"))
        self.training_action.setText(self.tr("Training mode…"))
        if self.replay_dock is not None:
            self.replay_dock.setWindowTitle(self.tr("Replay"))
        if self.training_dock is not None:
            self.training_dock.setWindowTitle(self.tr("Training (ĐÀO TẠO)"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def shutdown(self) -> None:
        """Close the replay's files and end a training run (call from closeEvent)."""
        if self.replay is not None:
            self.replay.close_replay()
        if self.training is not None:
            self.training.shutdown()
        if self._index is not None:
            self._index.close()
