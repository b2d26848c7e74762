"""`roadwatch --self-check`: the real model, real PostgreSQL, real sockets and RTSP server."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from console.bus.local_server import LocalNatsServer
from console.cli.main import EXIT_FAILURE, EXIT_OK, main
from console.config.site import BusSettings
from console.config.site_file import SiteConfig, load_site_text
from console.install.self_check_bus import check_bus
from console.install.self_check_checks import check_cameras, check_central
from console.store.local import LocalStore
from console.sync.central import CentralDb
from console.sync.central_schema import CENTRAL_SCHEMA_VERSION
from tests.conftest import PlantedSecrets
from tests.core.test_provision import write_site
from tests.integration.conftest import RtspServerFactory
from tests.integration.rtsp import free_port
from tests.integration.test_rtsp_camera import sim_clip  # noqa: F401 (fixture by name)
from tests.integration.test_sync_support import (  # noqa: F401 (fixtures by name)
    central_url_fixture,
)

pytestmark = pytest.mark.integration

SITE = """\
schema_version: 1
site: {{id: t, name: Self-check test}}
model: {{path: {model}, image_size: 480}}
storage: {{data_dir: "{data}"}}
{central}
routes:
  - {{id: QL1, name: Q, markers: [{{km: 0, lat: 21, lon: 106}}, {{km: 10, lat: 21, lon: 106}}]}}
cameras:
{cameras}
"""


def camera_lines(urls: dict[str, str], disabled: tuple[str, ...] = ()) -> str:
    return "\n".join(
        f"  - {{id: {cid}, name: {cid}, route: QL1, km: 1, lat: 21, lon: 106, "
        f"enabled: {str(cid not in disabled).lower()}, streams: {{main: '{url}'}}}}"
        for cid, url in urls.items()
    )


@pytest.fixture(name="silent_port")
def silent_port_fixture() -> Iterator[int]:
    """A port whose server accepts connections and never says a word (a hung camera)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)  # the kernel completes the handshakes; nobody ever reads
        yield int(server.getsockname()[1])


def headless_environment(**extra: str) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    environment.pop("QT_QPA_PLATFORM", None)
    return {**environment, **extra}


def self_check_subprocess(*args: str, **env: str) -> tuple[subprocess.CompletedProcess[str], float]:
    """``roadwatch --self-check`` with no display; fails if the check imported Qt."""
    code = (
        "import sys\nfrom console.cli.main import main\n"
        f"code = main(['--self-check', *{list(args)!r}])\n"
        "assert 'PySide6' not in sys.modules, 'the self-check imported Qt'\n"
        "sys.exit(code)\n"
    )
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=headless_environment(**env),
        timeout=180,
        check=False,
    )
    return result, time.monotonic() - started


@pytest.mark.slow
def test_demo_site_headless_text_report(tmp_path: Path) -> None:
    result, seconds = self_check_subprocess()
    assert result.returncode == EXIT_OK, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "built-in demo site: no site is provisioned on this machine" in lines[0]
    checks = lines[1:-1]
    assert all(line.split()[0] in ("OK", "FAIL", "SKIP") for line in checks), checks
    by_name = {line[6:].split("  ")[0].strip(): line for line in checks}
    assert by_name["model"].startswith("OK") and "openvino" in by_name["model"]
    assert "DEMO model" in by_name["model"] and " ms " in by_name["model"]
    assert f"{os.cpu_count()} threads" in by_name["hardware"]
    assert sum(name.startswith("camera ") for name in by_name) == 10
    assert (
        by_name["central database"].startswith("SKIP")
        and "not configured" in (by_name["central database"])
    )
    assert by_name["clock"].startswith("SKIP")
    assert lines[-1].startswith("OK: 0 failed")
    assert seconds < 40, f"self-check took {seconds:.1f} s with the demo site"  # ~10 s idle


@pytest.mark.slow
def test_provisioned_site_with_its_own_model_json(tmp_path: Path) -> None:
    source = write_site(tmp_path / "it")  # names models/prod.pt next to it
    root = tmp_path / "root"
    assert main(["provision", str(source), "--root", str(root)]) == EXIT_OK
    result, _seconds = self_check_subprocess("--json", ROADWATCH_ROOT=str(root))
    assert result.returncode == EXIT_OK, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert report["site"] == {"path": str(root / "config" / "site.yaml"), "origin": "provisioned"}
    model = next(c for c in report["checks"] if c["name"] == "model")
    assert model["status"] == "ok" and model["demo"] is False
    assert model["backend"] == "pytorch" and model["loaded"] == str(
        root / "config" / "models" / "prod.pt"
    )
    assert model["inference_ms"] > 0 and model["device"] == "cpu"
    assert [c["status"] for c in report["checks"] if c["name"].startswith("camera")] == ["ok"]


