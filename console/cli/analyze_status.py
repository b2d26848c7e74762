"""What ``roadwatch analyze`` shows while it runs: a live table on a terminal, log lines otherwise.

On a terminal the status is a rich table redrawn in place; it drops the place and source
columns below ``WIDE_COLUMNS`` so it stays readable at 80. When stdout is a pipe or a file
(a service, ``| tee``), redrawing would leave nothing usable, so each status interval
prints one plain line per camera instead::

    12:00:03 ql1-km122-nhu-nguyet live in=5.0 fps ana=2.6/5 fps p95=180ms obj=4 alerts=1
    skipped=budget:12,motion:40 drops=0

(one line each). A camera the detector cannot serve at its rate says so, with the remedy.
"""

from __future__ import annotations

import shutil
import statistics
import threading
from collections import defaultdict, deque
from collections.abc import Callable, Sequence, Sized
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Protocol

from rich import box
from rich.console import Console
from rich.live import Live
from rich.table import Table

from console.config.secrets import mask_url
from console.config.site_file import SiteConfig
from console.domain.health import CameraHealth, StreamState
from console.domain.records import Alert
from console.domain.text import format_km

WIDE_COLUMNS = 110  # below this the table leaves out the place and the source
MIN_P95_SAMPLES = 5
STATE_STYLE = {
    StreamState.LIVE: "green",
    StreamState.CONNECTING: "cyan",
    StreamState.STALLED: "yellow",
    StreamState.OFFLINE: "red",
    StreamState.ERROR: "bold red",
    StreamState.DISABLED: "dim",
}


class AnalysedFrame(Protocol):
    """What the counters read from one analysis result."""

    @property
    def camera_id(self) -> str: ...

    @property
    def latency_ms(self) -> float: ...

    @property
    def detections(self) -> Sized: ...


class SiteRuntimeView(Protocol):
    """What the status reads from the running site."""

    @property
    def model(self) -> object: ...

    def health_of(self, camera_id: str) -> CameraHealth | None: ...


@dataclass(frozen=True, slots=True)
class CameraCounts:
    p95_ms: float | None
    objects: int | None
    alerts: int


class LatencyStats:
    """Per-camera counters for the status, fed by the detector and alert threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latencies: dict[str, deque[float]] = defaultdict(lambda: deque(maxlen=200))
        self._objects: dict[str, int] = {}
        self._alerts: dict[str, int] = defaultdict(int)

    def count_alert(self, alert: Alert) -> None:
        with self._lock:
            self._alerts[alert.camera_id] += 1

    def __call__(self, result: AnalysedFrame) -> None:
        with self._lock:
            self._latencies[result.camera_id].append(result.latency_ms)
            self._objects[result.camera_id] = len(result.detections)

    def counts(self, camera_id: str) -> CameraCounts:
        with self._lock:
            latencies = list(self._latencies.get(camera_id, ()))
            objects = self._objects.get(camera_id)
            alerts = self._alerts.get(camera_id, 0)
        p95 = (
            statistics.quantiles(latencies, n=20)[-1] if len(latencies) >= MIN_P95_SAMPLES else None
        )
        return CameraCounts(p95, objects, alerts)


@dataclass(frozen=True, slots=True)
class CameraStatus:
    """One camera's row: what the table and the plain lines both show."""

    camera_id: str
    place: str
    state: StreamState
    input_fps: float | None
    analysis_fps: float | None
    target_fps: float | None
    skipped_budget: int | None
    skipped_motion: int | None
    overload: str
    p95_ms: float | None
    objects: int | None
    alerts: int
    drops: int | None
    reason: str
    source: str


def camera_statuses(
    site: SiteConfig, runtime: SiteRuntimeView, stats: LatencyStats
) -> list[CameraStatus]:
    rows = []
    for camera in site.cameras:
        health = runtime.health_of(camera.id)
        if health is not None:
            state = health.state
        else:
            state = StreamState.CONNECTING if camera.enabled else StreamState.DISABLED
        counts = stats.counts(camera.id)
        rows.append(
            CameraStatus(
                camera_id=camera.id,
                place=f"{camera.route} {format_km(camera.km)}",
                state=state,
                input_fps=health.input_fps if health else None,
                analysis_fps=health.analysis_fps if health else None,
                target_fps=health.target_fps if health and health.target_fps else None,
                skipped_budget=health.skipped_by_budget if health else None,
                skipped_motion=health.skipped_by_motion if health else None,
                overload=health.overload_text if health else "",
                p95_ms=counts.p95_ms,
                objects=counts.objects,
                alerts=counts.alerts,
                drops=health.dropped_frames if health else None,
                reason=health.reason if health else "",
                source=mask_url(camera.streams.main),
            )
        )
    return rows


