"""Print the requirements of the CPU-only bundle, one per line, for ``pip install -r``.

The development environment pins torch 2.14 + torchvision (a CUDA build on Linux x86_64,
several GB). The bundle only runs inference: it takes torch's CPU build (installed
beforehand, see installer/linux/build.sh), needs no torchvision (Ultralytics imports it only
for training, export and SAM) and no GPU monitoring. Everything else comes from
pyproject.toml and Ultralytics' own metadata, so the two never drift apart.
"""

from __future__ import annotations

import re
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, requires
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Installed separately (torch CPU) or not needed to run the console.
LEFT_OUT = {"torch", "torchvision", "nvidia-ml-py", "ultralytics-platform"}
ULTRALYTICS = "ultralytics-opencv-headless"


def package_name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9_.\-]+", requirement)
    return match.group(0).lower().replace("_", "-") if match else ""


def project_requirements() -> list[str]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(pyproject["project"]["dependencies"])


def ultralytics_requirements() -> list[str]:
    """Ultralytics' runtime requirements (no extras), read from the installed package."""
    try:
        declared = requires(ULTRALYTICS) or []
    except PackageNotFoundError:
        sys.exit(f"{ULTRALYTICS} must be installed (with --no-deps) before this script runs")
    return [r for r in declared if "extra ==" not in r]


def bundle_requirements() -> list[str]:
    wanted: dict[str, str] = {}
    for requirement in project_requirements() + ultralytics_requirements():
        name = package_name(requirement)
        if name in LEFT_OUT or name == ULTRALYTICS or name in wanted:
            continue
        wanted[name] = requirement.split(";")[0].strip()
    return list(wanted.values())


if __name__ == "__main__":
    print("\n".join(bundle_requirements()))
