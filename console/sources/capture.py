"""One capture thread per camera: open, read, publish the newest frame, reconnect on failure."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from console.domain.health import CameraHealth, StreamState
from console.sources.base import EndOfStreamError, Frame, FrameSource, SourceError
from console.sources.buffers import FrameRing, LatestFrameSlot

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ReconnectPolicy:
    """Exponential backoff with jitter, so a hundred cameras do not reconnect in step."""

    initial_s: float = 1.0
    maximum_s: float = 30.0
    jitter: float = 0.2
    stall_timeout_s: float = 10.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        base = min(self.maximum_s, self.initial_s * 2 ** max(0, attempt - 1))
        return base * (1.0 + rng.uniform(-self.jitter, self.jitter))


class RateMeter:
    """Frames per second over a sliding window of arrival times."""

    def __init__(self, window_s: float = 3.0) -> None:
        self.window_s = window_s
        self._times: list[float] = []

    def tick(self, now: float) -> None:
        self._times.append(now)
        cutoff = now - self.window_s
        if self._times[0] < cutoff:
            self._times = [t for t in self._times if t >= cutoff]

    def rate(self, now: float) -> float:
        recent = [t for t in self._times if t >= now - self.window_s]
        if len(recent) < 2:
            return 0.0
        span = max(now - recent[0], recent[-1] - recent[0])
        return (len(recent) - 1) / span if span > 0 else 0.0


class CaptureWorker(threading.Thread):
    """Owns one camera's source; never lets its failure reach another camera."""

    def __init__(
        self,
        camera_id: str,
        make_source: Callable[[], FrameSource],
        slot: LatestFrameSlot,
        ring: FrameRing | None,
        on_health: Callable[[CameraHealth], None],
        policy: ReconnectPolicy | None = None,
        seed: int | None = None,
    ) -> None:
        super().__init__(name=f"capture-{camera_id}", daemon=True)
        self.camera_id = camera_id
        self.make_source = make_source
        self.slot = slot
        self.ring = ring
        self.on_health = on_health
        self.policy = policy or ReconnectPolicy()
        self._rng = random.Random(seed)
        self._stop_event = threading.Event()
        self.meter = RateMeter()
        self.last_frame_mono = 0.0
        self.frames_read = 0
        self.decode_ms = 0.0
        self.health = CameraHealth(camera_id, StreamState.CONNECTING)
        self._last_logged: tuple[StreamState, str] = (StreamState.CONNECTING, "")
        self._lock = threading.Lock()
        # Called on this thread with every frame read (e.g. the recorder's hand-off). A
        # listener must return at once: it hands the frame to its own bounded queue.
        self.frame_listeners: list[Callable[[Frame], None]] = []
        # Set for a recording analysed as fast as the analysis goes (re-analysis, tests):
        # each frame waits until the analysis took the one before, and is stamped with this
        # epoch plus its position in the file, so rules see the recording's own clock.
        self.lockstep_epoch_s: float | None = None
        # Set on a site bus: a file (or rendered simulator) camera plays as a live camera
        # does, the same frame at the same wall-clock time on every machine, so a console's
        # picture and a node's boxes of it carry the same capture time.
        self.files_on_wall_clock = False

    def stop(self) -> None:
        self._stop_event.set()

    @property
    def stopping(self) -> bool:
        return self._stop_event.is_set()

    def _publish(
        self, state: StreamState, reason: str = "", retry_in_s: float | None = None
    ) -> None:
        now = time.monotonic()
        health = CameraHealth(self.camera_id, state, reason, retry_in_s, self.meter.rate(now))
        with self._lock:
            self.health = health
            # Retries flip between 'connecting' and the failure; log each distinct failure once.
            changed = state is not StreamState.CONNECTING and (state, reason) != self._last_logged
            if changed:
                self._last_logged = (state, reason)
        if changed:
            level = (
                logging.INFO
                if state in (StreamState.LIVE, StreamState.CONNECTING)
                else logging.WARNING
            )
            log.log(
                level,
                "camera %s: %s%s",
                self.camera_id,
                state.value,
                f" ({reason})" if reason else "",
            )
        self.on_health(health)

    def run(self) -> None:
        attempt = 0
        while not self.stopping:
            self._publish(StreamState.CONNECTING)
            source = self.make_source()
            try:
                source.open()
                got_frames = self._read_until_failure(source)
                if got_frames:
                    attempt = 0
                if self.stopping:
                    break
                raise SourceError("the stream ended", StreamState.OFFLINE)
            except EndOfStreamError:
                self._publish(StreamState.OFFLINE, "end of file")
                break
            except SourceError as error:
                attempt += 1
                delay = self.policy.delay(attempt, self._rng)
                self._publish(error.state, error.reason, delay)
                self._wait_retry(delay, error)
            except Exception as error:  # a bug in one source must not kill the camera thread
                attempt += 1
                log.exception("camera %s: unexpected failure", self.camera_id)
                delay = self.policy.delay(attempt, self._rng)
                self._publish(StreamState.ERROR, f"internal error: {error}", delay)
                self._wait_retry(delay, SourceError(str(error), StreamState.ERROR))
            finally:
                source.close()
        self.slot.clear()

    def _wait_retry(self, delay: float, error: SourceError) -> None:
        deadline = time.monotonic() + delay
        while not self.stopping:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            self._publish(error.state, error.reason, left)
            self._stop_event.wait(min(1.0, left))

    def _read_until_failure(self, source: FrameSource) -> bool:
        """Read frames until the source fails; returns whether any frame arrived."""
        got_any = False
        lockstep = self.lockstep_epoch_s is not None
        paced = source.needs_pacing and source.fps > 0 and not lockstep
        period = 1.0 / source.fps if paced else 0.0
        next_due = time.monotonic()
        last_health = 0.0
        live_file = LiveFileClock.of(source) if self.files_on_wall_clock and paced else None
        while not self.stopping:
            started = time.monotonic()
            if live_file is not None:
                live_file.keep_up(source)
            frame = source.read()
            if self.lockstep_epoch_s is not None:
                frame = on_file_clock(frame, self.lockstep_epoch_s, source.fps)
            elif live_file is not None:
                frame = live_file.stamp(frame)
            now = time.monotonic()
            self.decode_ms = (now - started) * 1000.0
            if not got_any:
                got_any = True
                self._publish(StreamState.LIVE)
            self.frames_read += 1
            self.last_frame_mono = now
            self.meter.tick(now)
            self.slot.put(frame)
            if self.ring is not None:
                self.ring.add(frame)
            for listener in self.frame_listeners:
                try:
                    listener(frame)
                except Exception:  # a listener's bug must not stop the camera
                    log.exception("frame listener %r failed", listener)
            if now - last_health >= 1.0:
                last_health = now
                self._publish(StreamState.LIVE)
            if lockstep:
                self.slot.wait_taken(self._stop_event)
                self.last_frame_mono = time.monotonic()
            if period:
                next_due = max(next_due + period, now - period)
                if live_file is not None:  # the file's next frame is due at its wall time
                    next_due = time.monotonic() + live_file.wait_before_next(frame, period)
                wait = next_due - time.monotonic()
                if wait > 0:
                    self._stop_event.wait(wait)
        return got_any

    def check_stalled(self, now: float) -> bool:
        """Watchdog hook: report a live stream whose frames stopped arriving."""
        with self._lock:
            live = self.health.state is StreamState.LIVE
        if (
            live
            and self.last_frame_mono
            and now - self.last_frame_mono > self.policy.stall_timeout_s
        ):
            self._publish(
                StreamState.STALLED, f"no frames for {now - self.last_frame_mono:.0f} s", None
            )
            return True
        return False


