"""3-D low-poly models of road users, built once per actor in its own frame of reference.

A model is a list of flat polygons (six vertices each; quads repeat their last vertex) in
local metres: ``a`` forward along the heading, ``b`` to the left, ``z`` up. The renderer
rotates and projects every polygon of every actor in one numpy pass, then fills them
back to front, so the per-frame Python work is one ``fillConvexPoly`` per visible face.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

VERTS = 6
ROLE_SURFACE, ROLE_HEADLIGHT, ROLE_TAILLIGHT, ROLE_GLASS = 0, 1, 2, 3
# Face shading for a sun high on the camera's side; keeps boxes reading as solids.
SHADE_TOP, SHADE_FRONT, SHADE_BACK, SHADE_LEFT, SHADE_RIGHT = 1.0, 0.84, 0.78, 0.70, 0.62

GLASS = (92, 76, 62)
TYRE = (28, 28, 30)
CAR_COLOURS = (
    (235, 235, 232),
    (228, 230, 233),
    (192, 192, 190),
    (150, 150, 148),
    (40, 40, 42),
    (30, 30, 150),
    (140, 70, 30),
    (60, 40, 110),
    (170, 190, 205),
    (80, 90, 60),
    (225, 225, 225),
    (45, 50, 55),
)
BIKE_COLOURS = (
    (25, 25, 28),
    (30, 30, 160),
    (150, 80, 30),
    (225, 225, 225),
    (170, 170, 170),
    (40, 40, 40),
    (20, 100, 200),
)
CLOTHES = (
    (200, 190, 180),
    (40, 40, 45),
    (150, 110, 60),
    (60, 60, 140),
    (210, 170, 230),
    (120, 170, 210),
    (70, 120, 70),
    (230, 230, 230),
    (90, 70, 60),
    (160, 200, 240),
)
HELMETS = (
    (240, 240, 240),
    (30, 30, 200),
    (20, 200, 230),
    (160, 90, 20),
    (30, 30, 30),
    (170, 120, 230),
)
TRUCK_CABS = ((210, 120, 30), (230, 230, 230), (40, 40, 190), (30, 180, 230), (60, 130, 60))
TRUCK_CARGO = ((70, 110, 60), (150, 100, 40), (150, 150, 150), (200, 200, 205), (40, 90, 150))
BUS_BODIES = ((40, 170, 240), (230, 230, 230), (60, 140, 40), (40, 40, 190))


@dataclass(slots=True)
class ActorModel:
    """Polygons of one actor; ``part`` ties each polygon to the solid it belongs to."""

    polys: np.ndarray  # (P, VERTS, 3) local metres
    normals: np.ndarray  # (P, 3) local; zero means always drawn
    colours: np.ndarray  # (P, 3) float BGR, already face-shaded
    roles: np.ndarray  # (P,) ROLE_*
    parts: np.ndarray  # (P,) part index within the actor
    part_layer: np.ndarray  # (parts,) draw layer: chassis < body < cabin < rider
    part_centre: np.ndarray  # (parts, 3) local, for back-to-front order within the actor
    rider_index: np.ndarray  # (P,) -1 for the vehicle itself, else which rider (0, 1)
    detail: np.ndarray  # (P,) polygons skipped when the actor is only a few pixels tall
    length_m: float
    width_m: float
    height_m: float


class _ModelBuilder:
    def __init__(self) -> None:
        self.polys: list[np.ndarray] = []
        self.normals: list[tuple[float, float, float]] = []
        self.colours: list[tuple[float, float, float]] = []
        self.roles: list[int] = []
        self.parts: list[int] = []
        self.riders: list[int] = []
        self.details: list[bool] = []
        self.part_layers: list[int] = []
        self.part_centres: list[tuple[float, float, float]] = []

    def _add(
        self,
        corners: list[tuple[float, float, float]],
        normal: tuple[float, float, float],
        colour: tuple[float, float, float],
        role: int,
        rider: int,
        detail: bool,
    ) -> None:
        padded = corners + [corners[-1]] * (VERTS - len(corners))
        self.polys.append(np.array(padded, dtype=np.float64))
        self.normals.append(normal)
        self.colours.append(colour)
        self.roles.append(role)
        self.parts.append(len(self.part_layers) - 1)
        self.riders.append(rider)
        self.details.append(detail)

    def box(
        self,
        centre: tuple[float, float, float],
        size: tuple[float, float, float],
        colour: tuple[int, int, int],
        layer: int,
        rider: int = -1,
        top_colour: tuple[int, int, int] | None = None,
        face_colours: dict[str, tuple[int, int, int]] | None = None,
    ) -> None:
        """Add a solid box (bottom face omitted: never visible from a pole)."""
        self.part_layers.append(layer)
        self.part_centres.append(centre)
        ca, cb, cz = centre
        la, wb, hz = size[0] / 2, size[1] / 2, size[2] / 2
        faces = face_colours or {}
        top = top_colour or colour

        def shaded(c: tuple[int, int, int], k: float) -> tuple[float, float, float]:
            return (c[0] * k, c[1] * k, c[2] * k)

        z0, z1 = cz - hz, cz + hz
        self._add(
            [
                (ca - la, cb - wb, z1),
                (ca + la, cb - wb, z1),
                (ca + la, cb + wb, z1),
                (ca - la, cb + wb, z1),
            ],
            (0, 0, 1),
            shaded(top, SHADE_TOP),
            0,
            rider,
            False,
        )
        self._add(
            [
                (ca + la, cb - wb, z0),
                (ca + la, cb + wb, z0),
                (ca + la, cb + wb, z1),
                (ca + la, cb - wb, z1),
            ],
            (1, 0, 0),
            shaded(faces.get("front", colour), SHADE_FRONT),
            0,
            rider,
            False,
        )
        self._add(
            [
                (ca - la, cb + wb, z0),
                (ca - la, cb - wb, z0),
                (ca - la, cb - wb, z1),
                (ca - la, cb + wb, z1),
            ],
            (-1, 0, 0),
            shaded(faces.get("back", colour), SHADE_BACK),
            0,
            rider,
            False,
        )
        self._add(
            [
                (ca - la, cb + wb, z0),
                (ca + la, cb + wb, z0),
                (ca + la, cb + wb, z1),
                (ca - la, cb + wb, z1),
            ],
            (0, 1, 0),
            shaded(faces.get("side", colour), SHADE_LEFT),
            0,
            rider,
            False,
        )
        self._add(
            [
                (ca + la, cb - wb, z0),
                (ca - la, cb - wb, z0),
                (ca - la, cb - wb, z1),
                (ca + la, cb - wb, z1),
            ],
            (0, -1, 0),
            shaded(faces.get("side", colour), SHADE_RIGHT),
            0,
            rider,
            False,
        )

    def patch(
        self,
        face: str,
        centre: tuple[float, float, float],
        size: tuple[float, float, float],
        rect: tuple[float, float, float, float],
        colour: tuple[int, int, int],
        role: int = ROLE_SURFACE,
        inset: float = 0.0,
    ) -> None:
        """Add a flat panel (window, light, stripe) on one face of the last box.

        ``rect`` is (u0, u1, v0, v1) in 0..1 across the face, u horizontal, v up.
        """
        ca, cb, cz = centre
        la, wb, hz = size[0] / 2, size[1] / 2, size[2] / 2
        u0, u1, v0, v1 = rect
        eps = 0.02
        shade = {
            "front": SHADE_FRONT,
            "back": SHADE_BACK,
            "left": SHADE_LEFT,
            "right": SHADE_RIGHT,
            "top": SHADE_TOP,
        }[face]
        if role in (ROLE_HEADLIGHT, ROLE_TAILLIGHT):
            shade = 1.0
        z_at = [cz - hz + v * 2 * hz for v in (v0, v1)]
        if face in ("front", "back"):
            sign = 1 if face == "front" else -1
            a = ca + sign * (la + eps)
            b_at = [cb - sign * wb + sign * u * 2 * wb for u in (u0, u1)]
            corners = [
                (a, b_at[0], z_at[0]),
                (a, b_at[1], z_at[0]),
                (a, b_at[1], z_at[1]),
                (a, b_at[0], z_at[1]),
            ]
            normal = (float(sign), 0.0, 0.0)
        elif face in ("left", "right"):
            sign = 1 if face == "left" else -1
            b = cb + sign * (wb + eps)
            a_at = [ca - la + u * 2 * la for u in (u0, u1)]
            corners = [
                (a_at[0], b, z_at[0]),
                (a_at[1], b, z_at[0]),
                (a_at[1], b, z_at[1]),
                (a_at[0], b, z_at[1]),
            ]
            normal = (0.0, float(sign), 0.0)
        else:
            z = cz + hz + eps
            a_at = [ca - la + u * 2 * la for u in (u0, u1)]
            b_at = [cb - wb + v * 2 * wb for v in (v0, v1)]
            corners = [
                (a_at[0], b_at[0], z),
                (a_at[1], b_at[0], z),
                (a_at[1], b_at[1], z),
                (a_at[0], b_at[1], z),
            ]
            normal = (0.0, 0.0, 1.0)
        if inset:
            # a trapezoid (narrower at the top) reads as a sloped windscreen
            top_shift = [(c[0], c[1], c[2]) for c in corners]
            mid_a = sum(c[0] for c in corners) / 4
            mid_b = sum(c[1] for c in corners) / 4
            for i in (2, 3):
                x, y, z = top_shift[i]
                top_shift[i] = (x + (mid_a - x) * inset, y + (mid_b - y) * inset, z)
            corners = top_shift
        colour_f = (colour[0] * shade, colour[1] * shade, colour[2] * shade)
        self._add(corners, normal, colour_f, role, -1, True)

    def wheel(self, a: float, b: float, radius: float, side: int) -> None:
        """A hexagonal tyre in the side plane (the last box owns it)."""
        corners = [
            (a + radius * math.cos(k * math.pi / 3), b, radius + radius * math.sin(k * math.pi / 3))
            for k in range(6)
        ]
        self._add(corners, (0.0, float(side), 0.0), TYRE, ROLE_SURFACE, -1, True)

    def build(self, length: float, width: float, height: float) -> ActorModel:
        return ActorModel(
            polys=np.stack(self.polys),
            normals=np.array(self.normals, dtype=np.float64),
            colours=np.array(self.colours, dtype=np.float64),
            roles=np.array(self.roles, dtype=np.int8),
            parts=np.array(self.parts, dtype=np.int32),
            part_layer=np.array(self.part_layers, dtype=np.int32),
            part_centre=np.array(self.part_centres, dtype=np.float64),
            rider_index=np.array(self.riders, dtype=np.int8),
            detail=np.array(self.details, dtype=bool),
            length_m=length,
            width_m=width,
            height_m=height,
        )


def _pick(
    rng: np.random.Generator, palette: tuple[tuple[int, int, int], ...]
) -> tuple[int, int, int]:
    base = palette[int(rng.integers(len(palette)))]
    b, g, r = (
        int(np.clip(c + j, 0, 255))
        for c, j in zip(base, rng.integers(-12, 13, size=3), strict=True)
    )
    return (b, g, r)


def _lights(
    m: _ModelBuilder,
    centre: tuple[float, float, float],
    size: tuple[float, float, float],
    v0: float,
    v1: float,
    edge: float,
    width: float,
) -> None:
    for u0 in (edge, 1 - edge - width):
        m.patch("front", centre, size, (u0, u0 + width, v0, v1), (215, 235, 240), ROLE_HEADLIGHT)
        m.patch("back", centre, size, (u0, u0 + width, v0, v1), (40, 40, 200), ROLE_TAILLIGHT)


def _car(rng: np.random.Generator) -> ActorModel:
    m = _ModelBuilder()
    suv = rng.random() < 0.3
    length = float(rng.uniform(4.2, 4.9))
    width = float(rng.uniform(1.72, 1.86))
    colour = _pick(rng, CAR_COLOURS)
    body_h = 0.85 if suv else 0.7
    body = (0.0, 0.0, 0.28 + body_h / 2)
    body_size = (length, width, body_h)
    m.box(body, body_size, colour, layer=1)
    _lights(m, body, body_size, 0.55, 0.85, 0.04, 0.2)
    m.patch("front", body, body_size, (0.3, 0.7, 0.15, 0.35), (45, 45, 45))  # grille
    cabin_len = length * (0.58 if suv else 0.5)
    cabin_h = 0.6 if suv else 0.5
    cabin = (-0.08 * length, 0.0, 0.28 + body_h + cabin_h / 2)
    cabin_size = (cabin_len, width * 0.88, cabin_h)
    m.box(cabin, cabin_size, colour, layer=2)
    m.patch("front", cabin, cabin_size, (0.06, 0.94, 0.05, 0.92), GLASS, ROLE_GLASS, inset=0.06)
    m.patch("back", cabin, cabin_size, (0.08, 0.92, 0.1, 0.9), GLASS, ROLE_GLASS)
    for face in ("left", "right"):
        m.patch(face, cabin, cabin_size, (0.08, 0.47, 0.1, 0.88), GLASS, ROLE_GLASS)
        m.patch(face, cabin, cabin_size, (0.53, 0.92, 0.1, 0.88), GLASS, ROLE_GLASS)
    m.box((0.0, 0.0, 0.16), (length * 0.9, width * 0.92, 0.3), TYRE, layer=0)
    for side in (1, -1):
        for a in (0.32 * length, -0.32 * length):
            m.wheel(a, side * (width / 2 + 0.03), 0.32, side)
    return m.build(length, width, 0.28 + body_h + cabin_h)


def _bus(rng: np.random.Generator) -> ActorModel:
    m = _ModelBuilder()
    length = float(rng.uniform(9.5, 12.0))
    width = 2.5
    height = float(rng.uniform(3.0, 3.4))
    colour = _pick(rng, BUS_BODIES)
    body = (0.0, 0.0, 0.35 + height / 2)
    size = (length, width, height)
    m.box(body, size, colour, layer=1, top_colour=(215, 215, 215))
    m.patch("front", body, size, (0.05, 0.95, 0.45, 0.92), GLASS, ROLE_GLASS)
    m.patch("back", body, size, (0.1, 0.9, 0.6, 0.9), GLASS, ROLE_GLASS)
    stripe = _pick(rng, ((30, 30, 180), (200, 120, 20), (20, 120, 20), (40, 40, 40)))
    for face in ("left", "right"):
        m.patch(face, body, size, (0.04, 0.97, 0.52, 0.88), GLASS, ROLE_GLASS)
        m.patch(face, body, size, (0.0, 1.0, 0.3, 0.4), stripe)
    _lights(m, body, size, 0.12, 0.22, 0.05, 0.15)
    for side in (1, -1):
        for a in (0.32 * length, -0.28 * length):
            m.wheel(a, side * (width / 2 + 0.03), 0.48, side)
    return m.build(length, width, 0.35 + height)


def _truck(rng: np.random.Generator) -> ActorModel:
    m = _ModelBuilder()
    cargo_len = float(rng.uniform(4.5, 7.5))
    cab_len = 2.0
    length = cab_len + cargo_len + 0.2
    width = 2.4
    cab_colour = _pick(rng, TRUCK_CABS)
    cargo_colour = _pick(rng, TRUCK_CARGO)
    cab = (length / 2 - cab_len / 2, 0.0, 0.5 + 1.15)
    cab_size = (cab_len, 2.3, 2.3)
    cargo_h = float(rng.uniform(2.2, 2.8))
    cargo = (-length / 2 + cargo_len / 2, 0.0, 1.0 + cargo_h / 2)
    cargo_size = (cargo_len, width, cargo_h)
    m.box((0.0, 0.0, 0.6), (length * 0.95, 1.6, 0.5), TYRE, layer=0)
    m.box(cargo, cargo_size, cargo_colour, layer=1)
    m.patch("back", cargo, cargo_size, (0.49, 0.51, 0.0, 1.0), (60, 60, 60))
    m.patch("back", cargo, cargo_size, (0.05, 0.15, 0.02, 0.08), (40, 40, 210), ROLE_TAILLIGHT)
    m.patch("back", cargo, cargo_size, (0.85, 0.95, 0.02, 0.08), (40, 40, 210), ROLE_TAILLIGHT)
    m.box(cab, cab_size, cab_colour, layer=1)
    m.patch("front", cab, cab_size, (0.06, 0.94, 0.5, 0.92), GLASS, ROLE_GLASS)
    for face in ("left", "right"):
        m.patch(face, cab, cab_size, (0.1, 0.6, 0.5, 0.9), GLASS, ROLE_GLASS)
    m.patch("front", cab, cab_size, (0.05, 0.2, 0.12, 0.22), (215, 235, 240), ROLE_HEADLIGHT)
    m.patch("front", cab, cab_size, (0.8, 0.95, 0.12, 0.22), (215, 235, 240), ROLE_HEADLIGHT)
    for side in (1, -1):
        for a in (length / 2 - 1.1, -length / 2 + 1.4, -length / 2 + 2.5):
            m.wheel(a, side * (width / 2 + 0.03), 0.5, side)
    return m.build(length, width, 1.0 + max(cargo_h, 1.8))


def _rider(
    m: _ModelBuilder,
    index: int,
    a: float,
    seat_z: float,
    rng: np.random.Generator,
    conical_hat: bool = False,
) -> None:
    clothes = _pick(rng, CLOTHES)
    m.box((a, 0.0, seat_z + 0.3), (0.34, 0.44, 0.6), clothes, layer=3, rider=index)
    legs_bottom, legs_top = 0.35, seat_z + 0.05  # feet on the foot pegs
    m.box(
        (a + 0.25, 0.0, (legs_bottom + legs_top) / 2),
        (0.4, 0.46, legs_top - legs_bottom),
        _pick(rng, CLOTHES[:4]),
        layer=3,
        rider=index,
    )
    if conical_hat:
        m.box((a, 0.0, seat_z + 0.68), (0.5, 0.5, 0.14), (150, 200, 215), layer=4, rider=index)
    else:
        m.box(
            (a + 0.02, 0.0, seat_z + 0.73),
            (0.28, 0.26, 0.26),
            _pick(rng, HELMETS),
            layer=4,
            rider=index,
        )


def _two_wheeler(rng: np.random.Generator, bicycle: bool) -> ActorModel:
    m = _ModelBuilder()
    length = 1.75 if bicycle else float(rng.uniform(1.8, 2.0))
    width = 0.45 if bicycle else 0.68
    colour = _pick(rng, BIKE_COLOURS)
    radius = 0.34 if bicycle else 0.29
    frame = (0.0, 0.0, 0.55 if bicycle else 0.52)
    frame_size = (length * 0.7, 0.12 if bicycle else width * 0.7, 0.3 if bicycle else 0.5)
    m.box(frame, frame_size, colour, layer=1)
    if not bicycle:
        m.box((length * 0.36, 0.0, 0.78), (0.3, width * 0.9, 0.4), colour, layer=1)
        m.patch(
            "front",
            (length * 0.36, 0.0, 0.78),
            (0.3, width * 0.9, 0.4),
            (0.3, 0.7, 0.45, 0.8),
            (215, 235, 240),
            ROLE_HEADLIGHT,
        )
        m.patch("back", frame, frame_size, (0.35, 0.65, 0.6, 0.9), (40, 40, 200), ROLE_TAILLIGHT)
    for side in (1, -1):
        for a in (length / 2 - radius, -length / 2 + radius):
            m.wheel(a, side * 0.06, radius, side)
    seat_z = 0.95 if bicycle else 0.85
    _rider(m, 0, -0.1, seat_z, rng, conical_hat=bicycle and rng.random() < 0.5)
    if not bicycle and rng.random() < 0.2:
        _rider(m, 1, -0.5, seat_z + 0.05, rng)
    return m.build(length, width, seat_z + 0.9)


def _pedestrian(rng: np.random.Generator) -> ActorModel:
    m = _ModelBuilder()
    m.box((0.0, 0.0, 0.43), (0.28, 0.34, 0.86), _pick(rng, CLOTHES[:4]), layer=1)
    m.box((0.0, 0.0, 1.17), (0.28, 0.44, 0.62), _pick(rng, CLOTHES), layer=2)
    if rng.random() < 0.3:
        m.box((0.0, 0.0, 1.58), (0.5, 0.5, 0.12), (150, 200, 215), layer=3)
    else:
        m.box((0.0, 0.0, 1.6), (0.22, 0.22, 0.24), (35, 40, 50), layer=3)
    return m.build(0.3, 0.5, 1.72)


def build_model(class_name: str, rng: np.random.Generator) -> ActorModel:
    """A freshly varied model of ``class_name`` (COCO name)."""
    if class_name == "car":
        return _car(rng)
    if class_name == "bus":
        return _bus(rng)
    if class_name == "truck":
        return _truck(rng)
    if class_name == "motorcycle":
        return _two_wheeler(rng, bicycle=False)
    if class_name == "bicycle":
        return _two_wheeler(rng, bicycle=True)
    if class_name == "person":
        return _pedestrian(rng)
    raise ValueError(f"no model for class {class_name!r}")
