"""``roadwatch node``: an analytics node on the site bus (headless, leases cameras)."""

from __future__ import annotations

import argparse
import logging
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from types import FrameType

from rich.console import Console

from console.app.open_site import Role, open_site
from console.bus.client import BusClient
from console.bus.node import AnalyticsNode, NodeOptions
from console.cli.analyze import _exit_now, _start_unless_stopped, render_sim_clips
from console.cli.commands import Commands
from console.config.site_file import ConfigError, load_site
from console.detect.model import ModelLoadError
from console.install.layout import site_to_use
from console.pipeline.runtime import RuntimeOptions
from console.store.migrate import SchemaTooNewError

log = logging.getLogger(__name__)


def register(commands: Commands) -> None:
    parser = commands.add_parser(
        "node",
        help="run an analytics node: analyse the cameras it leases on the site bus",
        description="Join the site bus (the site file's bus: section), take camera leases up "
        "to --capacity, analyse those cameras and publish alerts, tracks and health. Other "
        "nodes take over its cameras within seconds when it stops or dies.",
    )
    parser.add_argument("site_file", nargs="?", type=Path, help="site file (default: provisioned)")
    parser.add_argument("--node-id", default=None, help="this node's name (default: host name)")
    parser.add_argument(
        "--capacity", type=int, default=None, help="cameras to analyse at most (bus.node_capacity)"
    )
    parser.add_argument("--duration", type=float, default=None, help="stop after S seconds")
    parser.add_argument("--database", type=Path, default=None, help="local store file")
    parser.add_argument("--evidence-dir", type=Path, default=None, help="where evidence goes")
    parser.add_argument(
        "--status-interval", type=float, default=10.0, help="seconds between status lines (10)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        del frame
        log.info("signal %d: stopping", signum)
        stop.set()

    previous = {s: signal.signal(s, request_stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        return _run(args, stop)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _run(args: argparse.Namespace, stop: threading.Event) -> int:
    path, _origin = site_to_use(args.site_file, demo=False)
    try:
        site = load_site(path)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 1
    if site.bus is None:
        print(
            f"{path}: the site file has no bus: section; add one (docs/DEPLOY.md) to run nodes",
            file=sys.stderr,
        )
        return 1
    capacity = args.capacity or site.bus.node_capacity
    if capacity < 1:
        print("--capacity must be at least 1", file=sys.stderr)
        return 2
    node_id = args.node_id or socket.gethostname()
    options = RuntimeOptions(start_cameras=False, sized_for=capacity)
    try:
        opened = open_site(
            site,
            role=Role.NODE,
            base_dir=path.parent,
            database=args.database,
            evidence_folder=args.evidence_dir,
            options=options,
            console_id=node_id,
        )
    except SchemaTooNewError as error:
        print(f"cannot start the node: {error}", file=sys.stderr)
        return 1
    render_sim_clips(site, Console(stderr=True), stop)
    failure = _start_unless_stopped(opened, stop)
    if isinstance(failure, ModelLoadError):
        print(f"cannot start the node: {failure}", file=sys.stderr)
        opened.stop()
        return 1
    if failure is not None:
        raise failure
    if stop.is_set():
        opened.stop()
        _exit_now()
    opened.start_services()
    client = BusClient(site.bus, name=f"roadwatch-node-{node_id}")
    node = AnalyticsNode(opened, client, NodeOptions(node_id=node_id, capacity=capacity))
    node.start()
    print(f"node {node_id}: capacity {capacity} camera(s), joining the bus", flush=True)
    started = time.monotonic()
    deadline = started + args.duration if args.duration is not None else None
    next_status = started + args.status_interval
    try:
        while not stop.is_set():
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                break
            wake = next_status if deadline is None else min(next_status, deadline)
            if stop.wait(max(0.0, wake - now)):
                break
            if time.monotonic() >= next_status:
                print(_status_line(node, time.monotonic() - started), flush=True)
                next_status += args.status_interval
    finally:
        try:
            node.stop()
        finally:
            opened.stop()
    print(f"node {node_id}: stopped, its cameras handed back", flush=True)
    _exit_now()


def _status_line(node: AnalyticsNode, elapsed_s: float) -> str:
    bus = "bus online" if node.client.connected.is_set() else "BUS OFFLINE (alerts kept)"
    cameras = ", ".join(node.cameras) or "none"
    return (
        f"{elapsed_s:7.0f} s  {bus}  cameras {len(node.cameras)}/{node.options.capacity}: "
        f"{cameras}  outbox {node.outbox.waiting}  sent {node.outbox.sent}"
    )
