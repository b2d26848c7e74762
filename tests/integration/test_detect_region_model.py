"""The bundled model on a camera's region of interest finds what it finds on the whole frame."""

from __future__ import annotations

import pytest

from console.accuracy import Case, camera_for, sim_frame_record, simulator_for
from console.config.site_file import SiteConfig
from console.detect.model import YoloModel, choose_model
from console.domain.geometry import PixelPolygon, box_iou
from console.pipeline.camera import CameraPipeline
from console.pipeline.region import detect_region

pytestmark = pytest.mark.integration


@pytest.mark.slow
def test_crop_and_shift_gives_the_full_frame_boxes_of_road_users_in_the_zones(
    demo_site: SiteConfig,
) -> None:
    site = demo_site
    model = YoloModel.from_settings(choose_model("demo"), site.model, 800).load()
    camera = camera_for(site, "highway")
    carriageway = next(z for z in camera.zones if z.kind == "carriageway")
    roi = CameraPipeline(camera, site, motion_gate=False)
    full = CameraPipeline(camera, site, motion_gate=False, region=False)
    simulator = simulator_for(Case("highway", "normal_traffic", 60_011, 30))
    compared = matched = 0
    for index in range(60):
        sim_frame = simulator.next_frame()
        if index % 10:
            continue
        frame = sim_frame_record(sim_frame)
        region = roi.region(frame.image)
        assert region is not None and region.share < 0.7
        height, width = frame.image.shape[:2]
        zone = PixelPolygon.from_normalized(carriageway.polygon, width, height)
        whole = full.detect(model, [frame])[0]
        cropped = roi.detect(model, [frame])[0]
        assert roi.input_size == region.input_size(800) < 800
        for box in whole.xyxy:
            x1, y1, x2, y2 = (float(v) for v in box)
            if y2 - y1 < 24 or not zone.contains((x1 + x2) / 2, y2):
                continue  # small far boxes differ between input sizes anyway
            compared += 1
            matched += any(box_iou((x1, y1, x2, y2), tuple(other)) >= 0.7 for other in cropped.xyxy)
    assert detect_region(camera, 1280, 720) == roi.region(frame.image)
    assert compared >= 10
    assert matched >= 0.9 * compared, (matched, compared)
