"""What a site file's stream address names: a network stream, or a local file's path."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

NETWORK_SCHEMES = ("rtsp", "rtsps", "http", "https")


def file_path_of(url: str, base_dir: Path | None = None) -> Path:
    """The local path named by ``file://...`` or a bare path (relative to the site file)."""
    if url.startswith("file://"):
        path = Path(unquote(urlsplit(url).path))
    else:
        path = Path(url).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    return path
