"""Configuration changes saved through the core: ``change_config`` checked, every save audited.

The zone editor (and any tool) saves a camera's geometry here. A role without the
permission is refused before the file is read, and the refusal is audited; a permitted save
is audited (user, file, camera, which zones/lines/lanes were added, removed or changed)
and committed to the trail before the file is replaced, so no edit is left unexplained.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from console.config.editing import Shape, prepare_camera_geometry
from console.config.site_file import SiteConfig
from console.security.audit import AuditAction, AuditLog
from console.security.permits import authorize
from console.security.roles import Actor, Permission


def save_camera_geometry(
    path: Path,
    camera_id: str,
    shapes: Sequence[Shape],
    *,
    actor: Actor | None,
    audit: AuditLog,
) -> SiteConfig:
    """Validate and write the camera's new geometry into ``path``; returns the new site.

    Raises:
        PermissionError: the actor may not change the configuration (audited).
        ConfigError: the result would not be a valid site file (nothing is written).
        KeyError: the camera is not in the site file.
    """
    what = f"change the geometry of camera {camera_id} in {path.name}"
    user = authorize(actor, Permission.CHANGE_CONFIG, audit, what)
    edit = prepare_camera_geometry(path, camera_id, shapes)
    details = {
        "file": str(path),
        "camera_id": camera_id,
        "section": f"cameras[{camera_id}]: zones, lines, lanes, calibration",
        **edit.changes,
    }
    audit.record_and_wait(user, AuditAction.CONFIG_CHANGE, details)
    return edit.write()
