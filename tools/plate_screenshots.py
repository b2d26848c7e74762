"""Screenshots: an alert's detail with its number plate, and a watch-list alert.

A throw-away console database with a supervisor logged in; a real photograph of a
Vietnamese car (tests/data/plates, see its SOURCES.md) is the evidence frame of a speeding
alert on the demo highway camera. The evidence writer reads the plate (the same
``AlertPlates`` the live path uses), the supervisor puts that plate on the watch-list, and
the evidence then completes: the watch-list monitor raises its critical alert. Saves
alert-detail-plate.png and watchlist-alert.png. Run:
``xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python tools/plate_screenshots.py``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from console.alerts.plate_desk import watch_plate  # noqa: E402
from console.config.site_file import demo_site_path, load_site  # noqa: E402
from console.domain.records import (  # noqa: E402
    Alert,
    AlertType,
    Event,
    Severity,
    frozen_values,
    utc_now,
)
from console.evidence.record import violation_text  # noqa: E402
from console.evidence.writer import EvidenceRequest  # noqa: E402
from console.pipeline.runtime import RuntimeOptions  # noqa: E402
from console.sources.base import Frame  # noqa: E402
from ui.app import application  # noqa: E402
from ui.i18n import install_translator  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.screenshots import save_png, sign_in_supervisor  # noqa: E402
from ui.session import ConsoleSession  # noqa: E402

PHOTO = REPO / "tests/data/plates/images/hcm_car_5.jpg"  # 30A-688.88, day, held-out


def wait(app: QApplication, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def scene(photo: np.ndarray) -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """The photograph on a 1280x720 frame (a camera's), and the car's box in it."""
    frame = np.full((720, 1280, 3), 70, np.uint8)
    scale = min(600 / photo.shape[0], 900 / photo.shape[1])
    car = cv2.resize(photo, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    h, w = car.shape[:2]
    top, left = (720 - h) // 2, (1280 - w) // 2
    frame[top : top + h, left : left + w] = car
    return frame, (float(left), float(top), float(left + w), float(top + h))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs/screenshots")
    parser.add_argument("--language", choices=("vi", "en"), default="vi")
    args = parser.parse_args()
    app = application()
    install_translator(app, args.language)
    work = Path(tempfile.mkdtemp(prefix="roadwatch-plates-"))
    site = load_site(demo_site_path())
    camera = site.cameras[0]
    session = ConsoleSession(
        site, database=work / "db.sqlite3", options=RuntimeOptions(analyse=False)
    )
    sign_in_supervisor(session)  # before the window: its status bar names the user
    supervisor = session.user_session
    settings = QSettings(str(work / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(site, settings, session, sound_player=lambda alert: None)
    try:
        window.resize(1920, 1080)
        window.show()
        photo = cv2.imread(str(PHOTO))
        image, box = scene(photo)
        now = utc_now()
        event = Event(
            AlertType.SPEEDING,
            camera.id,
            now - timedelta(seconds=3),
            now,
            Severity.HIGH,
            track_id=41,
            class_name="car",
            box_xyxy=box,
            values=frozen_values({"speed_kmh": 118.4, "limit_kmh": 100.0}),
            rule_id=f"{camera.id}:speed",
            message="118 km/h where 100 km/h is allowed",
        )
        alert = Alert(event=event, priority=Severity.HIGH)
        session.alerts.raise_alert(alert)
        frame = Frame(image, 0, time.monotonic(), now.timestamp())
        request = EvidenceRequest(
            alert=alert,
            camera=camera,
            route_name=site.route(camera.route).name,
            timezone=site.site.timezone,
            frame=frame,
            box=box,
            track_path=[],
            ring=None,
            model_name="yolo11n (COCO)",
            rule_text=violation_text(alert.type, event.message, site.site.language),
            unit=site.site.unit,
            language=site.site.language,
        )
        writer = session.evidence
        request = writer._with_plate(request)  # the live path's plate reading, synchronously
        plate = request.alert.plate
        print(f"plate read: {plate}")
        if plate is None:
            return 1
        reason = "Báo mất cắp 02/12/2026"
        watch_plate(supervisor, session.store, session.audit, plate.text, reason).result(10)
        refs = writer.write(request)
        session.alerts._evidence_done(request.alert, refs)  # as the writer thread calls it
        wait(app, 1.5)

        args.out.mkdir(parents=True, exist_ok=True)
        window.alert_queue.select_alert(alert.id)
        window.open_alert(alert.id)
        window.docks["alert-detail"].raise_()
        wait(app, 1.5)
        detail = window.alert_detail
        detail_size = save_png(detail.grab().toImage(), args.out / "alert-detail-plate.png")
        watched = [a for a in session.alerts.alerts.values() if a.type is AlertType.WATCHLIST]
        print(f"watch-list alerts: {[a.event.message for a in watched]}")
        if watched:
            window.alert_queue.select_alert(watched[0].id)
            window.open_alert(watched[0].id)
            wait(app, 1.5)
        size = save_png(window.grab().toImage(), args.out / "watchlist-alert.png")
        print(f"alert-detail-plate.png {detail_size // 1024} KB, watchlist {size // 1024} KB")
        detail.clip.close_clip()
    finally:
        window.close()
        session.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
