"""The simulator as a camera: ``sim://highway?seed=3&scenario=speeding``."""

from __future__ import annotations

import time
from pathlib import Path

from console.domain.health import StreamState
from console.sim import Simulator
from console.sim.url import parse_sim_url
from console.sources.base import Frame, SourceError


class SimSource:
    """Renders frames on demand; the capture thread paces them at the scene's fps.

    Every reconnect restarts the scene from its first frame, like a camera reboot would
    restart a stream (the simulation is deterministic for its seed).
    """

    needs_pacing = True

    def __init__(self, url: str, base_dir: Path | None = None) -> None:
        del base_dir  # scenario paths are resolved by the simulator
        self.url = url
        self.fps = 25.0
        self.simulator: Simulator | None = None

    def open(self) -> None:
        try:
            config = parse_sim_url(self.url)
            self.simulator = Simulator(config)
        except ValueError as error:
            raise SourceError(f"bad simulator URL: {error}", StreamState.ERROR) from None
        self.fps = config.fps

    def read(self) -> Frame:
        if self.simulator is None:
            raise SourceError("source is not open")
        sim_frame = self.simulator.next_frame()
        return Frame(
            sim_frame.image, sim_frame.index, time.monotonic(), time.time(), sim_frame.timestamp_s
        )

    def close(self) -> None:
        self.simulator = None
