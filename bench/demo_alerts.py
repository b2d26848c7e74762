"""Demo: alerts per incident type in 120 s on this machine, standalone and on the site bus.

``standalone``: ``roadwatch analyze --demo --duration S --events-jsonl F`` (the installed
entry point, one process analysing the demo site's ten cameras). ``cluster``: the demo site
with a ``bus:`` section on a local ``nats-server -js`` and two ``roadwatch node`` processes
(as ``make demo-cluster`` runs them, without a console); alerts are read from the alerts
stream, counting those raised within S seconds of every camera having a lease. The demo
cameras' clips are rendered beforehand (their first-start cost is not counted).
Goal: every incident type the demo site shows raised at least once, each variant.
Prints one JSON object on its last line. Run: python bench/demo_alerts.py [--seconds 120]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support.machine import machine_description  # noqa: E402
from console.bus.client import BusClient  # noqa: E402
from console.bus.history import read_stream  # noqa: E402
from console.bus.leases import LeaseBook  # noqa: E402
from console.bus.local_server import LocalNatsServer  # noqa: E402
from console.bus.messages import AlertMessage, decode  # noqa: E402
from console.bus.streams import ensure_site_streams  # noqa: E402
from console.bus.subjects import SiteSubjects  # noqa: E402
from console.cli.demo_cluster import cluster_site_file  # noqa: E402
from console.config.site import BusSettings  # noqa: E402
from console.config.site_file import demo_site_path, load_site  # noqa: E402
from console.domain.records import utc_now  # noqa: E402
from console.sim.clip_cache import missing_clips, render_missing  # noqa: E402
from tests.integration.bus_support import ROADWATCH, NodeProcess, wait_until  # noqa: E402

# The incident types the demo site's scripted scenarios show (one camera each).
DEMO_TYPES = (
    "wrong_way",
    "red_light",
    "speeding",
    "stopped_vehicle",
    "congestion",
    "lane_violation",
    "pedestrian",
)


def standalone(seconds: float, work: Path) -> dict[str, object]:
    events = work / "events.jsonl"
    done = subprocess.run(
        [
            str(ROADWATCH),
            "analyze",
            "--demo",
            "--duration",
            str(seconds),
            "--events-jsonl",
            str(events),
            "--status-interval",
            "30",
            "--evidence-dir",
            str(work / "evidence"),
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 600,
        check=False,
    )
    lines = events.read_text(encoding="utf-8").splitlines() if events.exists() else []
    counts = Counter(json.loads(line)["type"] for line in lines)
    return {"exit": done.returncode, "alerts": sum(counts.values()), "by_type": dict(counts)}


def cluster(seconds: float, work: Path) -> dict[str, object]:
    server = LocalNatsServer(work / "nats")
    server.start()
    site_file = cluster_site_file(work / "cluster", server.url)
    site = load_site(site_file)
    subjects = SiteSubjects(site.site.id)
    client = BusClient(BusSettings(servers=[server.url]), name="bench-demo")
    client.on_connect(lambda: ensure_site_streams(client.js, subjects, 5.0))
    client.start()
    client.wait_connected(10)
    book = LeaseBook(client, subjects, node_id="observer", ttl_s=5.0)
    nodes = [NodeProcess(site_file, f"node-{n}", work / f"node-{n}", capacity=5) for n in (1, 2)]
    for node in nodes:
        node.start()
    try:
        enabled = sum(c.enabled for c in site.cameras)
        wait_until(lambda: len(book.owners()) == enabled, 300, 1.0)
        leased_at = utc_now()
        time.sleep(seconds)
        kept = read_stream(client, f"{subjects.prefix}.alerts.>", leased_at - timedelta(days=1))
    finally:
        for node in nodes:
            node.stop()
        client.stop()
        server.stop()
    until = leased_at + timedelta(seconds=seconds)
    alerts = [decode(data, AlertMessage) for _subject, data in kept]
    counts = Counter(m.alert.type.value for m in alerts if m.alert.created_at <= until)
    return {
        "alerts": sum(counts.values()),
        "by_type": dict(counts),
        "nodes": len(nodes),
        "cameras_leased_at": leased_at.isoformat(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--variant", choices=("standalone", "cluster", "both"), default="both")
    args = parser.parse_args()
    site = load_site(demo_site_path())
    missing = missing_clips(c.streams.main for c in site.cameras if c.enabled)
    if missing:
        render_missing(missing, None)
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="rw-demo-alerts-") as temp:
        work = Path(temp)
        if args.variant in ("standalone", "both"):
            results["standalone"] = standalone(args.seconds, work / "standalone")
        if args.variant in ("cluster", "both"):
            results["cluster"] = cluster(args.seconds, work / "cluster")
    goals = {
        name: sorted(set(DEMO_TYPES) - set(result["by_type"]))  # type: ignore[index]
        for name, result in results.items()
    }
    print(
        json.dumps(
            {
                "benchmark": "demo_alerts",
                "machine": machine_description(),
                "seconds": args.seconds,
                "at": datetime.now().astimezone().isoformat(),
                **results,
                "missing_types": goals,
                "goal_every_type": all(not missing for missing in goals.values()),
            }
        )
    )


if __name__ == "__main__":
    main()
