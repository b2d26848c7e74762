from __future__ import annotations

import numpy as np
import pytest

from console.detect.detections import Detections


def test_shapes_are_validated_with_clear_messages() -> None:
    with pytest.raises(ValueError, match=r"xyxy must have shape \(N, 4\), got \(3,\)"):
        Detections(np.zeros(3, np.float32), np.zeros(0, np.float32), np.zeros(0, np.int64))
    with pytest.raises(ValueError, match=r"confidence must have shape \(2,\), got \(3,\)"):
        Detections(np.zeros((2, 4), np.float32), np.zeros(3, np.float32), np.zeros(2, np.int64))


def test_filtering_keeps_columns_aligned() -> None:
    d = Detections.from_arrays(
        [[0, 0, 10, 10], [5, 5, 20, 30], [1, 1, 2, 2]],
        [0.9, 0.4, 0.8],
        [2, 3, 0],
        [7, 8, 9],
        {0: "person", 2: "car", 3: "motorcycle"},
    )
    kept = d[d.confidence > 0.5]
    assert len(kept) == 2
    assert kept.tracker_id.tolist() == [7, 9]
    assert [kept.class_name(i) for i in range(2)] == ["car", "person"]
    assert d.centers_bottom[1].tolist() == [12.5, 30.0]
