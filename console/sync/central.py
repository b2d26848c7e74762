"""Connection to the central PostgreSQL, built from the site file's ``central`` settings."""

from __future__ import annotations

import threading
from collections.abc import Mapping

from sqlalchemy import Engine, create_engine

from console.config.secrets import expand_env, mask_url
from console.config.site import CentralSettings
from console.sync.central_schema import ensure_central_schema

CONNECT_TIMEOUT_S = 5


def psycopg_url(url: str) -> str:
    """The URL with the psycopg 3 driver named (``postgresql://`` would pick psycopg2)."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


class CentralDb:
    """The central database engine.

    The schema is checked on first use, not at start-up, so a console starts (and works
    locally) while the centre is unreachable.
    """

    def __init__(self, url: str, *, sslmode: str = "prefer", application_name: str = "roadwatch"):
        self.display_url = mask_url(url)
        self.engine: Engine = create_engine(
            psycopg_url(url),
            pool_pre_ping=True,  # after an outage, stale pooled connections are replaced
            pool_size=2,
            max_overflow=2,
            connect_args={
                "connect_timeout": CONNECT_TIMEOUT_S,
                "sslmode": sslmode,
                "application_name": application_name,
            },
        )
        self._schema_ready = False
        self._lock = threading.Lock()

    @classmethod
    def from_settings(
        cls, settings: CentralSettings, environ: Mapping[str, str] | None = None
    ) -> CentralDb:
        return cls(expand_env(settings.url, environ), sslmode=settings.sslmode)

    def ensure_schema(self) -> None:
        with self._lock:
            if self._schema_ready:
                return
            with self.engine.begin() as connection:
                ensure_central_schema(connection)
            self._schema_ready = True

    def dispose(self) -> None:
        self.engine.dispose()
