"""The machine a benchmark ran on, for the JSON line (results are only comparable on one)."""

from __future__ import annotations

import os
import platform


def machine_description() -> dict[str, object]:
    return {
        "platform": platform.platform(),
        "processor": platform.processor(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "load_avg": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }
