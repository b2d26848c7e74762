"""Entry point of the bundled application (PyInstaller runs this file)."""

from __future__ import annotations

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # worker processes of the frozen app must not re-run main
    from console.cli.main import main

    sys.exit(main())
