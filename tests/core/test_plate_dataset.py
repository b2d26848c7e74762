"""The real plate set (tests/data/plates/): every label is usable and the buckets are there.

Cheap checks only (no OCR): the images exist and decode, each label is a well-formed
Vietnamese plate of the stated layout, the tuning and held-out parts share no plate, every
bucket the benchmark reports has images, and every source is credited in SOURCES.md.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import cv2
import pytest

from console.domain.plates import PlateColour, plate_key
from console.plates.format import PROVINCE_CODES

PLATE_SET = Path(__file__).resolve().parents[1] / "data" / "plates"
COLUMNS = ["file", "text", "lines", "colour", "lighting", "split", "source", "origin"]
LIGHTING = {"day", "low_light", "night"}
SPLITS = {"tuning", "heldout"}

NUMBER = r"(\d{4}|\d{3}\.\d{2})"
# Written out here, apart from the reader's parser, so a label cannot be bent to fit it.
CAR = re.compile(rf"^(?P<province>\d{{2}})[A-Z]{{1,2}}-{NUMBER}$")  # 30E-123.45, 30P-6688
MOTORBIKE = re.compile(rf"^(?P<province>\d{{2}})-([A-Z][A-Z0-9]|MĐ\d) {NUMBER}$")  # 29-B1 123.45


def rows() -> list[dict[str, str]]:
    with (PLATE_SET / "labels.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS
        return list(reader)


LABELS = rows()


@pytest.mark.parametrize("row", LABELS, ids=[row["file"] for row in LABELS])
def test_label_is_a_wellformed_plate_of_its_layout(row: dict[str, str]) -> None:
    image = cv2.imread(str(PLATE_SET / row["file"]))
    assert image is not None and min(image.shape[:2]) >= 40, f"{row['file']} missing or tiny"
    text, lines = row["text"], int(row["lines"])
    car, motorbike = CAR.match(text), MOTORBIKE.match(text)
    assert car or motorbike, f"{text!r} is not a Vietnamese plate in display form"
    assert lines in (1, 2)
    assert motorbike is None or lines == 2, f"motorbike plate {text!r} has two lines"
    province = (car or motorbike).group("province")  # type: ignore[union-attr]
    assert int(province) in PROVINCE_CODES, f"{text!r}: no province {province}"
    assert len(plate_key(text)) in (7, 8, 9)
    assert PlateColour(row["colour"]) is not PlateColour.UNKNOWN
    assert row["lighting"] in LIGHTING
    assert row["split"] in SPLITS
    assert row["origin"], "where the image comes from"


def test_every_image_is_labelled_once() -> None:
    files = Counter(row["file"] for row in LABELS)
    assert [name for name, count in files.items() if count > 1] == []
    on_disk = {f"images/{path.name}" for path in (PLATE_SET / "images").iterdir()}
    assert on_disk == set(files), "an image without a label, or a label without an image"


def test_set_is_large_enough_and_every_reported_bucket_has_images() -> None:
    assert len(LABELS) >= 100
    heldout = [row for row in LABELS if row["split"] == "heldout"]
    buckets = Counter((row["lighting"], row["lines"]) for row in heldout)
    for bucket in [("day", "1"), ("day", "2"), ("low_light", "2")]:
        assert buckets[bucket] > 0, f"no held-out image in {bucket}"
    tuning = sum(row["split"] == "tuning" for row in LABELS)
    assert 0.2 <= tuning / len(LABELS) <= 0.4, "about 30 % tuning, 70 % held out"


def test_split_is_by_plate_so_nothing_tuned_on_is_held_out() -> None:
    by_split: dict[str, set[str]] = {split: set() for split in SPLITS}
    for row in LABELS:
        by_split[row["split"]].add(plate_key(row["text"]))
    assert by_split["tuning"] & by_split["heldout"] == set()


def test_every_source_is_credited_with_its_licence() -> None:
    sources_md = (PLATE_SET / "SOURCES.md").read_text(encoding="utf-8")
    for source in {row["source"] for row in LABELS}:
        line = next((ln for ln in sources_md.splitlines() if ln.startswith(f"| `{source}`")), "")
        assert re.search(r"\b(MIT|GPL-3\.0|Apache-2\.0|BSD|CC-BY|CC0)\b", line), source
        assert re.search(r"\b[0-9a-f]{40}\b", line), f"{source}: the commit the images came from"


def test_set_stays_small_on_disk() -> None:
    size = sum(path.stat().st_size for path in (PLATE_SET / "images").iterdir())
    assert size < 5_000_000
