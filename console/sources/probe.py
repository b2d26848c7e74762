"""Find out *why* a network stream does not open, in words an operator can act on.

OpenCV only says "could not open"; a short look at the socket and the protocol's first
answer distinguishes a wrong address, a closed port, a wrong password and a wrong path.
"""

from __future__ import annotations

import base64
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from console.config.secrets import expand_env
from console.sources.stream_url import NETWORK_SCHEMES, file_path_of

_RTSP_STATUS = {
    401: "401 Unauthorized: wrong user name or password",
    403: "403 Forbidden: the camera refuses this user",
    404: "404 Not Found: wrong stream path",
    454: "454 Session Not Found",
    503: "503 Service Unavailable: the camera is busy or has too many clients",
}


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """Whether a stream's server answered, and what it said, in an operator's words."""

    reachable: bool
    detail: str


def diagnose_network_url(url: str, timeout_s: float = 3.0) -> str:
    """A human reason why ``url`` cannot be opened (best effort, never raises)."""
    result = probe_network_url(url, timeout_s)
    if not result.reachable:
        return result.detail
    if urlsplit(url).scheme.lower() == "rtsp":
        return "the camera answered but the video could not be decoded (unsupported codec?)"
    return "the server accepted the connection but sent no video"


def probe_network_url(url: str, timeout_s: float = 3.0) -> ProbeResult:
    """Connect to the stream's host; for RTSP also ask ``DESCRIBE`` (never raises)."""
    try:
        parts = urlsplit(expand_env(url))
        host = parts.hostname or ""
        default_port = {"rtsp": 554, "rtsps": 322, "http": 80, "https": 443}.get(parts.scheme, 0)
        port = parts.port or default_port
    except (ValueError, LookupError) as exc:
        return ProbeResult(False, f"invalid address: {exc}")
    if not host:
        return ProbeResult(False, "invalid address: no host name")
    try:
        socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return ProbeResult(False, f"unknown host '{host}' (name not found)")
    try:
        with socket.create_connection((host, port), timeout=timeout_s) as sock:
            if parts.scheme == "rtsp":
                return _rtsp_describe(sock, parts.geturl(), parts.username, parts.password)
            return ProbeResult(True, f"{host}:{port} accepts connections")
    except ConnectionRefusedError:
        return ProbeResult(False, f"connection refused by {host}:{port} (nothing listens there)")
    except TimeoutError:
        return ProbeResult(False, f"no answer from {host}:{port} within {timeout_s:g} s")
    except OSError as exc:
        return ProbeResult(False, f"network error reaching {host}:{port}: {exc.strerror or exc}")


def probe_stream(url: str, base_dir: Path | None = None, timeout_s: float = 3.0) -> ProbeResult:
    """Whether a site file's stream can be reached from here, without decoding video."""
    scheme = urlsplit(url).scheme.lower()
    if scheme == "sim":
        return ProbeResult(True, "simulated camera")
    if scheme in NETWORK_SCHEMES:
        return probe_network_url(url, timeout_s)
    if scheme == "device":
        return ProbeResult(True, "local capture device (not opened by the check)")
    path = file_path_of(url, base_dir)
    if path.is_file() and path.stat().st_size > 0:
        return ProbeResult(True, f"video file {path.name}")
    return ProbeResult(False, f"video file not found or empty: {path}")


def _rtsp_describe(
    sock: socket.socket, url: str, user: str | None, password: str | None
) -> ProbeResult:
    clean = (
        urlsplit(url)
        ._replace(
            netloc=(urlsplit(url).hostname or "")
            + (f":{urlsplit(url).port}" if urlsplit(url).port else "")
        )
        .geturl()
    )
    request = f"DESCRIBE {clean} RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\n"
    if user is not None:
        token = base64.b64encode(f"{user}:{password or ''}".encode()).decode()
        request += f"Authorization: Basic {token}\r\n"
    sock.sendall((request + "\r\n").encode())
    answer = sock.recv(4096).decode("latin-1", "replace")
    first = answer.split("\r\n", 1)[0]
    try:
        status = int(first.split()[1])
    except (IndexError, ValueError):
        return ProbeResult(False, "the server did not answer as an RTSP camera")
    if status == 200:
        return ProbeResult(True, "RTSP DESCRIBE answered 200 OK")
    return ProbeResult(False, _RTSP_STATUS.get(status, f"camera answered {first.split(' ', 1)[1]}"))
