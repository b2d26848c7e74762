"""Statistics panel (pyqtgraph): vehicles per minute by class, alerts per hour, response times.

Reads the local store (small, indexed SQLite reads, on the store's reader thread) plus the
current minute still being counted in memory; refreshed every 30 s while visible, never on a
frame timer.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from console.alerts.service import AlertService
from console.alerts.stats import (
    MinuteCount,
    alerts_per_hour,
    mean_response_per_shift,
    vehicles_per_minute,
)
from console.domain.records import Alert, AlertAction, AlertStatus, AlertType, utc_now
from console.store import queries
from console.store.local import LocalStore
from console.store.records import TrafficCount
from ui.gui_callbacks import GuiCallbacks
from ui.labels import alert_type_label, class_label
from ui.theme import CLASS_COLORS

log = logging.getLogger(__name__)
REFRESH_MS = 30_000
MINUTES_SHOWN = 60
HOURS_SHOWN = 24
RESPONSE_DAYS = 7
TYPE_COLORS = {
    AlertType.WRONG_WAY: "#ff4d4f",
    AlertType.STOPPED_VEHICLE: "#ff9f1a",
    AlertType.SPEEDING: "#f5d90a",
    AlertType.RED_LIGHT: "#e040fb",
    AlertType.LANE_VIOLATION: "#4cc38a",
    AlertType.PEDESTRIAN: "#ff5c8a",
    AlertType.CONGESTION: "#4fc3f7",
    AlertType.CAMERA_HEALTH: "#93a1b0",
    AlertType.WATCHLIST: "#ff1744",
}

pg.setConfigOptions(antialias=True, background="#12161c", foreground="#c7d0da")


def _utc_offset_s(timezone: str) -> float:
    offset = datetime.now(ZoneInfo(timezone)).utcoffset() or timedelta()
    return -offset.total_seconds()  # pyqtgraph counts like time.timezone (west positive)


class LocalTimeAxis(pg.DateAxisItem):
    """Time axis labelled as read in Vietnam (24 h clock, dd/mm), whatever the locale."""

    def __init__(self, timezone: str) -> None:
        super().__init__(utcOffset=_utc_offset_s(timezone))
        self.zone = ZoneInfo(timezone)

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        pattern = "%H:%M" if spacing < 86_400 else "%d/%m"
        return [datetime.fromtimestamp(v, self.zone).strftime(pattern) for v in values]


@dataclass(frozen=True, slots=True)
class StoredStatistics:
    """What the local store holds for the plots (the current minute is still in memory)."""

    counts: list[TrafficCount] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    # First acknowledgement of handled alerts the view did not know yet (None: never).
    acknowledged: dict[uuid.UUID, datetime | None] = field(default_factory=dict)


def read_statistics(
    session: Session,
    cameras: list[str] | None,
    counts_since: datetime,
    alerts_since: datetime,
    known: frozenset[uuid.UUID],
) -> StoredStatistics:
    """The plots' stored figures; runs on the store's reader thread, never the GUI's."""
    counts = queries.counts_per_minute(session, camera_ids=cameras, since=counts_since)
    alerts = queries.list_alerts(session, camera_ids=cameras, since=alerts_since, limit=5000)
    handled = [
        a.id
        for a in alerts
        if a.status is not AlertStatus.NEW and not a.training and a.id not in known
    ]
    first = queries.first_actions(session, handled, AlertStatus.ACKNOWLEDGED.value)
    return StoredStatistics(counts, alerts, {alert_id: first.get(alert_id) for alert_id in handled})


