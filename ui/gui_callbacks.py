"""Core futures, answered on the GUI thread.

The core's store reader and writer complete their futures on their own threads. A widget
hands such a future to its :class:`GuiCallbacks` with what to do on success and on failure;
both run later on the GUI thread, through a queued signal. The helper is a child of the
widget: once the widget is gone, late answers are dropped instead of touching a deleted
object.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import CancelledError, Future
from functools import partial
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")


class GuiCallbacks(QObject):
    """Runs the outcome of core futures on the GUI thread, while its owner lives."""

    _deliver = Signal(object)

    def __init__(self, owner: QObject) -> None:
        super().__init__(owner)
        self._deliver.connect(self._run, Qt.ConnectionType.QueuedConnection)

    def when_done(
        self,
        future: Future[T],
        on_success: Callable[[T], None],
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Call ``on_success(result)`` or ``on_failure(error)`` on the GUI thread.

        Always later, from the event loop, even when the future is already done: a widget
        never sees its own state change in the middle of the call that asked. A cancelled
        future (the store closed first) calls neither. A failure without ``on_failure`` is
        logged.
        """
        future.add_done_callback(partial(self._post, on_success, on_failure))

    def _post(
        self,
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None] | None,
        future: Future[Any],
    ) -> None:
        try:
            self._deliver.emit(partial(_settle, future, on_success, on_failure))
        except RuntimeError:  # the owner (and this helper) were deleted: nobody to tell
            log.debug("answer dropped: its widget is gone")

    @Slot(object)
    def _run(self, call: Callable[[], None]) -> None:
        call()


def _settle(
    future: Future[Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None] | None,
) -> None:
    try:
        error = future.exception()
    except CancelledError:
        return
    if error is None:
        on_success(future.result())
    elif on_failure is not None:
        on_failure(error)
    else:
        log.error("a background read or write failed: %s", error)
