"""The detector's budget: how often each camera is analysed when the model cannot serve all.

One detector worker serves every camera of a process. It measures what an analysed frame
really costs it (model call, tracker, rules and policy; frames the motion gate skipped cost
less), so it knows how many frames per second it can analyse. When the cameras together
ask for more, each gets a fair share: never below a floor (1 fps) while the detector can
give it (below it, all alike, when the cameras are too many for the machine: the worker says
so), more to cameras that matter now (active tracks, an open alert, the tile the
operator maximised), never more than the camera asked for. Frames waiting for their turn
are replaced by newer ones, so latency stays near one inference and nothing queues.
"""

from __future__ import annotations

import statistics
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

FLOOR_FPS = 1.0
# Share of the detector thread's time the plan may fill: the rest absorbs jitter (a slow
# frame, a garbage collection) so frames do not wait behind each other.
UTILISATION = 0.85
# Rates above the cameras' floors fill the detector only to here. A frame that finds the
# detector busy waits for the frame in progress, and how often it does grows with the busy
# share: at 85 % a due camera waited 10-60 ms at p95 on the 2-core test machine, which put
# the latency at 2.2-2.7 x one inference. Floors may still take up to UTILISATION: a rule
# that stops working costs more than a frame that waits (docs/DECISIONS.md 25).
ABOVE_FLOOR_UTILISATION = 0.7
BUSY_WEIGHT = 2.0  # a camera with tracks on the road or an open alert
FOCUS_WEIGHT = 3.0  # the camera on the operator's maximised tile


@dataclass(frozen=True, slots=True)
class CameraDemand:
    """What one camera asks of the detector, and how much it matters now."""

    camera_id: str
    target_fps: float
    weight: float = 1.0
    # The lowest rate its rules work at (Rule.min_rate_fps: a lane rule on an uncalibrated
    # camera needs 2 fps); the camera's floor is the higher of this and the budget's.
    min_fps: float = 0.0
    # What one of its frames costs the detector, in model passes: 1 plus its tiles
    # (console/pipeline/tiles.py). The capacity is measured in passes per second.
    cost: float = 1.0

    def floor(self, floor_fps: float) -> float:
        """What the camera gets before any sharing: its floor, never above its target."""
        return min(self.target_fps, max(floor_fps, self.min_fps))


def floor_fits(
    demands: Sequence[CameraDemand], capacity_fps: float, floor_fps: float = FLOOR_FPS
) -> bool:
    """Whether the detector can give every camera its floor (:meth:`CameraDemand.floor`)."""
    return sum(d.floor(floor_fps) * d.cost for d in demands) <= capacity_fps + 1e-9


def fair_shares(
    demands: Sequence[CameraDemand],
    capacity_fps: float,
    floor_fps: float = FLOOR_FPS,
    above_floors_fps: float | None = None,
) -> dict[str, float]:
    """Analysis rates that fit ``capacity_fps``, by weighted water-filling.

    Every camera first gets its floor (the budget's ``floor_fps``, or more when its rules
    need more, never above its target); what capacity is left is shared in
    proportion to the weights, a camera never getting more than its target, and what a
    capped camera leaves goes to the others.

    When the floors alone exceed the capacity (:func:`floor_fits` is False: too many
    cameras for this machine), every camera gets the same fraction of its floor, so the
    plan still fits: planning the floor anyway would only make every camera due all the
    time, the detector's backlog would be every camera and each would still get
    ``capacity / N``, less the headroom the plan keeps for a slow frame.

    Capacity and offers are in model passes per second: a camera whose frames cost
    ``cost`` passes (tiling) takes ``cost`` times the capacity per frame of the others.

    ``above_floors_fps`` (default: ``capacity_fps``) is how far rates above the floors may
    fill the detector (:data:`ABOVE_FLOOR_UTILISATION`): the floors may take all of
    ``capacity_fps``, what is shared on top of them stops at ``above_floors_fps``.
    """
    shares = {d.camera_id: d.floor(floor_fps) for d in demands}
    floors = sum(shares[d.camera_id] * d.cost for d in demands)
    if floors > capacity_fps > 0:
        scale = capacity_fps / floors
        return {camera_id: share * scale for camera_id, share in shares.items()}
    limit = capacity_fps if above_floors_fps is None else min(capacity_fps, above_floors_fps)
    left = max(0.0, limit - floors)
    hungry = [d for d in demands if d.target_fps > shares[d.camera_id]]
    while left > 1e-9 and hungry:
        total_weight = sum(d.weight for d in hungry)
        given = 0.0
        still_hungry = []
        for demand in hungry:
            room = demand.target_fps - shares[demand.camera_id]
            offer = left * demand.weight / total_weight / demand.cost
            take = min(room, offer)
            shares[demand.camera_id] += take
            given += take * demand.cost
            if take < room - 1e-9:
                still_hungry.append(demand)
        left -= given
        if len(still_hungry) == len(hungry):  # nobody was capped: the capacity is shared out
            break
        hungry = still_hungry
    return shares


class CostMeter:
    """Seconds of detector-thread time per analysed frame: the mean of the last frames.

    A "frame" here is one model pass: a tiled camera's frame counts its passes (the worker
    adds them), so ``capacity_fps`` is in passes per second, what :func:`fair_shares` shares.

    The mean, because the plan must fit what the frames really cost together; over the last
    ``window`` frames (a few seconds of analysis), each capped at ``STALL_CAP`` times their
    median, so that one stall (a garbage collection, a neighbour's burst on a shared
    machine: 300 ms against 30) does not halve every camera's rate for the next seconds, as
    it did with a moving average (docs/BENCHMARKS.md, Overload).
    """

    STALL_CAP = 3.0

    def __init__(self, window: int = 64) -> None:
        self.samples: deque[float] = deque(maxlen=window)
        self.seconds_per_frame: float | None = None

    def add(self, seconds: float, frames: int) -> None:
        if frames <= 0:
            return
        self.samples.extend([seconds / frames] * frames)
        cap = self.STALL_CAP * statistics.median(self.samples)
        self.seconds_per_frame = statistics.fmean(min(s, cap) for s in self.samples)

    def capacity_fps(self, utilisation: float = UTILISATION) -> float | None:
        """Frames per second the thread can analyse; None before the first measurement."""
        if not self.seconds_per_frame:
            return None
        return utilisation / self.seconds_per_frame
