"""One plate per vehicle: reads from several frames of its track, voted on."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace

from console.domain.plates import PlateColour, PlateRead


def vote(reads: list[PlateRead]) -> PlateRead | None:
    """The reading with the most confidence behind it; valid readings beat invalid ones.

    The result's confidence is its own mean confidence times its share of all the
    confidence cast, so two frames that disagree make a less sure plate than two that agree.
    """
    if not reads:
        return None
    by_key: dict[str, list[PlateRead]] = defaultdict(list)
    for read in reads:
        by_key[read.key].append(read)
    total = sum(read.confidence for read in reads) or 1.0

    def support(key: str) -> tuple[bool, float]:
        group = by_key[key]
        return group[0].valid, sum(read.confidence for read in group)

    winner = max(by_key, key=support)
    group = by_key[winner]
    best = max(group, key=lambda read: read.confidence)
    mean = sum(read.confidence for read in group) / len(group)
    colours = Counter(read.colour for read in reads if read.colour is not PlateColour.UNKNOWN)
    colour = colours.most_common(1)[0][0] if colours else PlateColour.UNKNOWN
    share = sum(read.confidence for read in group) / total
    return replace(
        best, colour=colour, confidence=round(mean * share, 3), frames=len(reads)
    )
