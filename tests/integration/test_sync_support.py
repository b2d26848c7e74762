"""Shared set-up for the sync tests (this module holds no tests).

A fresh PostgreSQL database per test on the server at 127.0.0.1:5432 (``ROADWATCH_TEST_PG``
overrides the server URL), and a TCP proxy the tests can cut to simulate a network outage
without stopping a server other people's tests use.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import threading
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import select

from console.store import models
from console.store.local import LocalStore
from console.sync import central_schema as central
from console.sync.central import CentralDb
from tests.conftest import require

SERVER = os.environ.get("ROADWATCH_TEST_PG", "postgresql://postgres@127.0.0.1:5432")


def _admin() -> psycopg.Connection[Any]:
    return psycopg.connect(f"{SERVER}/test", autocommit=True, connect_timeout=3)


def require_postgres() -> None:
    try:
        _admin().close()
    except psycopg.OperationalError as exc:
        require(False, f"PostgreSQL is not reachable at {SERVER}: {exc}".strip())


@pytest.fixture(name="central_url")
def central_url_fixture() -> Iterator[str]:
    """URL of a new, empty database, dropped after the test."""
    require_postgres()
    name = f"roadwatch_test_{secrets.token_hex(6)}"
    with _admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{SERVER}/{name}"
    finally:
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(name="central_db")
def central_db_fixture(central_url: str) -> Iterator[CentralDb]:
    db = CentralDb(central_url)
    yield db
    db.dispose()


def _normalise(rows: list[dict[str, Any]], drop: set[str]) -> dict[Any, dict[str, Any]]:
    return {row["id"]: {k: v for k, v in row.items() if k not in drop} for row in rows}


def _rows(connection: Any, table: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in connection.execute(select(table)).mappings()]


def assert_central_matches_local(store: LocalStore, db: CentralDb) -> None:
    """Every synced table: central rows == local rows, one for one, nothing extra."""
    local_only = {"local_path", "central_state", "central_confirmed_at", "pruned_at"}
    with store.session() as session, db.engine.connect() as connection:
        pairs = [
            (models.EVENTS, central.events, set()),
            (models.ALERTS, central.alerts, set()),
            (models.ACTIONS, central.actions, set()),
            (models.EVIDENCE, central.evidence_items, local_only),
            (models.COUNTS, central.traffic_counts, set()),
        ]
        for local_table, central_table, drop in pairs:
            local_rows = _normalise(
                [dict(r) for r in session.execute(select(local_table)).mappings()], drop
            )
            central_extra = {c.name for c in central_table.columns} - set(local_table.c.keys())
            central_rows = _normalise(_rows(connection, central_table), central_extra)
            assert len(central_rows) == len(local_rows), local_table.name
            assert central_rows == local_rows, local_table.name
    assert store.backlog() == 0


class TcpProxy:
    """Forwards 127.0.0.1:<port> to PostgreSQL; :meth:`cut` drops every connection."""

    def __init__(self, target: tuple[str, int] = ("127.0.0.1", 5432)) -> None:
        self.target = target
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._open = True
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, database_url: str) -> str:
        name = database_url.rsplit("/", 1)[1]
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def cut(self) -> None:
        with self._lock:
            self._open = False
            for sock in self._sockets:
                _close(sock)
            self._sockets.clear()

    def restore(self) -> None:
        with self._lock:
            self._open = True

    def close(self) -> None:
        self._closed = True
        self.cut()
        _close(self._listener)

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                if not self._open:
                    _close(client)
                    continue
                try:
                    upstream = socket.create_connection(self.target, timeout=3)
                except OSError:
                    _close(client)
                    continue
                upstream.settimeout(None)
                self._sockets.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            _close(source)
            _close(sink)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
