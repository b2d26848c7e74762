"""Logging: a rotating file in the user log directory, stderr for warnings, no secrets."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from console.config.secrets import redact
from console.paths import log_dir

LOG_FILE_NAME = "roadwatch.log"
_FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"


_OUR_HANDLERS: list[logging.Handler] = []


class RedactingFormatter(logging.Formatter):
    """Masks URL passwords and known secret values in the whole record, traceback included."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def setup_logging(verbose: bool = False, directory: Path | None = None) -> Path:
    """Configure the root logger once; returns the log file path."""
    folder = directory or log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE_NAME
    root = logging.getLogger()
    while _OUR_HANDLERS:
        old = _OUR_HANDLERS.pop()
        root.removeHandler(old)
        old.close()
    file_handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=5 * 1024 * 1024, backupCount=5, encoding="utf-8"
    )
    file_handler.setFormatter(RedactingFormatter(_FORMAT))
    file_handler.setLevel(logging.DEBUG if verbose else logging.INFO)
    stderr_handler = logging.StreamHandler()
    stderr_handler.setFormatter(RedactingFormatter("%(levelname)s %(name)s: %(message)s"))
    stderr_handler.setLevel(logging.DEBUG if verbose else logging.WARNING)
    for handler in (file_handler, stderr_handler):
        _OUR_HANDLERS.append(handler)
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for noisy in ("ultralytics", "PIL", "matplotlib"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return path
