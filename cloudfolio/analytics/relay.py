"""The hops the emulator cannot run: EventBridge → Firehose → the lake, on the local stack.

moto routes bus events to SQS targets but fails on Firehose targets, and its Firehose neither
buffers, compresses, evaluates timestamp prefixes nor adds delimiters. So on the emulator the
visits rule targets a queue instead, with the Firehose target's input path; this relay drains it
and delivers the records as Firehose would, following the configuration Terraform gave the
target and the stream: the InputPath, the stream's prefix, buffering hints, compression and
delimiter.
"""

from __future__ import annotations

import gzip
import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cloudfolio.analytics import lake

MIB = 1024 * 1024
_POLL_WAIT_SECONDS = 1


@dataclass(frozen=True)
class Delivery:
    """What decides the lake objects: read from the emulator, as Terraform configured it."""

    stream_name: str
    stream_version: str
    bucket: str
    prefix: str
    compression: str
    delimiter: bool
    interval_seconds: int
    size_bytes: int
    input_path: str | None

    @classmethod
    def describe(
        cls, events: Any, firehose: Any, bus: str, rule: str, queue_arn: str, name: str
    ) -> Delivery:
        targets = events.list_targets_by_rule(Rule=rule, EventBusName=bus)["Targets"]
        target = next(t for t in targets if t["Arn"] == queue_arn)
        stream = firehose.describe_delivery_stream(DeliveryStreamName=name)
        description = stream["DeliveryStreamDescription"]
        s3 = description["Destinations"][0]["ExtendedS3DestinationDescription"]
        processors = s3.get("ProcessingConfiguration", {}).get("Processors", [])
        hints = s3.get("BufferingHints", {})
        return cls(
            stream_name=name,
            stream_version=str(description.get("VersionId", "1")),
            bucket=s3["BucketARN"].split(":")[-1],
            prefix=s3.get("Prefix", ""),
            compression=s3.get("CompressionFormat", "UNCOMPRESSED"),
            delimiter=any(p.get("Type") == "AppendDelimiterToRecord" for p in processors),
            interval_seconds=int(hints.get("IntervalInSeconds", 300)),
            size_bytes=int(hints.get("SizeInMBs", 5)) * MIB,
            input_path=target.get("InputPath"),
        )

    def record(self, envelope: dict[str, Any]) -> bytes:
        """What EventBridge hands Firehose for one event: the InputPath selection, as JSON."""
        value: Any = envelope
        if self.input_path and "detail-type" in envelope:
            for part in self.input_path.removeprefix("$").strip(".").split("."):
                if part:
                    value = value[part]
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()

    def key(self, arrival: datetime) -> str:
        """Firehose's object name after a custom prefix (its format, its .gz extension)."""
        stamp = arrival.astimezone(UTC).strftime("%Y-%m-%d-%H-%M-%S")
        extension = ".gz" if self.compression == "GZIP" else ""
        return (
            f"{lake.expand_prefix(self.prefix, arrival)}"
            f"{self.stream_name}-{self.stream_version}-{stamp}-{uuid.uuid4()}{extension}"
        )

    def body(self, records: list[bytes]) -> bytes:
        data = lake.ndjson(records, self.delimiter)
        return gzip.compress(data, mtime=0) if self.compression == "GZIP" else data


@dataclass
class _Buffer:
    records: list[bytes] = field(default_factory=list)
    receipts: list[str] = field(default_factory=list)
    size: int = 0
    opened: float = 0.0


class Relay:
    """Drains the rule's queue into the lake bucket, buffering like the stream."""

    def __init__(
        self,
        delivery: Delivery,
        sqs: Any,
        s3: Any,
        queue_url: str,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.delivery = delivery
        self.sqs = sqs
        self.s3 = s3
        self.queue_url = queue_url
        self.clock = clock
        self._buffer = _Buffer()
        self._lock = threading.Lock()

    def poll(self, wait_seconds: int = _POLL_WAIT_SECONDS) -> int:
        """Receive what is queued (up to one batch), deliver when the buffer is due; returns
        the number of records received."""
        reply = self.sqs.receive_message(
            QueueUrl=self.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds
        )
        messages = reply.get("Messages", [])
        with self._lock:
            for message in messages:
                record = self.delivery.record(json.loads(message["Body"]))
                if not self._buffer.records:
                    self._buffer.opened = time.monotonic()
                self._buffer.records.append(record)
                self._buffer.receipts.append(message["ReceiptHandle"])
                self._buffer.size += len(record)
                if self._buffer.size >= self.delivery.size_bytes:
                    self._deliver()
            interval = self.delivery.interval_seconds
            if self._buffer.records and time.monotonic() - self._buffer.opened >= interval:
                self._deliver()
        return len(messages)

    def flush(self) -> int:
        """Deliver everything queued now, whatever the buffering; returns the records written."""
        written = 0
        while received := self.poll(wait_seconds=0):
            written += received
        with self._lock:
            self._deliver()
        return written

    def _deliver(self) -> None:
        if not self._buffer.records:
            return
        self.s3.put_object(
            Bucket=self.delivery.bucket,
            Key=self.delivery.key(self.clock()),
            Body=self.delivery.body(self._buffer.records),
        )
        # Deleted only once written: a relay that stops keeps its records in the queue.
        receipts = self._buffer.receipts
        for start in range(0, len(receipts), 10):
            self.sqs.delete_message_batch(
                QueueUrl=self.queue_url,
                Entries=[
                    {"Id": str(n), "ReceiptHandle": handle}
                    for n, handle in enumerate(receipts[start : start + 10])
                ],
            )
        self._buffer = _Buffer()

    def run(self, stopping: threading.Event) -> None:
        while not stopping.is_set():
            try:
                self.poll()
            except Exception as error:  # the stack keeps serving; the next poll retries
                print(f"analytics relay: {type(error).__name__}: {error}")
                stopping.wait(1)
