"""The local copy of the lake, and the relay's Firehose rules (timestamp prefix, object names,
delimiter, compression, buffering) on moto in-process."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from cloudfolio.analytics import cache, lake
from cloudfolio.analytics.relay import Delivery, Relay

BUCKET = "lake"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Any:
    for name, value in {
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        yield s3


def _put(s3: Any, key: str, body: bytes = b"x") -> None:
    s3.put_object(Bucket=BUCKET, Key=key, Body=body)


def test_the_cache_downloads_only_what_is_new_and_drops_what_is_gone(
    aws: Any, tmp_path: Path
) -> None:
    _put(aws, "visits/dt=2026-03-01/a.gz")
    _put(aws, "visits/dt=2026-03-02/b.gz")
    _put(aws, "errors/processing-failed/dt=2026-03-02/c")
    first = cache.sync(aws, BUCKET, tmp_path)
    assert (first.downloaded, first.removed, first.objects) == (2, 0, 2)
    assert cache.sync(aws, BUCKET, tmp_path).downloaded == 0
    aws.delete_object(Bucket=BUCKET, Key="visits/dt=2026-03-01/a.gz")
    _put(aws, "visits/dt=2026-03-02/b.gz", b"changed")
    _put(aws, "visits/dt=2026-03-03/d.gz")
    third = cache.sync(aws, BUCKET, tmp_path)
    assert (third.downloaded, third.removed, third.objects) == (2, 2, 2)
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.gz"))
    assert files == ["visits/dt=2026-03-02/b.gz", "visits/dt=2026-03-03/d.gz"]
    assert (tmp_path / "visits/dt=2026-03-02/b.gz").read_bytes() == b"changed"


def test_a_new_emulator_leaves_nothing_of_the_old_one_in_the_cache(
    aws: Any, tmp_path: Path
) -> None:
    (tmp_path / "visits/dt=2026-01-01").mkdir(parents=True)
    (tmp_path / "visits/dt=2026-01-01/old.gz").write_bytes(b"from an earlier invoke up")
    assert cache.sync(aws, BUCKET, tmp_path).objects == 0
    assert list(tmp_path.rglob("*.gz")) == []


def test_firehose_timestamp_prefix() -> None:
    arrival = datetime(2026, 3, 1, 23, 59, 59, tzinfo=UTC)
    assert lake.expand_prefix("visits/dt=!{timestamp:yyyy-MM-dd}/", arrival) == (
        "visits/dt=2026-03-01/"
    )
    assert lake.expand_prefix("x/!{timestamp:yyyy/MM/dd/HH}/", arrival) == "x/2026/03/01/23/"


DELIVERY = Delivery(
    stream_name="site-visits",
    stream_version="1",
    bucket=BUCKET,
    prefix="visits/dt=!{timestamp:yyyy-MM-dd}/",
    compression="GZIP",
    delimiter=True,
    interval_seconds=900,
    size_bytes=1024,
    input_path="$.detail",
)


def envelope(n: int) -> dict[str, Any]:
    return {
        "version": "0", "id": str(n), "detail-type": "visit", "source": "cloudfolio.counter",
        "account": "1", "time": "2026-03-01T10:00:00Z", "region": "us-east-1", "resources": [],
        "detail": {"ts": n, "path": "/é/", "bot": False, "visitor": None},
    }  # fmt: skip


def test_records_are_the_input_path_selection_as_compact_json() -> None:
    assert (
        DELIVERY.record(envelope(1)) == '{"ts":1,"path":"/é/","bot":false,"visitor":null}'.encode()
    )


def test_one_object_per_buffer_gzip_newline_delimited_named_like_firehose(aws: Any) -> None:
    sqs = boto3.client("sqs")
    queue = sqs.create_queue(QueueName="relay")["QueueUrl"]
    for n in range(25):
        sqs.send_message(QueueUrl=queue, MessageBody=json.dumps(envelope(n)))
    arrival = datetime(2026, 3, 1, 10, 0, 5, tzinfo=UTC)
    relay = Relay(DELIVERY, sqs, aws, queue, clock=lambda: arrival)
    assert relay.flush() == 25
    keys = [o["Key"] for o in aws.list_objects_v2(Bucket=BUCKET)["Contents"]]
    # Records of 51 bytes fill the 1 KiB buffer at the 21st: two objects.
    assert len(keys) == 2
    lines: list[bytes] = []
    for key in keys:
        assert key.startswith("visits/dt=2026-03-01/site-visits-1-2026-03-01-10-00-05-")
        assert key.endswith(".gz")
        data = gzip.decompress(aws.get_object(Bucket=BUCKET, Key=key)["Body"].read())
        assert data.endswith(b"\n")
        lines += data.splitlines()
    assert sorted(json.loads(line)["ts"] for line in lines) == list(range(25))
    assert (
        sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"][
            "ApproximateNumberOfMessages"
        ]
        == "0"
    )


def test_records_wait_for_the_buffering_interval(aws: Any) -> None:
    sqs = boto3.client("sqs")
    queue = sqs.create_queue(QueueName="relay")["QueueUrl"]
    sqs.send_message(QueueUrl=queue, MessageBody=json.dumps(envelope(1)))
    relay = Relay(DELIVERY, sqs, aws, queue)
    assert relay.poll(wait_seconds=0) == 1
    assert aws.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0
