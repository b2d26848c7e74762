"""Random highway incidents for the demo model's training scenes.

Normal traffic never stops on the shoulder and has no one walking across the carriageway,
so a detector trained on it alone misses exactly what the stopped-vehicle and pedestrian
rules look for (run 7 never detected a truck parked in the emergency lane). These
scenarios put both into some training camera days, at places, classes and times drawn
from the seed; the scripted cases of docs/ACCURACY.md use their own seeds and files.
"""

from __future__ import annotations

import numpy as np

from console.sim.layout import scene_layout
from console.sim.scenario import PedestrianOnRoad, Scenario, StoppedVehicle

SHOULDER_LANES = ("away-e", "toward-e")
STOPPING_CLASSES = ("car", "car", "truck", "truck", "bus", "motorcycle")
SECONDS = 20.0


def training_incident_scenario(seed: int) -> Scenario:
    """A highway day with a vehicle stopping on each shoulder and a pedestrian crossing."""
    rng = np.random.default_rng([seed, 211])
    layout = scene_layout("highway")
    stops = []
    for lane_id in SHOULDER_LANES:
        from_camera_m = float(rng.uniform(20.0, 110.0))
        lane = layout.lane(lane_id)
        toward_camera = lane.start_y_m > lane.end_y_m
        stops.append(
            StoppedVehicle(
                type="stopped_vehicle",
                id=f"shoulder-{lane_id}",
                start_s=float(rng.uniform(0.0, 3.0)),
                vehicle_class=STOPPING_CLASSES[int(rng.integers(len(STOPPING_CLASSES)))],
                lane=lane_id,
                # a lane toward the camera starts far away: its metres count from there
                stop_at_m=abs(from_camera_m - lane.start_y_m),
                duration_s=SECONDS,
                # one coming toward the camera has a long way to its stop: it drives faster
                speed_mps=float(rng.uniform(8.0, 14.0)) * (2.0 if toward_camera else 1.0),
            )
        )
    crossing = PedestrianOnRoad(
        type="pedestrian_on_road",
        id="crossing",
        start_s=float(rng.uniform(0.0, 4.0)),
        # Up to about 85 m a standing person is at least 21 px tall at 1280 px, inside the
        # demo model's scope (dataset.in_label_scope); farther away it is labelled background.
        at_m=float(rng.uniform(15.0, 85.0)),
        speed_mps=float(rng.uniform(0.8, 1.8)),
    )
    return Scenario(
        name=f"training-incidents-{seed}",
        description="Generated for the demo model's training data.",
        scene="highway",
        duration_s=SECONDS,
        incidents=[*stops, crossing],
    )