@pytest.mark.slow
def test_every_failure_is_reported_and_the_exit_code_says_so(
    tmp_path: Path,
    central_url: str,
    silent_port: int,
    rtsp_server_factory: RtspServerFactory,
    sim_clip: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    planted_secrets: PlantedSecrets,
) -> None:
    server = rtsp_server_factory({"/cam": sim_clip})
    planted_secrets.setenv(monkeypatch, "RW_TEST_PG_PASSWORD", "unused-with-trust-auth")
    central = CentralDb(central_url)
    central.ensure_schema()
    central.dispose()
    data = tmp_path / "data"
    LocalStore.open(data / "roadwatch.sqlite").close()
    with sqlite3.connect(data / "roadwatch.sqlite") as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0999'")
    connection.close()
    pg_url = central_url.replace(
        "postgresql://postgres@", "postgresql://postgres:${RW_TEST_PG_PASSWORD}@"
    )
    site = tmp_path / "site.yaml"
    site.write_text(
        SITE.format(
            model="missing-production-model.onnx",
            data=data,
            central=f"central: {{url: '{pg_url}'}}",
            cameras=camera_lines(
                {
                    "rtsp-good": server.url("/cam"),
                    "rtsp-refused": f"rtsp://127.0.0.1:{free_port()}/cam",
                    "rtsp-silent": f"rtsp://127.0.0.1:{silent_port}/cam",
                    "no-secret": "rtsp://admin:${RW_TEST_UNSET_CAM}@127.0.0.1:554/cam",
                    "simulated": "sim://highway?seed=1",
                    "off": "rtsp://10.0.0.1/cam",
                },
                disabled=("off",),
            ),
        ),
        encoding="utf-8",
    )
    code = main(
        ["--self-check", "--site", str(site), "--camera-timeout", "1", "--min-free-gb", "1e9"]
    )
    out = capsys.readouterr().out
    assert code == EXIT_FAILURE, out
    lines = {line[6:].split("  ")[0].strip(): line for line in out.splitlines()[1:-1]}
    assert lines["model"].startswith("FAIL")
    assert "site names missing-production-model.onnx, but the bundled DEMO model" in out
    assert lines["secrets"].startswith("FAIL") and "RW_TEST_UNSET_CAM" in lines["secrets"]
    assert lines["camera rtsp-good"].startswith("OK") and "200 OK" in lines["camera rtsp-good"]
    assert lines["camera rtsp-refused"].startswith("FAIL") and "refused" in out
    assert lines["camera rtsp-silent"].startswith("FAIL") and "within 1 s" in out
    assert (
        lines["camera no-secret"].startswith("FAIL")
        and "RW_TEST_UNSET_CAM" in (lines["camera no-secret"])
    )
    assert lines["camera simulated"].startswith("OK")
    assert lines["camera off"].startswith("SKIP")
    assert lines["local database"].startswith("FAIL") and "revision 0999" in out
    assert lines["central database"].startswith("OK")
    assert f"schema {CENTRAL_SCHEMA_VERSION}" in lines["central database"]
    assert "unused-with-trust-auth" not in out
    assert lines["clock"].startswith("OK") and "offset" in lines["clock"]
    assert lines["disk"].startswith("FAIL") and "at least 1e+09 GiB needed" in out
    assert out.splitlines()[-1].startswith("FAILED: ")


def test_ten_hung_cameras_take_one_timeout_not_ten(silent_port: int) -> None:
    site = load_site_text(
        SITE.format(
            model="demo",
            data="/unused",
            central="",
            cameras=camera_lines(
                {f"cam-{i}": f"rtsp://127.0.0.1:{silent_port}/s" for i in range(10)}
            ),
        )
    )
    started = time.monotonic()
    results = check_cameras(site.cameras, Path("."), timeout_s=1.0)
    elapsed = time.monotonic() - started
    assert [r.status for r in results] == ["fail"] * 10
    assert elapsed < 3.0, f"10 cameras took {elapsed:.1f} s with a 1 s timeout"


def site_with_central(url: str) -> str:
    return SITE.format(
        model="demo",
        data="/unused",
        central=f"central: {{url: '{url}'}}",
        cameras=camera_lines({"c": "sim://highway"}),
    )


def test_unreachable_central_fails_and_the_clock_is_skipped() -> None:
    site = load_site_text(site_with_central(f"postgresql://postgres@127.0.0.1:{free_port()}/x"))
    database, clock = check_central(site, max_offset_s=2.0)
    assert database.status == "fail" and "127.0.0.1" in database.detail
    assert clock.status == "skip"


def test_central_schema_newer_than_this_console_fails(central_url: str) -> None:
    central = CentralDb(central_url)
    central.ensure_schema()
    with central.engine.begin() as connection:
        connection.execute(text("INSERT INTO central_schema_version (version) VALUES (99)"))
    central.dispose()
    database, clock = check_central(load_site_text(site_with_central(central_url)), 2.0)
    assert database.status == "fail" and "schema version 99" in database.detail
    assert clock.status == "ok" and abs(clock.data["offset_s"]) < 0.5


def test_no_central_database_is_not_a_failure() -> None:
    site = load_site_text(
        SITE.format(
            model="demo", data="/x", central="", cameras=camera_lines({"c": "sim://highway"})
        )
    )
    assert [r.status for r in check_central(site, 2.0)] == ["skip", "skip"]


@pytest.mark.slow
def test_the_bus_check_reaches_the_bus_and_names_what_fails(
    nats_server: LocalNatsServer, demo_site: SiteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    standalone = check_bus(demo_site, timeout_s=3.0)
    assert standalone.status == "skip" and "standalone" in standalone.detail
    on_bus = demo_site.model_copy(update={"bus": BusSettings(servers=[nats_server.url])})
    ok = check_bus(on_bus, timeout_s=5.0)
    assert ok.status == "ok", ok.detail
    assert "JetStream answers" in ok.detail and "no node running" in ok.detail
    assert ok.data["nodes"] == 0 and len(ok.data["unowned"]) == 10
    dead = demo_site.model_copy(
        update={"bus": BusSettings(servers=[f"nats://127.0.0.1:{free_port()}"])}
    )
    down = check_bus(dead, timeout_s=2.0)
    assert down.status == "fail" and "127.0.0.1" in down.detail
    monkeypatch.delenv("RW_NOT_SET_BUS_PASSWORD", raising=False)
    secret = demo_site.model_copy(
        update={
            "bus": BusSettings(
                servers=[nats_server.url], user="rw", password="${RW_NOT_SET_BUS_PASSWORD}"
            )
        }
    )
    missing = check_bus(secret, timeout_s=2.0)
    assert missing.status == "fail" and "RW_NOT_SET_BUS_PASSWORD" in missing.detail
