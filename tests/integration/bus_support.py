"""Support for the site-bus tests: a real nats-server, demo sites on it, node processes.

Nodes run as ``roadwatch node`` child processes (the installed entry point), so a test can
SIGKILL or SIGSTOP one as an operating system would.
"""

from __future__ import annotations

import contextlib
import copy
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML

from console.bus.client import BusClient
from console.bus.messages import BusMessage, MalformedMessageError, decode_any
from console.bus.subjects import SiteSubjects
from console.config.site import BusSettings
from console.config.site_file import demo_site_path

ROADWATCH = Path(sys.executable).with_name("roadwatch")


def bus_site_file(
    folder: Path,
    server_url: str,
    cameras: Iterable[str],
    *,
    lease_ttl_s: float = 4.0,
    site_id: str = "bus-test",
    repeat_to: int | None = None,
    image_size: int | None = None,
    detect_fps: float | None = None,
    sub_streams: bool = False,
    main_streams: Mapping[str, str] | None = None,
    central_url: str | None = None,
) -> Path:
    """The demo site with only ``cameras`` (ids), on the bus at ``server_url``.

    ``repeat_to``: deal those cameras' streams over that many cameras (ids ``cam-01``...);
    ``image_size`` / ``detect_fps``: fixed for every camera (benchmarks); ``sub_streams``:
    each simulated camera also gets a 640x360 detect stream of the same scene.
    """
    yaml = YAML()
    data = yaml.load(demo_site_path().read_text(encoding="utf-8"))
    wanted = list(cameras)
    data["site"]["id"] = site_id
    chosen = [camera for camera in data["cameras"] if camera["id"] in wanted]
    assert len(chosen) == len(wanted), "unknown demo camera id"
    if repeat_to is not None:
        dealt = []
        for number in range(repeat_to):
            camera = copy.deepcopy(chosen[number % len(chosen)])
            camera["id"] = f"cam-{number + 1:02d}"
            camera["name"] = f"{camera['name']} #{number + 1}"
            dealt.append(camera)
        chosen = dealt
    if detect_fps is not None:
        for camera in chosen:
            camera["detect_fps"] = detect_fps
    if sub_streams:
        for camera in chosen:
            main = camera["streams"]["main"]
            camera["streams"] = {"main": main, "detect": f"{main}&width=640&height=360"}
    for camera in chosen:
        if main_streams and camera["id"] in main_streams:
            camera["streams"] = {"main": main_streams[camera["id"]]}
    data["cameras"] = chosen
    if central_url is not None:
        data["central"] = {"url": central_url, "sslmode": "disable"}
    if image_size is not None:
        data["model"]["image_size"] = image_size
    data["bus"] = {"servers": [server_url], "lease_ttl_s": lease_ttl_s}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "site.yaml"
    with path.open("w", encoding="utf-8") as file:
        yaml.dump(data, file)
    return path


@dataclass
class NodeProcess:
    """``roadwatch node`` as a child process, its output in ``folder/out.log``."""

    site_file: Path
    node_id: str
    folder: Path
    capacity: int = 4
    process: subprocess.Popen[bytes] | None = None

    @property
    def database(self) -> Path:
        return self.folder / "store.sqlite"

    @property
    def log(self) -> Path:
        return self.folder / "out.log"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        command = [
            str(ROADWATCH),
            "node",
            str(self.site_file),
            "--node-id",
            self.node_id,
            "--capacity",
            str(self.capacity),
            "--database",
            str(self.database),
            "--evidence-dir",
            str(self.folder / "evidence"),
            "--status-interval",
            "2",
        ]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                command, stdout=out, stderr=subprocess.STDOUT, env=dict(os.environ)
            )

    def signal(self, signum: int) -> None:
        assert self.process is not None
        self.process.send_signal(signum)

    def kill(self) -> None:
        self.signal(signal.SIGKILL)
        assert self.process is not None
        self.process.wait(10)

    def stop(self, timeout_s: float = 30.0) -> int:
        """SIGTERM and wait (the node hands its cameras back and flushes its outbox)."""
        if self.process is None:
            return 0
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        return int(self.process.returncode)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@dataclass
class Seen:
    at_mono: float
    subject: str
    message: BusMessage


@dataclass
class BusRecorder:
    """Every message on a site's subjects (core and JetStream-published alike), in order."""

    client: BusClient
    subjects: SiteSubjects
    seen: list[Seen] = field(default_factory=list)
    malformed: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def start(cls, server_url: str, site_id: str) -> BusRecorder:
        client = BusClient(BusSettings(servers=[server_url]), name="test-recorder")
        recorder = cls(client, SiteSubjects(site_id))
        client.subscribe(f"{recorder.subjects.prefix}.>", recorder._record)
        client.start()
        assert client.wait_connected(10), "the test bus did not answer"
        return recorder

    def _record(self, subject: str, data: bytes) -> None:
        try:
            message = decode_any(data)
        except MalformedMessageError as error:
            with self._lock:
                self.malformed.append(f"{subject}: {error}")
            return
        with self._lock:
            self.seen.append(Seen(time.monotonic(), subject, message))

    def messages(self, kind: str) -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if getattr(s.message, "kind", "") == kind]

    def stop(self) -> None:
        self.client.stop()


def wait_until(condition: Callable[[], bool], timeout_s: float, step_s: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step_s)
    return condition()


class TcpProxy:
    """A TCP relay to ``target_port``: ``cut()`` drops every connection and refuses new ones
    (a node cut off from the bus while the bus lives on), ``restore()`` lets them in again."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.open = threading.Event()
        self.open.set()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, name="proxy", daemon=True).start()

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open.is_set():
                client.close()
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass  # one side closed: close the other
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.close()

    def cut(self) -> None:
        self.open.clear()
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def restore(self) -> None:
        self.open.set()

    def close(self) -> None:
        self.cut()
        self.listener.close()
