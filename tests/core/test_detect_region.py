"""The detector sees each camera's region of interest; boxes come back in full-frame pixels."""

from __future__ import annotations

import numpy as np
import pytest

from console.accuracy import TruthDetector
from console.config.site import Camera
from console.config.site_file import ConfigError, SiteConfig, load_site_text
from console.detect.detections import Detections
from console.domain.classes import ROAD_USER_NAMES
from console.pipeline.camera import CameraPipeline
from console.pipeline.region import MARGIN, MIN_CROP_SIZE, TALL_SHARE, detect_region
from console.pipeline.worker import CameraFeed, DetectorWorker
from console.sources.base import Frame
from console.sources.buffers import LatestFrameSlot
from tests.core.rule_factories import SITE

WIDTH, HEIGHT = 1280, 720
HEALTH_RULE = "      - {type: camera_health}"


class CropModel:
    """Finds one car at a fixed place of whatever image it is given; notes the calls."""

    names = ROAD_USER_NAMES
    image_size = 800

    def __init__(self) -> None:
        self.shapes: list[tuple[int, ...]] = []
        self.sizes: list[int | None] = []

    def predict(
        self,
        images: list[np.ndarray],
        confidence: float = 0.25,
        classes: list[int] | None = None,
        image_size: int | None = None,
    ) -> list[Detections]:
        self.shapes += [image.shape for image in images]
        self.sizes.append(image_size)
        return [
            Detections.from_arrays([[100, 50, 160, 90]], [0.9], [2], None, self.names)
            for _ in images
        ]


def frame(index: int = 0) -> Frame:
    return Frame(np.zeros((HEIGHT, WIDTH, 3), np.uint8), index, 0.0, 1_800_000_000.0 + index)


def highway(demo_site: SiteConfig) -> Camera:
    return next(c for c in demo_site.cameras if c.streams.main.startswith("sim://highway"))


def corners(camera: Camera) -> list[tuple[float, float]]:
    points = [p for z in camera.zones if z.kind != "signal_lamp" for p in z.polygon]
    points += [p for lane in camera.lanes for p in lane.polygon]
    return points + [p for line in camera.lines for p in line.points]


def test_the_region_covers_every_zone_with_room_above_for_tall_vehicles(
    demo_site: SiteConfig,
) -> None:
    cropped = 0
    for camera in demo_site.cameras:
        region = detect_region(camera, WIDTH, HEIGHT)
        if region is None:
            continue
        cropped += 1
        for x, y in corners(camera):
            px, py = x * WIDTH, y * HEIGHT
            assert region.x0 <= px <= region.x1 and region.y0 <= py <= region.y1, camera.id
            # A truck standing on the corner is whole in the crop (or the frame's top cuts it).
            assert region.y0 <= max(0.0, py - max(TALL_SHARE * py, MARGIN * HEIGHT)) + 1
        assert region.share < 0.9
    assert cropped >= 5  # the demo highways: sky and verges cut


def test_the_crop_runs_at_the_input_size_that_keeps_the_pixels_per_metre(
    demo_site: SiteConfig,
) -> None:
    region = detect_region(highway(demo_site), WIDTH, HEIGHT)
    assert region is not None
    size = region.input_size(800)
    assert size % 32 == 0 and MIN_CROP_SIZE <= size < 800
    # the crop's longest side is scaled as the frame's was, rounded up to a multiple of 32
    assert 800 / WIDTH <= size / (region.x1 - region.x0) < (800 + 32) / WIDTH
    assert region.input_size(320) == 320  # never below the floor
    assert region.input_size(160) == 160  # never above the size asked for


def test_a_camera_without_zones_or_set_to_full_sees_the_whole_frame(
    demo_site: SiteConfig,
) -> None:
    camera = highway(demo_site)
    assert detect_region(camera.model_copy(update={"detect_region": "full"}), 1280, 720) is None
    bare = camera.model_copy(update={"zones": [], "lanes": [], "lines": [], "rules": []})
    assert detect_region(bare, 1280, 720) is None
    # zones over the whole frame: nothing to cut
    whole = load_site_text(SITE.format(rules=HEALTH_RULE, calibration="")).cameras[0]
    assert detect_region(whole, 1280, 720) is None


