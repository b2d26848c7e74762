"""Per-frame drawing: moving road users, signal lamps, lights, rain, noise and shake.

Everything static comes from a background rendered once; a frame is a crop of it (the crop
offset is the camera shake) with the actors' polygons filled back to front on top.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import cv2
import numpy as np

from console.sim.actors import ROLE_GLASS, ROLE_HEADLIGHT, ROLE_TAILLIGHT
from console.sim.camera import NEAR_PLANE_M, PinholeCamera
from console.sim.layout import Occluder
from console.sim.paint import SUBPIXEL, SUBPIXEL_BITS
from console.sim.records import Lighting, SignalState
from console.sim.traffic import Actor

DETAIL_MIN_PX = 28.0  # below this projected height an actor is drawn without windows/wheels
MIN_FACE_AREA_PX = 1.5
SMOOTH_FACE_AREA_PX = 120.0
RIDER_SLOTS = 3  # the vehicle plus up to two riders
LIGHT_GAIN = {Lighting.DAY: 1.0, Lighting.DUSK: 0.72, Lighting.NIGHT: 0.26}
SHADOW_ALPHA = {Lighting.DAY: 0.55, Lighting.DUSK: 0.7, Lighting.NIGHT: 0.8}
SUN_OFFSET = np.array([0.35, 0.15])  # shadow displacement per metre of height


@dataclass(frozen=True, slots=True)
class ActorBoxes:
    """One actor as drawn in a frame.

    A snapshot of its state and its unclipped pixel boxes (and its riders'), so ground
    truth can be built later, after the actor has moved on.
    """

    track_id: int
    class_name: str
    rider_ids: tuple[int, ...]
    x_m: float
    y_m: float
    speed_mps: float
    heading_rad: float
    box: np.ndarray  # (4,) x1, y1, x2, y2
    rider_boxes: tuple[np.ndarray, ...]
    depth_m: float
    fully_in_front: bool  # False when part of it is behind the lens (its box is meaningless)
    hidden_by_scenery: float = 0.0  # share of the box behind static occluders


class _Packed:
    """All actors' polygons stacked into flat arrays, rebuilt when the actor set changes."""

    def __init__(self, actors: list[Actor]) -> None:
        models = [a.model for a in actors]
        counts = np.array([len(m.polys) for m in models])
        self.key = tuple(a.track_id for a in actors)
        self.owner = np.repeat(np.arange(len(actors)), counts)
        self.polys = np.concatenate([m.polys for m in models])
        self.normals = np.concatenate([m.normals for m in models])
        self.colours = np.concatenate([m.colours for m in models])
        self.roles = np.concatenate([m.roles for m in models])
        self.detail = np.concatenate([m.detail for m in models])
        self.rider = np.concatenate([m.rider_index for m in models])
        part_offsets = np.cumsum([0] + [len(m.part_layer) for m in models])[:-1]
        self.part = np.concatenate([m.parts for m in models]) + np.repeat(part_offsets, counts)
        self.part_layer = np.concatenate([m.part_layer for m in models])
        self.part_centre = np.concatenate([m.part_centre for m in models])
        self.part_owner = np.repeat(np.arange(len(actors)), [len(m.part_layer) for m in models])
        self.centroids = self.polys.mean(axis=1)
        self.has_normal = self.normals.any(axis=1)


def _rotate(local: np.ndarray, cos: np.ndarray, sin: np.ndarray) -> np.ndarray:
    """Rotate local (a, b, z) points about z; ``cos``/``sin`` broadcast over leading axes."""
    a, b = local[..., 0], local[..., 1]
    return np.stack([a * cos - b * sin, a * sin + b * cos, local[..., 2]], axis=-1)


class ActorRenderer:
    def __init__(
        self, camera: PinholeCamera, lighting: Lighting, occluders: tuple[Occluder, ...] = ()
    ) -> None:
        self.camera = camera
        self.lighting = lighting
        self.occluders = occluders
        self._packed_cache: dict[tuple[int, ...], _Packed] = {}
        self._sprites: dict[tuple[int, int], np.ndarray] = {}

    def draw(
        self,
        image: np.ndarray,
        actors: list[Actor],
        offset: tuple[int, int],
        scenery: np.ndarray | None = None,
        mask: np.ndarray | None = None,
    ) -> list[ActorBoxes]:
        """Draw ``actors`` into ``image``; pixel coordinates shift by ``-offset`` (shake).

        With ``scenery`` (the background crop) and its occluder ``mask``, road users behind
        an occluder are drawn first and the occluder is pasted back over them.
        """
        actors = self._in_view(actors, image.shape[1], image.shape[0])
        if mask is None or scenery is None or not self.occluders:
            return self._draw(image, actors, offset)
        if not actors:
            return []
        flags = self._behind_occluders(actors)
        behind = [a for a, flag in zip(actors, flags.tolist(), strict=True) if flag]
        if not behind:
            return self._draw(image, actors, offset)
        hidden_ids = {a.track_id for a in behind}
        result = self._draw(image, behind, offset)
        h, w = image.shape[:2]
        hidden = []
        for item in result:
            x1, y1 = max(int(item.box[0]), 0), max(int(item.box[1]), 0)
            x2, y2 = min(int(np.ceil(item.box[2])) + 1, w), min(int(np.ceil(item.box[3])) + 1, h)
            if x2 <= x1 or y2 <= y1:
                hidden.append(0.0)
                continue
            covered = mask[y1:y2, x1:x2] > 0
            np.copyto(image[y1:y2, x1:x2], scenery[y1:y2, x1:x2], where=covered[:, :, None])
            full = max((item.box[2] - item.box[0]) * (item.box[3] - item.box[1]), 1.0)
            hidden.append(min(float(np.count_nonzero(covered)) / full, 1.0))
        result = [
            replace(item, hidden_by_scenery=share)
            for item, share in zip(result, hidden, strict=True)
        ]
        result += self._draw(image, [a for a in actors if a.track_id not in hidden_ids], offset)
        return result

    def _behind_occluders(self, actors: list[Actor]) -> np.ndarray:
        """Which actors stand behind a static occluder.

        Behind means the sight line from the camera to the actor crosses the occluder.
        """
        camera = self.camera.position[:2]
        pos = np.array([(a.x_m, a.y_m) for a in actors])
        t = np.array([0.5, 0.7, 0.85])
        line = camera[None, None, :] + (pos[:, None, :] - camera[None, None, :]) * t[None, :, None]
        behind = np.zeros(len(actors), dtype=bool)
        for block in self.occluders:
            inside = (
                (line[..., 0] >= block.x0_m)
                & (line[..., 0] <= block.x1_m)
                & (line[..., 1] >= block.y0_m)
                & (line[..., 1] <= block.y1_m)
            )
            behind |= inside.any(axis=1)
        return behind

    def _draw(
        self, image: np.ndarray, actors: list[Actor], offset: tuple[int, int]
    ) -> list[ActorBoxes]:
        if not actors:
            return []
        key = tuple(a.track_id for a in actors)
        packed = self._packed_cache.get(key)
        if packed is None:
            if len(self._packed_cache) > 4:
                self._packed_cache.clear()
            packed = self._packed_cache[key] = _Packed(actors)
        cam = self.camera
        n_actors = len(actors)
        pos = np.array([(a.x_m, a.y_m) for a in actors])
        heading = np.array([a.heading_rad for a in actors])
        cos_a, sin_a = np.cos(heading), np.sin(heading)
        actor_depth = cam.depth(np.column_stack([pos, np.zeros(n_actors)]))
        actor_height = np.array([a.model.height_m for a in actors])
        tall = actor_height * cam.focal_px / np.maximum(actor_depth, NEAR_PLANE_M) >= DETAIL_MIN_PX

        # Cull back faces and small actors' details before touching vertices: a face's
        # normal and centroid are enough to know it cannot be seen.
        owner_all = packed.owner
        normals = _rotate(packed.normals, cos_a[owner_all], sin_a[owner_all])
        centroid = _rotate(packed.centroids, cos_a[owner_all], sin_a[owner_all])
        centroid[:, :2] += pos[owner_all]
        facing = np.einsum("ij,ij->i", normals, cam.position - centroid)
        keep_detail = ~packed.detail | tall[owner_all]
        if self.lighting is not Lighting.DAY:  # lamps are what you see of traffic at night
            keep_detail |= (packed.roles == ROLE_HEADLIGHT) | (packed.roles == ROLE_TAILLIGHT)
        candidate = ((facing > 0) | ~packed.has_normal) & keep_detail
        index = np.nonzero(candidate)[0]
        owner = owner_all[index]

        world = _rotate(packed.polys[index], cos_a[owner, None], sin_a[owner, None])
        world[..., 0] += pos[owner, 0, None]
        world[..., 1] += pos[owner, 1, None]
        cam_pts = cam.to_camera(world)
        depth = cam_pts[..., 2]
        shift = np.array(offset, dtype=np.float64)
        safe = np.maximum(depth, NEAR_PLANE_M)
        pix = np.empty(world.shape[:-1] + (2,))
        pix[..., 0] = cam.focal_px * cam_pts[..., 0] / safe + cam.cx - shift[0]
        pix[..., 1] = cam.focal_px * cam_pts[..., 1] / safe + cam.cy - shift[1]
        in_front = depth.min(axis=1) > NEAR_PLANE_M

        # The front faces of a solid outline its whole silhouette, so their extent is the box.
        box_lo = pix.min(axis=1)
        box_hi = pix.max(axis=1)
        group = owner * RIDER_SLOTS + (packed.rider[index].astype(np.int64) + 1)
        group_lo = np.full((n_actors * RIDER_SLOTS, 2), np.inf)
        group_hi = np.full((n_actors * RIDER_SLOTS, 2), -np.inf)
        np.minimum.at(group_lo, group, box_lo)
        np.maximum.at(group_hi, group, box_hi)
        w, h = image.shape[1], image.shape[0]
        visible = in_front & (
            (box_hi[:, 0] >= 0) & (box_lo[:, 0] < w) & (box_hi[:, 1] >= 0) & (box_lo[:, 1] < h)
        )
        # sub-pixel faces change nothing visible but cost a call each
        x, y = pix[..., 0], pix[..., 1]
        area = 0.5 * np.abs(np.sum(x * np.roll(y, -1, axis=1) - np.roll(x, -1, axis=1) * y, axis=1))
        visible &= area >= MIN_FACE_AREA_PX

        part_world = _rotate(packed.part_centre, cos_a[packed.part_owner], sin_a[packed.part_owner])
        part_world[:, :2] += pos[packed.part_owner]
        part_depth = np.linalg.norm(part_world - cam.position, axis=1)

        self._draw_shadows(image, actors, pos, cos_a, sin_a, actor_depth, shift)

        draw = np.nonzero(visible)[0]  # positions within ``index``
        part = packed.part[index[draw]]
        order = np.lexsort(
            (index[draw], -part_depth[part], packed.part_layer[part], -actor_depth[owner[draw]])
        )
        draw = draw[order]
        colours = self._colours(packed, index[draw])
        pts = list(np.round(pix[draw] * SUBPIXEL).astype(np.int32))
        # anti-aliasing doubles the cost of a fill; it only shows on big faces
        line_types = np.where(area[draw] >= SMOOTH_FACE_AREA_PX, cv2.LINE_AA, cv2.LINE_8).tolist()
        fill = cv2.fillConvexPoly
        for points, colour, line_type in zip(pts, colours, line_types, strict=True):
            fill(image, points, colour, line_type, SUBPIXEL_BITS)
        if self.lighting is not Lighting.DAY:
            self._glows(image, packed.roles[index[draw]], pix[draw])

        actor_in_front = np.ones(n_actors, dtype=bool)
        np.logical_and.at(actor_in_front, owner, in_front)
        boxes = np.concatenate([group_lo, group_hi], axis=1).reshape(n_actors, RIDER_SLOTS, 4)
        result = []
        for i, actor in enumerate(actors):
            riders = tuple(boxes[i, 1 + r] for r in range(len(actor.rider_ids)))
            result.append(
                ActorBoxes(
                    actor.track_id,
                    actor.class_name,
                    actor.rider_ids,
                    float(pos[i, 0]),
                    float(pos[i, 1]),
                    actor.speed_mps,
                    float(heading[i]),
                    boxes[i, 0],
                    riders,
                    float(actor_depth[i]),
                    bool(actor_in_front[i]),
                )
            )
        return result

    def _in_view(self, actors: list[Actor], width: int, height: int) -> list[Actor]:
        """Actors whose bounding sphere reaches the frame (off-screen ones cost nothing)."""
        if not actors:
            return actors
        cam = self.camera
        centres = np.array([(a.x_m, a.y_m, a.model.height_m / 2) for a in actors])
        radius = np.array(
            [0.5 * math.hypot(a.model.length_m, a.model.width_m, a.model.height_m) for a in actors]
        )
        local = cam.to_camera(centres)
        depth = local[:, 2]
        safe = np.maximum(depth, NEAR_PLANE_M)
        u = cam.focal_px * local[:, 0] / safe + cam.cx
        v = cam.focal_px * local[:, 1] / safe + cam.cy
        reach = cam.focal_px * radius / safe + 8.0
        keep = (
            (depth > -radius)
            & (u + reach >= 0)
            & (u - reach < width)
            & (v + reach >= 0)
            & (v - reach < height)
        )
        return [a for a, k in zip(actors, keep.tolist(), strict=True) if k]

    def _colours(self, packed: _Packed, draw: np.ndarray) -> list[tuple[int, int, int]]:
        gain = LIGHT_GAIN[self.lighting]
        colours = packed.colours[draw] * gain
        roles = packed.roles[draw]
        if self.lighting is Lighting.NIGHT:
            colours[roles == ROLE_HEADLIGHT] = (235, 250, 255)
            colours[roles == ROLE_TAILLIGHT] = (70, 70, 255)
            colours[roles == ROLE_GLASS] *= 0.6
        elif self.lighting is Lighting.DUSK:
            colours[roles == ROLE_HEADLIGHT] = (220, 245, 255)
            colours[roles == ROLE_TAILLIGHT] = (60, 60, 240)
        return [tuple(c) for c in np.clip(colours, 0, 255).astype(np.int32).tolist()]

    def _draw_shadows(
        self,
        image: np.ndarray,
        actors: list[Actor],
        pos: np.ndarray,
        cos_a: np.ndarray,
        sin_a: np.ndarray,
        actor_depth: np.ndarray,
        shift: np.ndarray,
    ) -> None:
        """Opaque shadows in a darkened copy of the ground colour under each actor.

        An alpha blend per actor would cost more than all the bodies together.

        The shadow is the footprint swept along the sun direction: the hull of a rectangle
        and its translate, a hexagon whose corners follow from which corner leads the sweep.
        """
        n = len(actors)
        half_l = np.array([a.model.length_m for a in actors]) / 2 + 0.1
        half_w = np.array([a.model.width_m for a in actors]) / 2 + 0.1
        height = np.array([a.model.height_m for a in actors])
        signs = np.array([(1, 1), (-1, 1), (-1, -1), (1, -1)], dtype=np.float64)  # CCW
        corners = np.zeros((n, 4, 3))
        corners[..., 0] = signs[None, :, 0] * half_l[:, None]
        corners[..., 1] = signs[None, :, 1] * half_w[:, None]
        corners = _rotate(corners, cos_a[:, None], sin_a[:, None])
        corners[..., :2] += pos[:, None, :]
        sweep = np.zeros((n, 3))
        if self.lighting is not Lighting.NIGHT:
            sweep[:, :2] = height[:, None] * SUN_OFFSET[None, :]
        lead = np.argmax(np.einsum("nkc,nc->nk", corners, sweep), axis=1)
        pick = (lead[:, None] + np.array([1, 2, 3, 3, 0, 1])[None, :]) % 4
        hexagon = np.take_along_axis(corners, pick[:, :, None], axis=1)
        hexagon[:, 3:, :] += sweep[:, None, :]
        pix = self.camera.project(hexagon) - shift
        darkness = 1.0 - SHADOW_ALPHA[self.lighting]
        h, w = image.shape[:2]
        lo, hi = pix.min(axis=1), pix.max(axis=1)
        keep = (
            (actor_depth > 2.0)
            & (hi[:, 0] >= 0)
            & (lo[:, 0] < w)
            & (hi[:, 1] >= 0)
            & (lo[:, 1] < h)
            & ((hi - lo).max(axis=1) >= 2.0)
        )
        anchor = np.clip(np.round(pix[:, :3].mean(axis=1)).astype(np.int64), 0, [w - 1, h - 1])
        ground = (image[anchor[:, 1], anchor[:, 0]] * darkness).astype(np.int32).tolist()
        pts = list(np.round(pix * SUBPIXEL).astype(np.int32))
        for i in np.nonzero(keep)[0].tolist():
            cv2.fillConvexPoly(image, pts[i], ground[i], cv2.LINE_AA, SUBPIXEL_BITS)

    def _sprite(self, radius: int, role: int) -> np.ndarray:
        key = (radius, role)
        sprite = self._sprites.get(key)
        if sprite is None:
            size = 2 * radius + 1
            yy, xx = np.mgrid[0:size, 0:size] - radius
            falloff = np.exp(-(xx**2 + yy**2) / (2 * (radius / 2.2) ** 2))
            tint = np.array(
                (255, 245, 225) if role == ROLE_HEADLIGHT else (40, 40, 255), np.float32
            )
            strength = 1.0 if self.lighting is Lighting.NIGHT else 0.5
            sprite = np.clip(falloff[:, :, None] * tint * strength, 0, 255).astype(np.uint8)
            self._sprites[key] = sprite
        return sprite

    def _glows(self, image: np.ndarray, roles: np.ndarray, pix: np.ndarray) -> None:
        """Add a soft halo around every visible lamp face (headlights, tail lights)."""
        h, w = image.shape[:2]
        for k in np.nonzero((roles == ROLE_HEADLIGHT) | (roles == ROLE_TAILLIGHT))[0]:
            cx, cy = pix[k].mean(axis=0)
            extent = float(np.ptp(pix[k][:, 0]))
            role = int(roles[k])
            scale = 3.0 if role == ROLE_HEADLIGHT else 2.0
            radius = int(min(max(extent * scale, 3), 60))
            x0, y0 = int(cx) - radius, int(cy) - radius
            x1, y1 = x0 + 2 * radius + 1, y0 + 2 * radius + 1
            if x1 <= 0 or y1 <= 0 or x0 >= w or y0 >= h:
                continue
            sprite = self._sprite(radius, role)
            sx0, sy0 = max(-x0, 0), max(-y0, 0)
            sx1, sy1 = sprite.shape[1] - max(x1 - w, 0), sprite.shape[0] - max(y1 - h, 0)
            roi = image[max(y0, 0) : min(y1, h), max(x0, 0) : min(x1, w)]
            cv2.add(roi, sprite[sy0:sy1, sx0:sx1], dst=roi)


class SignalLamps:
    """The signal head's three lamps and countdown, redrawn each frame at fixed pixels."""

    def __init__(self, camera: PinholeCamera, head_xyz: tuple[float, float, float]) -> None:
        x, y, z = head_xyz
        housing = np.array(
            [
                [x - 0.2, y - 0.1, z],
                [x + 0.2, y - 0.1, z],
                [x + 0.2, y - 0.1, z + 1.05],
                [x - 0.2, y - 0.1, z + 1.05],
            ]
        )
        self.housing = camera.project(housing)
        countdown = np.array(
            [
                [x - 0.3, y - 0.1, z - 0.45],
                [x + 0.3, y - 0.1, z - 0.45],
                [x + 0.3, y - 0.1, z - 0.05],
                [x - 0.3, y - 0.1, z - 0.05],
            ]
        )
        self.countdown = camera.project(countdown)
        self.lamps = {}
        for state, dz in (
            (SignalState.RED, 0.85),
            (SignalState.AMBER, 0.525),
            (SignalState.GREEN, 0.2),
        ):
            centre = camera.project(np.array([x, y - 0.12, z + dz]))
            depth = float(camera.depth(np.array([x, y, z + dz])))
            self.lamps[state] = (centre, camera.pixels_per_metre(depth) * 0.13)

    def roi(self) -> np.ndarray:
        """Pixel box (x1, y1, x2, y2) of the lamp housing, in unshaken frame coordinates."""
        return np.concatenate([self.housing.min(axis=0), self.housing.max(axis=0)])

    def draw(
        self, image: np.ndarray, state: SignalState, remaining_s: float, offset: tuple[int, int]
    ) -> None:
        shift = np.array(offset, dtype=np.float64)
        body = np.round((self.housing - shift) * SUBPIXEL).astype(np.int32)
        cv2.fillConvexPoly(image, body, (22, 24, 26), cv2.LINE_AA, SUBPIXEL_BITS)
        lit_colour = {
            SignalState.RED: (50, 40, 255),
            SignalState.AMBER: (30, 190, 255),
            SignalState.GREEN: (150, 255, 60),
        }
        for lamp_state, (centre, radius) in self.lamps.items():
            c = np.round((centre - shift) * SUBPIXEL).astype(np.int32)
            r = int(round(max(radius, 1.0) * SUBPIXEL))
            colour = lit_colour[lamp_state] if lamp_state is state else (48, 52, 55)
            cv2.circle(image, (int(c[0]), int(c[1])), r, colour, -1, cv2.LINE_AA, SUBPIXEL_BITS)
            if lamp_state is state:
                bright = tuple(min(v + 90, 255) for v in lit_colour[lamp_state])
                cv2.circle(
                    image,
                    (int(c[0]), int(c[1])),
                    max(r // 2, 1),
                    bright,
                    -1,
                    cv2.LINE_AA,
                    SUBPIXEL_BITS,
                )
        panel = self.countdown - shift
        cv2.fillConvexPoly(
            image,
            np.round(panel * SUBPIXEL).astype(np.int32),
            (15, 15, 15),
            cv2.LINE_AA,
            SUBPIXEL_BITS,
        )
        height = float(np.ptp(panel[:, 1]))
        if height >= 8:
            text = f"{min(int(remaining_s) + 1, 99):02d}"
            scale = height / 30.0
            origin = (int(panel[:, 0].min() + height * 0.15), int(panel[:, 1].max() - height * 0.2))
            cv2.putText(
                image,
                text,
                origin,
                cv2.FONT_HERSHEY_SIMPLEX,
                scale,
                lit_colour[state],
                max(int(scale * 2), 1),
                cv2.LINE_AA,
            )