class StatisticsView(QWidget):
    refreshed = Signal()  # drawn with fresh figures

    def __init__(
        self, service: AlertService, store: LocalStore | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.store = store
        self.site = service.site
        zone = self.site.site.timezone
        self.source = QComboBox(self)
        self.source_label = QLabel(self)
        self.vehicles_plot = pg.PlotWidget(axisItems={"bottom": LocalTimeAxis(zone)})
        self.alerts_plot = pg.PlotWidget(axisItems={"bottom": LocalTimeAxis(zone)})
        self.response_plot = pg.PlotWidget()
        for plot in (self.vehicles_plot, self.alerts_plot, self.response_plot):
            plot.showGrid(x=True, y=True, alpha=0.2)
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.getAxis("left").enableAutoSIPrefix(False)
        self.vehicles_plot.addLegend(offset=(10, 5))
        self.alerts_plot.addLegend(offset=(10, 5))
        top = QHBoxLayout()
        top.addWidget(self.source_label)
        top.addWidget(self.source, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.vehicles_plot, 2)
        bottom = QHBoxLayout()
        bottom.addWidget(self.alerts_plot, 3)
        bottom.addWidget(self.response_plot, 2)
        layout.addLayout(bottom, 2)
        self._fill_sources()
        self.source.currentIndexChanged.connect(self.refresh)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self.last_vehicle_series: dict[str, list[float]] = {}
        self.last_alert_series: dict[AlertType, list[float]] = {}
        self.last_response_means: list[float] = []
        self._acknowledged: dict[uuid.UUID, datetime | None] = {}
        self.answers = GuiCallbacks(self)
        self._reading = self._read_again = False
        self._retranslate()

    def _fill_sources(self) -> None:
        current = self.source.currentIndex()
        self.source.blockSignals(True)
        self.source.clear()
        self.source.addItem(self.tr("All cameras"), None)
        for route in self.site.routes:
            self.source.addItem(self.tr("Route %1").replace("%1", route.id), f"route:{route.id}")
        for camera in self.site.cameras:
            self.source.addItem(camera.name, camera.id)
        self.source.setCurrentIndex(max(0, current))
        self.source.blockSignals(False)

    def selected_cameras(self) -> list[str] | None:
        data = self.source.currentData()
        if data is None:
            return None
        if str(data).startswith("route:"):
            route = str(data).split(":", 1)[1]
            return [c.id for c in self.site.cameras if c.route == route]
        return [str(data)]

    # ---- data -------------------------------------------------------------------------

    def _minute_counts(
        self, stored: StoredStatistics, cameras: list[str] | None, since: datetime
    ) -> list[MinuteCount]:
        counts = [MinuteCount(c.camera_id, c.class_name, c.minute, c.count) for c in stored.counts]
        for (camera, _line, cls, _direction, minute), count in list(
            self.service.counts.minutes.items()
        ):
            if cameras is None or camera in cameras:
                moment = datetime.fromtimestamp(minute * 60, tz=since.tzinfo)
                counts.append(MinuteCount(camera, cls, moment, count))
        return counts

    def _alerts_since(
        self, stored: StoredStatistics, cameras: list[str] | None, since: datetime
    ) -> list[Alert]:
        found = {alert.id: alert for alert in stored.alerts}
        for alert in self.service.alerts.values():
            if alert.created_at >= since and (cameras is None or alert.camera_id in cameras):
                found[alert.id] = alert
        return list(found.values())

    def note_action(self, alert: Alert, action: AlertAction) -> None:
        """Remember acknowledgements as they happen (saves reading them back from the store)."""
        if action.action == AlertStatus.ACKNOWLEDGED.value:
            self._acknowledged.setdefault(alert.id, action.at)

    def _responses(self, alerts: list[Alert]) -> list[tuple[datetime, datetime]]:
        pairs = []
        for alert in alerts:
            acknowledged = self._acknowledged.get(alert.id)
            if acknowledged is not None and not alert.training:
                pairs.append((alert.created_at, acknowledged))
        return pairs

    # ---- drawing ----------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the stored figures on the store's reader thread, then draw (``refreshed``)."""
        now = utc_now()
        cameras = self.selected_cameras()
        if self.store is None:
            self._draw(StoredStatistics(), cameras, now)
            return
        if self._reading:  # one read at a time; the latest choice is read once it is back
            self._read_again = True
            return
        self._reading = True
        query = partial(
            read_statistics,
            cameras=cameras,
            counts_since=now - timedelta(minutes=MINUTES_SHOWN),
            alerts_since=now - timedelta(hours=HOURS_SHOWN, days=RESPONSE_DAYS),
            known=frozenset(self._acknowledged),
        )
        self.answers.when_done(
            self.store.reader.submit(query),
            partial(self._on_read, cameras, now),
            self._on_read_failed,
        )

    def _on_read(self, cameras: list[str] | None, now: datetime, stored: StoredStatistics) -> None:
        self._reading = False
        self._acknowledged.update(stored.acknowledged)
        self._draw(stored, cameras, now)
        if self._read_again:
            self._read_again = False
            self.refresh()

    def _on_read_failed(self, error: BaseException) -> None:
        self._reading = self._read_again = False
        log.error("statistics not read from the local store: %s", error)

    def _draw(self, stored: StoredStatistics, cameras: list[str] | None, now: datetime) -> None:
        vehicle_since = now - timedelta(minutes=MINUTES_SHOWN)
        series = vehicles_per_minute(
            self._minute_counts(stored, cameras, vehicle_since), vehicle_since, now
        )
        self.vehicles_plot.clear()
        self.last_vehicle_series = {}
        for name in sorted(series):
            data = series[name]
            xs = [t.timestamp() for t in data.times()]
            color = CLASS_COLORS.get(name)
            pen = pg.mkPen(color.name() if color else "#ffffff", width=2)
            self.vehicles_plot.plot(xs, list(data.values), pen=pen, name=class_label(name))
            self.last_vehicle_series[name] = list(data.values)
        self.vehicles_plot.setXRange(vehicle_since.timestamp(), now.timestamp(), padding=0.01)

        alert_since = now - timedelta(hours=HOURS_SHOWN)
        alerts = self._alerts_since(stored, cameras, alert_since - timedelta(days=RESPONSE_DAYS))
        per_hour = alerts_per_hour(
            [a for a in alerts if a.created_at >= alert_since], alert_since, now
        )
        self.alerts_plot.clear()
        self.last_alert_series = {}
        base: list[float] | None = None
        for kind in AlertType:
            if kind not in per_hour:
                continue
            data = per_hour[kind]
            xs = [t.timestamp() + 1800 for t in data.times()]
            heights = list(data.values)
            bottoms = base or [0.0] * len(heights)
            bars = pg.BarGraphItem(
                x=xs, height=heights, y0=bottoms, width=3000, brush=TYPE_COLORS[kind], pen=None
            )
            self.alerts_plot.addItem(bars)
            self.alerts_plot.plot([], [], pen=TYPE_COLORS[kind], name=alert_type_label(kind))
            base = [b + h for b, h in zip(bottoms, heights, strict=True)]
            self.last_alert_series[kind] = heights
        self.alerts_plot.setXRange(alert_since.timestamp(), now.timestamp(), padding=0.01)

        shifts = mean_response_per_shift(self._responses(alerts), self.site.site.timezone)
        self.response_plot.clear()
        self.last_response_means = [s.mean_s for s in shifts]
        if shifts:
            xs = list(range(len(shifts)))
            brushes = ["#5b6b9a" if s.night else "#3d8bfd" for s in shifts]
            self.response_plot.addItem(
                pg.BarGraphItem(x=xs, height=self.last_response_means, width=0.7, brushes=brushes)
            )
            ticks = [
                (
                    i,
                    s.shift_start.strftime("%d/%m ")
                    + (self.tr("night") if s.night else self.tr("day")),
                )
                for i, s in enumerate(shifts)
            ]
            self.response_plot.getAxis("bottom").setTicks([ticks])
        else:
            empty = pg.TextItem(
                self.tr("No acknowledged alerts yet"), color="#93a1b0", anchor=(0.5, 0.5)
            )
            empty.setPos(0.5, 0.5)
            self.response_plot.addItem(empty)
            self.response_plot.getAxis("bottom").setTicks([[]])
        self.refreshed.emit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()
        self._timer.start()

    def hideEvent(self, event: QEvent) -> None:  # type: ignore[override]
        self._timer.stop()
        super().hideEvent(event)

    def _retranslate(self) -> None:
        self.source_label.setText(self.tr("Cameras:"))
        self.vehicles_plot.setTitle(self.tr("Vehicles per minute by class (last hour)"))
        self.alerts_plot.setTitle(self.tr("Alerts per hour by type (last 24 h)"))
        self.response_plot.setTitle(self.tr("Mean time to acknowledge per shift (s)"))
        self.vehicles_plot.setLabel("left", self.tr("vehicles per minute"))
        self.alerts_plot.setLabel("left", self.tr("alerts"))
        self.response_plot.setLabel("left", self.tr("seconds"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._fill_sources()
            self._retranslate()
            if self.isVisible():
                self.refresh()
        super().changeEvent(event)
