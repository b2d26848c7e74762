"""Detector tiling: tile plans, the merge of tile boxes, the pipeline's tiled call, its cost."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from console.config.site_file import ConfigError, SiteConfig, load_site_text
from console.detect.detections import Detections
from console.domain.classes import ROAD_USER_NAMES
from console.pipeline.camera import CameraPipeline
from console.pipeline.input_size import input_pixels
from console.pipeline.scheduler import CameraDemand, fair_shares, floor_fits
from console.pipeline.tiles import OVERLAP, Tile, merge_tiles, plan_tiles
from console.sources.base import Frame
from tests.core.rule_factories import SITE

HEALTH_RULE = "      - {type: camera_health}"


class BlobModel:
    """A detector that really looks at pixels: bright blobs, found only when big enough.

    Each image is resized so its longest side is the input size, as YOLO's letterbox does,
    and a blob is found when it is at least ``MIN_PX`` pixels high there: a 12 px person in
    a 1920 px frame shrunk to 640 is 4 px and missed, as the real model misses it.
    """

    MIN_PX = 6
    names = ROAD_USER_NAMES
    image_size = 640
    fixed_input_size = None

    def __init__(self) -> None:
        self.calls: list[tuple[int, int | None]] = []  # images per call, input size

    def predict(
        self,
        images: list[np.ndarray],
        confidence: float = 0.25,
        classes: list[int] | None = None,
        image_size: int | None = None,
    ) -> list[Detections]:
        self.calls.append((len(images), image_size))
        return [self._blobs(image, image_size or self.image_size) for image in images]

    def _blobs(self, image: np.ndarray, size: int) -> Detections:
        scale = size / max(image.shape[:2])
        small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        mask = (small[:, :, 0] > 127).astype(np.uint8)
        count, _, stats, _ = cv2.connectedComponentsWithStats(mask)
        boxes = [
            [x / scale, y / scale, (x + w) / scale, (y + h) / scale]
            for x, y, w, h, _area in stats[1:count]
            if h >= self.MIN_PX
        ]
        return Detections.from_arrays(boxes, [0.9] * len(boxes), [0] * len(boxes), None, self.names)


def site_with(tiles: str, region: str = "full") -> SiteConfig:
    text = SITE.format(rules=HEALTH_RULE, calibration="").replace(
        "    zones:\n", f"    detect_tiles: {tiles}\n    detect_region: {region}\n    zones:\n", 1
    )
    return load_site_text(text)


def test_auto_tiles_cover_the_far_half_at_the_frames_own_resolution() -> None:
    tiles = plan_tiles("auto", 1920, 1080, 640)
    assert {(t.x1 - t.x0, t.y1 - t.y0) for t in tiles} == {(640, 640)}
    assert min(t.x0 for t in tiles) == 0 and max(t.x1 for t in tiles) == 1920
    assert min(t.y0 for t in tiles) == 0 and max(t.y1 for t in tiles) >= 540
    xs = sorted({t.x0 for t in tiles})
    assert all(b - a <= 640 * (1 - OVERLAP) for a, b in zip(xs, xs[1:], strict=False))
    # A frame the input already nearly covers gains nothing from tiles.
    assert plan_tiles("auto", 720, 405, 640) == ()
    assert plan_tiles("off", 1920, 1080, 640) == ()


def test_n_tiles_across_the_width_are_smaller_and_overlap() -> None:
    tiles = plan_tiles(4, 1280, 720, 640)
    assert len({t.x0 for t in tiles}) == 4 and max(t.x1 for t in tiles) == 1280
    side = tiles[0].x1 - tiles[0].x0
    assert 320 < side < 640
    assert len(plan_tiles(8, 3840, 2160, 640)) <= 8


def test_merge_keeps_small_tile_boxes_drops_cut_and_duplicate_ones() -> None:
    whole = Detections.from_arrays([[100, 300, 400, 500]], [0.8], [5])  # a bus
    tiles = (Tile(0, 0, 640, 640), Tile(512, 0, 1152, 640))
    found = [
        Detections.from_arrays(
            [
                [560, 20, 570, 40],  # a far person, in both tiles (overlap)
                [150, 320, 300, 480],  # part of the bus: inside the whole pass's bus
                [600, 100, 640, 140],  # a car cut by the tile's right edge (an inner edge)
            ],
            [0.7, 0.6, 0.9],
            [0, 5, 2],
        ),
        # The person again, and the car whole (frame x 600-660).
        Detections.from_arrays([[48, 20, 58, 40], [88, 100, 148, 140]], [0.75, 0.6], [0, 2]),
    ]
    merged = merge_tiles(whole, tiles, found, 1152, 640, iou=0.5)
    boxes = sorted(map(tuple, merged.xyxy.tolist()))
    # The cut car (more confident) is gone, the whole one kept; the person once.
    assert boxes == [(100, 300, 400, 500), (560, 20, 570, 40), (600, 100, 660, 140)]


def test_two_overlapping_boxes_of_the_whole_pass_are_both_kept() -> None:
    whole = Detections.from_arrays([[0, 0, 100, 60], [10, 5, 90, 55]], [0.9, 0.5], [2, 2])
    merged = merge_tiles(whole, (Tile(0, 0, 640, 640),), [Detections.empty()], 1280, 720, 0.5)
    assert len(merged) == 2


def test_the_pipeline_finds_a_small_far_person_only_with_tiles(demo_site: SiteConfig) -> None:
    image = np.zeros((1080, 1920, 3), np.uint8)
    image[100:112, 900:905] = 255  # a person 5x12 px, far up the view
    image[700:900, 200:500] = 255  # a bus near the camera
    frame = Frame(image, 0, 0.0, 1_800_000_000.0)
    found: dict[str, Detections] = {}
    for setting in ("off", "auto"):
        site = site_with(setting)
        pipeline = CameraPipeline(site.cameras[0], site, motion_gate=False)
        model = BlobModel()
        found[setting] = pipeline.detect(model, [frame])[0]
        if setting == "auto":
            # Whole frame and its tiles in one batched call at the model's input size.
            assert model.calls == [(1 + len(pipeline.tiles(image)), None)]
            assert pipeline.detector_passes == 1 + len(pipeline.tiles(image)) > 1
    heights = lambda d: sorted(float(b[3] - b[1]) for b in d.xyxy)  # noqa: E731
    assert heights(found["off"]) == [pytest.approx(200, abs=3)]  # the person is missed
    assert heights(found["auto"]) == [pytest.approx(12, abs=1), pytest.approx(200, abs=3)]
    person = found["auto"].xyxy[np.argmin(found["auto"].xyxy[:, 3] - found["auto"].xyxy[:, 1])]
    assert person.tolist() == pytest.approx([900, 100, 905, 112], abs=1)


def test_tiles_of_a_crop_run_at_the_models_size_and_come_back_in_frame_coordinates(
    demo_site: SiteConfig,
) -> None:
    site = demo_site
    highway = next(c for c in site.cameras if c.streams.main.startswith("sim://highway"))
    camera = highway.model_copy(update={"detect_tiles": "auto"})
    pipeline = CameraPipeline(camera, site, motion_gate=False)
    image = np.zeros((2160, 3840, 3), np.uint8)
    region = pipeline.region(image)
    assert region is not None
    x, y = region.x0 + 40, region.y0 + 30
    image[y : y + 14, x : x + 6] = 255
    model = BlobModel()
    found = pipeline.detect(model, [Frame(image, 0, 0.0, 1_800_000_000.0)])[0]
    assert found.xyxy.tolist() == [pytest.approx([x, y, x + 6, y + 14], abs=1)]
    sizes = [size for _, size in model.calls]
    assert sizes[-1] == 640 and (len(model.calls) == 1 or sizes[0] == pipeline.input_size)


def test_tiling_is_planned_as_cost_and_shared_in_passes(demo_site: SiteConfig) -> None:
    plain, tiled = site_with("off").cameras[0], site_with("auto").cameras[0]
    assert input_pixels(tiled, 640) > 2 * input_pixels(plain, 640)
    # Capacity 10 passes/s: the tiled camera (4 passes a frame) costs 4 times the other.
    demands = [CameraDemand("tiled", 5, cost=4), CameraDemand("plain", 5)]
    shares = fair_shares(demands, capacity_fps=10)
    assert shares["tiled"] * 4 + shares["plain"] == pytest.approx(10)
    assert shares["plain"] > shares["tiled"] >= 1
    assert not floor_fits([CameraDemand("t", 5, cost=4)] * 3, capacity_fps=10)


@pytest.mark.parametrize(
    ("value", "accepted"), [("auto", True), ("off", True), (3, True), (0, False), ("many", False)]
)
def test_detect_tiles_is_off_auto_or_a_number_of_tiles(value: object, accepted: bool) -> None:
    if accepted:
        assert site_with(str(value)).cameras[0].detect_tiles == value
        return
    with pytest.raises(ConfigError) as raised:
        site_with(str(value))
    assert "detect_tiles" in str(raised.value)


def test_the_worker_counts_a_tiled_frame_as_its_passes_and_plans_with_them() -> None:
    from console.pipeline.worker import CameraFeed, DetectorWorker
    from console.sources.buffers import LatestFrameSlot

    worker = DetectorWorker(BlobModel(), max_batch=4)
    for camera_id, tiles in (("tiled", "auto"), ("plain", "off")):
        site = site_with(tiles)
        camera = site.cameras[0].model_copy(update={"id": camera_id})
        slot = LatestFrameSlot()
        slot.put(Frame(np.zeros((1080, 1920, 3), np.uint8), 0, 0.0, 1_800_000_000.0))
        worker.add_feed(CameraFeed(CameraPipeline(camera, site, motion_gate=False), slot))
    worker._analyse(worker._due_frames(now=1.0))
    tiled = worker.feeds["tiled"].pipeline
    assert tiled.detector_passes > 1 and worker.feeds["plain"].pipeline.detector_passes == 1
    # The cost meter saw as many samples as passes: the tiled frame's and the plain one.
    assert len(worker.cost.samples) == tiled.detector_passes + 1
    worker.cost.samples.clear()
    worker.cost.add(0.1, 1)  # 100 ms a pass: 8.5 passes a second
    worker.plan(now=2.0)
    rates = {cid: feed.rate_fps for cid, feed in worker.feeds.items()}
    spent = rates["tiled"] * tiled.detector_passes + rates["plain"]
    # The floors fit in 85 % of the detector; the rates on top of them fill it to 70 %.
    assert spent == pytest.approx(0.7 / 0.1)
    assert rates["plain"] > rates["tiled"]