def test_the_pipeline_crops_before_the_model_and_shifts_the_boxes_back(
    demo_site: SiteConfig,
) -> None:
    camera = highway(demo_site)
    region = detect_region(camera, WIDTH, HEIGHT)
    assert region is not None
    model = CropModel()
    pipeline = CameraPipeline(camera, demo_site, motion_gate=False)
    assert pipeline.needs_detection(frame())
    # What step() tracks and the recorder stores as the raw boxes: full-frame pixels.
    raw = pipeline.detect(model, [frame()])[0]

    assert model.shapes == [(region.y1 - region.y0, region.x1 - region.x0, 3)]
    assert model.sizes == [region.input_size(800)]
    expected = [100 + region.x0, 50 + region.y0, 160 + region.x0, 90 + region.y0]
    assert raw.xyxy.tolist() == [expected]
    assert pipeline.detector_settings[2:4] == (region.input_size(800), region)

    full = CameraPipeline(camera, demo_site, motion_gate=False, region=False)
    full.detect(model, [frame()])
    assert model.shapes[-1] == (HEIGHT, WIDTH, 3) and model.sizes[-1] is None


def test_a_model_that_reads_the_truth_gets_the_frame_and_its_boxes_are_cut_to_the_region(
    demo_site: SiteConfig,
) -> None:
    camera = highway(demo_site)
    region = detect_region(camera, WIDTH, HEIGHT)
    assert region is not None

    class Truth(TruthDetector):
        def predict(self, images, confidence=0.25, classes=None, image_size=None):  # type: ignore[no-untyped-def]
            assert images[0].shape == (HEIGHT, WIDTH, 3)
            inside = [400, 400, 460, 440]
            in_the_sky = [1200, 5, 1260, 40]
            half_out = [region.x1 - 20, 300, region.x1 + 40, 340]  # a third of it inside
            return [Detections.from_arrays([inside, in_the_sky, half_out], [0.9] * 3, [2] * 3)]

    raw = CameraPipeline(camera, demo_site, motion_gate=False).detect(Truth(), [frame()])[0]
    assert raw.xyxy.tolist() == [[400, 400, 460, 440]]


def test_cameras_share_a_model_call_only_when_they_crop_alike(demo_site: SiteConfig) -> None:
    highway_camera = highway(demo_site)
    intersection = next(
        c for c in demo_site.cameras if c.streams.main.startswith("sim://intersection")
    )
    model = CropModel()
    worker = DetectorWorker(model, max_batch=4)  # type: ignore[arg-type]
    for index, camera in enumerate((highway_camera, highway_camera, intersection)):
        slot = LatestFrameSlot()
        slot.put(frame())
        pipeline = CameraPipeline(
            camera.model_copy(update={"id": f"cam{index}"}), demo_site, motion_gate=False
        )
        pipeline.use_model(model)  # as the runtime does once the model is loaded
        worker.add_feed(CameraFeed(pipeline, slot))
    published = []
    worker.listeners.append(published.append)

    worker._analyse(worker._due_frames(now=1.0))

    high = detect_region(highway_camera, WIDTH, HEIGHT)
    crossing = detect_region(intersection, WIDTH, HEIGHT)
    assert high is not None and crossing is not None
    assert sorted(model.sizes) == sorted([high.input_size(800), crossing.input_size(800)])
    # every camera's boxes shifted by its own crop
    for result in published:
        region = high if result.camera_id != "cam2" else crossing
        assert result.raw_detections.xyxy[0, 0] == 100 + region.x0
        assert result.raw_detections.xyxy[0, 1] == 50 + region.y0


@pytest.mark.parametrize(
    ("value", "accepted"), [("auto", True), (640, True), (700, False), ("big", False)]
)
def test_the_model_input_size_is_auto_or_a_multiple_of_32(value: object, accepted: bool) -> None:
    text = SITE.format(rules=HEALTH_RULE, calibration="") + f"model: {{image_size: {value}}}\n"
    if accepted:
        assert load_site_text(text).model.image_size == value
        return
    with pytest.raises(ConfigError) as raised:
        load_site_text(text)
    message = str(raised.value)
    assert "image_size must be 'auto' or a number of pixels, a multiple of 32" in message
    assert repr(value) in message and "line" in message


def test_a_bad_detect_region_is_named_with_the_choices() -> None:
    text = SITE.format(rules=HEALTH_RULE, calibration="").replace(
        "    zones:\n", "    detect_region: sky\n    zones:\n", 1
    )
    with pytest.raises(ConfigError) as raised:
        load_site_text(text)
    assert "detect_region" in str(raised.value) and "'zones' or 'full'" in str(raised.value)
