"""Drive a training run faster than real time on the simulator's ground truth.

For tests and for checking a new scenario before a class: each simulator feed is
rendered at the analysis rate and goes through the run's camera pipelines (the live
motion gate, tracker, rules and policy) with its ground-truth boxes as a perfect
detector, then into the run's alert service exactly as live results would; the run's
clock follows the simulated time. ``trainee`` is called after every step with the run and
the time, so a script can act as the trainee.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from console.accuracy import TruthDetector
from console.pipeline.camera import CameraPipeline
from console.sim import Simulator
from console.sim.url import parse_sim_url
from console.sources.base import Frame
from console.training.run import TrainingRun

Trainee = Callable[[TrainingRun, float], None]


def drive_with_ground_truth(
    run: TrainingRun, seconds: float, trainee: Trainee | None = None, fps: float = 5.0
) -> None:
    """Play ``seconds`` of the run's simulator feeds through its alert service."""
    feeds: list[tuple[Simulator, CameraPipeline]] = []
    for camera_id, url in run.feed_urls.items():
        if url.startswith("sim://"):
            config = parse_sim_url(url)  # the query decodes the quoted scenario path
            simulator = Simulator(replace(config, fps=fps))  # the analysis rate, same scene
            pipeline = CameraPipeline(run.site.camera(camera_id), run.site, detect_fps=fps)
            run.alerts.pipelines[camera_id] = pipeline
            feeds.append((simulator, pipeline))
    oracle = TruthDetector()
    epoch0 = time.time()
    now = [0.0]
    run.clock = lambda: now[0]
    for step in range(int(seconds * fps)):
        now[0] = step / fps
        for simulator, pipeline in feeds:
            sim_frame = simulator.next_frame()
            oracle.show(sim_frame)
            at = epoch0 + sim_frame.timestamp_s
            frame = Frame(sim_frame.image, sim_frame.index, time.monotonic(), at)
            run.alerts.on_result(pipeline.analyse(frame, oracle))
        run.tick(now[0])
        if trainee is not None:
            trainee(run, now[0])
