"""Draw RoadWatch's application icon (resources/icons/roadwatch.png and .ico).

A road in perspective under a watching lens, in the console's colours. Drawn at 1024 px and
scaled down, so every size is smooth. Rerun after changing the design:
``.venv/bin/python tools/make_icon.py``.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZE = 1024
NAVY = (15, 39, 66, 255)
ASPHALT = (74, 84, 98, 255)
WHITE = (240, 244, 248, 255)
AMBER = (255, 176, 32, 255)


def draw() -> Image.Image:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((32, 32, SIZE - 32, SIZE - 32), radius=190, fill=NAVY)
    horizon, bottom = 470, SIZE - 120
    pen.polygon([(452, horizon), (572, horizon), (900, bottom), (124, bottom)], fill=ASPHALT)
    pen.line([(452, horizon), (124, bottom)], fill=WHITE, width=22)
    pen.line([(572, horizon), (900, bottom)], fill=WHITE, width=22)
    for start, end in ((0.08, 0.22), (0.36, 0.54), (0.70, 0.95)):  # dashed centre line
        top_y = horizon + (bottom - horizon) * start
        low_y = horizon + (bottom - horizon) * end
        width = 10 + 30 * end
        pen.polygon(
            [
                (SIZE / 2 - width / 3, top_y),
                (SIZE / 2 + width / 3, top_y),
                (SIZE / 2 + width / 2, low_y),
                (SIZE / 2 - width / 2, low_y),
            ],
            fill=WHITE,
        )
    # The lens: an amber eye watching the road.
    pen.ellipse((322, 150, 702, 400), fill=AMBER)
    pen.ellipse((432, 195, 592, 355), fill=NAVY)
    pen.ellipse((482, 230, 542, 290), fill=WHITE)
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    icon = draw()
    icon.resize((256, 256), Image.Resampling.LANCZOS).save(OUT / "roadwatch.png")
    icon.save(OUT / "roadwatch.ico", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])


if __name__ == "__main__":
    main()
