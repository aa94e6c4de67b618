"""The analytics event of each visit: derived fields only, bots flagged, never breaking counting."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from common import settings
from counter import enrichment, events
from counter.request import Visit

from tests.unit.conftest import BROWSER_UA, SITE_ORIGIN, api_event, invoke, load_function

BUS = "cloudfolio-test-analytics"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
IPAD = (
    "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1"
)
ANDROID_TABLET = (
    "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)
WINDOWS_FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
PORTUGUESE_IP = "2.83.0.1"


@pytest.mark.parametrize(
    ("agent", "expected"),
    [
        (BROWSER_UA, ("Chrome", "Linux", "desktop")),
        (WINDOWS_FIREFOX, ("Firefox", "Windows", "desktop")),
        (IPHONE, ("Mobile Safari", "iOS", "mobile")),
        (IPAD, ("Mobile Safari", "iOS", "tablet")),
        (ANDROID_TABLET, ("Chrome", "Android", "tablet")),
        ("curl/8.5.0", ("curl", "Other", "other")),
        ("", ("Other", "Other", "other")),
    ],
)
def test_browser_os_and_device_class(agent: str, expected: tuple[str, str, str]) -> None:
    client = enrichment.describe_client(agent)
    assert (client.browser, client.os, client.device) == expected
    assert client.device in enrichment.DEVICE_CLASSES


@pytest.mark.parametrize(
    ("referrer", "domain"),
    [
        ("https://news.ycombinator.com/item?id=1", "news.ycombinator.com"),
        ("https://www.Google.com/search?q=secret", "google.com"),
        ("http://user:pw@blog.example:8080/p#x", "blog.example"),
        ("android-app://com.slack/", None),
        ("not a url", None),
        ("", None),
        (None, None),
    ],
)
def test_referrer_keeps_the_domain_only(referrer: str | None, domain: str | None) -> None:
    assert enrichment.referrer_domain(referrer) == domain


def test_country_from_cloudfront_first_then_the_offline_database() -> None:
    assert enrichment.country({"cloudfront-viewer-country": "pt"}, "8.8.8.8") == "PT"
    assert enrichment.country({}, PORTUGUESE_IP) == "PT"
    assert enrichment.country({"cloudfront-viewer-country": "??"}, "127.0.0.1") is None
    assert enrichment.country({}, "10.0.0.1") is None
    assert enrichment.country({}, "not-an-ip") is None


def test_detail_has_exactly_the_lake_fields_and_no_raw_values() -> None:
    visit = Visit("/posts/a/", "https://site.example/", utm_source="newsletter", utm_medium="email")
    detail = events.visit_detail(
        visit,
        datetime(2026, 3, 1, 23, 59, 59, 500000, tzinfo=UTC),
        "ab" * 16,
        False,
        IPHONE,
        PORTUGUESE_IP,
        {},
        own_hosts=events.hosts_of((SITE_ORIGIN,)),
    )
    assert tuple(detail) == events.FIELDS
    assert detail == {
        "ts": 1772409599500,
        "day": "2026-03-01",
        "path": "/posts/a/",
        "visitor": "ab" * 16,
        "bot": False,
        "browser": "Mobile Safari",
        "os": "iOS",
        "device": "mobile",
        "referrer": None,  # the site itself
        "utm_source": "newsletter",
        "utm_medium": "email",
        "utm_campaign": None,
        "country": "PT",
    }
    dump = json.dumps(detail)
    assert PORTUGUESE_IP not in dump and "AppleWebKit" not in dump


@pytest.fixture
def bus_env(counter_table: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The counter's table plus the analytics bus, with an SQS queue catching what it gets."""
    monkeypatch.setenv(settings.EVENT_BUS_NAME, BUS)
    bridge = boto3.client("events")
    sqs = boto3.client("sqs")
    bridge.create_event_bus(Name=BUS)
    queue = sqs.create_queue(QueueName="caught")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    bridge.put_rule(
        Name="all", EventBusName=BUS, EventPattern=json.dumps({"source": [events.SOURCE]})
    )
    bridge.put_targets(Rule="all", EventBusName=BUS, Targets=[{"Id": "q", "Arn": arn}])

    def caught() -> list[dict[str, Any]]:
        messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)
        return [json.loads(m["Body"]) for m in messages.get("Messages", [])]

    return caught


def _post(counter: ModuleType, agent: str, **body: str) -> Any:
    event = api_event(
        "POST",
        "/visits",
        {"path": "/posts/a/", **body},
        user_agent=agent,
        source_ip=PORTUGUESE_IP,
        headers={"Origin": SITE_ORIGIN},
    )
    return invoke(counter, event)


def test_each_handled_visit_emits_one_event_bots_flagged(bus_env: Any) -> None:
    counter = load_function("counter")
    assert _post(counter, BROWSER_UA, referrer="https://news.ycombinator.com/x").status == 200
    assert _post(counter, GOOGLEBOT).status == 200
    caught = bus_env()
    assert [(e["source"], e["detail-type"]) for e in caught] == [(events.SOURCE, "visit")] * 2
    human, robot = (e["detail"] for e in caught)
    assert human["bot"] is False and len(human["visitor"]) == 32
    assert human["referrer"] == "news.ycombinator.com" and human["country"] == "PT"
    assert robot["bot"] is True and robot["visitor"] is None
    assert GOOGLEBOT not in json.dumps(caught) and BROWSER_UA not in json.dumps(caught)
    assert PORTUGUESE_IP not in json.dumps(caught)


def test_a_failing_bus_is_logged_and_counted_and_counting_goes_on(
    bus_env: Any,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counter = load_function("counter")
    # Pelican, when another test built a site in this process, installs a logger class that
    # drops repeated messages; here both must come through.
    monkeypatch.setattr(logging.getLogger(counter.logger.name), "filters", [])

    class Refusing:
        def put_events(self, **_: Any) -> Any:
            raise ClientError({"Error": {"Code": "ThrottlingException"}}, "PutEvents")

    counter.visit_events._client = Refusing()
    first = _post(counter, BROWSER_UA)
    second = _post(counter, BROWSER_UA)
    assert (first.status, second.status) == (200, 200)
    assert second.body["page_views"] == first.body["page_views"] + 1
    output = capfd.readouterr().out
    assert [r.getMessage() for r in caplog.records].count("visit event not sent") == 2
    assert output.count('"VisitEventFailed":[1.0]') == 2
    assert bus_env() == []
