"""Training mode: scenarios a trainer composes, trainee runs apart from live data, scores."""

from console.training.report import report_csv, report_html
from console.training.run import TrainingRun, training_folder
from console.training.scenario import (
    ExpectedResponse,
    FalseAlarm,
    Feed,
    RecordingFeed,
    SimulatorFeed,
    TrainingScenario,
    load_training_scenario,
    save_training_scenario,
)
from console.training.scoring import ScoreReport, score_run

__all__ = [
    "ExpectedResponse",
    "FalseAlarm",
    "Feed",
    "RecordingFeed",
    "ScoreReport",
    "SimulatorFeed",
    "TrainingRun",
    "TrainingScenario",
    "load_training_scenario",
    "report_csv",
    "report_html",
    "save_training_scenario",
    "score_run",
    "training_folder",
]
