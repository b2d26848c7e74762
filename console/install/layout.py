r"""Where ``roadwatch provision`` installs a site, and where every command finds it again.

Three layouts, each a config folder (``site.yaml``, ``models/``, ``backups/``) and a data
folder (local database, evidence, recordings):

- *root*: ``--root DIR`` or ``ROADWATCH_ROOT``: ``DIR/config`` and ``DIR/data``. For tests,
  scratch installs and packagers.
- *system* (``--system``): one installation for every account of the machine.
  Linux ``/etc/roadwatch`` and ``/var/lib/roadwatch``; Windows
  ``%ProgramData%\RoadWatch\config`` and ``...\data``.
- *user* (the default): the account's own config folder (``ROADWATCH_CONFIG_DIR``
  overrides); data stays where :func:`console.paths.data_dir` puts it.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from platformdirs import PlatformDirs

ROOT_VARIABLE = "ROADWATCH_ROOT"
SITE_FILE_NAME = "site.yaml"
LayoutKind = Literal["root", "system", "user"]


@dataclass(frozen=True, slots=True)
class InstallLayout:
    """One place a site can be installed; ``data_dir`` None means the per-user default."""

    kind: LayoutKind
    config_dir: Path
    data_dir: Path | None

    @property
    def site_file(self) -> Path:
        return self.config_dir / SITE_FILE_NAME

    @property
    def models_dir(self) -> Path:
        return self.config_dir / "models"

    @property
    def backups_dir(self) -> Path:
        return self.config_dir / "backups"


def root_layout(root: Path) -> InstallLayout:
    root = root.expanduser().absolute()
    return InstallLayout("root", root / "config", root / "data")


def system_layout() -> InstallLayout:
    if sys.platform == "win32":
        base = Path(os.environ.get("PROGRAMDATA") or r"C:\ProgramData") / "RoadWatch"
        return InstallLayout("system", base / "config", base / "data")
    if sys.platform == "darwin":
        base = Path("/Library/Application Support/RoadWatch")
        return InstallLayout("system", base / "config", base / "data")
    return InstallLayout("system", Path("/etc/roadwatch"), Path("/var/lib/roadwatch"))


def user_layout() -> InstallLayout:
    configured = os.environ.get("ROADWATCH_CONFIG_DIR")
    default = PlatformDirs(appname="roadwatch", appauthor=False).user_config_dir
    return InstallLayout("user", Path(configured or default), None)


def chosen_layout(root: Path | None = None, *, system: bool = False) -> InstallLayout:
    """The layout a command asked for: ``root``, else ``ROADWATCH_ROOT``, else system/user."""
    if root is not None:
        return root_layout(root)
    if os.environ.get(ROOT_VARIABLE):
        return root_layout(Path(os.environ[ROOT_VARIABLE]))
    return system_layout() if system else user_layout()


def installed_site() -> tuple[Path, InstallLayout] | None:
    """The provisioned site file this machine uses, if any.

    With ``ROADWATCH_ROOT`` set only that root counts; otherwise the account's own
    installation wins over the machine-wide one.
    """
    if os.environ.get(ROOT_VARIABLE):
        candidates = [chosen_layout()]
    else:
        candidates = [user_layout(), system_layout()]
    for layout in candidates:
        if layout.site_file.is_file():
            return layout.site_file, layout
    return None


SiteOrigin = Literal["given", "provisioned", "demo"]


def site_to_use(explicit: Path | None, *, demo: bool = False) -> tuple[Path, SiteOrigin]:
    """The site a command works on: ``--site``, else the provisioned one, else the demo."""
    if explicit is not None and not demo:
        return explicit, "given"
    installed = None if demo else installed_site()
    if installed is not None:
        return installed[0], "provisioned"
    from console.config.site_file import demo_site_path  # pydantic models: only when needed

    return demo_site_path(), "demo"
