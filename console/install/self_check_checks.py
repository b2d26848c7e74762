"""The individual checks of ``roadwatch --self-check``; each returns results, never raises."""

from __future__ import annotations

import os
import platform
import shutil
import sqlite3
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from console import APP_NAME, __version__
from console.config.secrets import MissingSecretError, env_references, expand_env, redact
from console.config.site import Camera
from console.config.site_file import SiteConfig
from console.paths import data_dir
from console.sources.probe import probe_stream

# "warn": the site runs, but not as it should (a remedy is given); it does not fail the check.
Status = Literal["ok", "warn", "fail", "skip"]
GIB = 1024**3
TEST_FRAME_SIZE = (1280, 720)


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One line of the report: ``name`` is stable for scripts, ``detail`` is for people."""

    name: str
    status: Status
    detail: str
    data: dict[str, Any] = field(default_factory=dict)


def check_version() -> CheckResult:
    python = platform.python_version()
    system = f"{platform.system()} {platform.machine()}"
    detail = f"{APP_NAME} {__version__} on {system}, Python {python}"
    return CheckResult("version", "ok", detail, {"version": __version__, "python": python})


def check_secrets(site_text: str) -> CheckResult:
    from console.config.keyring_secrets import keyring_secret

    names = sorted(set(env_references(site_text)))
    if not names:
        return CheckResult("secrets", "ok", "the site file refers to no secrets")
    where: dict[str, str] = {}
    for name in names:
        if name in os.environ:
            where[name] = "environment"
        elif keyring_secret(name) is not None:
            where[name] = "keyring"
        else:
            where[name] = "missing"
    missing = [name for name, found in where.items() if found == "missing"]
    if missing:
        detail = f"not set in the environment nor the OS keyring: {', '.join(missing)}"
        return CheckResult("secrets", "fail", detail, {"where": where})
    return CheckResult("secrets", "ok", f"{len(names)} found", {"where": where})


def check_model(site: SiteConfig, base_dir: Path) -> CheckResult:
    """Load the site's model as the console would and time an inference on one frame."""
    from console.detect.model import ModelLoadError, YoloModel, choose_model, input_sizes
    from console.pipeline.input_size import resolve_image_size

    configured = site.model.path
    try:
        model = YoloModel.from_settings(choose_model(configured, base_dir), site.model).load()
        # ``image_size: auto``: the size analysis would choose on this PC now.
        input_size = resolve_image_size(
            site.model, site.cameras, model, fixed_size=model.fixed_input_size
        )
        model.image_size = input_size.size
        sizes = input_sizes(site.model, site.cameras, model.image_size)
        model.prepare_sizes(sizes)
        frame = test_frame()
        started = time.perf_counter()
        model.predict([frame], confidence=site.model.confidence)  # compiles, allocates
        first_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        found = model.predict([frame], confidence=site.model.confidence)[0]
        inference_ms = (time.perf_counter() - started) * 1000
    except (ModelLoadError, OSError, RuntimeError) as exc:
        return CheckResult("model", "fail", f"cannot load {configured}: {redact(str(exc))}")
    choice = model.choice
    data = {
        "configured": configured,
        "loaded": choice.path,
        "demo": choice.is_demo,
        "backend": choice.backend,
        "device": model.device,
        "load_s": round(model.load_seconds, 2),
        "first_inference_ms": round(first_ms, 1),
        "inference_ms": round(inference_ms, 1),
        "detections": len(found),
        "input_sizes": sorted(set(sizes.values())),
        "input_size": input_size.text,
    }
    detail = (
        f"{Path(choice.path).name} ({choice.backend} on {model.device}), one "
        f"{frame.shape[1]}x{frame.shape[0]} frame in {inference_ms:.0f} ms "
        f"(first {first_ms:.0f} ms), loaded in {model.load_seconds:.1f} s; "
        f"{input_size.text}"
    )
    if choice.is_demo and configured != "demo":
        detail = f"site names {configured}, but the bundled DEMO model was loaded ({choice.notice})"
        return CheckResult("model", "fail", detail, data)
    if choice.is_demo:
        detail += "; DEMO model: synthetic scenes only"
        real = real_camera_ids(site.cameras)
        if real:
            data["real_cameras"] = real
            return CheckResult("model", "warn", f"{detail}. {demo_on_real_cameras(real)}", data)
    return CheckResult("model", "ok", detail, data)


