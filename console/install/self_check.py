"""``roadwatch --self-check``: is this machine ready to run its site? One line per check.

Network checks (every camera, the central database and its clock) run in threads while
the model loads and runs its test inference, so a site with many cameras takes about as
long as its slowest camera's timeout or the model, whichever is longer.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from console import __version__
from console.config.secrets import redact
from console.config.site_file import AnyEnvironment, ConfigError, SiteConfig, load_site
from console.install.layout import SiteOrigin
from console.install.self_check_bus import check_bus
from console.install.self_check_checks import (
    CheckResult,
    check_cameras,
    check_central,
    check_disk,
    check_hardware,
    check_local_database,
    check_model,
    check_secrets,
    check_version,
)

_ORIGIN_TEXT: dict[SiteOrigin, str] = {
    "given": "given with --site",
    "provisioned": "installed by roadwatch provision",
    "demo": "built-in demo site: no site is provisioned on this machine",
}


@dataclass(frozen=True, slots=True)
class SelfCheckOptions:
    min_free_gib: float = 1.0
    max_clock_offset_s: float = 2.0
    camera_timeout_s: float = 3.0


@dataclass
class SelfCheckReport:
    site_path: Path
    origin: SiteOrigin
    checks: list[CheckResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(check.status != "fail" for check in self.checks)

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "version": __version__,
            "site": {"path": str(self.site_path), "origin": self.origin},
            "seconds": round(self.seconds, 2),
            "checks": [
                {"name": c.name, "status": c.status, "detail": c.detail, **c.data}
                for c in self.checks
            ],
        }

    def text(self) -> str:
        width = max((len(check.name) for check in self.checks), default=10)
        lines = [f"RoadWatch self-check: {self.site_path} ({_ORIGIN_TEXT[self.origin]})"]
        lines += [f"{c.status.upper():5} {c.name:{width}}  {c.detail}" for c in self.checks]
        counts = {s: sum(c.status == s for c in self.checks) for s in ("ok", "warn", "fail")}
        verdict = "OK" if self.ok else "FAILED"
        warned = f"{counts['warn']} warnings, " if counts["warn"] else ""
        lines.append(
            f"{verdict}: {counts['fail']} failed, {warned}{counts['ok']} ok, "
            f"{len(self.checks) - sum(counts.values())} skipped, {self.seconds:.1f} s"
        )
        return "\n".join(lines)


def run_self_check(
    site_path: Path, origin: SiteOrigin, options: SelfCheckOptions | None = None
) -> SelfCheckReport:
    options = options or SelfCheckOptions()
    started = time.monotonic()
    report = SelfCheckReport(site_path, origin, [check_version()])
    site, site_check = _load(site_path, origin)
    report.checks.append(site_check)
    if site is None:
        report.checks.append(CheckResult("model", "skip", "the site file is unusable"))
        report.seconds = time.monotonic() - started
        return report
    report.checks.append(check_secrets(site_path.read_text(encoding="utf-8")))
    base_dir = site_path.parent
    with ThreadPoolExecutor(max_workers=3) as pool:  # network waits beside the model's work
        central = pool.submit(check_central, site, options.max_clock_offset_s)
        bus = pool.submit(check_bus, site, options.camera_timeout_s)
        cameras = pool.submit(check_cameras, site.cameras, base_dir, options.camera_timeout_s)
        report.checks += _guarded("model", check_model, site, base_dir)
        report.checks += _guarded("hardware", check_hardware, site)
        report.checks += _guarded("cameras", cameras.result)
        report.checks += _guarded("local database", check_local_database, site)
        report.checks += _guarded("central database", central.result)
        report.checks += _guarded("bus", bus.result)
    report.checks += _guarded("disk", check_disk, site, options.min_free_gib)
    report.seconds = time.monotonic() - started
    return report


def _load(site_path: Path, origin: SiteOrigin) -> tuple[SiteConfig | None, CheckResult]:
    try:
        # Secrets are checked on their own line; a missing one must not hide the rest.
        site = load_site(site_path, environ=AnyEnvironment())
    except ConfigError as exc:
        detail = "; ".join(line.strip() for line in str(exc).splitlines())
        return None, CheckResult("site", "fail", detail)
    detail = (
        f"{site.site.name} ({len(site.cameras)} cameras, {len(site.routes)} routes); "
        + _ORIGIN_TEXT[origin]
    )
    return site, CheckResult("site", "ok", detail, {"id": site.site.id})


def _guarded(
    name: str, check: Callable[..., CheckResult | list[CheckResult]], *args: Any
) -> list[CheckResult]:
    """The check's results, or one failure naming the error: a crash must not hide the rest."""
    try:
        result = check(*args)
    except Exception as exc:  # any error: reported as this check's failure
        detail = f"check crashed: {type(exc).__name__}: {redact(str(exc))}"
        return [CheckResult(name, "fail", detail)]
    return result if isinstance(result, list) else [result]


def print_report(report: SelfCheckReport, as_json: bool, out: Callable[[str], None]) -> None:
    # ASCII JSON: a Windows installer reading it through a pipe may not decode UTF-8.
    out(json.dumps(report.as_json(), indent=2) if as_json else report.text())
