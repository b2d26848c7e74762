"""The index of recorded segments: ``recordings.sqlite`` beside the local database.

A separate small SQLite file (not a table of the alert store): recordings are bulky,
local-only bookkeeping that never syncs, and keeping them apart leaves the store's schema
and migrations to the store. Every method is thread-safe (one connection, one lock).
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass, replace
from pathlib import Path

INDEX_NAME = "recordings.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS segments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    camera_id TEXT NOT NULL,
    start_s REAL NOT NULL,
    end_s REAL NOT NULL,
    path TEXT NOT NULL UNIQUE,
    meta_path TEXT NOT NULL,
    frames INTEGER NOT NULL,
    fps REAL NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    size_bytes INTEGER NOT NULL,
    codec TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS segments_camera_time ON segments (camera_id, start_s);
CREATE TABLE IF NOT EXISTS health (
    camera_id TEXT NOT NULL,
    at_s REAL NOT NULL,
    state TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS health_camera_time ON health (camera_id, at_s);
"""


@dataclass(frozen=True, slots=True)
class Segment:
    """One closed MP4 segment and its metadata file; times are UTC epoch seconds."""

    camera_id: str
    start_s: float
    end_s: float
    path: Path
    meta_path: Path
    frames: int
    fps: float
    width: int
    height: int
    size_bytes: int
    codec: str
    id: int = 0

    def covers(self, time_s: float) -> bool:
        return self.start_s <= time_s <= self.end_s


@dataclass(frozen=True, slots=True)
class HealthChange:
    camera_id: str
    at_s: float
    state: str
    reason: str = ""


class RecordingIndex:
    """Segments per camera and time, and the cameras' health changes (for gap reasons)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, timeout=10)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)
        self._lock = threading.Lock()

    @classmethod
    def in_folder(cls, folder: Path) -> RecordingIndex:
        return cls(Path(folder) / INDEX_NAME)

    def add(self, segment: Segment) -> Segment:
        with self._lock, self._db:
            cursor = self._db.execute(
                "INSERT INTO segments (camera_id, start_s, end_s, path, meta_path, frames, fps,"
                " width, height, size_bytes, codec) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    segment.camera_id,
                    segment.start_s,
                    segment.end_s,
                    str(segment.path),
                    str(segment.meta_path),
                    segment.frames,
                    segment.fps,
                    segment.width,
                    segment.height,
                    segment.size_bytes,
                    segment.codec,
                ),
            )
        return replace(segment, id=int(cursor.lastrowid or 0))

    def segments(
        self, camera_id: str | None = None, start_s: float | None = None, end_s: float | None = None
    ) -> list[Segment]:
        """Segments overlapping [start_s, end_s] (either end open), oldest first."""
        clauses: list[str] = []
        values: list[object] = []
        if camera_id is not None:
            clauses.append("camera_id = ?")
            values.append(camera_id)
        if start_s is not None:
            clauses.append("end_s >= ?")
            values.append(start_s)
        if end_s is not None:
            clauses.append("start_s <= ?")
            values.append(end_s)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        with self._lock:
            rows = self._db.execute(
                "SELECT camera_id, start_s, end_s, path, meta_path, frames, fps, width, height,"
                f" size_bytes, codec, id FROM segments{where} ORDER BY start_s, id",
                values,
            ).fetchall()
        return [
            Segment(row[0], row[1], row[2], Path(row[3]), Path(row[4]), *row[5:]) for row in rows
        ]

    def segment_at(self, camera_id: str, time_s: float) -> Segment | None:
        """The segment covering ``time_s``, else the next one after it."""
        candidates = self.segments(camera_id, time_s, None)
        return candidates[0] if candidates else None

    def cameras(self) -> list[str]:
        with self._lock:
            rows = self._db.execute("SELECT DISTINCT camera_id FROM segments ORDER BY 1").fetchall()
        return [row[0] for row in rows]

    def remove(self, segment_ids: list[int]) -> None:
        with self._lock, self._db:
            self._db.executemany("DELETE FROM segments WHERE id = ?", [(i,) for i in segment_ids])

    def total_bytes(self) -> int:
        with self._lock:
            return int(
                self._db.execute("SELECT COALESCE(SUM(size_bytes), 0) FROM segments").fetchone()[0]
            )

    def add_health(self, change: HealthChange) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO health (camera_id, at_s, state, reason) VALUES (?,?,?,?)",
                (change.camera_id, change.at_s, change.state, change.reason),
            )

    def health_changes(
        self, camera_id: str, start_s: float | None = None, end_s: float | None = None
    ) -> list[HealthChange]:
        """Changes within the range, plus the last one before it (the state at the start)."""
        with self._lock:
            before = self._db.execute(
                "SELECT camera_id, at_s, state, reason FROM health WHERE camera_id = ? AND"
                " at_s < ? ORDER BY at_s DESC LIMIT 1",
                (camera_id, start_s if start_s is not None else float("-inf")),
            ).fetchall()
            rows = self._db.execute(
                "SELECT camera_id, at_s, state, reason FROM health WHERE camera_id = ? AND"
                " at_s >= ? AND at_s <= ? ORDER BY at_s",
                (
                    camera_id,
                    start_s if start_s is not None else float("-inf"),
                    end_s if end_s is not None else float("inf"),
                ),
            ).fetchall()
        return [HealthChange(*row) for row in [*before, *rows]]

    def close(self) -> None:
        with self._lock:
            self._db.close()
