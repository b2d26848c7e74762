"""Control-plane scale: 500 cameras, 20 node processes on one real nats-server.

The nodes run the real lease round (``console.bus.keeper.LeaseKeeper``: heartbeat, renewals,
``assignment.plan``, create/update/delete on the leases bucket); instead of decoding and
analysing, each camera a node holds replays recorded detections (the simulator's
ground-truth boxes of a highway scene, as a node would send them) as ``tracks`` messages at
``--rate`` per second, so the bus, not the CPU, is measured. A subscriber in this process
takes every tracks message and its end-to-end latency (receive time - ``captured_at``, one
clock).
Measured:
  - ``assign_all_s``: from the nodes being told to start (all connected) until every
    camera has a lease;
  - ``rebalance_after_leave_s``: ``--leave`` nodes stop (SIGTERM: they hand their cameras
    back) or are killed (``--leave-mode kill``: their leases lapse after the TTL); time until
    every camera is leased by the survivors again;
  - ``tracks_latency_ms`` p50 / p95 / max over ``--seconds`` at cameras x rate messages/s
    (goal p95 < 50 ms), and the messages/s received.
Prints one JSON object on its last line. Run: python bench/bus_scale.py [--cameras 500 --nodes 20]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import signal
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support.machine import machine_description  # noqa: E402
from console.bus.client import BusClient  # noqa: E402
from console.bus.keeper import LeaseKeeper  # noqa: E402
from console.bus.leases import Lease, LeaseBook  # noqa: E402
from console.bus.local_server import LocalNatsServer  # noqa: E402
from console.bus.messages import tracks_payload  # noqa: E402
from console.bus.streams import ensure_site_streams  # noqa: E402
from console.bus.subjects import SiteSubjects  # noqa: E402
from console.config.site import BusSettings  # noqa: E402

SITE_ID = "scale-bench"
Boxes = list[list[dict[str, Any]]]


def recorded_detections(folder: Path, seconds: float = 20.0) -> Boxes:
    """Boxes per frame of a simulated highway (truth), as a node's detector would report."""
    from console.sim.export import export_clip
    from console.sim.url import parse_sim_url

    config = parse_sim_url("sim://highway?seed=401&fps=5")
    result = export_clip(config, seconds, folder)
    frames = json.loads(result.truth_path.read_text(encoding="utf-8"))["frames"]
    return [
        [
            {"track_id": o["track_id"], "class_name": o["class_name"], "xyxy": o["box_xyxy"]}
            for o in frame["objects"]
            if o.get("visible_fraction", 1.0) > 0.3
        ]
        for frame in frames
    ]


class Replay(threading.Thread):
    """Publishes each held camera's recorded boxes at ``rate`` per second."""

    def __init__(
        self, client: BusClient, subjects: SiteSubjects, node_id: str, boxes: Boxes, rate: float
    ) -> None:
        super().__init__(name="replay", daemon=True)
        self.client, self.subjects, self.node_id = client, subjects, node_id
        self.boxes, self.rate = boxes, rate
        self.cameras: dict[str, int] = {}  # camera -> epoch
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.sent = 0

    def take(self, camera_id: str, lease: Lease) -> None:
        with self.lock:
            self.cameras[camera_id] = lease.epoch

    def drop(self, camera_id: str) -> None:
        with self.lock:
            self.cameras.pop(camera_id, None)

    def run(self) -> None:
        """Each camera's results at its own phase of the period, as a node's detector spaces
        its cameras' turns (``DetectorWorker._spaced``), never all cameras in one burst."""
        period = 1.0 / self.rate
        due: dict[str, float] = {}
        frame: dict[str, int] = {}
        while not self.stopped.is_set():
            now = time.monotonic()
            with self.lock:
                cameras = dict(self.cameras)
            for camera_id in list(due):
                if camera_id not in cameras:
                    del due[camera_id]
            for camera_id in cameras:
                if camera_id not in due:  # a new camera: a random phase in the period
                    due[camera_id] = now + period * (hash(camera_id) % 1000) / 1000.0
            for camera_id, at in sorted(due.items(), key=lambda item: item[1]):
                if at > now:
                    break
                index = frame.get(camera_id, 0)
                boxes = self.boxes[index % len(self.boxes)]
                # The node's own encoder (console/bus/node.py sends every result with it).
                message = tracks_payload(
                    site=SITE_ID,
                    node=self.node_id,
                    camera_id=camera_id,
                    epoch=cameras[camera_id],
                    captured_at=time.time(),
                    frame_index=index,
                    width=1280,
                    height=720,
                    boxes=[(b["track_id"], b["class_name"], 0.8, b["xyxy"]) for b in boxes],
                    from_motion_gate=False,
                )
                self.client.publish(self.subjects.tracks(camera_id), message)
                self.sent += 1
                frame[camera_id] = index + 1
                due[camera_id] = max(at + period, now)
            wake = min(due.values(), default=now + period)
            self.stopped.wait(max(0.001, wake - time.monotonic()))


