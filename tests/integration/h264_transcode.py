#!/usr/bin/python3
"""Re-encode a video file to H.264 in MP4 (x264, one key frame a second), as IP cameras send.

Runs under the *system* Python (GStreamer through PyGObject)::

    /usr/bin/python3 tests/integration/h264_transcode.py IN.mp4 OUT.mp4 --fps 25

The RTSP test server passes H.264 files through without re-encoding, so a camera served
from such a file costs the server almost nothing: what a benchmark then measures is the
client (decoding and analysis), not the server's encoder. Exits 0 when OUT is complete,
2 with a message on stderr otherwise.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import gi

gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402
from rtsp_server import gst_quote  # noqa: E402  (beside this script)


def transcode(source: Path, target: Path, fps: int, timeout_s: float) -> str | None:
    """Encode ``source`` into ``target``; return an error message or None."""
    pipeline = Gst.parse_launch(
        f"filesrc location={gst_quote(source)} ! decodebin ! queue ! videoconvert "
        "! video/x-raw,format=I420 "
        f"! x264enc speed-preset=veryfast key-int-max={fps} bframes=0 "
        "! video/x-h264,profile=main ! h264parse ! mp4mux "
        f"! filesink location={gst_quote(target)}"
    )
    pipeline.set_state(Gst.State.PLAYING)
    bus = pipeline.get_bus()
    wanted = Gst.MessageType.EOS | Gst.MessageType.ERROR
    message = bus.timed_pop_filtered(int(timeout_s * Gst.SECOND), wanted)
    pipeline.set_state(Gst.State.NULL)
    if message is None:
        return f"not finished within {timeout_s:g} s"
    if message.type == Gst.MessageType.ERROR:
        error, debug = message.parse_error()
        return f"{error.message} ({debug})"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--fps", type=int, default=25, help="key frame interval in frames")
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args()
    if not args.source.is_file():
        print(f"h264_transcode: {args.source} is not a file", file=sys.stderr)
        return 2
    Gst.init(None)
    partial = args.target.with_name(args.target.name + ".part")
    error = transcode(args.source.resolve(), partial.resolve(), args.fps, args.timeout)
    if error is not None:
        partial.unlink(missing_ok=True)
        print(f"h264_transcode: {args.source}: {error}", file=sys.stderr)
        return 2
    partial.replace(args.target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
