"""Background threads yield the CPU to analysis.

On a PC at its limit the detector thread decides how many frames a second every camera
gets; writing evidence clips (JPEG and video encoding), the local store's commits and the
central sync can all wait a moment. Linux schedules each thread by its own nice value, so
a background thread lowers its own priority when it starts (it cannot raise it again
without privileges; it never needs to). Elsewhere this is a no-op.
"""

from __future__ import annotations

import logging
import os
import sys
import threading

log = logging.getLogger(__name__)

BACKGROUND_NICE = 10  # added to the process's nice value, for the calling thread only


def lower_this_thread() -> bool:
    """Give the calling thread a lower CPU priority (Linux); True when it did."""
    if not sys.platform.startswith("linux"):
        return False
    thread_id = threading.get_native_id()
    try:
        current = os.getpriority(os.PRIO_PROCESS, thread_id)
        os.setpriority(os.PRIO_PROCESS, thread_id, min(19, current + BACKGROUND_NICE))
    except OSError as error:  # a sandbox may forbid it: the thread runs as it was
        log.debug("cannot lower %s's priority: %s", threading.current_thread().name, error)
        return False
    return True