def real_camera_ids(cameras: Sequence[Camera]) -> list[str]:
    """Enabled cameras that show a real scene: any stream that is not the simulator."""
    return [
        camera.id
        for camera in cameras
        if camera.enabled
        and any(
            url is not None and not url.lower().startswith("sim:")
            for url in (camera.streams.main, camera.streams.detect)
        )
    ]


def demo_on_real_cameras(camera_ids: Sequence[str]) -> str:
    """Why the demo model must not analyse real cameras, and what to do instead."""
    shown = ", ".join(camera_ids[:5]) + (
        f" and {len(camera_ids) - 5} more" if len(camera_ids) > 5 else ""
    )
    return (
        f"WARNING: real cameras ({shown}) are analysed by the bundled demo model, trained on "
        "simulator frames only: on real footage it misses most road users and mislabels "
        "others. Install a real COCO detector (the recommended YOLO11n OpenVINO export, "
        "README 'Detection model') and set model.path in the site file to its folder, e.g. "
        "model: {path: models/yolo11n_int8_openvino_model}"
    )


def test_frame() -> np.ndarray:
    """A simulated road scene at 720p, so the timing is that of a real camera frame."""
    try:
        from console.sim.simulator import Simulator
        from console.sim.url import parse_sim_url

        return Simulator(parse_sim_url("sim://highway?seed=7")).next_frame().image
    except Exception:  # the simulator is an extra; a grey frame times as well
        width, height = TEST_FRAME_SIZE
        return np.full((height, width, 3), 114, dtype=np.uint8)


def check_hardware(site: SiteConfig) -> CheckResult:
    import psutil

    logical = os.cpu_count() or 0
    physical = psutil.cpu_count(logical=False) or logical
    memory_gib = psutil.virtual_memory().total / GIB
    gpus = _cuda_devices()
    data: dict[str, Any] = {
        "cpu": _cpu_name(),
        "cores": physical,
        "threads": logical,
        "memory_gib": round(memory_gib, 1),
        "gpus": gpus,
    }
    detail = f"CPU {data['cpu']}, {physical} cores / {logical} threads, {memory_gib:.1f} GiB RAM"
    detail += f"; GPU: {', '.join(gpus)}" if gpus else "; no CUDA GPU (inference on the CPU)"
    if site.model.device.startswith("cuda") and not gpus:
        detail += f"; the site asks for {site.model.device}"
        return CheckResult("hardware", "fail", detail, data)
    return CheckResult("hardware", "ok", detail, data)


