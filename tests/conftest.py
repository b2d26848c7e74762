"""Shared test set-up for tests/core, tests/ui and tests/integration.

- isolated user directories for every test;
- :func:`require`, the one way a test may depend on something outside the repository (a
  service, ../shared material): it skips locally and fails under ``CI=true``;
- the registry of secrets tests plant, which the session's last test scans for;
- factories every suite uses: the demo site, a copy of its file, a temporary local store.
"""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from console.bus.local_server import LocalNatsServer, NatsServerMissingError, nats_server_binary
from console.config.site_file import SiteConfig, demo_site_path, load_site
from console.store.local import LocalStore

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: object, reason: str) -> None:
    """Skip the calling test unless ``condition`` holds; under ``CI=true``, fail it instead.

    CI starts every service the tests need (``.ci/run``), so there a missing one is a broken
    set-up to report, not a test to skip quietly.
    """
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: what a test needs must be there)", pytrace=False)
    pytest.skip(reason)


def require_shared(relative: str) -> Path:
    """Path inside ../shared, which must exist (see :func:`require`)."""
    path = SHARED / relative
    require(path.exists(), f"test material {path} is missing")
    return path


@pytest.fixture(scope="session", autouse=True)
def shared_clip_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One cache for the test session: the demo's simulated cameras render once, as per user."""
    cache = tmp_path_factory.mktemp("cache")
    previous = os.environ.get("ROADWATCH_CACHE_DIR")
    os.environ["ROADWATCH_CACHE_DIR"] = str(cache)
    yield cache
    if previous is None:
        os.environ.pop("ROADWATCH_CACHE_DIR", None)
    else:
        os.environ["ROADWATCH_CACHE_DIR"] = previous


@pytest.fixture(autouse=True)
def isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Every test gets its own data, log and settings directories."""
    home = tmp_path_factory.mktemp("user")
    for variable, sub in (
        ("ROADWATCH_DATA_DIR", "data"),
        ("ROADWATCH_LOG_DIR", "log"),
        ("ROADWATCH_CONFIG_DIR", "config"),
    ):
        monkeypatch.setenv(variable, str(home / sub))
    yield home


# ---- secrets planted by tests ---------------------------------------------------------------


class PlantedSecrets:
    """Every secret value a test of this session put in reach of the code under test.

    Tests register the passwords they set in the environment, a keyring, a login form or a
    camera URL; ``test_no_secrets``'s last test then scans every log and export the session
    wrote for all of them.
    """

    MIN_LENGTH = 8  # shorter values would match by chance in binary exports

    def __init__(self) -> None:
        self._values: set[str] = set()

    def add(self, value: str) -> str:
        """Register ``value`` and return it, so a test can plant it where it is defined."""
        if len(value) < self.MIN_LENGTH:
            raise ValueError(f"a planted secret needs {self.MIN_LENGTH}+ characters: {value!r}")
        self._values.add(value)
        return value

    def setenv(self, monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> str:
        """Set environment variable ``name`` to a secret ``value`` and register it."""
        monkeypatch.setenv(name, self.add(value))
        return value

    def found_in(self, data: bytes) -> list[str]:
        return sorted(value for value in self._values if value.encode() in data)

    def __len__(self) -> int:
        return len(self._values)


@pytest.fixture(scope="session")
def planted_secrets() -> PlantedSecrets:
    return PlantedSecrets()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``last`` run after every other selected test (session-wide scans)."""
    items.sort(key=lambda item: item.get_closest_marker("last") is not None)


# ---- shared factories -----------------------------------------------------------------------


@functools.cache
def _parsed_demo_site() -> SiteConfig:
    return load_site(demo_site_path(), environ={})


def load_demo_site() -> SiteConfig:
    """The built-in demo site: parsed once per session (about a second), copied per call.

    SiteConfig is frozen, but its lists are not; the deep copy keeps one test's in-place
    change from reaching the next.
    """
    return _parsed_demo_site().model_copy(deep=True)


@pytest.fixture
def demo_site() -> SiteConfig:
    return load_demo_site()


@pytest.fixture
def demo_site_file(tmp_path: Path) -> Path:
    """A copy of the demo site file that the test may edit."""
    path = tmp_path / "site.yaml"
    shutil.copy(demo_site_path(), path)
    return path


StoreOpener = Callable[..., LocalStore]


@pytest.fixture
def open_store(tmp_path: Path) -> Iterator[StoreOpener]:
    """``open_store(path=tmp_path/"roadwatch.sqlite", console_id="console-1")``.

    Opens a local store (SQLite file, its writer thread); every store opened is closed after
    the test.
    """
    opened: list[LocalStore] = []

    def open_(path: Path | None = None, console_id: str = "console-1") -> LocalStore:
        store = LocalStore.open(path or tmp_path / "roadwatch.sqlite", console_id=console_id)
        opened.append(store)
        return store

    yield open_
    for store in reversed(opened):
        store.close()


@pytest.fixture
def store(open_store: StoreOpener) -> LocalStore:
    """A fresh local store in the test's temporary folder, closed after the test."""
    return open_store()


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[LocalNatsServer]:
    """A real ``nats-server -js`` on a free port, its JetStream files in the test's folder."""
    try:
        nats_server_binary()
    except NatsServerMissingError as error:
        require(False, str(error))
        raise
    server = LocalNatsServer(tmp_path / "nats")
    server.start()
    yield server
    server.stop()
