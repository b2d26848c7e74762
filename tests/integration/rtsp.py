"""Start and stop the real RTSP camera (``rtsp_server.py``) from tests running in the venv.

The server itself needs GStreamer through PyGObject, which only the system Python has, so
:class:`RtspServer` runs it as a child process of ``/usr/bin/python3``::

    with RtspServer({"/cam1": clip}) as server:
        capture = cv2.VideoCapture(server.url("/cam1"), cv2.CAP_FFMPEG)

Standard library only.
"""

from __future__ import annotations

import os
import selectors
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import IO, Self
from urllib.parse import quote

SYSTEM_PYTHON = Path("/usr/bin/python3")
SERVER_SCRIPT = Path(__file__).resolve().with_name("rtsp_server.py")
HOST = "127.0.0.1"
STOP_GRACE_S = 3.0

#: Value for the ``OPENCV_FFMPEG_CAPTURE_OPTIONS`` environment variable: RTSP over TCP and a
#: 5 s socket timeout. With the FFmpeg bundled in opencv-python (FFmpeg >= 5) the key is
#: ``timeout`` (microseconds); the older ``stimeout`` key is silently ignored.
OPENCV_FFMPEG_RTSP_OPTIONS = "rtsp_transport;tcp|timeout;5000000"


def system_python_env() -> dict[str, str]:
    """This environment without the venv's PYTHON* variables, for ``/usr/bin/python3``."""
    return {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}


class RtspServerError(RuntimeError):
    """The RTSP server could not be started; the message includes its stderr."""


