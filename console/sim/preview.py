"""Ground-truth overlays on simulator frames, and the documentation screenshots.

Run ``python -m console.sim.preview OUT_DIR`` to regenerate docs/screenshots/sim-*.png.
"""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import numpy as np

from console.sim.records import Lighting, SimConfig, SimFrame
from console.sim.simulator import Simulator

CLASS_COLOURS = {
    "person": (60, 200, 255),
    "bicycle": (255, 200, 0),
    "car": (80, 255, 80),
    "motorcycle": (255, 120, 255),
    "bus": (0, 140, 255),
    "truck": (255, 255, 80),
}


def draw_truth(frame: SimFrame, min_visible: float = 0.0) -> np.ndarray:
    """A copy of the frame with every truth box labelled ``class #track``."""
    image = frame.image.copy()
    for obj in frame.truth.objects:
        if obj.visible_fraction < min_visible:
            continue
        colour = CLASS_COLOURS.get(obj.class_name, (255, 255, 255))
        x1, y1, x2, y2 = (int(round(v)) for v in obj.box_xyxy)
        cv2.rectangle(image, (x1, y1), (x2, y2), colour, 1, cv2.LINE_AA)
        if y2 - y1 >= 12:
            label = f"{obj.class_name} #{obj.track_id}"
            cv2.putText(
                image,
                label,
                (x1, max(y1 - 3, 9)),
                cv2.FONT_HERSHEY_SIMPLEX,
                0.33,
                colour,
                1,
                cv2.LINE_AA,
            )
    status = f"t={frame.timestamp_s:5.2f}s"
    if frame.truth.signal_state is not None:
        status += f"  signal={frame.truth.signal_state.value}"
    if frame.truth.active_incident_ids:
        status += "  incidents=" + ",".join(frame.truth.active_incident_ids)
    cv2.putText(
        image, status, (10, 22), cv2.FONT_HERSHEY_SIMPLEX, 0.55, (255, 255, 255), 1, cv2.LINE_AA
    )
    return image


def render_screenshot(
    config: SimConfig, at_s: float, path: Path, boxes: bool = True, width: int = 960
) -> Path:
    """Save the frame at ``at_s`` (optionally with truth boxes), downscaled to ``width``."""
    simulator = Simulator(config)
    frame = simulator.next_frame()
    while frame.timestamp_s < at_s:
        frame = simulator.next_frame()
    image = draw_truth(frame) if boxes else frame.image
    if image.shape[1] > width:
        height = round(image.shape[0] * width / image.shape[1])
        image = cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA)
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), image, [cv2.IMWRITE_PNG_COMPRESSION, 9])
    return path


def main(argv: list[str] | None = None) -> int:
    out = Path((argv if argv is not None else sys.argv[1:] or ["docs/screenshots"])[0])
    shots = (
        ("highway", Lighting.DAY, 6.0),
        ("highway", Lighting.NIGHT, 6.0),
        ("intersection", Lighting.DAY, 24.0),
    )
    for scene, lighting, at_s in shots:
        path = out / f"sim-{scene}-{lighting.value}.png"
        render_screenshot(SimConfig(scene=scene, seed=4, lighting=lighting), at_s, path)
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