def _number(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _rate(status: CameraStatus) -> str:
    """Analysed fps, and the rate the camera asks for: ``2.6/5``."""
    actual = _number(status.analysis_fps, 1)
    return actual if status.target_fps is None else f"{actual}/{status.target_fps:g}"


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    value: Callable[[CameraStatus], str]
    numeric: bool = True
    wide_only: bool = False


# Header and value side by side, so the two cannot drift apart.
COLUMNS = (
    Column("camera", lambda s: s.camera_id, numeric=False),
    Column("place", lambda s: s.place, numeric=False, wide_only=True),
    Column("state", lambda s: f"[{STATE_STYLE[s.state]}]{s.state.value}[/]", numeric=False),
    Column("in\nfps", lambda s: _number(s.input_fps, 1)),
    Column("ana\nfps", lambda s: _rate(s)),
    Column(
        "skip\nbgt/mot", lambda s: f"{_number(s.skipped_budget, 0)}/{_number(s.skipped_motion, 0)}"
    ),
    Column("p95\nms", lambda s: _number(s.p95_ms, 0)),
    Column("obj", lambda s: _number(s.objects, 0)),
    Column("alerts", lambda s: str(s.alerts)),
    Column("drops", lambda s: _number(s.drops, 0)),
    Column("reason / source", lambda s: s.reason or s.source, numeric=False, wide_only=True),
)


def model_description(runtime: SiteRuntimeView) -> tuple[str, bool]:
    """The model's file name, and whether it is the bundled demo model."""
    model = runtime.model
    path = getattr(getattr(model, "choice", None), "path", None)
    return (Path(str(path)).name if path else "model"), bool(getattr(model, "is_demo", False))


def status_table(
    site: SiteConfig,
    runtime: SiteRuntimeView,
    stats: LatencyStats,
    elapsed: float,
    width: int | None = None,
) -> Table:
    """The live status, laid out for ``width`` columns (default: the terminal's)."""
    wide = (width or shutil.get_terminal_size().columns) >= WIDE_COLUMNS
    name, is_demo = model_description(runtime)
    demo = " [bold yellow]DEMO MODEL: synthetic scenes only[/]" if is_demo else ""
    table = Table(
        title=f"RoadWatch - {site.site.name} - {elapsed:.0f} s - {name}{demo}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        collapse_padding=True,
        pad_edge=False,
    )
    columns = [column for column in COLUMNS if wide or not column.wide_only]
    for column in columns:
        table.add_column(
            column.header,
            justify="right" if column.numeric else "left",
            no_wrap=column.header != "reason / source",
        )
    rows = camera_statuses(site, runtime, stats)
    for row in rows:
        table.add_row(*(column.value(row) for column in columns))
    # Under the table: why a camera is not live (when its column is gone) and overload.
    notes = [f"{row.camera_id}: {row.reason}" for row in rows if row.reason and not wide]
    notes += [f"[yellow]{row.camera_id}: {row.overload}[/]" for row in rows if row.overload]
    table.caption = "\n".join(notes) or None
    table.caption_justify = "left"
    return table


def status_lines(rows: Sequence[CameraStatus], at: datetime) -> list[str]:
    """One log line per camera, for when stdout is not a terminal."""
    clock = at.strftime("%H:%M:%S")
    lines = []
    for row in rows:
        line = (
            f"{clock} {row.camera_id} {row.state.value} "
            f"in={_number(row.input_fps, 1)} fps ana={_rate(row)} fps "
            f"p95={_number(row.p95_ms, 0)}ms obj={_number(row.objects, 0)} "
            f"alerts={row.alerts} skipped=budget:{_number(row.skipped_budget, 0)},"
            f"motion:{_number(row.skipped_motion, 0)} drops={_number(row.drops, 0)}"
        )
        if row.reason:
            line += f" reason: {row.reason}"
        if row.overload:
            line += f" WARNING: {row.overload}"
        lines.append(line)
    return lines


class StatusDisplay:
    """The analysis status on ``console``: rich Live on a terminal, plain lines otherwise."""

    def __init__(
        self,
        console: Console,
        site: SiteConfig,
        runtime: SiteRuntimeView,
        stats: LatencyStats,
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        self.console = console
        self.site = site
        self.runtime = runtime
        self.stats = stats
        self.clock = clock
        self.live: Live | None = None

    @property
    def plain(self) -> bool:
        return not self.console.is_terminal or self.console.is_dumb_terminal

    def _table(self, elapsed: float) -> Table:
        return status_table(self.site, self.runtime, self.stats, elapsed, self.console.width)

    def __enter__(self) -> StatusDisplay:
        if self.plain:
            name, is_demo = model_description(self.runtime)
            demo = " (DEMO MODEL: synthetic scenes only)" if is_demo else ""
            self._print(
                f"RoadWatch analyze: site '{self.site.site.name}', "
                f"{len(self.site.cameras)} cameras, model {name}{demo}"
            )
        else:
            self.live = Live(
                self._table(0), console=self.console, auto_refresh=False, transient=False
            )
            self.live.__enter__()
        return self

    def update(self, elapsed: float) -> None:
        if self.live is not None:
            self.live.update(self._table(elapsed), refresh=True)
            return
        rows = camera_statuses(self.site, self.runtime, self.stats)
        self._print("\n".join(status_lines(rows, self.clock())))

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.live is not None:
            self.live.__exit__(exc_type, exc, traceback)
            self.live = None

    def _print(self, text: str) -> None:
        # Plain text as it is: no markup, highlighting or wrapping a log reader has to undo.
        self.console.out(text, highlight=False)
        self.console.file.flush()
