"""Camera assignment across analytics nodes: fair shares, takes, gradual moves."""

from __future__ import annotations

from console.bus.assignment import fair_shares, plan

CAMERAS = [f"cam-{i:02d}" for i in range(12)]


def test_shares_follow_capacity_and_never_exceed_it() -> None:
    assert fair_shares({"a": 8, "b": 8, "c": 8}, 12) == {"a": 4, "b": 4, "c": 4}
    assert fair_shares({"a": 4, "b": 12}, 12) == {"a": 3, "b": 9}
    assert fair_shares({"a": 2, "b": 20}, 12) == {"a": 1, "b": 11}
    assert fair_shares({"a": 3, "b": 3}, 12) == {"a": 3, "b": 3}  # not all fit: 6 unowned
    shares = fair_shares({"a": 5, "b": 5, "c": 5}, 7)
    assert sum(shares.values()) == 7 and max(shares.values()) - min(shares.values()) <= 1


def test_a_starting_node_takes_free_cameras_up_to_its_share() -> None:
    decided = plan("a", {"a": 8, "b": 8}, {}, CAMERAS)
    assert len(decided.take) == 6 and not decided.release
    other = plan("b", {"a": 8, "b": 8}, {}, CAMERAS)
    # Rendezvous preference: the two nodes reach for mostly different cameras first.
    assert len(set(decided.take) & set(other.take)) < 6


def test_dead_nodes_cameras_are_taken_by_the_survivors() -> None:
    owners = {camera: "b" for camera in CAMERAS[6:]} | {camera: "a" for camera in CAMERAS[:6]}
    alive_a_only = {c: o for c, o in owners.items() if o == "a"}  # b's leases lapsed
    decided = plan("a", {"a": 12}, alive_a_only, CAMERAS)
    assert set(decided.take) == set(CAMERAS[6:])


def test_a_joining_node_gets_cameras_one_release_per_round() -> None:
    owners = {camera: "a" for camera in CAMERAS}
    decided = plan("a", {"a": 12, "b": 12}, owners, CAMERAS)
    assert len(decided.release) == 1 and not decided.take
    assert plan("b", {"a": 12, "b": 12}, owners, CAMERAS).take == ()  # nothing free yet
    balanced = {camera: ("a" if i < 6 else "b") for i, camera in enumerate(CAMERAS)}
    assert plan("a", {"a": 12, "b": 12}, balanced, CAMERAS).release == ()


def test_a_node_over_its_capacity_gives_up_the_excess() -> None:
    owners = {camera: "a" for camera in CAMERAS[:6]}
    decided = plan("a", {"a": 4}, owners, CAMERAS)
    assert len(decided.release) == 2


def test_no_release_while_free_cameras_remain_for_the_short_node() -> None:
    owners = {camera: "a" for camera in CAMERAS[:8]}
    decided = plan("a", {"a": 12, "b": 12}, owners, CAMERAS)
    assert decided.release == ()  # b takes the 4 free ones first
