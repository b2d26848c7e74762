"""The status bar: camera health, analysis rate, central sync, who is logged in, training."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QLabel, QStatusBar

from console.config.site_file import SiteConfig
from console.domain.health import CameraHealth, StreamState
from ui.labels import local_time
from ui.session import SyncIndicator

DOWN = (StreamState.OFFLINE, StreamState.ERROR, StreamState.STALLED)


class ConsoleStatusBar(QObject):
    def __init__(
        self,
        bar: QStatusBar,
        site: SiteConfig,
        *,
        user: Callable[[], str],
        role: Callable[[], str],
        sync_indicator: Callable[[], SyncIndicator | None],
        analysis_fps: Callable[[], float],
        training: Callable[[], bool],
        analysis_problem: Callable[[], str] = lambda: "",
    ) -> None:
        super().__init__(bar)
        self.bar = bar
        self.site = site
        self.user = user
        self.role = role
        self.sync_indicator = sync_indicator
        self.analysis_fps = analysis_fps
        self.training = training
        self.analysis_problem = analysis_problem
        self.health: dict[str, CameraHealth] = {}
        self.training_label = QLabel(bar)
        self.training_label.setStyleSheet(
            "background: #b5179e; color: white; font-weight: 700; padding: 2px 12px;"
        )
        self.health_label = QLabel(bar)
        self.fps_label = QLabel(bar)
        self.sync_label = QLabel(bar)
        self.user_label = QLabel(bar)
        bar.addWidget(self.training_label)
        bar.addWidget(self.health_label, 1)
        bar.addPermanentWidget(self.fps_label)
        bar.addPermanentWidget(self.sync_label)
        bar.addPermanentWidget(self.user_label)
        bar.installEventFilter(self)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    def set_health(self, health: CameraHealth) -> None:
        self.health[health.camera_id] = health
        self.refresh_health()

    def refresh(self) -> None:
        self.refresh_health()
        problem = self.analysis_problem()
        if problem:
            self.fps_label.setText(self.tr("Analysis not running: %1").replace("%1", problem))
            self.fps_label.setStyleSheet("color: #ff4d4f;")
        else:
            self.fps_label.setText(
                self.tr("Analysis: %1 fps").replace("%1", f"{self.analysis_fps():.1f}")
            )
            self.fps_label.setStyleSheet("")
        self.sync_label.setText(self._sync_text())
        self.user_label.setText(
            self.tr("User: %1 (%2)").replace("%1", self.user()).replace("%2", self._role_name())
        )
        training = self.training()
        self.training_label.setVisible(training)
        self.training_label.setText(self.tr("TRAINING MODE - alerts are not real"))

    def _role_name(self) -> str:
        names = {
            "operator": self.tr("operator"),
            "supervisor": self.tr("supervisor"),
            "trainer": self.tr("trainer"),
            "admin": self.tr("administrator"),
        }
        role = self.role()
        return names.get(role, role)

    def _sync_text(self) -> str:
        if self.site.central is None:
            return self.tr("Offline - local storage only")
        state = self.sync_indicator()
        if state is None:
            return self.tr("Central storage: not connected yet")
        last = (
            local_time(state.last_success, self.site.site.timezone)
            if state.last_success
            else self.tr("never")
        )
        text = self.tr("Sync: last %1, %2 waiting").replace("%1", last)
        text = text.replace("%2", str(state.backlog))
        return text if state.connected else self.tr("Sync failing - ") + text

    def refresh_health(self) -> None:
        enabled = [c.id for c in self.site.cameras if c.enabled]
        states = [
            self.health[c].state if c in self.health else StreamState.CONNECTING for c in enabled
        ]
        live = states.count(StreamState.LIVE)
        down = sum(s in DOWN for s in states)
        self.health_label.setText(
            self.tr("Cameras: %1 live, %2 down, %3 in total")
            .replace("%1", str(live))
            .replace("%2", str(down))
            .replace("%3", str(len(enabled)))
        )
        self.health_label.setStyleSheet("color: #ff4d4f;" if down else "")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.bar and event.type() == QEvent.Type.LanguageChange:
            self.refresh()
        return super().eventFilter(watched, event)

    def stop(self) -> None:
        self._timer.stop()
