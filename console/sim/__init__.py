"""Synthetic traffic camera: demo source, training-data generator and test oracle.

Pure Python + numpy + OpenCV; never imports Qt.
"""

from console.sim.records import (
    FrameTruth,
    IncidentTruth,
    IncidentType,
    Lighting,
    SignalState,
    SimConfig,
    SimFrame,
    TruthObject,
)
from console.sim.simulator import Simulator

__all__ = [
    "FrameTruth",
    "IncidentTruth",
    "IncidentType",
    "Lighting",
    "SignalState",
    "SimConfig",
    "SimFrame",
    "Simulator",
    "TruthObject",
]