def free_port(host: str = HOST) -> int:
    """A TCP port that is free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class RtspServer:
    """A real gst-rtsp-server process serving files as endless, shared live H.264 streams.

    Args:
        mounts: mount path (``"/cam1"``; the leading slash is optional) to video file.
        port: TCP port; a free one is picked when None. It stays the same across
            :meth:`restart`.
        auth: ``(user, password)`` to require RTSP basic authentication.
        reencode: decode and re-encode (x264, one key frame a second) instead of passing
            the file's H.264 through; late joiners then start decoding within a second.
    """

    def __init__(
        self,
        mounts: Mapping[str, Path],
        port: int | None = None,
        auth: tuple[str, str] | None = None,
        *,
        reencode: bool = False,
    ) -> None:
        if not mounts:
            raise ValueError("RtspServer needs at least one mount")
        self._mounts = {self._normalise(mount): Path(file) for mount, file in mounts.items()}
        self._auto_port = port is None
        self._port = free_port() if port is None else port
        self._auth = auth
        self._reencode = reencode
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._stderr_log = ""
        self.startup_seconds: float | None = None
        """How long the last :meth:`start` took until the server said READY."""

    @staticmethod
    def _normalise(mount: str) -> str:
        mount = "/" + mount.lstrip("/")
        if mount == "/" or "=" in mount:
            raise ValueError(f"invalid mount path {mount!r}")
        return mount

    @property
    def port(self) -> int:
        return self._port

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def exit_code(self) -> int | None:
        """The last server process's exit status (None while it runs or before start)."""
        return None if self._process is None else self._process.poll()

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    def url(self, mount: str) -> str:
        """The ``rtsp://`` URL of a mount, with the credentials when auth is on."""
        mount = self._normalise(mount)
        if mount not in self._mounts:
            raise KeyError(f"no mount {mount!r}; mounts are {sorted(self._mounts)}")
        credentials = ""
        if self._auth is not None:
            user, password = self._auth
            credentials = f"{quote(user, safe='')}:{quote(password, safe='')}@"
        return f"rtsp://{credentials}{HOST}:{self._port}{mount}"

    def command(self) -> list[str]:
        command = [str(SYSTEM_PYTHON), str(SERVER_SCRIPT), "--port", str(self._port)]
        for mount, file in self._mounts.items():
            command += ["--mount", f"{mount}={file}"]
        if self._auth is not None:
            command += ["--auth", f"{self._auth[0]}:{self._auth[1]}"]
        if self._reencode:
            command.append("--reencode")
        return command

    def stderr_text(self) -> str:
        """What the server has written to stderr so far (its log and any error)."""
        if self._stderr is None:
            return self._stderr_log
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")

    def start(self, timeout: float = 15) -> Self:
        """Spawn the server and wait until it listens; raise RtspServerError if it does not."""
        if self.running:
            raise RtspServerError(f"the RTSP server on port {self._port} is already running")
        if not SYSTEM_PYTHON.exists():
            raise RtspServerError(f"{SYSTEM_PYTHON} is missing; the RTSP server needs it")
        attempts = 3 if self._auto_port else 1
        for attempt in range(attempts):
            try:
                self._spawn(timeout)
                self._auto_port = False  # clients now hold URLs with this port: keep it
                return self
            except RtspServerError:
                port_taken = "cannot listen" in self.stderr_text()
                if not (port_taken and attempt + 1 < attempts):
                    raise
                self._port = free_port()  # lost a race for the port we picked: pick another
        raise AssertionError("unreachable")

    def _spawn(self, timeout: float) -> None:
        self._close_stderr()
        self._stderr_log = ""
        # Closed in _close_stderr once the server has exited (it outlives this method).
        self._stderr = tempfile.TemporaryFile(prefix="rtsp_server-", suffix=".log")  # noqa: SIM115
        began = time.monotonic()
        env = system_python_env()
        process = subprocess.Popen(
            self.command(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
            cwd=SERVER_SCRIPT.parent,
        )
        self._process = process
        assert process.stdout is not None
        line, closed = self._read_line(process.stdout, began + timeout)
        if line is None or not line.startswith("READY "):
            code = process.poll()
            if code is None and closed:
                # stdout closed: the server is exiting (normally within milliseconds).
                try:
                    code = process.wait(STOP_GRACE_S)
                except subprocess.TimeoutExpired:
                    code = None
            self._kill()
            if line is not None:
                reason = f"printed {line!r} instead of READY"
            elif code is not None:
                reason = f"exited with status {code} before it was ready"
            elif closed:
                reason = "closed its stdout without saying READY"
            else:
                reason = f"did not say READY within {timeout:g} s"
            raise RtspServerError(
                f"RTSP server ({' '.join(self.command())}) {reason}.\n"
                f"--- its stderr ---\n{self.stderr_text().strip()}"
            )
        self.startup_seconds = time.monotonic() - began

    @staticmethod
    def _read_line(stream: IO[bytes], deadline: float) -> tuple[str | None, bool]:
        """The first line of the child's stdout (None if none came) and whether it closed."""
        data = b""
        with selectors.DefaultSelector() as selector:
            selector.register(stream, selectors.EVENT_READ)
            while b"\n" not in data:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not selector.select(remaining):
                    return None, False
                chunk = os.read(stream.fileno(), 4096)
                if not chunk:
                    return None, True
                data += chunk
        return data.split(b"\n", 1)[0].decode("utf-8", "replace").strip(), False

    def stop(self) -> None:
        """SIGTERM the server, SIGKILL it after 3 s; afterwards its port refuses connections."""
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(STOP_GRACE_S)
            except subprocess.TimeoutExpired:
                self._kill()
        self._reap()

    def restart(self, timeout: float = 15) -> Self:
        """Stop the server and start it again on the same port."""
        self.stop()
        return self.start(timeout)

    def _kill(self) -> None:
        process = self._process
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()
        self._reap()

    def _reap(self) -> None:
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
        self._close_stderr()

    def _close_stderr(self) -> None:
        """Keep the finished server's stderr as text and close its file."""
        if self._stderr is not None:
            self._stderr_log = self.stderr_text()
            self._stderr.close()
            self._stderr = None

    def __enter__(self) -> Self:
        if not self.running:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"RtspServer(port={self._port}, mounts={sorted(self._mounts)}, {state})"


TRANSCODE_SCRIPT = Path(__file__).resolve().with_name("h264_transcode.py")


def transcode_to_h264(source: Path, target: Path, fps: int = 25, timeout: float = 600) -> Path:
    """Re-encode ``source`` to H.264 MP4 at ``target`` (one key frame a second).

    :class:`RtspServer` passes H.264 files through, so cameras served from them cost the
    server almost no CPU. Raises RtspServerError with the script's stderr on failure.
    """
    env = system_python_env()
    command = [
        str(SYSTEM_PYTHON),
        str(TRANSCODE_SCRIPT),
        str(source),
        str(target),
        "--fps",
        str(fps),
        "--timeout",
        str(timeout),
    ]
    finished = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=timeout + 30, check=False
    )
    if finished.returncode != 0 or not target.is_file():
        raise RtspServerError(
            f"{' '.join(command)} exited with status {finished.returncode}:\n"
            f"{finished.stderr.strip()}"
        )
    return target
