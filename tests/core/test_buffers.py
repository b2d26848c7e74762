from __future__ import annotations

import numpy as np

from console.sources.base import Frame
from console.sources.buffers import FrameRing, LatestFrameSlot


def frame(index: int, t: float, size: int = 100) -> Frame:
    return Frame(np.zeros((size, size, 3), np.uint8), index, t, 1_700_000_000 + t)


def test_slot_keeps_only_the_newest_and_counts_overwrites() -> None:
    slot = LatestFrameSlot()
    assert slot.take_newer(0) is None
    for i in range(5):
        slot.put(frame(i, i * 0.04))
    taken = slot.take_newer(0)
    assert taken is not None
    version, newest = taken
    assert newest.index == 4
    assert slot.overwritten == 4  # frames 0..3 were replaced before anyone took them
    assert slot.take_newer(version) is None  # nothing newer yet
    slot.put(frame(5, 0.2))
    assert slot.overwritten == 4  # frame 4 was taken, so replacing it is no loss
    assert slot.take_newer(version)[1].index == 5


def test_ring_thins_to_fps_and_bounds_seconds() -> None:
    ring = FrameRing(seconds=2.0, max_bytes=10**9, fps=10.0)
    for i in range(100):  # 4 s at 25 fps
        ring.add(frame(i, i * 0.04))
    times = [f.captured_mono for f in ring.between(0, 100)]
    assert all(
        b - a >= 0.08 - 1e-9 for a, b in zip(times, times[1:], strict=False)
    )  # one input frame
    assert times[-1] - times[0] <= 2.0
    assert 18 <= len(ring) <= 21


def test_ring_bounds_bytes() -> None:
    one = frame(0, 0).nbytes
    ring = FrameRing(seconds=100, max_bytes=one * 5, fps=0)
    for i in range(50):
        ring.add(frame(i, i * 0.04))
    assert len(ring) == 5
    assert ring.nbytes <= one * 5
    assert [f.index for f in ring.between(0, 100)] == [45, 46, 47, 48, 49]
