"""The static part of each view, rendered once per scene and lighting."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from console.sim.camera import PinholeCamera
from console.sim.layout import SceneLayout
from console.sim.paint import Colour, Painter, shade
from console.sim.records import Lighting

ASPHALT: Colour = (98, 100, 102)
ASPHALT_WORN: Colour = (88, 90, 92)
WHITE: Colour = (226, 228, 228)
YELLOW: Colour = (40, 180, 220)
CONCRETE: Colour = (180, 184, 186)
GRASS: Colour = (70, 128, 96)
PADDY: Colour = (80, 150, 110)
GRAVEL: Colour = (130, 142, 150)
TILE: Colour = (150, 162, 172)
HOUSE_COLOURS: tuple[Colour, ...] = (
    (170, 215, 235),
    (225, 225, 220),
    (200, 190, 150),
    (150, 190, 220),
    (205, 200, 235),
    (160, 200, 170),
    (120, 170, 210),
    (215, 225, 230),
)
SIGN_COLOURS: tuple[Colour, ...] = (
    (40, 40, 200),
    (30, 170, 230),
    (160, 80, 20),
    (40, 140, 40),
    (230, 230, 230),
)


@dataclass(frozen=True, slots=True)
class NightLight:
    """A light source baked into the night background (street lamp pool or lit window)."""

    x_m: float
    y_m: float
    z_m: float
    radius_m: float


def render_background(
    layout: SceneLayout, camera: PinholeCamera, lighting: Lighting, rain: float, seed: int
) -> np.ndarray:
    """Sky, ground, road, markings and roadside for ``camera``'s (padded) frame."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 11]))
    image = np.zeros((camera.height, camera.width, 3), np.uint8)
    _sky(image, camera, lighting)
    painter = Painter(image, camera)
    painter.haze_colour = None
    haze = tuple(int(v) for v in image[max(int(camera.horizon_v) - 1, 0), camera.width // 2])
    painter.haze_distance_m = 420.0 if lighting is Lighting.DAY else 600.0
    lamps: list[NightLight] = []
    if layout.name == "highway":
        _highway(painter, layout, rng, lamps, (haze[0], haze[1], haze[2]))
    else:
        _intersection(painter, layout, rng, lamps, (haze[0], haze[1], haze[2]))
    _texture(image, rng, rain)
    if lighting is Lighting.DUSK:
        image = _grade(image, (0.62, 0.66, 0.8), 0.0)
    elif lighting is Lighting.NIGHT:
        image = _grade(image, (0.2, 0.17, 0.16), 0.0)
        _night_lights(image, camera, lamps)
    if rain > 0:
        image = _grade(image, (1.0 - 0.25 * rain,) * 3, 18.0 * rain)
    return image


def occluder_mask(layout: SceneLayout, camera: PinholeCamera) -> np.ndarray | None:
    """255 where a static occluder covers the (padded) frame, or None without occluders."""
    if not layout.occluders:
        return None
    mask = np.zeros((camera.height, camera.width), np.uint8)
    for block in layout.occluders:
        corners = np.array(
            [
                (x, y, z)
                for x in (block.x0_m, block.x1_m)
                for y in (block.y0_m, block.y1_m)
                for z in (0.0, block.height_m)
            ]
        )
        visible = corners[camera.depth(corners) > 0.5]
        if len(visible) < 3:
            continue
        hull = cv2.convexHull(np.round(camera.project(visible)).astype(np.int32))
        cv2.fillConvexPoly(mask, hull, 255)
    return mask


def _sky(image: np.ndarray, camera: PinholeCamera, lighting: Lighting) -> None:
    top, horizon = {
        Lighting.DAY: ((215, 190, 165), (225, 222, 215)),
        Lighting.DUSK: ((120, 80, 70), (120, 170, 235)),
        Lighting.NIGHT: ((30, 18, 12), (60, 45, 40)),
    }[lighting]
    rows = max(int(camera.horizon_v) + 2, 1)
    t = np.linspace(0.0, 1.0, rows)[:, None]
    gradient = np.array(top)[None, :] * (1 - t) + np.array(horizon)[None, :] * t
    image[:rows] = gradient.astype(np.uint8)[:, None, :]
    ground = (80, 120, 95) if lighting is not Lighting.NIGHT else (60, 90, 70)
    image[rows:] = ground


def _far_treeline(
    p: Painter, rng: np.random.Generator, x_range: tuple[float, float], y: float
) -> None:
    xs = np.arange(x_range[0], x_range[1], 6.0)
    for x in xs:
        height = float(rng.uniform(6, 14))
        p.ellipse_at((float(x), y, height * 0.6), height * 0.5, (52, 84, 62), squash=0.8)


def _tree(p: Painter, x: float, y: float, rng: np.random.Generator, scale: float = 1.0) -> None:
    height = float(rng.uniform(4.5, 7.5)) * scale
    p.line((x, y, 0.0), (x, y, height * 0.6), (50, 60, 70), 0.25)
    green = (int(rng.integers(40, 70)), int(rng.integers(95, 130)), int(rng.integers(60, 85)))
    for dz, dx, r in ((0.75, 0.0, 0.32), (0.62, -0.25, 0.25), (0.62, 0.25, 0.25)):
        p.ellipse_at((x + dx * height * 0.4, y, height * dz), height * r, green, squash=0.85)
    p.ellipse_at((x - height * 0.08, y, height * 0.82), height * 0.18, shade(green, 1.2), 0.85)


def _houses(
    p: Painter,
    x_front: float,
    side: int,
    y0: float,
    y1: float,
    rng: np.random.Generator,
    lamps: list[NightLight],
    min_h: float = 6.0,
    max_h: float = 15.0,
) -> None:
    """A row of Vietnamese tube houses: narrow fronts, varied heights, shop signs."""
    y = y0
    while y < y1:
        width = float(rng.uniform(3.8, 6.0))
        depth = float(rng.uniform(10, 16))
        height = float(rng.uniform(min_h, max_h))
        colour = HOUSE_COLOURS[int(rng.integers(len(HOUSE_COLOURS)))]
        cx = x_front + side * depth / 2
        p.queue_box(
            cx, y + width / 2, (depth, width - 0.15, height), colour, top=shade(colour, 0.75)
        )
        face_x = x_front - side * 0.05
        sign = SIGN_COLOURS[int(rng.integers(len(SIGN_COLOURS)))]
        p.queue_box(face_x - side * 0.1, y + width / 2, (0.2, width * 0.9, 1.0), sign, z0=3.2)
        p.queue_box(face_x - side * 0.02, y + width / 2, (0.04, width * 0.8, 2.4), (45, 50, 55))
        for level in range(1, int(height // 3.4)):
            p.queue_box(
                face_x - side * 0.02,
                y + width / 2,
                (0.04, width * 0.5, 1.3),
                (95, 85, 75),
                z0=level * 3.4 + 1.0,
            )
        lamps.append(NightLight(face_x - side * 0.5, y + width / 2, 1.5, 2.5))
        y += width


def _highway(
    p: Painter, layout: SceneLayout, rng: np.random.Generator, lamps: list[NightLight], haze: Colour
) -> None:
    far = 900.0
    p.strip(-400, 400, 5, far, PADDY)
    for x0, x1 in ((-60, -24), (24, 60)):
        for y in np.arange(0.0, 600.0, 40.0):
            tone = shade(PADDY, float(rng.uniform(0.85, 1.1)))  # one paddy field
            p.strip(x0, x1, float(y) + 0.6, float(y) + 39.4, tone)
    p.strip(19.5, 25.5, -5, far, (120, 128, 132))  # service road on the camera's side
    p.strip(-24.0, -19.0, -5, far, (110, 132, 140))  # dirt track on the far side
    p.strip(-17.5, 17.5, -5, far, GRAVEL)
    for x0f, x1f in ((-15.0, -1.0), (1.0, 15.0)):
        p.strip(x0f, x1f, -5, far, ASPHALT)
    for centre in (-10.75, -7.1, -3.4, 3.4, 7.1, 10.75):
        for offset in (-0.8, 0.8):  # wheel tracks polished darker by traffic
            p.strip(centre + offset - 0.3, centre + offset + 0.3, -5, far, ASPHALT_WORN)
    p.strip(-1.0, 1.0, -5, far, CONCRETE)
    p.strip(-0.8, 0.8, -5, far, GRASS)
    for side in (-1, 1):
        p.strip(side * 1.6 - 0.08, side * 1.6 + 0.08, -5, far, WHITE)
        p.dashes(side * 5.25, 0.15, -5 + float(rng.uniform(0, 8)), far, 4.0, 8.0, WHITE)
        p.strip(side * 9.0 - 0.1, side * 9.0 + 0.1, -5, far, WHITE)
        p.strip(side * 12.5 - 0.1, side * 12.5 + 0.1, -5, far, WHITE)
        p.strip(side * 14.85 - 0.1, side * 14.85 + 0.1, -5, far, WHITE)
        for y in np.arange(20.0, 400.0, 45.0):  # chevrons telling cars out of the shoulder
            ys = float(y)
            p.ground(
                [
                    (side * 12.6, ys),
                    (side * 14.75, ys + 2.0),
                    (side * 14.75, ys + 2.5),
                    (side * 12.6, ys + 0.5),
                ],
                WHITE,
            )
    p.haze_ground(haze)
    _far_treeline(p, rng, (-500, 500), 700.0)
    for y in np.arange(-4.0, 600.0, 4.0):
        p.queue_box(
            0.0,
            float(y),
            (0.9, 1.6, 0.7 + float(rng.uniform(0, 0.4))),
            (45, 100, 60),
            top=(60, 125, 80),
        )
    for side in (-1, 1):
        x = side * 16.3
        for y in np.arange(-4.0, 500.0, 4.0):
            p.queue_box(x, float(y), (0.12, 0.12, 0.75), (120, 120, 120))
        p.queue_box(x - side * 0.08, 250.0, (0.06, 508.0, 0.3), (190, 195, 200), z0=0.45)
    for y in np.arange(10.0, 600.0, 40.0):
        ys = float(y)
        p.queue_box(0.0, ys, (0.25, 0.25, 10.0), (150, 150, 150))
        for side in (-1, 1):
            p.queue_box(side * 1.3, ys, (2.6, 0.15, 0.15), (150, 150, 150), z0=9.8)
            lamps.append(NightLight(side * 6.0, ys, 0.0, 10.0))
    p.queue_box(16.6, 38.0, (0.15, 0.35, 0.75), (235, 235, 235), top=(40, 40, 200))
    p.queue_box(16.6, 38.0, (0.16, 0.36, 0.2), (40, 40, 200), z0=0.75)
    p.queue_box(-16.6, 93.0, (0.15, 0.35, 0.75), (235, 235, 235), top=(40, 40, 200))
    _power_line(p, 22.5, (5.0, 500.0), 35.0)
    p.flush_boxes()
    _houses(p, 27.0, 1, -5.0, 400.0, rng, lamps, max_h=12.0)
    _houses(p, -30.0, -1, 60.0, 400.0, rng, lamps, max_h=10.0)
    p.flush_boxes()
    for y in np.arange(30.0, 400.0, 22.0):
        _tree(p, -20.5 - float(rng.uniform(0, 2)), float(y) + float(rng.uniform(-5, 5)), rng)


def _power_line(p: Painter, x: float, y_range: tuple[float, float], spacing: float) -> None:
    ys = np.arange(y_range[0], y_range[1], spacing)
    for y in ys:
        p.queue_box(x, float(y), (0.3, 0.3, 9.0), (165, 168, 170))
        p.queue_box(x, float(y), (1.6, 0.15, 0.12), (120, 120, 120), z0=8.4)
    for y0, y1 in zip(ys[:-1], ys[1:], strict=False):
        for dx, z in ((-0.7, 8.5), (0.7, 8.5), (0.0, 7.6)):
            p.line((x + dx, float(y0), z), (x + dx, float(y1), z - 0.1), (50, 50, 55), 0.03)


def _intersection(
    p: Painter, layout: SceneLayout, rng: np.random.Generator, lamps: list[NightLight], haze: Colour
) -> None:
    far = 600.0
    p.strip(-300, 300, -5, far, TILE)
    p.strip(-8.0, 8.0, -5, far, ASPHALT)
    p.strip(-300, 300, 32.0, 42.0, ASPHALT)
    for side in (-1, 1):  # kerbs
        for y0, y1 in ((-5.0, 32.0), (42.0, far)):
            p.strip(side * 8.0 - 0.15, side * 8.0 + 0.15, y0, y1, CONCRETE)
        for x0, x1 in ((-300.0, -8.0), (8.0, 300.0)):
            p.strip(x0, x1, 32.0 if side < 0 else 42.0 - 0.3, 32.3 if side < 0 else 42.0, CONCRETE)
    for offset in (-0.12, 0.12):  # double yellow centre line
        for y0, y1 in ((-5.0, 27.0), (47.0, far)):
            p.strip(offset - 0.06, offset + 0.06, y0, y1, YELLOW)
    for side in (-1, 1):
        p.strip(side * 3.85 - 0.08, side * 3.85 + 0.08, 8.0, 25.5, WHITE)
        p.dashes(side * 3.85, 0.12, -5.0, 8.0, 3.0, 5.0, WHITE)
        p.strip(side * 3.85 - 0.08, side * 3.85 + 0.08, 48.5, 65.0, WHITE)
        p.dashes(side * 3.85, 0.12, 65.0, far, 3.0, 5.0, WHITE)
    p.strip(0.0, 8.0, 25.3, 25.7, WHITE)
    p.strip(-8.0, 0.0, 48.3, 48.7, WHITE)
    for y0, y1 in ((27.0, 31.0), (43.0, 47.0)):
        for x in np.arange(-7.5, 8.0, 1.0):
            p.strip(float(x) - 0.25, float(x) + 0.25, y0, y1, WHITE)
    for x0, x1 in ((-13.0, -9.0), (9.0, 13.0)):
        for y in np.arange(32.5, 42.0, 1.0):
            p.strip(x0, x1, float(y), float(y) + 0.5, WHITE)
    for x in np.arange(-300.0, 300.0, 6.0):
        if not -14.0 < x < 14.0:
            p.strip(float(x), float(x) + 3.0, 36.94, 37.06, YELLOW)
    p.strip(-13.7, -13.3, 32.0, 37.0, WHITE)
    p.strip(13.3, 13.7, 37.0, 42.0, WHITE)
    p.haze_ground(haze)
    for side in (-1, 1):
        _houses(p, side * 13.0, side, -5.0, 31.0, rng, lamps, 8.0, 18.0)
        _houses(p, side * 13.0, side, 43.0, 300.0, rng, lamps, 8.0, 18.0)
        for sign in (-1, 1):  # the cross street's frontages
            y_front = 30.5 if sign < 0 else 43.5
            y = 14.0
            while y < 160.0:
                width = float(rng.uniform(4, 6))
                height = float(rng.uniform(8, 16))
                colour = HOUSE_COLOURS[int(rng.integers(len(HOUSE_COLOURS)))]
                p.queue_box(
                    side * (y + width / 2),
                    y_front + sign * 6.0,
                    (width - 0.1, 12.0, height),
                    colour,
                    top=shade(colour, 0.75),
                )
                y += width
        for y in np.arange(4.0, 200.0, 9.0):
            if not 28.0 < y < 46.0:
                lamps.append(NightLight(side * 7.0, float(y), 0.0, 6.0))
    p.flush_boxes()
    for side in (-1, 1):
        for y in np.arange(6.0, 200.0, 9.0):
            near_camera = side > 0 and y < 30.0
            if not 26.0 < y < 48.0 and not near_camera:
                _tree(p, side * 11.2, float(y), rng, scale=1.2)
    _power_line(p, -8.8, (-5.0, 26.0), 13.0)
    _power_line(p, -8.8, (48.0, 250.0), 25.0)
    p.flush_boxes()
    head = layout.signal_head_xyz_m
    assert head is not None
    p.queue_box(head[0] + 0.35, head[1], (0.14, 0.14, head[2] + 0.9), (80, 85, 90))
    p.queue_box(8.6, 47.0, (0.2, 0.2, 6.0), (80, 85, 90))
    p.queue_box(5.6, 47.0, (6.0, 0.12, 0.12), (80, 85, 90), z0=5.9)
    p.queue_box(-8.6, 47.0, (0.2, 0.2, 3.5), (80, 85, 90))
    p.flush_boxes()


def _texture(image: np.ndarray, rng: np.random.Generator, rain: float) -> None:
    """Low-frequency blotches so flat fills read as worn asphalt, grass and plaster.

    No per-pixel grain here: sensor noise is the ``noise`` setting's job, per frame.
    """
    h, w = image.shape[:2]
    blotches = cv2.GaussianBlur(
        rng.normal(0.0, 14.0, size=(h // 8 + 1, w // 8 + 1)).astype(np.float32), (0, 0), 2.0
    )
    blotches = cv2.resize(blotches, (w, h), interpolation=cv2.INTER_LINEAR) * 0.6
    image[:] = np.clip(image.astype(np.float32) + blotches[:, :, None], 0, 255).astype(np.uint8)


def _grade(image: np.ndarray, gains: tuple[float, ...], lift: float) -> np.ndarray:
    graded = image.astype(np.float32) * np.array(gains, np.float32) + lift
    return np.clip(graded, 0, 255).astype(np.uint8)


def _night_lights(image: np.ndarray, camera: PinholeCamera, lamps: list[NightLight]) -> None:
    """Sodium-lamp pools on the ground and lit shop fronts, added as light (not paint)."""
    glow = np.zeros(image.shape[:2], np.float32)
    angles = np.linspace(0, 2 * np.pi, 20, endpoint=False)
    for lamp in lamps:
        centre = np.array([lamp.x_m, lamp.y_m, lamp.z_m])
        depth = float(camera.depth(centre))
        if depth < 2.0:
            continue
        if lamp.z_m == 0.0:  # a pool of light on the road, in perspective
            ring = np.stack(
                [
                    lamp.x_m + lamp.radius_m * np.cos(angles),
                    lamp.y_m + lamp.radius_m * np.sin(angles),
                    np.zeros_like(angles),
                ],
                axis=1,
            )
            pixels = camera.clip_polygon(ring)
            if len(pixels) >= 3:
                cv2.fillPoly(glow, [np.round(pixels).astype(np.int32)], 0.8, cv2.LINE_AA)
            continue
        u, v = camera.project(centre)
        r = min(camera.pixels_per_metre(depth) * 0.6, 14.0)
        if r >= 0.7 and 0 <= u < camera.width and 0 <= v < camera.height:
            cv2.circle(glow, (int(u), int(v)), max(int(r), 1), 1.0, -1, cv2.LINE_AA)
    glow = cv2.GaussianBlur(glow, (0, 0), camera.width / 160.0).astype(np.float32)
    tint = np.array([90, 170, 255], np.float32)  # sodium orange
    light = glow[:, :, None]
    lit = image.astype(np.float32) * (1 + 2.4 * light) + light * tint * 0.3
    image[:] = np.clip(lit, 0, 255).astype(np.uint8)
