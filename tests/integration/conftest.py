"""Fixtures for tests against real services: the RTSP camera server."""

from __future__ import annotations

import functools
import subprocess
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from tests.conftest import require
from tests.integration.rtsp import SYSTEM_PYTHON, RtspServer

# What rtsp_server.py needs from the system Python's GStreamer.
_RTSP_SUPPORT_CHECK = """
import gi
gi.require_version("Gst", "1.0")
gi.require_version("GstApp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import Gst, GstApp, GstRtspServer
Gst.init(None)
missing = [name for name in ("appsrc", "appsink", "filesrc", "qtdemux", "h264parse",
                             "rtph264pay", "decodebin")
           if Gst.ElementFactory.find(name) is None]
if missing:
    raise SystemExit("missing GStreamer elements: " + ", ".join(missing))
"""


@functools.cache
def _rtsp_support_problem() -> str | None:
    """Why the system Python cannot run rtsp_server.py, or None when it can."""
    if not SYSTEM_PYTHON.exists():
        return f"{SYSTEM_PYTHON} is missing"
    try:
        result = subprocess.run(
            [str(SYSTEM_PYTHON), "-c", _RTSP_SUPPORT_CHECK],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"{SYSTEM_PYTHON} took too long to import GStreamer"
    if result.returncode != 0:
        lines = (result.stderr.strip() or result.stdout.strip()).splitlines()
        return lines[-1] if lines else f"exit status {result.returncode}"
    return None


def require_rtsp_support() -> None:
    """/usr/bin/python3 must be able to import GstRtspServer (see tests.conftest.require)."""
    problem = _rtsp_support_problem()
    require(
        problem is None,
        f"no RTSP test server: {problem} (install python3-gi, gir1.2-gst-rtsp-server-1.0, "
        "gstreamer1.0-rtsp, gstreamer1.0-plugins-good/-bad)",
    )


RtspServerFactory = Callable[..., RtspServer]


@pytest.fixture
def rtsp_server_factory() -> Iterator[RtspServerFactory]:
    """Factory for started RtspServer instances; all of them are stopped at teardown.

    ``rtsp_server_factory({"/cam1": clip}, port=None, auth=None, reencode=False,
    start=True)`` returns the server, already listening unless ``start=False``.
    """
    require_rtsp_support()
    servers: list[RtspServer] = []

    def make(
        mounts: Mapping[str, Path],
        port: int | None = None,
        auth: tuple[str, str] | None = None,
        *,
        reencode: bool = False,
        start: bool = True,
    ) -> RtspServer:
        server = RtspServer(mounts, port=port, auth=auth, reencode=reencode)
        servers.append(server)
        if start:
            server.start()
        return server

    yield make
    for server in servers:
        server.stop()
