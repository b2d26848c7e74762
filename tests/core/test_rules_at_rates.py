"""Every rule fires at the rates an overloaded detector gives a camera: 5, 2 and 1 fps.

The detector budget may hold a camera at 1-2 fps (console/pipeline/scheduler.py); the
tracker and rules work in timestamps, so each scripted incident must still be alerted.
The simulator's ground truth stands in for the detector (this tests tracker, rules and
policy, the same pipeline as live). Seeds 60001-60007 are held out: the low-rate tracker
changes were tuned on 50001-50007 and 50101 (DECISIONS 15), never on these.
Combinations that do not work yet are strict expected failures: they fail the suite the
day they start to pass, so the list stays true.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from console.accuracy import INCIDENT_CASES, run_case
from console.config.site_file import SiteConfig

pytestmark = pytest.mark.slow
HELD_OUT_SEED_OFFSET = 20_000  # 40001-40007 (the report's seeds) + 20000
# Missed on these seeds as on the tuning ones. These two rules declare that they need
# 2 fps (Rule.MIN_RATE_FPS), and the detector budget never plans a camera that has them
# below it (tests/core/test_scheduler.py); at 1 fps a speeder near the camera moves further
# than its length between frames, and a motorbike is big enough to judge for one frame.
NOT_YET = {
    (1.0, "lane_violation"): "needs 2 fps: the budget keeps such cameras at 2 fps or more",
    (1.0, "speeding"): "needs 2 fps: the budget keeps such cameras at 2 fps or more",
}


def cases() -> list[pytest.param]:  # type: ignore[valid-type]
    params = []
    for fps in (5.0, 2.0, 1.0):
        for case in INCIDENT_CASES:
            assert case.scenario is not None
            marks = []
            if (fps, case.scenario) in NOT_YET:
                marks.append(pytest.mark.xfail(strict=True, reason=NOT_YET[(fps, case.scenario)]))
            params.append(
                pytest.param(
                    fps,
                    replace(case, seed=case.seed + HELD_OUT_SEED_OFFSET),
                    marks=marks,
                    id=f"{case.scenario}-{fps:g}fps",
                )
            )
    return params


@pytest.mark.parametrize(("fps", "case"), cases())
def test_the_incident_is_alerted_at_this_rate(
    fps: float, case: object, demo_site: SiteConfig
) -> None:
    result = run_case(case, demo_site, None, fps=fps)  # type: ignore[arg-type]
    assert result.recall == 1.0, [a.type.value for a in result.alerts]
