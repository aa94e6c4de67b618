"""Visits through the local stack to `invoke analytics --json`: exact numbers, nothing raw at rest,
the lake laid out as Glue describes it, and the relay writing what Firehose would.

The counter runs in this process with the stack's resources and an injected clock (two past
days: the gateway's workers keep the real clock); its events take the stack's own path: the
emulator's bus, the rule, the relay of `invoke up`, the lake bucket, then the report's cache.
"""

from __future__ import annotations

import gzip
import json
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import boto3
import pytest
from common import settings
from common.site_paths import file_path

from cloudfolio import paths
from cloudfolio.analytics import commands, lake, local
from tests.conftest import RunningStack
from tests.unit.conftest import api_event, invoke, load_function, release_objects

pytestmark = pytest.mark.integration

TODAY = datetime.now(UTC).date()
DAY1, DAY2 = TODAY - timedelta(days=2), TODAY - timedelta(days=1)
SITE = "http://127.0.0.1:8000"
VISITED_SITE_BUCKET = "cloudfolio-analytics-test-site"
CHROME_WIN = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36 cfqa-win"
)
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0 cfqa-fx"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1 cfqa-ios"
)
BOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html) cfqa-bot"
AGENTS = (CHROME_WIN, FIREFOX_LINUX, IPHONE, BOT)
PT_IP, BR_IP, TEST_NET_IP = "2.83.0.1", "200.147.3.157", "203.0.113.61"
IPS = (PT_IP, BR_IP, TEST_NET_IP)

# (day, hh:mm, ip, agent, path, extra body fields, CloudFront's country header)
VISITS: list[tuple[date, str, str, str, str, dict[str, str], str | None]] = [
    (DAY1, "10:00", PT_IP, CHROME_WIN, "/", {"referrer": "https://news.ycombinator.com/x"}, None),
    (DAY1, "10:04", PT_IP, CHROME_WIN, "/posts/a/", {"referrer": f"{SITE}/"}, None),
    (DAY1, "10:50", PT_IP, CHROME_WIN, "/posts/b/", {}, None),  # a second visit: 46 min later
    (
        DAY1,
        "11:00",
        BR_IP,
        FIREFOX_LINUX,
        "/posts/a/",
        {"utm_source": "mail", "utm_medium": "email", "utm_campaign": "spring"},
        None,
    ),
    (
        DAY1,
        "11:30",
        TEST_NET_IP,
        IPHONE,
        "/",
        {"referrer": "https://www.google.com/search?q=x"},
        "DE",
    ),
    (DAY1, "11:31", TEST_NET_IP, BOT, "/posts/a/", {}, None),
    (DAY2, "09:00", PT_IP, CHROME_WIN, "/posts/b/", {}, None),
    (DAY2, "09:10", PT_IP, CHROME_WIN, "/", {}, None),
    (DAY2, "09:20", PT_IP, CHROME_WIN, "/posts/a/", {}, None),
    (
        DAY2,
        "15:00",
        TEST_NET_IP,
        IPHONE,
        "/posts/a/",
        {"utm_source": "mail", "utm_medium": "email", "utm_campaign": "spring"},
        "DE",
    ),
    (DAY2, "15:01", PT_IP, BOT, "/", {}, None),
]
EXPECTED: dict[str, Any] = {
    "range": {"since": DAY1.isoformat(), "until": DAY2.isoformat()},
    "totals": {
        "pageviews": 9,
        "visitors": 5,  # day 1: win, fx, ios; day 2: win, ios
        "visits": 6,  # win x2, fx, ios on day 1; win, ios on day 2
        "bounce_rate": 0.6667,  # 4 of 6 visits have one pageview
        "views_per_visit": 1.5,
        "visit_duration_s": 0.0,  # 240, 0, 0, 0, 1200, 0
        "bot_pageviews": 2,
    },
    "daily": [
        {"date": DAY1.isoformat(), "pageviews": 5, "visitors": 3},
        {"date": DAY2.isoformat(), "pageviews": 4, "visitors": 2},
    ],
    "pages": [
        {"path": "/posts/a/", "pageviews": 4, "visitors": 4},
        {"path": "/", "pageviews": 3, "visitors": 3},
        {"path": "/posts/b/", "pageviews": 2, "visitors": 2},
    ],
    "entry_pages": [
        {"path": "/", "visits": 2},
        {"path": "/posts/a/", "visits": 2},
        {"path": "/posts/b/", "visits": 2},
    ],
    "referrers": [
        {"domain": "(direct)", "visitors": 4, "pageviews": 7},
        {"domain": "google.com", "visitors": 1, "pageviews": 1},
        {"domain": "news.ycombinator.com", "visitors": 1, "pageviews": 1},
    ],
    "utm": [
        {"source": "mail", "medium": "email", "campaign": "spring", "visitors": 2, "pageviews": 2}
    ],
    "countries": [
        {"country": "DE", "visitors": 2},
        {"country": "PT", "visitors": 2},
        {"country": "BR", "visitors": 1},
    ],
    "browsers": [
        {"name": "Chrome", "visitors": 2},
        {"name": "Mobile Safari", "visitors": 2},
        {"name": "Firefox", "visitors": 1},
    ],
    "os": [
        {"name": "Windows", "visitors": 2},
        {"name": "iOS", "visitors": 2},
        {"name": "Linux", "visitors": 1},
    ],
    "devices": [{"name": "desktop", "visitors": 3}, {"name": "mobile", "visitors": 2}],
}