def node_main(
    url: str,
    node_id: str,
    cameras: list[str],
    capacity: int,
    ttl_s: float,
    boxes: Boxes,
    rate: float,
    ready: Any,
    go: Any,
) -> None:
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    subjects = SiteSubjects(SITE_ID)
    client = BusClient(BusSettings(servers=[url]), name=node_id)
    client.start()
    client.wait_connected(30)
    replay = Replay(client, subjects, node_id, boxes, rate)
    keeper = LeaseKeeper(
        client,
        subjects,
        node_id=node_id,
        capacity=capacity,
        ttl_s=ttl_s,
        cameras=cameras,
        take=replay.take,
        drop=replay.drop,
    )
    ready.put(node_id)
    go.wait()
    replay.start()
    keeper.start()
    stopping.wait()
    keeper.stop()
    replay.stopped.set()
    client.stop()


def _cpu(process: psutil.Process) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


def leased(book: LeaseBook) -> dict[str, str]:
    return {camera: lease.node for camera, lease in book.owners().items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cameras", type=int, default=500)
    parser.add_argument("--nodes", type=int, default=20)
    parser.add_argument("--capacity", type=int, default=40)
    parser.add_argument("--rate", type=float, default=5.0)
    parser.add_argument("--leave", type=int, default=5)
    parser.add_argument("--leave-mode", choices=("stop", "kill"), default="stop")
    parser.add_argument("--lease-ttl", type=float, default=6.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    cameras = [f"cam-{i:03d}" for i in range(1, args.cameras + 1)]
    context = mp.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="rw-bus-scale-") as temp:
        work = Path(temp)
        boxes = recorded_detections(work / "recorded")
        server = LocalNatsServer(work / "nats")
        server.start()
        subjects = SiteSubjects(SITE_ID)
        client = BusClient(BusSettings(servers=[server.url]), name="bench-scale")
        client.on_connect(lambda: ensure_site_streams(client.js, subjects, args.lease_ttl))
        latencies: list[float] = []
        receiving = threading.Event()

        def received(subject: str, data: bytes) -> None:
            if receiving.is_set():
                latencies.append((time.time() - json.loads(data)["captured_at"]) * 1000.0)

        client.subscribe(f"{subjects.prefix}.tracks.>", received)
        client.start()
        client.wait_connected(10)
        book = LeaseBook(client, subjects, node_id="observer", ttl_s=args.lease_ttl)
        ready, go = context.Queue(), context.Event()
        processes = [
            context.Process(
                target=node_main,
                args=(
                    server.url,
                    f"node-{n:02d}",
                    cameras,
                    args.capacity,
                    args.lease_ttl,
                    boxes,
                    args.rate,
                    ready,
                    go,
                ),
                daemon=True,
            )
            for n in range(1, args.nodes + 1)
        ]
        for process in processes:
            process.start()
        for _ in processes:
            ready.get(timeout=300)
        started = time.monotonic()
        go.set()
        while len(leased(book)) < len(cameras) and time.monotonic() - started < 300:
            time.sleep(0.25)
        assign_all_s = time.monotonic() - started
        owners = leased(book)
        per_node = [list(owners.values()).count(f"node-{n:02d}") for n in range(1, args.nodes + 1)]
        time.sleep(5)
        groups = {
            "nodes": [psutil.Process(p.pid) for p in processes],
            "server": [psutil.Process(server.process.pid)] if server.process else [],
            "subscriber": [psutil.Process()],
        }
        before = {name: sum(_cpu(p) for p in procs) for name, procs in groups.items()}
        receiving.set()
        measured_from = time.monotonic()
        time.sleep(args.seconds)
        receiving.clear()
        measured_s = time.monotonic() - measured_from
        cpu_cores = {
            name: round((sum(_cpu(p) for p in procs) - before[name]) / measured_s, 2)
            for name, procs in groups.items()
        }
        sample = sorted(latencies)
        leavers = processes[: args.leave]
        left_ids = {f"node-{n:02d}" for n in range(1, args.leave + 1)}
        left_at = time.monotonic()
        for process in leavers:
            if args.leave_mode == "kill":
                process.kill()
            else:
                process.terminate()  # SIGTERM: the node hands its cameras back
        while time.monotonic() - left_at < 300:
            owners = leased(book)
            if len(owners) == len(cameras) and not set(owners.values()) & left_ids:
                break
            time.sleep(0.25)
        rebalance_s = time.monotonic() - left_at
        for process in processes[args.leave :]:
            process.terminate()
        for process in processes:
            process.join(30)
        client.stop()
        server.stop()
    p95 = sample[int(0.95 * (len(sample) - 1))] if sample else None
    result = {
        "benchmark": "bus_scale",
        "machine": machine_description(),
        "settings": vars(args),
        "assign_all_s": round(assign_all_s, 2),
        "cameras_per_node_min_max": [min(per_node), max(per_node)],
        "rebalance_after_leave_s": round(rebalance_s, 2),
        "tracks_messages_per_s": round(len(sample) / measured_s, 1),
        "cpu_cores_while_measuring": cpu_cores,
        "tracks_expected_per_s": args.cameras * args.rate,
        "tracks_latency_ms": {
            "p50": round(statistics.median(sample), 2) if sample else None,
            "p95": round(p95, 2) if p95 is not None else None,
            "max": round(sample[-1], 2) if sample else None,
        },
        "goal_p95_under_50_ms": p95 is not None and p95 < 50.0,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
