"""Cost of the evidence banner on the evidence writer thread: clip frames and the snapshot.

For each frame size, a 10-s clip at 10 fps (101 frames, 11 distinct seconds) is written
by the real writer (``EvidenceWriter._clip``) with the banner strip below every frame, and
the same frames are encoded without it (``open_mp4_writer`` alone) as the baseline.
Measured per size (best of ``--repeats``):
  - ``strip_ms_per_frame``: what the banner adds to each clip frame, timed on its own
    (``clip_strips``: one strip per second of the clip, then ``with_strip`` under every
    frame), divided by the frames; the difference of two whole clips is lost in the noise
    of the encoder on a shared CPU;
  - ``clip_ms_per_frame`` and ``plain_clip_ms_per_frame``: the whole clip (encode, hash,
    store) with the banner, and the same frames encoded without it, per frame;
  - ``snapshot_banner_ms``: rendering the snapshot's full banner (the 6-7 record fields).
Prints one JSON object on its last line. Run: python bench/clip_banner.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support.machine import machine_description  # noqa: E402
from console.config.site_file import demo_site_path, load_site  # noqa: E402
from console.domain.records import Alert, AlertType, Event, Severity  # noqa: E402
from console.evidence.banner import add_banner, with_strip  # noqa: E402
from console.evidence.writer import (  # noqa: E402
    EvidenceFiles,
    EvidenceRequest,
    EvidenceWriter,
    clip_strips,
)
from console.sources.base import Frame  # noqa: E402
from console.sources.buffers import FrameRing  # noqa: E402
from console.video import open_mp4_writer  # noqa: E402

SIZES = ((320, 240), (1280, 720), (1920, 1080))
FPS = 10.0
SECONDS = 10.0
START_EPOCH = datetime(2026, 12, 5, 7, 3, 0, tzinfo=UTC).timestamp()


def clip_frames(width: int, height: int) -> list[Frame]:
    rng = np.random.default_rng(0)
    base = cv2.GaussianBlur(rng.integers(0, 255, (height, width, 3), np.uint8), (0, 0), 3)
    count = int(SECONDS * FPS) + 1
    return [Frame(base, i, 1000.0 + i / FPS, START_EPOCH + i / FPS) for i in range(count)]


def request_for(frames: list[Frame]) -> EvidenceRequest:
    site = load_site(demo_site_path())
    camera = site.cameras[0]
    moment = datetime.fromtimestamp(frames[-1].captured_epoch, UTC)
    event = Event(AlertType.STOPPED_VEHICLE, camera.id, moment, moment, Severity.HIGH)
    ring = FrameRing(seconds=30, max_bytes=10**10, fps=0)
    for frame in frames:
        ring.add(frame)
    return EvidenceRequest(
        Alert(event=event, priority=Severity.HIGH),
        camera,
        "Quốc lộ 1",
        site.site.timezone,
        frames[-1],
        None,
        [],
        ring,
        "bench",
        "Xe dừng đỗ – vehicle stopped in the zone",
        unit="Phòng CSGT Công an tỉnh Bắc Ninh",
    )


def plain_clip(frames: list[Frame], folder: Path) -> None:
    height, width = frames[0].image.shape[:2]
    writer, _ = open_mp4_writer(folder / "plain.mp4", FPS, (width, height))
    try:
        for frame in frames:
            writer.write(frame.image)
    finally:
        writer.release()


def measure(width: int, height: int, repeats: int) -> dict[str, Any]:
    frames = clip_frames(width, height)
    request = request_for(frames)
    with_banner, without, snapshot, strips_only = [], [], [], []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        writer = EvidenceWriter(EvidenceFiles(folder), after_s=0.0)
        for _ in range(repeats):
            started = time.perf_counter()
            ref = writer._clip(request)
            with_banner.append(time.perf_counter() - started)
            assert ref is not None
            started = time.perf_counter()
            plain_clip(frames, folder)
            without.append(time.perf_counter() - started)
            started = time.perf_counter()
            add_banner(frames[-1].image, request.banner_fields())
            snapshot.append(time.perf_counter() - started)
            started = time.perf_counter()
            strips = clip_strips(request, [f.captured_epoch for f in frames], width)
            for frame in frames:
                with_strip(frame.image, strips[int(frame.captured_epoch)])
            strips_only.append(time.perf_counter() - started)
    n = len(frames)
    best_with, best_without = min(with_banner), min(without)
    return {
        "size": f"{width}x{height}",
        "frames": n,
        "clip_ms_per_frame": round(best_with / n * 1000, 2),
        "plain_clip_ms_per_frame": round(best_without / n * 1000, 2),
        "strip_ms_per_frame": round(min(strips_only) / n * 1000, 2),
        "snapshot_banner_ms": round(min(snapshot) * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="best of N runs per size")
    args = parser.parse_args()
    results = [measure(w, h, args.repeats) for w, h in SIZES]
    for row in results:
        print(
            f"{row['size']:>10}: clip {row['clip_ms_per_frame']} ms/frame "
            f"(without banner {row['plain_clip_ms_per_frame']}), banner adds "
            f"{row['strip_ms_per_frame']} ms/frame; snapshot banner {row['snapshot_banner_ms']} ms"
        )
    print(json.dumps({"machine": machine_description(), "results": results}))


if __name__ == "__main__":
    main()
