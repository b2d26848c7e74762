"""A local plate set from a character-box data set, for evaluation only (never committed).

    .venv/bin/python tools/plate_set_from_char_boxes.py CHECKOUT OUT_DIR [--images standard/images]

Some public Vietnamese plate sets label each character with a YOLO box instead of the plate
text (e.g. github.com/vitocolerole/label_plate_number: ``images/x.jpg`` with
``labels/x.txt``, classes 0-9, A-Z, then ``-`` and ``.``). This turns such a set into a
``labels.csv`` that ``bench/plates.py --labels OUT_DIR/labels.csv`` reads: the characters
are grouped into rows by their vertical centres, each row read left to right; rows become
the plate's lines. Only labels that are Vietnamese plates in display form are kept (such
sets also hold foreign plates). Lighting is not known (``unknown``). The split is by plate,
about 30 % tuning, decided by a hash of the plate so it never changes between runs.

The images are copied into OUT_DIR, which must be outside the repository when the source
has no licence that lets this project ship them.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLASSES = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-."
NUMBER = r"(\d{4}|\d{3}\.\d{2})"
CAR = re.compile(rf"^\d{{2}}[A-Z]{{1,2}}-{NUMBER}$")
MOTORBIKE = re.compile(rf"^\d{{2}}-[A-Z][A-Z0-9] {NUMBER}$")
TUNING_SHARE = 0.3


def plate_text(label_file: Path) -> tuple[str, int] | None:
    """The plate text ("29-B1 123.45") and its number of lines, from character boxes."""
    boxes = []
    for line in label_file.read_text().splitlines():
        parts = line.split()
        if len(parts) != 5 or not parts[0].isdigit() or int(parts[0]) >= len(CLASSES):
            return None
        cls, cx, cy, _, h = int(parts[0]), *map(float, parts[1:])
        boxes.append((CLASSES[cls], cx, cy, h))
    if not boxes:
        return None
    boxes.sort(key=lambda box: box[2])
    rows: list[list[tuple[str, float, float, float]]] = [[boxes[0]]]
    for box in boxes[1:]:
        previous = rows[-1][-1]
        # a new row starts when the centre drops by more than half a character's height
        if box[2] - previous[2] > 0.5 * max(box[3], previous[3]):
            rows.append([])
        rows[-1].append(box)
    texts = ["".join(ch for ch, *_ in sorted(row, key=lambda box: box[1])) for row in rows]
    return " ".join(texts), len(texts)


def display_form(text: str, lines: int) -> str | None:
    """``text`` in the project's display form if it is a Vietnamese plate, else None."""
    if lines == 1:
        return text if CAR.match(text) else None
    if lines != 2:
        return None
    if MOTORBIKE.match(text):
        return text
    upper, lower = text.split(" ")
    square_car = f"{upper.rstrip('-')}-{lower}"  # a square car plate reads as 30A-123.45
    return square_car if CAR.match(square_car) else None


def split_of(text: str) -> str:
    digest = hashlib.sha1(text.encode()).digest()
    return "tuning" if digest[0] / 256 < TUNING_SHARE else "heldout"


def build(checkout: Path, images: str, out: Path) -> tuple[int, int]:
    image_dir = checkout / images
    label_dir = image_dir.parent / "labels"
    (out / "images").mkdir(parents=True, exist_ok=True)
    rows, skipped = [], 0
    for image in sorted(image_dir.iterdir()):
        label = label_dir / (image.stem + ".txt")
        parsed = plate_text(label) if label.exists() else None
        if parsed is None:
            skipped += 1
            continue
        text = display_form(*parsed)
        if text is None:
            skipped += 1
            continue
        lines = parsed[1]
        shutil.copyfile(image, out / "images" / image.name)
        rows.append(
            {
                "file": f"images/{image.name}",
                "text": text,
                "lines": lines,
                "colour": "white",
                "lighting": "unknown",
                "split": split_of(text),
                "source": checkout.name,
                "origin": f"{images}/{image.name}",
            }
        )
    with (out / "labels.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["file"])
        writer.writeheader()
        writer.writerows(rows)
    return len(rows), skipped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkout", type=Path, help="work tree of the character-box data set")
    parser.add_argument("out", type=Path, help="directory for images/ and labels.csv")
    parser.add_argument("--images", default="standard/images", help="images folder in it")
    args = parser.parse_args(argv)
    if not (args.checkout / args.images).is_dir():
        parser.error(f"no folder {args.images} in {args.checkout}")
    if args.out.resolve().is_relative_to(REPO):
        parser.error("OUT_DIR must be outside the repository: these images are not ours to ship")
    kept, skipped = build(args.checkout, args.images, args.out)
    print(f"{kept} plates written to {args.out / 'labels.csv'}; {skipped} images skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
