"""``roadwatch demo-cluster``: the whole cluster on one machine, for a newcomer to see.

A local ``nats-server -js``, two analytics nodes sharing the demo site's cameras, and a
display console (or two) showing what the nodes find. Everything lives in one folder
(``--folder``, default: the data folder's ``demo-cluster``); Ctrl-C or closing the last
console stops it all.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import FrameType

from rich.console import Console
from ruamel.yaml import YAML

from console.bus.local_server import LocalNatsServer, NatsServerMissingError, free_port
from console.cli.analyze import render_sim_clips
from console.cli.commands import Commands
from console.config.site_file import demo_site_path, load_site
from console.paths import data_dir

ROADWATCH = [sys.executable, "-m", "console.cli.main"]


def register(commands: Commands) -> None:
    parser = commands.add_parser(
        "demo-cluster",
        help="a local bus, two analytics nodes and a display console on the demo site",
        description=__doc__,
    )
    parser.add_argument("--folder", type=Path, default=None, help="where it all keeps its files")
    parser.add_argument("--consoles", type=int, default=1, choices=(0, 1, 2), help="consoles (1)")
    parser.add_argument("--nodes", type=int, default=2, help="analytics nodes (2)")
    parser.add_argument("--capacity", type=int, default=5, help="cameras per node (5)")
    parser.add_argument("--duration", type=float, default=None, help="stop after S seconds")
    parser.set_defaults(handler=run)


def cluster_site_file(folder: Path, server_url: str) -> Path:
    """The demo site with a ``bus:`` section pointing at ``server_url``."""
    yaml = YAML()
    data = yaml.load(demo_site_path().read_text(encoding="utf-8"))
    data["bus"] = {"servers": [server_url], "lease_ttl_s": 5.0}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "site.yaml"
    with path.open("w", encoding="utf-8") as file:
        yaml.dump(data, file)
    return path


def run(args: argparse.Namespace) -> int:
    folder: Path = args.folder or data_dir() / "demo-cluster"
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        del signum, frame
        stop.set()

    previous = {s: signal.signal(s, request_stop) for s in (signal.SIGINT, signal.SIGTERM)}
    server = LocalNatsServer(folder / "nats", port=free_port())
    children: list[subprocess.Popen[bytes]] = []
    try:
        try:
            server.start()
        except NatsServerMissingError as error:
            print(f"cannot start the local bus: {error}", file=sys.stderr)
            return 1
        site_file = cluster_site_file(folder, server.url)
        print(f"bus {server.url}; site file {site_file}", flush=True)
        # Once here, not in each process: the nodes and consoles then play the files.
        render_sim_clips(load_site(site_file), Console(), stop)
        for number in range(1, args.nodes + 1):
            node_folder = folder / f"node-{number}"
            node_folder.mkdir(parents=True, exist_ok=True)
            command = [
                *ROADWATCH,
                "node",
                str(site_file),
                "--node-id",
                f"node-{number}",
                "--capacity",
                str(args.capacity),
                "--database",
                str(node_folder / "roadwatch.sqlite"),
                "--evidence-dir",
                str(node_folder / "evidence"),
            ]
            log = (node_folder / "node.log").open("ab")
            children.append(subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT))
            print(f"node-{number}: log {node_folder / 'node.log'}", flush=True)
        consoles: list[subprocess.Popen[bytes]] = []
        for number in range(1, args.consoles + 1):
            environment = dict(os.environ, ROADWATCH_DATA_DIR=str(folder / f"console-{number}"))
            consoles.append(
                subprocess.Popen([*ROADWATCH, "--site", str(site_file)], env=environment)
            )
        children.extend(consoles)
        print(
            "running: `roadwatch cluster status "
            f"{site_file}` shows nodes and leases; Ctrl-C stops everything",
            flush=True,
        )
        started = time.monotonic()
        while not stop.wait(0.5):
            if consoles and all(console.poll() is not None for console in consoles):
                break
            if args.duration is not None and time.monotonic() - started >= args.duration:
                break
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(30)
            except subprocess.TimeoutExpired:
                child.kill()
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
