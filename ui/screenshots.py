"""Render the console's screenshots for the docs: `python -m ui.screenshots --out DIR`.

Runs the demo site for real (simulated cameras, the bundled model, alert rules) on a
throw-away database, waits for live tiles and alerts with evidence, then saves PNGs of the
main window, an alert's detail, the statistics and the zone editor (each under 400 KB).
On a cold clip cache the console first renders the demo cameras (minutes on 2 cores); the
main window is then also saved as it looks meanwhile (first-start.png).
Needs a display: `xvfb-run -a -s "-screen 0 1920x1080x24" python -m ui.screenshots ...`.
"""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from console.config.site_file import demo_site_path, load_site
from console.domain.health import StreamState
from console.domain.records import Alert
from console.security.roles import Role
from ui.admin.statistics import StatisticsView
from ui.admin.zone_editor import ZoneEditor
from ui.alerts.detail import AlertDetail
from ui.app import application
from ui.i18n import install_translator
from ui.main_window import MainWindow
from ui.session import ClipPreparation, ConsoleSession

log = logging.getLogger("screenshots")
MAX_BYTES = 400 * 1024


def save_png(image: QImage, path: Path, max_bytes: int = MAX_BYTES) -> int:
    """Save as PNG under ``max_bytes``: full colour if it fits, else a 256-colour palette."""
    image.save(str(path), "PNG")
    scale = 1.0
    while path.stat().st_size > max_bytes:
        smaller = (
            image
            if scale == 1.0
            else image.scaledToWidth(
                int(image.width() * scale), Qt.TransformationMode.SmoothTransformation
            )
        )
        smaller.convertToFormat(
            QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.DiffuseDither
        ).save(str(path), "PNG", 9)
        scale *= 0.9
        if scale < 0.5:
            break
    return path.stat().st_size


def grab(widget: QWidget) -> QImage:
    QApplication.processEvents()
    pixmap: QPixmap = widget.grab()
    return pixmap.toImage()


def wait_for(app: QApplication, condition: Callable[[], object], timeout_s: float) -> bool:
    """Run the event loop (as the console would) until ``condition`` holds or time is up."""
    loop = QEventLoop()
    deadline = time.monotonic() + timeout_s
    poll = QTimer()
    poll.setInterval(100)
    poll.timeout.connect(
        lambda: loop.quit() if condition() or time.monotonic() > deadline else None
    )
    poll.start()
    if not condition():
        loop.exec()
    poll.stop()
    return bool(condition())


class GuiStallMeter:
    """How late a 10 ms timer fires on the GUI thread: the console's responsiveness."""

    def __init__(self) -> None:
        self.late_ms: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.late_ms.append(max(0.0, (now - self._last) * 1000.0 - 10.0))
        self._last = now

    def summary(self) -> str:
        values = sorted(self.late_ms) or [0.0]
        p99 = values[int(len(values) * 0.99) - 1] if len(values) > 1 else values[0]
        return f"timer lateness p99 {p99:.1f} ms, max {values[-1]:.1f} ms over {len(values)} ticks"


def best_alert(window: MainWindow) -> Alert | None:
    alerts = [a for a in window.alert_service.alerts.values() if a.evidence]
    vehicle = [a for a in alerts if a.type.value != "camera_health"]
    pool = vehicle or alerts
    return min(pool, key=lambda a: (a.priority.rank, -a.created_at.timestamp())) if pool else None


def under_way(preparing: ClipPreparation | None) -> bool:
    """The first start's rendering shows some progress (or is over)."""
    return preparing is None or preparing.percent >= 5


