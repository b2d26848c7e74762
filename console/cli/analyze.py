"""``roadwatch analyze``: run a whole site without a screen, with a live terminal status."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType
from typing import NoReturn

from rich.console import Console
from rich.progress import Progress

from console.alerts.events_jsonl import EventsJsonl
from console.app.open_site import OpenSite, Role, open_site
from console.cli.analyze_status import LatencyStats, StatusDisplay
from console.config.site_file import ConfigError, SiteConfig, load_site
from console.detect.model import ModelLoadError
from console.install.layout import site_to_use
from console.sim.clip_cache import clip_path, missing_clips, render_missing
from console.store.migrate import SchemaTooNewError

log = logging.getLogger(__name__)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("analyze", help="analyse a site's cameras headless")
    parser.add_argument(
        "site_file",
        nargs="?",
        type=Path,
        help="site file (default: the provisioned one, else the demo)",
    )
    parser.add_argument("--demo", action="store_true", help="use the built-in demo site")
    parser.add_argument("--duration", type=float, default=None, help="stop after S seconds")
    parser.add_argument(
        "--events-jsonl",
        type=Path,
        default=None,
        help="append one JSON line per alert (with evidence paths) to FILE",
    )
    parser.add_argument(
        "--evidence-dir",
        type=Path,
        default=None,
        help="where evidence files go (default: the local data folder)",
    )
    parser.add_argument(
        "--status-interval",
        type=float,
        default=None,
        help="seconds between status updates (default: 1 on a terminal, 10 in a log)",
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
    path, _origin = site_to_use(args.site_file, demo=args.demo)
    try:
        site = load_site(path)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 1
    # Alerts, outages, recordings and evidence are kept as a console keeps them, and reach
    # central storage when the site has one: that is how consoles see what a node found.
    try:
        opened = open_site(
            site, role=Role.ANALYZE, base_dir=path.parent, evidence_folder=args.evidence_dir
        )
    except SchemaTooNewError as error:
        print(f"cannot start analysis: {error}", file=sys.stderr)
        return 1
    runtime, services = opened.runtime, opened.services
    console = Console(stderr=False)
    render_sim_clips(site, console, stop)
    failure = _start_unless_stopped(opened, stop)
    if isinstance(failure, ModelLoadError):
        print(f"cannot start analysis: {failure}", file=sys.stderr)
        opened.stop()
        return 1
    if failure is not None:
        raise failure
    if stop.is_set():
        print("stopped while starting", file=sys.stderr)
        opened.stop()
        _exit_now()  # the model may still be loading in C++ code: do not wait for it
    opened.start_services()
    if runtime.input_size is not None:  # what ``image_size: auto`` chose, and why
        console.print(runtime.input_size.text, highlight=False, soft_wrap=True)
    stats = LatencyStats()
    runtime.result_listeners.append(stats)
    alerts = services.alerts
    alerts.alert_listeners.append(stats.count_alert)
    jsonl = EventsJsonl(args.events_jsonl) if args.events_jsonl else None
    if jsonl is not None:
        alerts.evidence_listeners.append(jsonl)
    started = time.monotonic()
    try:
        with StatusDisplay(console, site, runtime, stats) as display:
            interval = args.status_interval or (10.0 if display.plain else 1.0)
            while not stop.wait(interval):
                elapsed = time.monotonic() - started
                display.update(elapsed)
                if args.duration is not None and elapsed >= args.duration:
                    break
    finally:
        opened.stop()
        if jsonl is not None:
            jsonl.close()
    # Everything that holds data is closed. Interpreter shutdown with torch and OpenVINO
    # loaded takes over a second on a busy machine (a stop is due within 2 s), and aborts
    # the process (exit -6) if a thread is still inside a model call: leave without it.
    _exit_now()


def render_sim_clips(site: SiteConfig, console: Console, stop: threading.Event) -> None:
    """Render the simulated cameras not yet in the cache, with progress (first run only)."""
    urls = [url for c in site.cameras if c.enabled for url in (c.streams.main, c.streams.detect)]
    missing = missing_clips(u for u in urls if u)
    if not missing:
        return
    console.print(
        f"Rendering {len(missing)} simulated camera(s) once into {clip_path(missing[0]).parent} "
        "(later starts play them from there)",
        highlight=False,
    )
    with Progress(console=console, transient=not console.is_terminal) as progress:
        task = progress.add_task("simulated cameras", total=len(missing))

        def report(url: str, done: int, total: int) -> None:
            if done == total:  # one clip finished
                progress.advance(task)
                if not console.is_terminal:
                    console.print(f"rendered {url}", highlight=False)

        if not stop.is_set():
            render_missing(missing, report, stop=stop)


def _start_unless_stopped(opened: OpenSite, stop: threading.Event) -> Exception | None:
    """Start the runtime (the model takes seconds to load) while Ctrl-C stays responsive.

    Returns the start's failure, or None once started or when ``stop`` was set first.
    A signal only reaches Python between bytecodes, and importing torch or compiling an
    OpenVINO model are long C++ calls: the start runs on its own thread instead.
    """
    done = threading.Event()
    failures: list[Exception] = []

    def start() -> None:
        try:
            opened.start_analysis()
        except Exception as error:  # handed to the main thread, which reports it
            failures.append(error)
        finally:
            done.set()

    threading.Thread(target=start, name="analysis-start", daemon=True).start()
    while not done.wait(0.1) and not stop.is_set():
        pass
    return failures[0] if failures else None


def _exit_now() -> NoReturn:
    """End the process without interpreter shutdown (everything holding data is closed)."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
