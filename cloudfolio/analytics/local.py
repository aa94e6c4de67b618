"""The analytics of the local stack: its relay, and where `invoke analytics --env local` finds it.

`invoke up` writes the emulator's address and the lake's names beside stack.json when it starts
and removes them when it stops, so the report always reads the running emulator.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

from cloudfolio import paths
from cloudfolio.analytics.relay import Delivery, Relay

INFO_FILE = "analytics.json"
# Longer than the local buffering interval plus a poll: the running relay's records are written.
SETTLE_SECONDS = 10.0


def emulator_session() -> Any:
    """A session with the keys the emulator accepts (they are valid nowhere else)."""
    import boto3

    return boto3.session.Session(
        aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    )


def clients(aws_endpoint: str) -> dict[str, Any]:
    session = emulator_session()
    return {
        name: session.client(name, endpoint_url=aws_endpoint)
        for name in ("events", "firehose", "sqs", "s3")
    }


def relay_for(aws_endpoint: str, lake: dict[str, Any]) -> Relay:
    aws = clients(aws_endpoint)
    queue_arn = aws["sqs"].get_queue_attributes(
        QueueUrl=lake["relay_queue_url"], AttributeNames=["QueueArn"]
    )["Attributes"]["QueueArn"]
    delivery = Delivery.describe(
        aws["events"],
        aws["firehose"],
        lake["event_bus_name"],
        lake["rule_name"],
        queue_arn,
        lake["delivery_stream_name"],
    )
    return Relay(delivery, aws["sqs"], aws["s3"], lake["relay_queue_url"])


def start_relay(
    outputs: dict[str, Any], aws_endpoint: str, state_dir: Path, stopping: threading.Event
) -> Relay | None:
    lake = outputs.get("analytics") or {}
    if not lake.get("relay_queue_url"):
        return None
    relay = relay_for(aws_endpoint, lake)
    (state_dir / INFO_FILE).write_text(json.dumps({"aws_endpoint": aws_endpoint, **lake}, indent=2))
    threading.Thread(target=relay.run, args=(stopping,), daemon=True).start()
    return relay


def stop(state_dir: Path) -> None:
    (state_dir / INFO_FILE).unlink(missing_ok=True)


def read_info(state_dir: Path = paths.LOCAL_STATE) -> dict[str, Any] | None:
    file = state_dir / INFO_FILE
    return json.loads(file.read_text()) if file.exists() else None


def flush(info: dict[str, Any], settle_seconds: float = SETTLE_SECONDS) -> int:
    """Deliver what is queued now, then wait for what the running relay holds; returns the
    records this call wrote."""
    relay = relay_for(info["aws_endpoint"], info)
    written = relay.flush()
    deadline = time.monotonic() + settle_seconds
    while time.monotonic() < deadline:
        attributes = relay.sqs.get_queue_attributes(
            QueueUrl=relay.queue_url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        if not any(int(value) for value in attributes.values()):
            break
        written += relay.flush()
        time.sleep(0.2)
    return written
