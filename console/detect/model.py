"""The detection model: which file to load, and one object that runs it.

Only the detector worker thread calls :meth:`YoloModel.predict`; Ultralytics is imported
lazily so the rest of the core (config checks, sync, rules) starts without torch.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from console.config.site import DEFAULT_NMS_IOU, Camera, ModelSettings
from console.detect.detections import Detections, from_ultralytics
from console.detect.inference_threads import (
    auto_threads,
    limit_openvino_threads,
    limit_torch_threads,
)

# Re-exported for console/pipeline/camera.py, console/accuracy.py and bench/pipeline.py until
# they import it from console.domain.classes, where the table is.

log = logging.getLogger(__name__)

DEMO_MODEL_NAME = "demo"
DEMO_MODEL_DIR = "models"


class BatchModel(Protocol):
    """What the analysis needs of a model: ``YoloModel`` has this shape."""

    names: dict[int, str]

    def predict(
        self,
        images: list[np.ndarray],
        confidence: float = 0.25,
        classes: list[int] | None = None,
        image_size: int | None = None,
    ) -> list[Detections]: ...


class ModelLoadError(RuntimeError):
    """No model could be loaded; the message says which files were tried and why."""


class ModelInputSizeError(ModelLoadError):
    """The site asks for an input size the model file cannot run (a fixed-size export)."""


@dataclass(frozen=True, slots=True)
class ModelChoice:
    """The model that will actually run, and what an operator must be told about it."""

    path: str
    is_demo: bool
    notice: str = ""

    @property
    def backend(self) -> str:
        name = self.path.rstrip("/")
        if name.endswith("_openvino_model"):
            return "openvino"
        if name.endswith(".onnx"):
            return "onnx"
        if name.endswith(".pt"):
            return "pytorch"
        return "unknown"


def bundled_demo_model() -> Path:
    """The project's own detector for the synthetic demo scenes (OpenVINO if present)."""
    root = Path(str(files("resources").joinpath(DEMO_MODEL_DIR)))
    for candidate in (
        sorted(root.glob("*_openvino_model"))
        + sorted(root.glob("*.onnx"))
        + sorted(root.glob("*.pt"))
    ):
        return candidate
    raise ModelLoadError(f"the bundled demo model is missing from {root}")


def _is_downloadable_name(setting: str) -> bool:
    """Ultralytics asset names such as 'yolo11n.pt' (no folder part, not on disk)."""
    return "/" not in setting and "\\" not in setting and setting.endswith(".pt")


def choose_model(setting: str, base_dir: Path | None = None) -> ModelChoice:
    """Turn the site file's ``model.path`` into a file to load (without loading it)."""
    if setting == DEMO_MODEL_NAME:
        return ModelChoice(str(bundled_demo_model()), True, "demo model: synthetic scenes only")
    path = Path(setting).expanduser()
    if not path.is_absolute() and base_dir is not None and (base_dir / path).exists():
        path = base_dir / path
    if path.exists():
        return ModelChoice(str(path), False)
    if _is_downloadable_name(setting):
        return ModelChoice(setting, False)  # Ultralytics downloads it where the machine is online
    demo = bundled_demo_model()
    notice = f"model file not found: {path}; using the bundled demo model"
    log.warning(notice)
    return ModelChoice(str(demo), True, notice)


