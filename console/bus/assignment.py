"""Which cameras a node should take or give up: a pure function of what the bus shows.

Every node runs the same plan on the same snapshot (live nodes with their capacity, the
cameras' current owners), so they agree on each node's fair share without talking to each
other; the key-value bucket's compare-and-set decides who wins a camera two nodes reach
for at once. Shares are proportional to capacity and never above it. A node above its share
gives up one camera per round while another node is below its share (gradual moves when a
node joins); free cameras are taken at once (a dead node's cameras within one round).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Plan:
    take: tuple[str, ...]  # free cameras to try to lease, best first
    release: tuple[str, ...]  # own cameras to give up this round


def fair_shares(capacities: Mapping[str, int], cameras: int) -> dict[str, int]:
    """Cameras per node: proportional to capacity, capped by it, all placed when they fit.

    Water-filling with largest remainders; ties go to the node id that sorts first, so
    every node computes the same shares.
    """
    shares = dict.fromkeys(capacities, 0)
    remaining = min(cameras, sum(capacities.values()))
    open_nodes = sorted(node for node, capacity in capacities.items() if capacity > 0)
    while remaining > 0 and open_nodes:
        total = sum(capacities[node] - shares[node] for node in open_nodes)
        room = {node: capacities[node] - shares[node] for node in open_nodes}
        exact = {node: remaining * room[node] / total for node in open_nodes}
        given = {node: min(room[node], int(exact[node])) for node in open_nodes}
        left = remaining - sum(given.values())
        by_remainder = sorted(open_nodes, key=lambda n: (-(exact[n] - int(exact[n])), n))
        for node in by_remainder:
            if left <= 0:
                break
            if given[node] < room[node]:
                given[node] += 1
                left -= 1
        for node in open_nodes:
            shares[node] += given[node]
        remaining -= sum(given.values())
        open_nodes = [node for node in open_nodes if shares[node] < capacities[node]]
    return shares


def preference(node: str, camera: str) -> int:
    """Rendezvous score: each node prefers different free cameras, so fewer races."""
    digest = hashlib.blake2b(f"{node}\0{camera}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def plan(
    me: str,
    capacities: Mapping[str, int],
    owners: Mapping[str, str],
    cameras: Sequence[str],
) -> Plan:
    """What ``me`` should do now.

    ``capacities``: live nodes (``me`` included) and the cameras each can analyse;
    ``owners``: camera -> node holding its lease; ``cameras``: the site's enabled cameras.
    """
    shares = fair_shares(capacities, len(cameras))
    mine = [camera for camera in cameras if owners.get(camera) == me]
    free = [camera for camera in cameras if camera not in owners]
    share = shares.get(me, 0)
    if len(mine) < share:
        wanted = sorted(free, key=lambda camera: preference(me, camera), reverse=True)
        return Plan(take=tuple(wanted[: share - len(mine)]), release=())
    if len(mine) > share:
        held = {node: 0 for node in capacities}
        for camera in cameras:
            owner = owners.get(camera)
            if owner in held:
                held[owner] += 1
        # Another node below its share and no free camera for it to take: make room.
        someone_short = not free and any(
            held[node] < shares[node] for node in capacities if node != me
        )
        over_capacity = len(mine) > capacities.get(me, 0)
        if someone_short or over_capacity:
            count = len(mine) - capacities.get(me, 0) if over_capacity else 1
            least_preferred = sorted(mine, key=lambda camera: preference(me, camera))
            return Plan(take=(), release=tuple(least_preferred[:count]))
    return Plan(take=(), release=())
