"""The local cache a console opens at start: migrated SQLite, one writer, read sessions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from console.store.engine import create_sqlite_engine
from console.store.migrate import refuse_unknown_revision, upgrade_local
from console.store.models import EvidenceItemRow, OutboxRow
from console.store.reads import StoreReader
from console.store.writer import StoreWriter

DATABASE_NAME = "roadwatch.sqlite"


def default_store_path(data_dir: Path) -> Path:
    return data_dir / DATABASE_NAME


class LocalStore:
    """One console's SQLite cache.

    Writes go through :attr:`writer`. Reads use :meth:`session` on a worker thread, or
    :attr:`reader` (one read thread, results in futures): the GUI thread never runs a query.
    """

    def __init__(self, path: Path, read_engine: Engine, write_engine: Engine, console_id: str):
        self.path = path
        self.console_id = console_id
        self.read_engine = read_engine
        self.write_engine = write_engine
        self.writer = StoreWriter(write_engine, console_id)
        self._sessions = sessionmaker(read_engine, expire_on_commit=False)
        self.reader = StoreReader(self.session)

    @classmethod
    def open(cls, path: Path | str, *, console_id: str = "") -> LocalStore:
        """Open (creating or migrating) the database at ``path``.

        Raises:
            SchemaTooNewError: the file was written by a newer RoadWatch; it is left as is.
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():  # checked read-only first: the engine's PRAGMAs would write to it
            refuse_unknown_revision(path)
        write_engine = create_sqlite_engine(path, writer=True)
        try:
            upgrade_local(write_engine, path if path.exists() else None)
        except BaseException:
            write_engine.dispose()
            raise
        return cls(path, create_sqlite_engine(path, writer=False), write_engine, console_id)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A read session (a consistent snapshot while its transaction lasts)."""
        with self._sessions() as session:
            yield session

    def backlog(self) -> int:
        """Changes not yet confirmed by central storage."""
        with self.session() as session:
            statement = select(func.count()).where(OutboxRow.done_at.is_(None))
            return int(session.execute(statement).scalar_one())

    def pending_evidence(self) -> int:
        """Evidence files not yet confirmed by central storage."""
        with self.session() as session:
            statement = select(func.count()).where(
                EvidenceItemRow.central_state == "pending", EvidenceItemRow.local_path.is_not(None)
            )
            return int(session.execute(statement).scalar_one())

    def close(self) -> None:
        """Finish pending writes and release the database (reads not started are dropped)."""
        self.reader.close()
        self.writer.close()
        self.read_engine.dispose()
        self.write_engine.dispose()

    def __enter__(self) -> LocalStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