class YoloModel:
    """Wraps an Ultralytics YOLO model (.pt, .onnx or OpenVINO folder) for batched calls."""

    def __init__(
        self,
        choice: ModelChoice,
        *,
        device: str = "cpu",
        image_size: int = 640,
        nms_iou: float = DEFAULT_NMS_IOU,
        threads: int | None = None,
    ) -> None:
        """``threads``: CPU threads per inference; None leaves the backends' own (every core).

        The live runtime sets it from ``model.threads`` (console/detect/inference_threads.py).
        """
        self.choice = choice
        self.device = device
        self.image_size = image_size
        self.nms_iou = nms_iou
        self.threads = threads
        self._model: Any = None
        self.names: dict[int, str] = {}
        self.load_seconds = 0.0

    @classmethod
    def from_settings(
        cls,
        choice: ModelChoice,
        settings: ModelSettings,
        image_size: int | None = None,
        live_cameras: int = 0,
    ) -> YoloModel:
        """The model as the site file sets it up (device, input size, overlap threshold).

        ``image_size`` is the size ``image_size: auto`` resolved to (by
        console/pipeline/input_size.py); until then, the largest ``auto`` may choose.
        ``live_cameras``: how many cameras decode beside the model (``threads: auto``).
        """
        return cls(
            choice,
            device=settings.device,
            image_size=image_size or settings.nominal_image_size,
            nms_iou=settings.nms_iou,
            threads=(
                auto_threads(live_cameras=live_cameras)
                if settings.threads == "auto"
                else settings.threads
            ),
        )

    @property
    def is_demo(self) -> bool:
        return self.choice.is_demo

    def load(self) -> YoloModel:
        started = time.perf_counter()
        os.environ.setdefault("YOLO_OFFLINE", "1")
        from ultralytics import YOLO  # lazy: torch takes seconds to import

        quiet_ultralytics()

        self.device = resolve_device(self.device)
        try:
            self._model = YOLO(self.choice.path, task="detect")
        except Exception as exc:  # Ultralytics raises many types for bad or absent files
            if self.choice.is_demo or not _is_downloadable_name(self.choice.path):
                raise ModelLoadError(f"cannot load model {self.choice.path}: {exc}") from exc
            demo = bundled_demo_model()
            notice = (
                f"could not load {self.choice.path} ({_short(exc)}); offline machines cannot "
                "download it. Using the bundled demo model: detections are for the synthetic "
                "demo scenes only."
            )
            log.warning(notice)
            self.choice = ModelChoice(str(demo), True, notice)
            self._model = YOLO(self.choice.path, task="detect")
        self.names = {int(k): str(v) for k, v in self._model.names.items()}
        self._limit_threads()
        self.load_seconds = time.perf_counter() - started
        log.info(
            "model %s loaded in %.1f s (%s, %s, %s inference thread(s))",
            self.choice.path,
            self.load_seconds,
            self.choice.backend,
            self.device,
            self.threads or "default",
        )
        return self

    def _limit_threads(self) -> None:
        """The model's CPU threads; the warm-up builds the predictor OpenVINO's setting needs."""
        if not self.device.startswith("cpu") or self.threads is None:
            self._warm_up()
            return
        self._warm_up()  # builds the predictor, which sets PyTorch's threads to cores - 1
        limit_torch_threads(self.threads)
        folder = Path(self.choice.path)
        if self.choice.backend == "openvino" and limit_openvino_threads(
            self._model, folder, self.threads
        ):
            self._warm_up()

    @property
    def fixed_input_size(self) -> int | None:
        """The one input size an exported model was built for; None when it takes any.

        A .pt model, or an export made with ``dynamic=True``, runs at any size. A fixed
        export runs only at its own: Ultralytics would silently use that size instead of
        the one asked for, so a larger highway camera setting would change nothing.
        """
        predictor = getattr(self._model, "predictor", None)
        backend = getattr(predictor, "model", None)
        if backend is None or backend.format == "pt" or getattr(backend, "dynamic", False):
            return None
        size = getattr(backend, "imgsz", None)
        return int(max(size)) if size else None

    def prepare_sizes(self, sizes: Mapping[str, int]) -> None:
        """Check that the model runs at every size the site asks for, and warm each one.

        ``sizes`` maps who asks (``model.image_size``, ``camera hw-1``) to a size. A fixed
        export that cannot honour one raises :class:`ModelInputSizeError` naming them all.
        """
        if self._model is None:
            self.load()
        fixed = self.fixed_input_size
        if fixed is not None:
            wrong = sorted(who for who, size in sizes.items() if size != fixed)
            if wrong:
                raise ModelInputSizeError(
                    f"model {self.choice.path} was exported for a fixed {fixed} px input, but "
                    f"{', '.join(f'{who} asks for {sizes[who]} px' for who in wrong)}. Export "
                    "it again with dynamic=True (or use its .pt), or set those sizes to "
                    f"{fixed}."
                )
        for size in sorted(set(sizes.values()) - {self.image_size}):
            self._warm_up(size)

    def _warm_up(self, size: int | None = None) -> None:
        """Run one blank frame so the first real frame does not pay for the set-up.

        Ultralytics builds its predictor on the first call: it compiles the OpenVINO model
        and imports torchvision (which pulls in torch._dynamo), several seconds of work
        that cannot be interrupted. Done here, it belongs to the model load, which a start
        or a Ctrl-C waits for anyway, instead of stalling the first camera frame and any
        stop requested in the meantime.
        """
        size = size or self.image_size
        blank = np.zeros((size * 9 // 16, size, 3), dtype=np.uint8)
        self.predict([blank], image_size=size)

    def predict(
        self,
        images: list[np.ndarray],
        confidence: float = 0.25,
        classes: list[int] | None = None,
        image_size: int | None = None,
    ) -> list[Detections]:
        """Boxes for each image, at ``image_size`` px input (default: the model's)."""
        if self._model is None:
            self.load()
        if not images:
            return []
        results = self._model.predict(
            images,
            imgsz=image_size or self.image_size,
            conf=confidence,
            iou=self.nms_iou,
            classes=classes,
            device=self.device,
            verbose=False,
        )
        return [from_ultralytics(r) for r in results]


def input_sizes(
    settings: ModelSettings, cameras: Iterable[Camera], model_size: int | None = None
) -> dict[str, int]:
    """Every detector input size a site asks for, keyed by who asks (for error messages).

    ``model_size``: what ``image_size: auto`` resolved to (default: the size set, or the
    largest ``auto`` may choose).
    """
    sizes = {"model.image_size": model_size or settings.nominal_image_size}
    for camera in cameras:
        if camera.enabled and camera.image_size is not None:
            sizes[f"camera {camera.id}"] = camera.image_size
    return sizes


def quiet_ultralytics() -> None:
    """Ultralytics sets its logger to INFO when imported; our log decides what is shown."""
    logging.getLogger("ultralytics").setLevel(logging.WARNING)


def resolve_device(requested: str) -> str:
    """``cuda``/``cuda:N`` when a GPU is there; otherwise the CPU, with a clear log line."""
    if requested == "cpu":
        return "cpu"
    import torch

    if torch.cuda.is_available():
        return "cuda:0" if requested == "cuda" else requested
    log.warning("device %s requested but CUDA is not available here; running on the CPU", requested)
    return "cpu"


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
