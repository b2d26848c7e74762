"""The status bar: camera health, analysis rate, central sync, who is logged in, training.

The analysis rate is read from the cameras' health records: what the detector analyses
against what the cameras ask for, in a warning colour when it cannot serve them all. A
camera held at the minimum rate, and the first start's rendering of the demo cameras, are
told in the notice beside the camera count.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar, QWidget

from console.config.site_file import SiteConfig
from console.domain.health import CameraHealth, StreamState
from ui.labels import local_time
from ui.session import BusIndicator, ClipPreparation, SyncIndicator

DOWN = (StreamState.OFFLINE, StreamState.ERROR, StreamState.STALLED)
ERROR_STYLE = "color: #ff4d4f;"
WARNING_STYLE = "color: #ff9f1a;"  # not bold: the status bar is short of width already
INFO_STYLE = "color: #6ea8fe;"


def overloaded(health: CameraHealth) -> bool:
    """The detector gives this camera less than the rate it asks for."""
    return 0 < health.budget_fps < health.target_fps - 1e-6


class ElidedLabel(QLabel):
    """A label that shortens its text with '…' instead of widening the window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(48)  # at least the warning sign and '…' (the tooltip has it all)

    def full_text(self) -> str:
        return self._full_text

    def set_full_text(self, text: str) -> None:
        self._full_text = text
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._elide()

    def _elide(self) -> None:
        self.ensurePolished()  # a style sheet may change the font the text is measured in
        width = max(0, self.contentsRect().width())
        self.setText(
            self.fontMetrics().elidedText(self._full_text, Qt.TextElideMode.ElideRight, width)
        )


