"""The one thread that reads the local cache for the UI.

The GUI thread never runs a query: it hands a function of a read session to
:class:`StoreReader` and gets a :class:`Future`; the UI re-posts the outcome to the GUI
thread (``ui.gui_callbacks``). One thread is enough (reads are small, indexed) and keeps
replies in the order they were asked for.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager
from functools import partial
from typing import TypeVar

from sqlalchemy.orm import Session

from console.domain.records import Alert
from console.store import queries
from console.store.writer import StoreClosedError

log = logging.getLogger(__name__)

T = TypeVar("T")
Query = Callable[[Session], T]


class StoreReader:
    """Runs read queries on one thread, each in its own read session (a consistent snapshot)."""

    def __init__(self, sessions: Callable[[], AbstractContextManager[Session]]) -> None:
        self._sessions = sessions
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store-reader")
        self._lock = threading.Lock()
        self._closed = False

    def submit(
        self,
        query: Query[T],
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> Future[T]:
        """Run ``query(session)`` on the reader thread.

        A closed store gives a failed future (not an exception), so a window that asks while
        the console shuts down takes its usual failure path. The callbacks run on the reader
        thread; the UI re-posts them to the GUI thread.
        """
        with self._lock:
            if self._closed:
                future: Future[T] = Future()
                future.set_exception(StoreClosedError("the local store is closed"))
            else:
                future = self._executor.submit(self._run, query)
        if on_success is not None or on_failure is not None:
            future.add_done_callback(partial(_dispatch, on_success, on_failure))
        return future

    def get_alert(self, alert_id: uuid.UUID) -> Future[Alert | None]:
        """One alert as stored (None when the store does not know it)."""
        return self.submit(partial(queries.get_alert, alert_id=alert_id))

    def close(self) -> None:
        """Drop the reads not started yet, finish the running one, stop the thread."""
        with self._lock:
            self._closed = True
        self._executor.shutdown(wait=True, cancel_futures=True)

    def _run(self, query: Query[T]) -> T:
        with self._sessions() as session:
            return query(session)


def _dispatch(
    on_success: Callable[[T], None] | None,
    on_failure: Callable[[BaseException], None] | None,
    future: Future[T],
) -> None:
    if future.cancelled():
        return
    error = future.exception()
    if error is None:
        if on_success is not None:
            on_success(future.result())
    elif on_failure is not None:
        on_failure(error)
