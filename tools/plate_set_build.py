"""Rebuild the images of the real plate set (tests/data/plates/) from its source checkouts.

    .venv/bin/python tools/plate_set_build.py --source mrzaizai2k=DIR --source hcmiuiot=DIR

``tests/data/plates/labels.csv`` is the hand-made part (every plate was read by a person
looking at the image; see tests/data/plates/SOURCES.md); its ``origin`` column says where
each image comes from in its source repository, so the images can be made again exactly:

- ``path#N``: box N of the YOLO label file next to the image (``images/x.jpg`` ->
  ``labels/x.txt``); the crop is the plate box grown by half its size on every side (the
  plate with some of the vehicle around it, as a detector's crop would be), scaled down to
  at most ``--crop-side`` pixels;
- ``path``: the whole photograph, scaled down to at most ``--photo-side`` pixels.

Images are written as JPEG (quality 90) to keep the set small in the repository.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parents[1]
PLATE_SET = REPO / "tests" / "data" / "plates"


def scaled(image: np.ndarray, longest_side: int) -> np.ndarray:
    height, width = image.shape[:2]
    scale = longest_side / max(height, width)
    if scale >= 1.0:
        return image
    size = (round(width * scale), round(height * scale))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


def plate_crop(image_path: Path, box_index: int) -> np.ndarray:
    label_path = image_path.parent.parent / "labels" / (image_path.stem + ".txt")
    boxes = [line.split() for line in label_path.read_text().splitlines() if line.strip()]
    _, cx, cy, w, h = (float(v) for v in boxes[box_index])
    image = read_image(image_path)
    height, width = image.shape[:2]
    # grow the box by half its size on each side: the plate and a little of the vehicle
    x0, x1 = int(max(0, (cx - w) * width)), int(min(width, (cx + w) * width))
    y0, y1 = int(max(0, (cy - h) * height)), int(min(height, (cy + h) * height))
    return image[y0:y1, x0:x1]


def read_image(path: Path) -> np.ndarray:
    image = cv2.imread(str(path))
    if image is None:
        raise SystemExit(f"cannot read image {path}")
    return image


def build(sources: dict[str, Path], crop_side: int, photo_side: int) -> int:
    with (PLATE_SET / "labels.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    written = 0
    for row in rows:
        if row["source"] not in sources:
            raise SystemExit(f"no checkout given for source {row['source']!r} (--source NAME=DIR)")
        origin, _, box = row["origin"].partition("#")
        path = sources[row["source"]] / origin
        image = (
            scaled(plate_crop(path, int(box)), crop_side)
            if box
            else scaled(read_image(path), photo_side)
        )
        target = PLATE_SET / row["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(target), image, [cv2.IMWRITE_JPEG_QUALITY, 90])
        written += 1
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="NAME=DIR",
        help="checkout (work tree) of a source repository named in labels.csv",
    )
    parser.add_argument("--crop-side", type=int, default=360)
    parser.add_argument("--photo-side", type=int, default=800)
    args = parser.parse_args(argv)
    sources = {}
    for item in args.source:
        name, sep, directory = item.partition("=")
        if not sep or not Path(directory).is_dir():
            parser.error(f"--source wants NAME=DIR with an existing directory, got {item!r}")
        sources[name] = Path(directory)
    print(f"wrote {build(sources, args.crop_side, args.photo_side)} images to {PLATE_SET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
