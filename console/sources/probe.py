"""Find out *why* a network stream does not open, in words an operator can act on.

OpenCV only says "could not open"; a short look at the socket and the protocol's first
answer distinguishes a wrong address, a closed port, a wrong password and a wrong path.
"""

from __future__ import annotations

import base64
import socket
from urllib.parse import urlsplit

from console.secrets import expand_env

_RTSP_STATUS = {
    401: "401 Unauthorized: wrong user name or password",
    403: "403 Forbidden: the camera refuses this user",
    404: "404 Not Found: wrong stream path",
    454: "454 Session Not Found",
    503: "503 Service Unavailable: the camera is busy or has too many clients",
}


def diagnose_network_url(url: str, timeout_s: float = 3.0) -> str:
    """A human reason why ``url`` cannot be opened (best effort, never raises)."""
    try:
        parts = urlsplit(expand_env(url))
        host = parts.hostname or ""
        default_port = {"rtsp": 554, "rtsps": 322, "http": 80, "https": 443}.get(parts.scheme, 0)
        port = parts.port or default_port
    except (ValueError, LookupError) as exc:
        return f"invalid address: {exc}"
    if not host:
        return "invalid address: no host name"
    try:
        socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return f"unknown host '{host}' (name not found)"
    try:
        with socket.create_connection((host, port), timeout=timeout_s) as sock:
            if parts.scheme == "rtsp":
                return _rtsp_describe_reason(sock, parts.geturl(), parts.username, parts.password)
            return "the server accepted the connection but sent no video"
    except ConnectionRefusedError:
        return f"connection refused by {host}:{port} (nothing listens there)"
    except TimeoutError:
        return f"no answer from {host}:{port} within {timeout_s:g} s"
    except OSError as exc:
        return f"network error reaching {host}:{port}: {exc.strerror or exc}"


def _rtsp_describe_reason(
    sock: socket.socket, url: str, user: str | None, password: str | None
) -> str:
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
        return "the server did not answer as an RTSP camera"
    if status == 200:
        return "the camera answered but the video could not be decoded (unsupported codec?)"
    return _RTSP_STATUS.get(status, f"camera answered {first.split(' ', 1)[1]}")