class ConsoleStatusBar(QObject):
    def __init__(
        self,
        bar: QStatusBar,
        site: SiteConfig,
        *,
        user: Callable[[], str],
        role: Callable[[], str],
        sync_indicator: Callable[[], SyncIndicator | None],
        training: Callable[[], bool],
        bus_indicator: Callable[[], BusIndicator | None] = lambda: None,
        analysis_problem: Callable[[], str] = lambda: "",
        preparing: Callable[[], ClipPreparation | None] = lambda: None,
    ) -> None:
        super().__init__(bar)
        self.bar = bar
        self.site = site
        self.user = user
        self.role = role
        self.sync_indicator = sync_indicator
        self.bus_indicator = bus_indicator
        self.training = training
        self.analysis_problem = analysis_problem
        self.preparing = preparing
        self.health: dict[str, CameraHealth] = {}
        self.training_label = QLabel(bar)
        self.training_label.setStyleSheet(
            "background: #b5179e; color: white; font-weight: 700; padding: 2px 12px;"
        )
        self.health_label = QLabel(bar)
        self.notice_label = ElidedLabel(bar)  # first-start preparation, cameras at the floor
        self.fps_label = QLabel(bar)
        self.sync_label = QLabel(bar)
        self.user_label = QLabel(bar)
        bar.addWidget(self.training_label)
        bar.addWidget(self.health_label)
        bar.addWidget(self.notice_label, 1)
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
        self.refresh_analysis()

    def refresh(self) -> None:
        self.refresh_health()
        self.refresh_analysis()
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

    def _analysed_health(self) -> list[CameraHealth]:
        """Health records of the enabled cameras that the detector serves."""
        records = (self.health.get(c.id) for c in self.site.cameras if c.enabled)
        return [h for h in records if h is not None and h.target_fps > 0]

    def refresh_analysis(self) -> None:
        """The analysis rate against what the cameras ask for, and the notice beside it."""
        bus = self.bus_indicator()
        if bus is not None:
            self._show_bus(bus)
            return
        records = self._analysed_health()
        analysed = sum(h.analysis_fps for h in records)
        problem = self.analysis_problem()
        if problem:
            text = self.tr("Analysis not running: %1").replace("%1", problem)
            style, tip = ERROR_STYLE, ""
        elif not records:
            text = self.tr("Analysis: %1 fps").replace("%1", f"{analysed:.1f}")
            style, tip = "", ""
        else:
            asked = f"{sum(h.target_fps for h in records):g}"
            if any(overloaded(h) for h in records):
                text = self.tr("Analysis: %1 of %2 fps - overloaded")
                style = WARNING_STYLE
                tip = self.tr(
                    "The cameras ask for more frames than this PC's detector can analyse; "
                    "each camera gets a share (a maximised tile a larger one)."
                )
            else:
                text, style, tip = self.tr("Analysis: %1 of %2 fps"), "", ""
            text = text.replace("%1", f"{analysed:.1f}").replace("%2", asked)
        self.fps_label.setText(text)
        self.fps_label.setStyleSheet(style)
        self.fps_label.setToolTip(tip)
        self._refresh_notice(records)

    def _show_bus(self, bus: BusIndicator) -> None:
        """On a site bus the analysis is the nodes': how many, and what no node analyses."""
        if not bus.online:
            text = self.tr("BUS OFFLINE - alerts wait on the analytics nodes; reconnecting")
            style = ERROR_STYLE
            tip = self.tr(
                "The site bus cannot be reached. Analytics nodes keep analysing and keep their "
                "alerts; they appear here when the bus is back. Actions taken meanwhile are "
                "saved here and sent then."
            )
        else:
            text = (
                self.tr("Bus: %1 node(s), %2 of %3 cameras analysed, %4 fps")
                .replace("%1", str(bus.nodes))
                .replace("%2", str(bus.analysed))
                .replace("%3", str(bus.cameras))
                .replace("%4", f"{bus.analysed_fps:.1f}")
            )
            style = WARNING_STYLE if bus.unowned else ""
            names = {c.id: c.name for c in self.site.cameras}
            nodes = [
                self.tr("%1: %2 of %3 cameras, %4 fps")
                .replace("%1", node)
                .replace("%2", str(held))
                .replace("%3", str(capacity))
                .replace("%4", f"{fps:.1f}")
                for node, held, capacity, fps in bus.node_rows
            ]
            tip = "\n".join(
                [
                    *nodes,
                    *(
                        [
                            self.tr(
                                "No analytics node analyses these cameras (add a node or "
                                "raise a node's capacity):"
                            ),
                            *(f"  • {names.get(i, i)}" for i in bus.unowned),
                        ]
                        if bus.unowned
                        else [self.tr("Every enabled camera is analysed by an analytics node.")]
                    ),
                ]
            )
        self.fps_label.setText(text)
        self.fps_label.setStyleSheet(style)
        self.fps_label.setToolTip(tip)
        unowned = (
            self.tr("⚠ %1 camera(s) not analysed: no analytics node has room").replace(
                "%1", str(len(bus.unowned))
            )
            if bus.online and bus.unowned
            else ""
        )
        self.notice_label.setStyleSheet(WARNING_STYLE if unowned else "")
        self.notice_label.set_full_text(unowned)
        self.notice_label.setToolTip(tip if unowned else "")

    def _refresh_notice(self, records: list[CameraHealth]) -> None:
        preparing = self.preparing()
        at_floor = [h.camera_id for h in records if h.at_floor]
        tip = ""
        if preparing is not None:
            text = (
                self.tr("Preparing the demo cameras (first start): %1 of %2, %3 %")
                .replace("%1", str(preparing.clips_done))
                .replace("%2", str(preparing.clips_total))
                .replace("%3", str(preparing.percent))
            )
            style = INFO_STYLE
            tip = self.tr(
                "The simulated cameras are rendered once into video files; later starts play "
                "them at once. Their tiles connect when this is done."
            )
        elif at_floor:
            # Short enough for the status bar of a 1920-pixel screen; the tooltip says more.
            text = (
                self.tr(
                    "⚠ Minimum rate on %1 of %2 cameras: fewer cameras per PC, a smaller "
                    "image_size or an analytics node"
                )
                .replace("%1", str(len(at_floor)))
                .replace("%2", str(len(records)))
            )
            style = WARNING_STYLE
            names = {c.id: c.name for c in self.site.cameras}
            tip = "\n".join(
                [
                    self.tr(
                        "This PC's detector cannot serve every camera; these get only the "
                        "minimum analysis rate:"
                    ),
                    *(f"  • {names.get(i, i)}" for i in at_floor),
                    self.tr(
                        "Put fewer cameras on this PC, give them a smaller image_size, or move "
                        "cameras to an analytics node."
                    ),
                ]
            )
        else:
            text, style = "", ""
        self.notice_label.setStyleSheet(style)  # first: the text is shortened in its font
        self.notice_label.set_full_text(text)
        self.notice_label.setToolTip(tip)

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
        self.health_label.setStyleSheet(ERROR_STYLE if down else "")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.bar and event.type() == QEvent.Type.LanguageChange:
            self.refresh()
        return super().eventFilter(watched, event)

    def stop(self) -> None:
        self._timer.stop()
