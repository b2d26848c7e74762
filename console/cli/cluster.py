"""``roadwatch cluster status``: analytics nodes, camera leases and unowned cameras."""

from __future__ import annotations

import argparse
import json
import socket
import sys
from pathlib import Path

from console.bus.client import BusClient, BusUnavailableError
from console.bus.cluster_view import ClusterView, read_cluster
from console.bus.streams import ensure_site_streams
from console.bus.subjects import SiteSubjects
from console.cli.commands import Commands, add_group
from console.config.secrets import mask_url
from console.config.site_file import ConfigError, load_site
from console.install.layout import site_to_use


def register(commands: Commands) -> None:
    group = add_group(commands, "cluster", "the site's analytics nodes on the bus")
    status = group.add_parser("status", help="nodes, capacity, leases, unowned cameras, lag")
    status.add_argument("site_file", nargs="?", type=Path, help="site file (default: provisioned)")
    status.add_argument("--json", dest="as_json", action="store_true", help="one JSON object")
    status.add_argument("--timeout", type=float, default=5.0, help="seconds to reach the bus (5)")
    status.set_defaults(handler=run_status)


def run_status(args: argparse.Namespace) -> int:
    path, _origin = site_to_use(args.site_file, demo=False)
    try:
        site = load_site(path)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 1
    if site.bus is None:
        print(f"{path}: the site has no bus: section (standalone consoles)", file=sys.stderr)
        return 1
    bus = site.bus
    client = BusClient(bus, name=f"roadwatch-status-{socket.gethostname()}")
    subjects = SiteSubjects(site.site.id)
    client.on_connect(lambda: ensure_site_streams(client.js, subjects, bus.lease_ttl_s))
    client.start()
    try:
        if not client.wait_connected(args.timeout):
            servers = ", ".join(mask_url(s) for s in bus.servers)
            print(
                f"the bus ({servers}) did not answer within {args.timeout:.0f} s", file=sys.stderr
            )
            return 1
        try:
            view = read_cluster(client, site)
        except BusUnavailableError as error:
            print(f"the bus stopped answering: {error}", file=sys.stderr)
            return 1
    finally:
        client.stop()
    if args.as_json:
        print(json.dumps(view.as_json(), ensure_ascii=False, indent=2))
    else:
        print(render(view))
    return 0


def render(view: ClusterView) -> str:
    data = view.as_json()
    lines = [
        f"site {view.site_id}: {len(view.nodes)} node(s), capacity {view.capacity}, "
        f"{len(view.leases)}/{len(view.enabled_cameras)} camera(s) analysed, "
        f"{len(view.unowned)} unowned, {view.alerts_kept} message(s) kept on the alerts stream",
        "",
        f"{'node':<20} {'cams':>5} {'cap':>4} {'fps':>6} {'outbox':>6} {'beat':>6}  cameras",
    ]
    for node in data["nodes"]:
        lines.append(
            f"{node['node'][:20]:<20} {len(node['cameras']):>5} {node['capacity']:>4} "
            f"{node['analysed_fps']:>6.1f} {node['outbox_waiting']:>6} "
            f"{node['heartbeat_age_s']:>5.1f}s  {', '.join(node['cameras'])}"
        )
    if view.unowned:
        lines += ["", "UNOWNED (no node analyses them): " + ", ".join(view.unowned)]
    return "\n".join(lines)