def sign_in_supervisor(session: ConsoleSession) -> None:
    """A throw-away administrator and supervisor in the screenshots' own database."""
    password = secrets.token_urlsafe(16)
    accounts = session.accounts
    accounts.create_first_admin("quantri", password)
    admin = accounts.login("quantri", password)
    accounts.create_user(admin, "giamsat.tran", password, Role.SUPERVISOR)
    accounts.logout(admin)
    session.sign_in(accounts.login("giamsat.tran", password))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--timeout", type=float, default=240.0, help="seconds to wait for alerts")
    parser.add_argument("--alerts", type=int, default=4, help="alerts to wait for")
    parser.add_argument("--language", choices=("vi", "en"), default="vi")
    parser.add_argument(
        "--prepare-timeout",
        type=float,
        default=1800.0,
        help="seconds to wait while the first start renders the demo cameras",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    work = Path(tempfile.mkdtemp(prefix="roadwatch-shots-"))
    os.environ["ROADWATCH_CONFIG_DIR"] = str(work / "config")
    args.out.mkdir(parents=True, exist_ok=True)
    app = application()
    install_translator(app, args.language)
    site_path = demo_site_path()
    site = load_site(site_path)
    session = ConsoleSession(site, base_dir=site_path.parent, database=work / "db.sqlite3")
    sign_in_supervisor(session)  # a real user: the core checks what the screens may show
    settings = QSettings(str(work / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(site, settings, session, sound_player=lambda alert: None)
    window.site_path = site_path
    window.resize(1920, 1080)
    window.show()
    stalls = GuiStallMeter()
    session.start()
    try:
        if wait_for(app, lambda: session.preparing is not None, 5.0):
            wait_for(app, lambda: under_way(session.preparing), 600)
            save_png(grab(window), args.out / "first-start.png")
            log.info("first start: %s", window.status.notice_label.full_text())
            prepared = wait_for(app, lambda: session.preparing is None, args.prepare_timeout)
            log.info("demo cameras rendered: %s", prepared)
        live = wait_for(
            app,
            lambda: (
                sum(window.camera_tree.state_of(c.id) is StreamState.LIVE for c in site.cameras)
                >= 9
            ),
            90,
        )
        log.info("cameras live: %s", live)
        stalls.late_ms.clear()
        found = wait_for(
            app,
            lambda: len(window.alert_service.alerts) >= args.alerts and best_alert(window),
            args.timeout,
        )
        log.info("alerts: %d (enough: %s)", len(window.alert_service.alerts), found)
        log.info("GUI thread while running: %s", stalls.summary())
        alert = best_alert(window)
        if alert is not None:
            window.alert_queue.select_alert(alert.id)
            window.open_alert(alert.id)
        window.docks["alerts"].raise_()
        wait_for(app, lambda: False, 2.0)
        shots = {"main-window.png": grab(window)}

        detail = AlertDetail(
            site,
            window.triage,
            session.store,
            actor=lambda: session.user_session,
            audit=session.audit,
        )
        detail.resize(1100, 1000)
        detail.show()
        QApplication.processEvents()
        if alert is not None:
            detail.show_alert(window.alert_service.alerts.get(alert.id) or alert)
            detail.clip.seek(detail.clip.frame_count // 2)
            wait_for(app, lambda: False, 0.5)  # the history arrives from the store's reader
        detail.show()
        shots["alert-detail.png"] = grab(detail)

        statistics = StatisticsView(window.alert_service, session.store)
        statistics.resize(1400, 820)
        drawn: list[bool] = []
        statistics.refreshed.connect(lambda: drawn.append(True))
        statistics.show()  # refreshes: read on the store's reader, drawn when back
        wait_for(app, lambda: bool(drawn), 10.0)
        shots["statistics.png"] = grab(statistics)

        editor = ZoneEditor(
            site,
            lambda: session.user_session,
            session.audit,
            window.bridge.latest_frame,
            None,
            site_path,
        )
        editor.resize(1400, 860)
        editor.load_camera(site.cameras[0].id)
        drawn = editor.new_shape("zone")  # a bow-tie, to show the editor's checks
        drawn.points.extend([(0.72, 0.55), (0.9, 0.85), (0.9, 0.55), (0.72, 0.85)])
        editor.canvas.shapes_edited.emit()
        editor.canvas.adding = False
        editor.show()
        shots["zone-editor.png"] = grab(editor)
        for name, image in shots.items():
            size = save_png(image, args.out / name)
            log.info("%s: %dx%d, %d KB", name, image.width(), image.height(), size // 1024)
        for widget in (detail, statistics, editor):
            widget.close()
    finally:
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
