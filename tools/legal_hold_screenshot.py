"""Screenshot: the alert detail with its legal hold line (alert-detail-legal-hold.png).

A supervisor is logged in to a throw-away console database, a stopped-vehicle alert with a
simulator snapshot is raised and put on legal hold through the core, then the detail is
drawn offscreen. Run: ``xvfb-run -a .venv/bin/python tools/legal_hold_screenshot.py``.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import tempfile
import time
from pathlib import Path

import cv2
from PySide6.QtWidgets import QApplication

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from console.config.site_file import demo_site_path, load_site  # noqa: E402
from console.domain.records import EvidenceRef  # noqa: E402
from console.evidence.legal_hold import set_legal_hold  # noqa: E402
from console.pipeline.runtime import RuntimeOptions  # noqa: E402
from console.security.roles import Role  # noqa: E402
from console.sim.records import SimConfig  # noqa: E402
from console.sim.simulator import Simulator  # noqa: E402
from tests.ui.factories import make_alert  # noqa: E402
from ui.alerts.detail import AlertDetail  # noqa: E402
from ui.alerts.triage import TriageController  # noqa: E402
from ui.app import application  # noqa: E402
from ui.i18n import install_translator  # noqa: E402
from ui.session import ConsoleSession  # noqa: E402


class NoPrompts:
    def ask_note(self, title: str, required: bool) -> str | None:
        return None

    def choose_unit(self, proposed: str | None, available: list[str]) -> str | None:
        return None


def wait(app: QApplication, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs/screenshots")
    parser.add_argument("--language", choices=("vi", "en"), default="vi")
    args = parser.parse_args()
    app = application()  # the console's own theme
    install_translator(app, args.language)
    work = Path(tempfile.mkdtemp(prefix="roadwatch-hold-"))
    site = load_site(demo_site_path())
    session = ConsoleSession(
        site, database=work / "db.sqlite3", options=RuntimeOptions(analyse=False)
    )
    try:
        password = secrets.token_urlsafe(16)
        accounts = session.accounts
        accounts.create_first_admin("quantri", password)
        admin = accounts.login("quantri", password)
        accounts.create_user(admin, "giamsat.tran", password, Role.SUPERVISOR)
        accounts.logout(admin)
        supervisor = accounts.login("giamsat.tran", password)
        session.sign_in(supervisor)

        simulator = Simulator(SimConfig(scene="highway", seed=3, width=1280, height=720))
        for _ in range(200):  # traffic on the road
            frame = simulator.next_frame()
        snapshot = work / "snapshot.jpg"
        cv2.imwrite(str(snapshot), frame.image)
        ref = EvidenceRef("snapshot", "0" * 64, str(snapshot), snapshot.stat().st_size)
        alert = make_alert(site.cameras[0].id).evolve(evidence=(ref,))
        session.alerts.raise_alert(alert)
        session.store.writer.submit(lambda connection: None).result(10)
        set_legal_hold(session.store, supervisor, alert.id, True, session.audit).result(10)

        triage = TriageController(session.alerts, lambda: supervisor.username, NoPrompts())
        detail = AlertDetail(
            site, triage, session.store, actor=lambda: supervisor, audit=session.audit
        )
        detail.resize(1100, 1000)
        detail.show()
        detail.show_alert(alert)
        wait(app, 1.5)  # the hold state and history arrive from the store's reader
        args.out.mkdir(parents=True, exist_ok=True)
        path = args.out / "alert-detail-legal-hold.png"
        detail.grab().save(str(path))
        print(f"{path}: {detail.legal_hold.label.text()}")
        detail.clip.close_clip()
        detail.close()
    finally:
        session.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
