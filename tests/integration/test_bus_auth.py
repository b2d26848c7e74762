"""Bus credentials: from the environment (``${VAR}`` in the site file), refused when wrong,
never written to a log or printed."""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.bus.client import BusClient
from console.bus.local_server import LocalNatsServer
from console.config.site import BusSettings
from tests.conftest import PlantedSecrets
from tests.integration.bus_support import ROADWATCH, bus_site_file

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture
def guarded_server(tmp_path: Path, planted_secrets: PlantedSecrets) -> Iterator[LocalNatsServer]:
    server = LocalNatsServer(
        tmp_path / "nats", user="roadwatch", password=planted_secrets.add("bus-Secret-4417")
    )
    server.start()
    yield server
    server.stop()


def test_the_password_comes_from_the_environment_and_a_wrong_one_is_refused(
    guarded_server: LocalNatsServer,
    planted_secrets: PlantedSecrets,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = BusSettings(
        servers=[guarded_server.url], user="roadwatch", password="${RW_TEST_BUS_PASSWORD}"
    )
    planted_secrets.setenv(monkeypatch, "RW_TEST_BUS_PASSWORD", "bus-Secret-4417")
    good = BusClient(settings, name="good")
    good.start()
    assert good.wait_connected(10)
    good.stop()
    planted_secrets.setenv(monkeypatch, "RW_TEST_BUS_PASSWORD", "wrong-Secret-9931")
    caplog.set_level(logging.DEBUG)
    bad = BusClient(settings, name="bad")
    bad.start()
    assert not bad.wait_connected(3)
    bad.stop()
    assert "refused this machine's login" in caplog.text
    assert "bus-Secret-4417" not in caplog.text and "wrong-Secret-9931" not in caplog.text


def test_cluster_status_logs_in_and_prints_no_secret(
    guarded_server: LocalNatsServer,
    planted_secrets: PlantedSecrets,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    site_file = bus_site_file(tmp_path / "site", guarded_server.url, ["ql1-km122-nhu-nguyet"])
    text = site_file.read_text(encoding="utf-8").replace(
        "  lease_ttl_s:", "  user: roadwatch\n  password: ${RW_TEST_BUS_PASSWORD}\n  lease_ttl_s:"
    )
    site_file.write_text(text, encoding="utf-8")
    planted_secrets.setenv(monkeypatch, "RW_TEST_BUS_PASSWORD", "bus-Secret-4417")
    done = subprocess.run(
        [str(ROADWATCH), "-v", "cluster", "status", str(site_file)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "1 unowned" in done.stdout
    assert not planted_secrets.found_in((done.stdout + done.stderr).encode())
    monkeypatch.setenv("RW_TEST_BUS_PASSWORD", "not-the-password")
    refused = subprocess.run(
        [str(ROADWATCH), "cluster", "status", str(site_file), "--timeout", "3"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert refused.returncode == 1 and "did not answer" in refused.stderr