class LiveFileClock:
    """A looping file played on the wall clock: at time t it shows position t mod length."""

    def __init__(self, duration_s: float, fps: float) -> None:
        self.duration_s = duration_s
        self.fps = fps
        self.seeks = 0
        self._last_position: float | None = None

    @classmethod
    def of(cls, source: FrameSource) -> LiveFileClock | None:
        duration = float(getattr(source, "duration_s", 0.0) or 0.0)
        if duration <= 0 or not hasattr(source, "seek") or source.fps <= 0:
            return None
        return cls(duration, source.fps)

    def wanted_position(self, now_epoch: float) -> float:
        return now_epoch % self.duration_s

    def keep_up(self, source: FrameSource) -> None:
        """Seek when the file is more than three frames off the wall clock (and at start)."""
        last = self._last_position
        wanted = self.wanted_position(time.time())
        if last is not None:
            lag = (wanted - last) % self.duration_s
            if lag <= 3.0 / self.fps or lag >= self.duration_s - 1.0 / self.fps:
                return
        source.seek(wanted)  # type: ignore[attr-defined]
        self.seeks += 1

    def stamp(self, frame: Frame) -> Frame:
        """The frame with the wall-clock time its position is live (same on every machine)."""
        position = frame.position_s
        if position is None:
            return frame
        self._last_position = position
        cycle = round((time.time() - position) / self.duration_s)
        return replace(frame, captured_epoch=cycle * self.duration_s + position)

    def wait_before_next(self, frame: Frame, period: float) -> float:
        """Seconds until the next frame's position is live (0 when already late)."""
        next_live = frame.captured_epoch + period
        return max(0.0, min(period * 2, next_live - time.time()))


def on_file_clock(frame: Frame, epoch_s: float, fps: float) -> Frame:
    """``frame`` stamped with ``epoch_s`` plus its position in the file."""
    position = frame.position_s
    if position is None:
        position = frame.index / fps if fps > 0 else 0.0
    return replace(frame, captured_epoch=epoch_s + position)
