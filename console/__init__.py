"""RoadWatch core: everything that runs without a screen (never imports Qt)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("roadwatch")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

APP_NAME = "RoadWatch"
