"""How many CPU threads one inference uses: half the cores while live cameras decode.

On a CPU-only PC the detector is one of several things the cores do: decoding every
camera, reading plates, writing evidence clips, drawing the wall. An inference spread over
every core waits, each time, for its slowest thread, and a thread a decoder has pre-empted
is slow: on the 2-core test machine with 9 cameras the model's time had a p95 of 1.6-1.9 x
its median with two threads and 1.4 x with one, at the same median (the second core was
busy decoding anyway; docs/BENCHMARKS.md, "Overload"). So while two or more live cameras
decode, the detector takes half the machine (at least one core) and leaves the rest to the
work that feeds it. ``model.threads`` in the site file overrides it (a dedicated analytics
server with its streams' decoding elsewhere may give the model every core).

OpenVINO takes the number as ``INFERENCE_NUM_THREADS`` when the model is compiled;
Ultralytics compiles with its own settings, so the model is compiled again with the same
settings plus this one. PyTorch (a .pt model, and Ultralytics' pre- and post-processing
of every model) takes it from ``torch.set_num_threads``, set after Ultralytics has built
its predictor (which sets it to the number of cores less one).
"""

from __future__ import annotations

import logging
import os
from functools import partial
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def auto_threads(cores: int | None = None, live_cameras: int = 2) -> int | None:
    """Half the cores (at least one) while live cameras decode; else None (every core).

    Half while two or more live cameras decode beside the model. With one camera, or a
    recording analysed frame by frame (re-analysis, ``roadwatch eval``, the accuracy
    harness), nothing competes with the model for the cores, and one inference on both of a
    2-core PC's takes 30 ms instead of 44. The boxes are the same
    either way (tests/integration/test_inference_threads.py).
    """
    if live_cameras < 2:
        return None
    if cores is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
        cores = cores or os.cpu_count() or 1
    return max(1, cores // 2)


def limit_torch_threads(threads: int) -> None:
    """PyTorch's intra-op threads for this process (pre- and post-processing, .pt models)."""
    import torch

    torch.set_num_threads(threads)


def limit_openvino_threads(ultralytics_model: Any, model_folder: Path, threads: int) -> bool:
    """Compile the loaded OpenVINO model again with ``threads``; False when it cannot be done.

    Needs the predictor (built by the first prediction). Uses the backend's own compile
    settings (``compile_model``, a partial of ``openvino.Core.compile_model``), so a later
    recompile by Ultralytics (a new input shape) keeps the thread count too.
    """
    predictor = getattr(ultralytics_model, "predictor", None)
    auto_backend = getattr(predictor, "model", None)
    backend = getattr(auto_backend, "backend", auto_backend)
    compile_model = getattr(backend, "compile_model", None)
    if (
        backend is None
        or not isinstance(compile_model, partial)
        or not hasattr(backend, "ov_compiled_model")
    ):
        log.warning(
            "cannot set the OpenVINO model's threads with this Ultralytics version; it uses "
            "its default (every core)"
        )
        return False
    xml_files = sorted(model_folder.glob("*.xml"))
    if not xml_files:
        return False
    import openvino

    config = dict(compile_model.keywords.get("config") or {})
    config["INFERENCE_NUM_THREADS"] = threads
    keywords = {**compile_model.keywords, "config": config}
    backend.compile_model = partial(compile_model.func, *compile_model.args, **keywords)
    core = openvino.Core()
    model = core.read_model(str(xml_files[0]))
    backend.ov_compiled_model = backend.compile_model(model)
    used = backend.ov_compiled_model.get_property("INFERENCE_NUM_THREADS")
    log.info("OpenVINO model compiled for %s inference thread(s)", used)
    return True