def _aws(stack: RunningStack, service: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=stack.info.aws_endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


@pytest.fixture(scope="module")
def lake_info(running_stack: RunningStack) -> dict[str, Any]:
    info = local.read_info(running_stack.state_dir)
    assert info, "invoke up wrote no analytics.json: the relay is not running"
    return info


@pytest.fixture(scope="module")
def sent(
    running_stack: RunningStack, lake_info: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> list[str]:
    """Feeds VISITS through the counter; returns the event details it sent, as sent."""
    # Only pages of the live release count: a bucket of its own holds one that has the pages
    # VISITS names, so the stack's own site (shared by other tests) stays as published.
    s3 = _aws(running_stack, "s3")
    s3.create_bucket(Bucket=VISITED_SITE_BUCKET)
    pages = {file_path(path) for _, _, _, _, path, _, _ in VISITS}
    for key, body in release_objects(pages).items():
        s3.put_object(Bucket=VISITED_SITE_BUCKET, Key=key, Body=body)
    environment = {
        settings.TABLE_NAME: running_stack.info.table_name,
        settings.EPHEMERAL_TABLE_NAME: running_stack.info.ephemeral_table_name,
        settings.SITE_BUCKET: VISITED_SITE_BUCKET,
        settings.SITE_ID: "cloudfolio",
        settings.CORS_ALLOWED_ORIGINS: SITE,
        settings.EVENT_BUS_NAME: lake_info["event_bus_name"],
        "AWS_ENDPOINT_URL": running_stack.info.aws_endpoint,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-east-1",
        "POWERTOOLS_TRACE_DISABLED": "true",
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in environment.items():
            patch.setenv(name, value)
        counter = load_function("counter")
        details: list[str] = []
        client = counter.visit_events._client_factory()
        original = client.put_events

        def recording(**request: Any) -> Any:
            details.extend(entry["Detail"] for entry in request["Entries"])
            return original(**request)

        patch.setattr(client, "put_events", recording)
        counter.visit_events._client = client
        for day, clock, ip, agent, path, extra, country in VISITS:
            hour, minute = map(int, clock.split(":"))
            moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)
            counter.counter.clock = lambda moment=moment: moment
            headers = {
                "Origin": SITE,
                **({"CloudFront-Viewer-Country": country} if country else {}),
            }
            event = api_event(
                "POST", "/visits", {"path": path, **extra}, source_ip=ip, user_agent=agent,
                headers=headers,
            )  # fmt: skip
            assert invoke(counter, event).status == 200
    assert len(details) == len(VISITS)
    return details


@pytest.fixture(scope="module")
def reported(
    running_stack: RunningStack, sent: list[str], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    lines: list[str] = []
    built = commands.analytics(
        "local",
        DAY1.isoformat(),
        DAY2.isoformat(),
        as_json=True,
        say=lines.append,
        local_state=running_stack.state_dir,
        cache_root=tmp_path_factory.mktemp("cache"),
    )
    assert json.loads(lines[-1]) == built
    return built


def test_json_numbers_are_exactly_the_expected_ones(reported: dict[str, Any]) -> None:
    for name, expected in EXPECTED.items():
        assert reported[name] == expected, name
    assert list(reported) == list(EXPECTED)


def _lake_objects(stack: RunningStack, bucket: str) -> dict[str, tuple[datetime, bytes]]:
    s3 = _aws(stack, "s3")
    found = {}
    for item in s3.list_objects_v2(Bucket=bucket).get("Contents", []):
        body = s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
        found[item["Key"]] = (item["LastModified"], body)
    return found


def test_no_test_ip_or_user_agent_in_any_bucket_object_or_table_item(
    running_stack: RunningStack, reported: dict[str, Any]
) -> None:
    s3, dynamodb = _aws(running_stack, "s3"), _aws(running_stack, "dynamodb")
    secrets = [*IPS, *AGENTS, "cfqa-"]
    texts: list[str] = []
    for bucket in s3.list_buckets()["Buckets"]:
        for key, (_, body) in _lake_objects(running_stack, bucket["Name"]).items():
            if body[:2] == b"\x1f\x8b":
                body = gzip.decompress(body)
            texts.append(key + "\n" + body.decode("utf-8", errors="replace"))
    assert any('"visitor"' in text for text in texts)
    for table in dynamodb.list_tables()["TableNames"]:
        for page in dynamodb.get_paginator("scan").paginate(TableName=table):
            texts.append(json.dumps(page["Items"]))
    dump = "\n".join(texts)
    for secret in secrets:
        assert secret not in dump


def test_partitions_and_glue_schema_agree_with_the_files(
    running_stack: RunningStack, lake_info: dict[str, Any], reported: dict[str, Any]
) -> None:
    table = _aws(running_stack, "glue").get_table(
        DatabaseName=lake_info["glue_database"], Name=lake_info["glue_table"]
    )["Table"]
    columns = {c["Name"]: c["Type"] for c in table["StorageDescriptor"]["Columns"]}
    assert columns == lake.COLUMNS
    assert [k["Name"] for k in table["PartitionKeys"]] == [lake.PARTITION]
    parameters = table["Parameters"]
    assert parameters["projection.enabled"] == "true"
    assert parameters["projection.dt.format"] == "yyyy-MM-dd"
    template = parameters["storage.location.template"]
    assert template == f"s3://{lake_info['lake_bucket']}/{lake.PREFIX}{lake.PARTITION}=${{dt}}/"
    python_types = {"bigint": int, "string": str, "boolean": bool}
    objects = _lake_objects(running_stack, lake_info["lake_bucket"])
    assert objects
    for key, (modified, body) in objects.items():
        partition = lake.partition_of(key)
        assert partition is not None, key
        # Firehose's timestamp prefix: the UTC day the records arrived.
        assert partition == modified.astimezone(UTC).date(), key
        assert template.replace("${dt}", partition.isoformat()) == (
            f"s3://{lake_info['lake_bucket']}/{key.rsplit('/', 1)[0]}/"
        )
        for line in gzip.decompress(body).decode().splitlines():
            row = json.loads(line)
            assert list(row) == list(columns)
            for name, value in row.items():
                assert value is None or type(value) is python_types[columns[name]], (name, value)


# Firehose's object name after a custom prefix: stream-version-YYYY-MM-DD-HH-MM-SS-uuid, and .gz
# for GZIP (https://docs.aws.amazon.com/firehose/latest/dev/s3-object-name.html).
FIREHOSE_KEY = re.compile(
    r"^visits/dt=(?P<dt>\d{4}-\d{2}-\d{2})/(?P<stream>[a-z0-9-]+)-(?P<version>\d+)-"
    r"(?P<stamp>\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2})-[0-9a-f-]{36}\.gz$"
)


def _terraform_block(text: str, resource: str) -> str:
    start = text.index(resource)
    return text[start : text.index("\n}\n", start)]


def test_the_relay_writes_what_the_aws_path_would(
    running_stack: RunningStack, lake_info: dict[str, Any], sent: list[str], reported: Any
) -> None:
    module = (paths.INFRA / "modules" / "analytics" / "main.tf").read_text()
    firehose_target = _terraform_block(module, 'resource "aws_cloudwatch_event_target" "firehose"')
    relay_target = _terraform_block(module, 'resource "aws_cloudwatch_event_target" "relay"')
    stream = _terraform_block(module, 'resource "aws_kinesis_firehose_delivery_stream" "visits"')
    # The relay's input is the Firehose target's: one input path for both.
    assert "input_path     = local.input_path" in firehose_target
    assert "input_path = local.input_path" in relay_target
    assert 'input_path = "$.detail"' in module
    relay = local.relay_for(lake_info["aws_endpoint"], lake_info)
    delivery = relay.delivery
    # It follows the stream as Terraform configured it on the emulator.
    assert delivery.input_path == "$.detail"
    assert delivery.prefix == "visits/dt=!{timestamp:yyyy-MM-dd}/"
    assert 'prefix              = "${local.prefix}dt=!{timestamp:yyyy-MM-dd}/"' in stream
    assert delivery.compression == "GZIP" and 'compression_format  = "GZIP"' in stream
    assert delivery.delimiter and 'type = "AppendDelimiterToRecord"' in stream
    assert delivery.interval_seconds == 2  # infra/envs/local
    # What landed: each event's detail, exactly as the counter sent it, one per line.
    lines: list[str] = []
    for key, (_, body) in _lake_objects(running_stack, lake_info["lake_bucket"]).items():
        found = FIREHOSE_KEY.match(key)
        assert found, key
        assert found["stream"] == lake_info["delivery_stream_name"]
        assert found["stamp"].startswith(found["dt"])
        data = gzip.decompress(body).decode()
        assert data.endswith("\n")
        lines += data.splitlines()
    ours = [line for line in lines if line in set(sent)]
    assert sorted(ours) == sorted(sent)