def _cuda_devices() -> list[str]:
    if "torch" not in sys.modules:  # the model check imports it; never pay for it here
        return []
    import torch

    if not torch.cuda.is_available():
        return []
    return [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def check_cameras(cameras: Sequence[Camera], base_dir: Path, timeout_s: float) -> list[CheckResult]:
    """Every camera probed at once: ten cameras take one timeout, not ten."""
    if not cameras:
        return []
    with ThreadPoolExecutor(max_workers=min(32, len(cameras))) as pool:
        return list(pool.map(lambda camera: check_camera(camera, base_dir, timeout_s), cameras))


def check_camera(camera: Camera, base_dir: Path, timeout_s: float) -> CheckResult:
    name = f"camera {camera.id}"
    if not camera.enabled:
        return CheckResult(name, "skip", "disabled in the site file")
    streams = {"main": camera.streams.main}
    if camera.streams.detect:
        streams["detect"] = camera.streams.detect
    results = {kind: probe_stream(url, base_dir, timeout_s) for kind, url in streams.items()}
    reachable = all(result.reachable for result in results.values())
    detail = "; ".join(f"{kind}: {result.detail}" for kind, result in results.items())
    data = {kind: result.reachable for kind, result in results.items()}
    return CheckResult(name, "ok" if reachable else "fail", detail, data)


def check_local_database(site: SiteConfig) -> CheckResult:
    """The local database's revision, read-only: will it open, migrate, or be refused?"""
    from console.app.open_site import SitePaths
    from console.store.migrate import head_revision, known_revisions, stored_revision

    path = SitePaths.of(site, create=False).store
    head = head_revision()
    if not path.exists():
        return CheckResult("local database", "ok", f"{path} is created at first start")
    try:
        revision = stored_revision(path)
    except sqlite3.Error as exc:
        return CheckResult("local database", "fail", f"{path} cannot be read: {exc}")
    data = {"path": str(path), "revision": revision, "app_revision": head}
    if revision == head:
        return CheckResult("local database", "ok", f"{path}, schema {revision}", data)
    if revision is not None and revision not in known_revisions():
        detail = (
            f"{path} was written by a newer RoadWatch (revision {revision}); "
            "install that version or newer"
        )
        return CheckResult("local database", "fail", detail, data)
    detail = f"{path}, schema {revision}: upgraded to {head} at next start (backup first)"
    return CheckResult("local database", "ok", detail, data)


def check_disk(site: SiteConfig, min_free_gib: float) -> CheckResult:
    folder = (site.storage.data_dir or data_dir(create=False)) / "evidence"
    existing = folder
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    usage = shutil.disk_usage(existing)
    free_gib = usage.free / GIB
    data = {"path": str(folder), "free_gib": round(free_gib, 2), "min_free_gib": min_free_gib}
    detail = f"{free_gib:.1f} GiB free of {usage.total / GIB:.0f} GiB for {folder}"
    if free_gib < min_free_gib:
        return CheckResult("disk", "fail", f"{detail}; at least {min_free_gib:g} GiB needed", data)
    return CheckResult("disk", "ok", detail, data)


def check_central(site: SiteConfig, max_offset_s: float) -> list[CheckResult]:
    """Reachability and schema version of the central database, and the clock offset to it."""
    if site.central is None:
        reason = "not configured: the site names no central database (offline console)"
        return [
            CheckResult("central database", "skip", reason),
            CheckResult("clock", "skip", "no central server to compare with"),
        ]
    from sqlalchemy.exc import SQLAlchemyError

    from console.sync.central import CentralDb

    try:
        central = CentralDb(expand_env(site.central.url), sslmode=site.central.sslmode)
    except MissingSecretError as exc:
        return [
            CheckResult("central database", "fail", str(exc)),
            CheckResult("clock", "skip", "central database not reachable"),
        ]
    try:
        return _query_central(central, max_offset_s)
    except SQLAlchemyError as exc:
        reason = redact(str(getattr(exc, "orig", None) or exc)).strip().splitlines()[0]
        return [
            CheckResult("central database", "fail", f"{central.display_url}: {reason}"),
            CheckResult("clock", "skip", "central database not reachable"),
        ]
    finally:
        central.dispose()


def _query_central(central: Any, max_offset_s: float) -> list[CheckResult]:
    from sqlalchemy import text

    from console.sync.central_schema import CENTRAL_SCHEMA_VERSION

    samples: list[tuple[float, float]] = []
    with central.engine.connect() as connection:
        for _ in range(3):  # the sample with the shortest round trip is the most exact
            sent = time.time()
            server = connection.execute(text("SELECT extract(epoch FROM clock_timestamp())"))
            server_time = float(server.scalar_one())
            received = time.time()
            samples.append((received - sent, server_time - (sent + received) / 2))
        table = connection.execute(text("SELECT to_regclass('central_schema_version')"))
        version = None
        if table.scalar() is not None:
            found = connection.execute(text("SELECT max(version) FROM central_schema_version"))
            version = found.scalar()
        server_version = connection.execute(text("SHOW server_version")).scalar()
    data = {"url": central.display_url, "schema_version": version, "server": server_version}
    where = f"{central.display_url} (PostgreSQL {server_version})"
    if version is None:
        database = CheckResult(
            "central database", "ok", f"{where}; RoadWatch tables created at first sync", data
        )
    elif int(version) > CENTRAL_SCHEMA_VERSION:
        detail = f"{where}: schema version {version}, newer than this RoadWatch writes"
        database = CheckResult("central database", "fail", detail, data)
    else:
        database = CheckResult("central database", "ok", f"{where}, schema {version}", data)
    round_trip, offset = min(samples)
    clock_data = {"offset_s": round(offset, 3), "round_trip_ms": round(round_trip * 1000, 1)}
    detail = f"offset {offset:+.3f} s to the central server (round trip {round_trip * 1000:.0f} ms)"
    if abs(offset) > max_offset_s:
        detail += f"; more than {max_offset_s:g} s: set up time synchronisation (NTP)"
        return [database, CheckResult("clock", "fail", detail, clock_data)]
    return [database, CheckResult("clock", "ok", detail, clock_data)]
