"""The benchmarks' site: the demo site's cameras dealt over the bench cameras, and its model.

Shared by bench/pipeline.py and bench/overload.py, so both measure the same site.
"""

from __future__ import annotations

import itertools
import statistics
from pathlib import Path

import numpy as np
import psutil

from bench.support.cameras import BenchCamera
from console.config.site_file import SiteConfig, demo_site_path, load_site
from console.detect.model import ModelChoice, YoloModel, choose_model, input_sizes
from console.pipeline.input_size import resolve_image_size


def p95(values: list[float]) -> float:
    return round(float(np.percentile(values, 95)), 1) if values else float("nan")


def p50(values: list[float]) -> float:
    return round(statistics.median(values), 1) if values else float("nan")


def rss_mb() -> float:
    return round(psutil.Process().memory_info().rss / 2**20, 1)


def demo_sim_urls(cameras: int) -> list[str]:
    demo = load_site(demo_site_path(), environ={})
    return [c.streams.main for c in itertools.islice(itertools.cycle(demo.cameras), cameras)]


def bench_site(
    cameras: list[BenchCamera],
    detect_fps: float | None,
    data_dir: Path,
    *,
    record: bool = True,
    model_path: str | None = None,
) -> SiteConfig:
    """The demo site with one camera per bench camera: the demo cameras' own rules,
    recording on (unless ``record`` is False), data in ``data_dir``; analysed at
    ``detect_fps`` when given; ``model_path`` instead of the site's model when given."""
    demo = load_site(demo_site_path(), environ={})
    chosen = []
    for i, (camera, source) in enumerate(zip(itertools.cycle(demo.cameras), cameras)):
        update: dict[str, object] = {
            "id": f"{camera.id}-{i}",
            "record": record,
            "streams": camera.streams.model_copy(update=streams_of(source)),
        }
        if detect_fps is not None:
            update["detect_fps"] = detect_fps
        chosen.append(camera.model_copy(update=update))
    storage = demo.storage.model_copy(update={"data_dir": data_dir})
    site = demo.model_copy(update={"cameras": chosen, "storage": storage})
    if model_path is not None:
        site = site.model_copy(update={"model": site.model.model_copy(update={"path": model_path})})
    return site


def streams_of(source: BenchCamera) -> dict[str, object]:
    """A bench camera's ``streams``: its sub-stream, if served, for analysis and evidence."""
    if source.detect_url is None:
        return {"main": source.url}
    return {"main": source.url, "detect": source.detect_url, "evidence": "detect"}


def load_bench_model(site: SiteConfig) -> tuple[SiteConfig, ModelChoice, YoloModel]:
    """The site's model, loaded and warmed at every input size the site asks for.

    A model exported for one fixed input size (the shared COCO OpenVINO export: 640 px)
    runs the whole site at that size: the site is returned with its sizes set to it. A
    site with ``image_size: auto`` is returned with the size ``roadwatch analyze`` would
    choose on this machine now (console/pipeline/input_size.py).
    """
    choice = choose_model(site.model.path)
    model = YoloModel.from_settings(choice, site.model).load()
    fixed = model.fixed_input_size
    if fixed is not None and fixed != site.model.image_size:
        site = site.model_copy(
            update={
                "model": site.model.model_copy(update={"image_size": fixed}),
                "cameras": [c.model_copy(update={"image_size": None}) for c in site.cameras],
            }
        )
        model = YoloModel.from_settings(choice, site.model).load()
    if site.model.image_size == "auto":  # the demo site: the size analyze chooses here
        chosen = resolve_image_size(site.model, site.cameras, model).size
        site = site.model_copy(
            update={"model": site.model.model_copy(update={"image_size": chosen})}
        )
        model.image_size = chosen
    model.prepare_sizes(input_sizes(site.model, site.cameras))
    return site, choice, model
