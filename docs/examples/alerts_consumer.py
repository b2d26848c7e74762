"""Follow a RoadWatch site's alerts and operator actions with a stock NATS client.

Nothing from RoadWatch is imported: this is what another system (a city dashboard, a
patrol dispatch system) needs. Requires ``pip install nats-py``. Usage:

    python alerts_consumer.py nats://10.0.0.10:4222 bac-ninh [--since-minutes 60] [--count N]

Each alert, evidence set and action is printed as one JSON line. A durable consumer name
(``--durable NAME``) makes the bus remember where this consumer stopped, so after a
restart it continues from there (at-least-once: acknowledge after handling).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
from datetime import UTC, datetime, timedelta

import nats
from nats.js.api import ConsumerConfig, DeliverPolicy


def site_token(site_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", site_id)


async def follow(
    server: str, site_id: str, since_minutes: float, count: int | None, durable: str | None
) -> None:
    connection = await nats.connect(server)
    stream = connection.jetstream()
    prefix = f"rw.v1.{site_token(site_id)}"
    since = datetime.now(UTC) - timedelta(minutes=since_minutes)
    subscription = await stream.subscribe(
        f"{prefix}.>",
        stream=f"RW_{site_token(site_id).upper()}_ALERTS",
        durable=durable,
        manual_ack=True,
        config=ConsumerConfig(deliver_policy=DeliverPolicy.BY_START_TIME, opt_start_time=since),
    )
    seen = 0
    try:
        while count is None or seen < count:
            message = await subscription.next_msg(timeout=3600)
            event = json.loads(message.data)
            if event.get("v") != 1:  # a newer format: skip what this consumer cannot read
                await message.ack()
                continue
            print(json.dumps({"subject": message.subject, **event}, ensure_ascii=False), flush=True)
            await message.ack()
            seen += 1
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description="print a RoadWatch site's alerts as JSON lines")
    parser.add_argument("server")
    parser.add_argument("site_id")
    parser.add_argument("--since-minutes", type=float, default=60.0)
    parser.add_argument("--count", type=int, default=None, help="stop after N messages")
    parser.add_argument("--durable", default=None, help="remember the position under NAME")
    args = parser.parse_args()
    asyncio.run(follow(args.server, args.site_id, args.since_minutes, args.count, args.durable))


if __name__ == "__main__":
    main()
