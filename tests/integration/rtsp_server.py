#!/usr/bin/python3
"""A real RTSP camera for integration tests: serves video files as endless live H.264 streams.

Runs under the *system* Python (``/usr/bin/python3``), which has GStreamer, gst-rtsp-server
and PyGObject; the project's virtualenv does not need any of them::

    /usr/bin/python3 tests/integration/rtsp_server.py --port 8554 \\
        --mount /cam1=clip.mp4 [--mount /cam2=other.mp4] [--auth user:password]

How a mount works: one *feeder* pipeline per live media reads the file
(``filesrc ! qtdemux ! h264parse ! appsink``, no re-encoding when the file holds H.264)
in real time and loops it gaplessly with segment seeks: at the end of the file it seeks
back to the start without flushing, so running time keeps increasing across loops.
Each access unit is re-timestamped onto the RTSP media's clock and pushed into
``appsrc ! rtph264pay``. Files in another codec (or with ``--reencode``) are decoded and
re-encoded with x264 (zerolatency, ultrafast, one key frame per second).

The media factories are shared: every client of a mount sees the same live stream, and a
client that connects later joins it mid-way (it can decode from the next key frame on).

Prints exactly one line ``READY rtsp://127.0.0.1:PORT`` on stdout once it listens; exits
with status 0 on SIGTERM/SIGINT, and with status 2 and a message on stderr when a file is
missing or unreadable or the port cannot be bound.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstApp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstApp, GstRtspServer  # noqa: E402

PROBE_TIMEOUT_S = 10.0
# Access units kept while the media pipeline starts (a few seconds' worth at most).
MAX_PENDING_UNITS = 300


@dataclass(frozen=True)
class _Unit:
    """One H.264 access unit with its running times in the feeder pipeline."""

    caps: Gst.Caps | None
    buffer: Gst.Buffer
    pts: int
    dts: int


class SetupError(Exception):
    """A mount, a file or the port cannot be used; the message says why."""


@dataclass(frozen=True)
class Mount:
    path: str
    file: Path
    reencode: bool


def gst_quote(path: Path) -> str:
    """A path as a quoted property value in a gst-launch pipeline description."""
    return '"' + str(path).replace("\\", "\\\\").replace('"', '\\"') + '"'


def passthrough_description(file: Path) -> str:
    return (
        f"filesrc location={gst_quote(file)} ! qtdemux name=demux demux.video_0 ! queue "
        "! h264parse config-interval=-1 "
        "! video/x-h264,stream-format=byte-stream,alignment=au "
        "! appsink name=sink sync=true max-buffers=60 emit-signals=false"
    )


def reencode_description(file: Path, fps: int) -> str:
    return (
        f"filesrc location={gst_quote(file)} ! decodebin name=dec ! queue ! videoconvert "
        "! video/x-raw,format=I420 "
        f"! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={fps} "
        "! video/x-h264,profile=constrained-baseline "
        "! h264parse config-interval=-1 "
        "! video/x-h264,stream-format=byte-stream,alignment=au "
        "! appsink name=sink sync=true max-buffers=60 emit-signals=false"
    )


def _wait_preroll(pipeline: Gst.Pipeline, timeout_s: float) -> str | None:
    """Pause the pipeline until it prerolls; return an error message or None."""
    pipeline.set_state(Gst.State.PAUSED)
    bus = pipeline.get_bus()
    wanted = Gst.MessageType.ASYNC_DONE | Gst.MessageType.ERROR | Gst.MessageType.EOS
    message = bus.timed_pop_filtered(int(timeout_s * Gst.SECOND), wanted)
    if message is None:
        return f"no video could be read within {timeout_s:.0f} s"
    if message.type == Gst.MessageType.ERROR:
        error, debug = message.parse_error()
        return f"{error.message} ({debug})" if debug else error.message
    if message.type == Gst.MessageType.EOS:
        return "the file holds no video frames"
    return None


def probe(file: Path) -> tuple[bool, int]:
    """Check that the file plays; return (holds H.264, frames per second rounded)."""
    if not file.is_file():
        raise SetupError(f"{file}: no such file")
    if not os.access(file, os.R_OK):
        raise SetupError(f"{file}: not readable (permission denied)")
    pipeline = Gst.parse_launch(
        f"filesrc location={gst_quote(file)} ! decodebin name=dec ! fakesink name=sink sync=false"
    )
    try:
        error = _wait_preroll(pipeline, PROBE_TIMEOUT_S)
        if error is not None:
            raise SetupError(f"{file}: cannot be played: {error}")
        sink_pad = pipeline.get_by_name("sink").get_static_pad("sink")
        caps = sink_pad.get_current_caps()
        if caps is None or not caps.get_structure(0).get_name().startswith("video/"):
            raise SetupError(f"{file}: holds no video stream")
        structure = caps.get_structure(0)
        found, num, den = structure.get_fraction("framerate")
        fps = round(num / den) if found and num > 0 and den > 0 else 30
        h264 = False
        decodebin = pipeline.get_by_name("dec")
        for element in decodebin.iterate_recurse():
            factory = element.get_factory()
            if factory is not None and factory.get_name() == "qtdemux":
                for pad in element.pads:
                    pad_caps = pad.get_current_caps()
                    if pad_caps is not None and pad_caps.get_structure(0).get_name() == (
                        "video/x-h264"
                    ):
                        h264 = True
        return h264, max(1, fps)
    finally:
        pipeline.set_state(Gst.State.NULL)


class Feeder:
    """Plays one file in a loop, in real time, into the appsrc of one live media."""

    def __init__(self, mount: Mount, description: str, appsrc: GstApp.AppSrc) -> None:
        self._mount = mount
        self._appsrc = appsrc
        self._offset: int | None = None
        self._caps: Gst.Caps | None = None
        self._pending: deque[_Unit] = deque()
        self._stopped = threading.Event()
        self._pipeline = Gst.parse_launch(description)
        # Same clock as the media pipeline, so both advance at exactly the same rate.
        self._pipeline.use_clock(Gst.SystemClock.obtain())
        sink = self._pipeline.get_by_name("sink")
        sink.set_property("emit-signals", True)
        sink.connect("new-sample", self._on_sample)
        self._bus_handler: int | None = None

    def start(self) -> None:
        error = _wait_preroll(self._pipeline, PROBE_TIMEOUT_S)
        if error is not None:
            log(f"{self._mount.path}: the feeder did not preroll: {error}")
        # Bus messages go to the main loop only from here on (the preroll wait polled it).
        bus = self._pipeline.get_bus()
        bus.add_signal_watch()
        self._bus_handler = bus.connect("message", self._on_message)
        # A flushing *segment* seek: the demuxer then posts SEGMENT_DONE instead of EOS.
        self._pipeline.seek_simple(Gst.Format.TIME, Gst.SeekFlags.FLUSH | Gst.SeekFlags.SEGMENT, 0)
        self._pipeline.set_state(Gst.State.PLAYING)

    def stop(self) -> None:
        if self._stopped.is_set():
            return
        self._stopped.set()
        if self._bus_handler is not None:
            bus = self._pipeline.get_bus()
            bus.disconnect(self._bus_handler)
            bus.remove_signal_watch()
        self._pipeline.set_state(Gst.State.NULL)

    def _on_message(self, _bus: Gst.Bus, message: Gst.Message) -> None:
        if message.type == Gst.MessageType.SEGMENT_DONE:
            # Gapless loop: a non-flushing segment seek back to the start.
            self._pipeline.seek(
                1.0,
                Gst.Format.TIME,
                Gst.SeekFlags.SEGMENT,
                Gst.SeekType.SET,
                0,
                Gst.SeekType.NONE,
                -1,
            )
        elif message.type == Gst.MessageType.ERROR:
            error, debug = message.parse_error()
            log(f"{self._mount.path}: feeder error: {error.message} ({debug})")
            self._appsrc.end_of_stream()
        elif message.type == Gst.MessageType.EOS:
            log(f"{self._mount.path}: unexpected end of stream")
            self._appsrc.end_of_stream()

    def _media_running_time(self) -> int | None:
        """Running time of the media pipeline, or None until it is PLAYING.

        The pipeline sets the clock and base time of the appsrc before the appsrc
        reaches PLAYING, so only then is its running time meaningful.
        """
        _result, state, _pending = self._appsrc.get_state(0)
        if state != Gst.State.PLAYING:
            return None
        running_time = self._appsrc.get_current_running_time()
        return None if running_time == Gst.CLOCK_TIME_NONE else int(running_time)

    def _on_sample(self, sink: GstApp.AppSink) -> Gst.FlowReturn:
        # Runs in the feeder's streaming thread; it must never wait for the media pipeline
        # (which may be changing state in the thread that started this feeder).
        sample = sink.emit("pull-sample")
        if sample is None or self._stopped.is_set():
            return Gst.FlowReturn.EOS
        segment = sample.get_segment()
        buffer = sample.get_buffer()
        pts = segment.to_running_time(Gst.Format.TIME, buffer.pts)
        dts = segment.to_running_time(Gst.Format.TIME, buffer.dts)
        self._pending.append(_Unit(sample.get_caps(), buffer, pts, dts))
        if self._offset is None:
            now = self._media_running_time()
            if now is None:
                if len(self._pending) > MAX_PENDING_UNITS:
                    log(f"{self._mount.path}: the media pipeline does not start")
                    return Gst.FlowReturn.ERROR
                return Gst.FlowReturn.OK
            first = self._pending[0]
            self._offset = now - (first.dts if first.dts != Gst.CLOCK_TIME_NONE else first.pts)
        while self._pending:
            if self._push(self._pending.popleft(), self._offset) == Gst.FlowReturn.FLUSHING:
                return Gst.FlowReturn.EOS  # the media is shutting down
        return Gst.FlowReturn.OK

    def _push(self, unit: _Unit, offset: int) -> Gst.FlowReturn:
        if unit.caps is not None and (self._caps is None or not unit.caps.is_equal(self._caps)):
            self._caps = unit.caps
            self._appsrc.set_caps(unit.caps)
        buffer = unit.buffer.copy_deep()
        none = Gst.CLOCK_TIME_NONE
        buffer.pts = unit.pts + offset if unit.pts != none else none
        buffer.dts = unit.dts + offset if unit.dts != none else none
        return self._appsrc.push_buffer(buffer)


class LoopingFactory(GstRtspServer.RTSPMediaFactory):
    """A shared live media factory whose media are fed by a looping Feeder."""

    def __init__(self, mount: Mount, description: str, mode: str) -> None:
        super().__init__()
        self._mount = mount
        self._description = description
        self._mode = mode
        self.set_launch(
            "( appsrc name=src is-live=true format=time do-timestamp=false "
            "max-bytes=20000000 block=false "
            "! queue ! rtph264pay name=pay0 pt=96 config-interval=-1 )"
        )
        self.set_shared(True)
        self._feeders: set[Feeder] = set()
        self.connect("media-configure", self._on_media_configure)

    def _retire(self, feeder: Feeder) -> None:
        feeder.stop()
        self._feeders.discard(feeder)

    def stop_feeders(self) -> None:
        """Stop feeding every live media (before exiting: no callbacks into a dying Python)."""
        for feeder in list(self._feeders):
            self._retire(feeder)

    def _on_media_configure(
        self, _factory: GstRtspServer.RTSPMediaFactory, media: GstRtspServer.RTSPMedia
    ) -> None:
        media.set_clock(Gst.SystemClock.obtain())
        appsrc = media.get_element().get_by_name("src")
        feeder = Feeder(self._mount, self._description, appsrc)
        self._feeders.add(feeder)
        media.connect("unprepared", lambda _media: self._retire(feeder))
        feeder.start()
        log(f"{self._mount.path}: live media started ({self._mode})")


def log(message: str) -> None:
    print(f"rtsp_server: {message}", file=sys.stderr, flush=True)


def parse_mount(text: str, reencode: bool) -> Mount:
    path, separator, file = text.partition("=")
    if not separator or not path.startswith("/") or len(path) < 2 or not file:
        raise SetupError(f"--mount {text!r}: expected /NAME=FILE, e.g. /cam1=clip.mp4")
    return Mount(path=path, file=Path(file).expanduser().resolve(), reencode=reencode)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True, help="TCP port; 0 picks a free one")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument(
        "--mount", action="append", required=True, metavar="/NAME=FILE", help="repeatable"
    )
    parser.add_argument("--auth", metavar="USER:PASSWORD", help="require HTTP basic auth")
    parser.add_argument(
        "--reencode",
        action="store_true",
        help="decode and re-encode (one key frame a second) instead of passing H.264 through",
    )
    return parser.parse_args(argv)


def build_server(
    args: argparse.Namespace,
) -> tuple[GstRtspServer.RTSPServer, list[LoopingFactory]]:
    mounts = [parse_mount(text, args.reencode) for text in args.mount]
    paths = [mount.path for mount in mounts]
    if len(set(paths)) != len(paths):
        raise SetupError("each --mount path may be given only once")

    server = GstRtspServer.RTSPServer()
    server.set_address(args.host)
    server.set_service(str(args.port))
    mount_points = server.get_mount_points()

    permissions: GstRtspServer.RTSPPermissions | None = None
    if args.auth is not None:
        user, separator, password = args.auth.partition(":")
        if not separator or not user:
            raise SetupError("--auth: expected USER:PASSWORD")
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "camera-user")
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password), token)
        server.set_auth(auth)
        permissions = GstRtspServer.RTSPPermissions()
        for permission in (
            GstRtspServer.RTSP_PERM_MEDIA_FACTORY_ACCESS,
            GstRtspServer.RTSP_PERM_MEDIA_FACTORY_CONSTRUCT,
        ):
            permissions.add_permission_for_role("camera-user", permission, True)

    factories: list[LoopingFactory] = []
    for mount in mounts:
        h264, fps = probe(mount.file)
        if h264 and not mount.reencode:
            factory = LoopingFactory(
                mount, passthrough_description(mount.file), "H.264 passed through"
            )
        else:
            factory = LoopingFactory(
                mount, reencode_description(mount.file, fps), f"re-encoded at {fps} fps"
            )
        if permissions is not None:
            factory.set_permissions(permissions)
        mount_points.add_factory(mount.path, factory)
        factories.append(factory)
    return server, factories


def main(argv: list[str]) -> int:
    Gst.init(None)
    args = parse_args(argv)
    try:
        server, factories = build_server(args)
    except SetupError as error:
        log(f"error: {error}")
        return 2
    except GLib.Error as error:
        log(f"error: {error.message}")
        return 2

    loop = GLib.MainLoop()

    def quit_loop() -> bool:
        loop.quit()
        return GLib.SOURCE_REMOVE

    GLib.unix_signal_add(GLib.PRIORITY_HIGH, signal.SIGTERM, quit_loop)
    GLib.unix_signal_add(GLib.PRIORITY_HIGH, signal.SIGINT, quit_loop)

    if server.attach(None) == 0:
        log(f"error: cannot listen on {args.host}:{args.port} (port in use?)")
        return 2
    print(f"READY rtsp://{args.host}:{server.get_bound_port()}", flush=True)
    loop.run()
    log("stopping")
    for factory in factories:
        factory.stop_feeders()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
