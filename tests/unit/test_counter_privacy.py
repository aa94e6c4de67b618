"""No raw IP address or User-Agent at rest or in logs, whatever the request and log level."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from types import ModuleType

import pytest

from tests.unit.conftest import api_event, invoke, load_function, scan

SECRET_IP = "203.0.113.77"
SECRET_IPV6 = "2001:db8:cafe::4242"
SECRET_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0 cf-7f3a9"
SECRET_ROBOT = "cf-secret-crawler/1.0 (+https://bot.example)"
SECRETS = (SECRET_IP, SECRET_IPV6, "cf-7f3a9", "cf-secret-crawler")


@pytest.fixture
def counter(counter_table, monkeypatch) -> ModuleType:
    """A container whose environment asks Powertools for every event to be logged and printed:
    the code must not let it."""
    monkeypatch.setenv("POWERTOOLS_LOGGER_LOG_EVENT", "true")
    monkeypatch.setenv("POWERTOOLS_DEV", "true")
    monkeypatch.setenv("POWERTOOLS_LOG_LEVEL", "DEBUG")
    return load_function("counter")


@pytest.fixture
def every_log_line(counter, caplog, monkeypatch) -> Iterator[io.StringIO]:
    """Everything the function logs at DEBUG: its Powertools logger and every library's."""
    caplog.set_level(logging.DEBUG)
    # Pelican, when another test built a site in this process, installs a logger class that
    # drops repeated messages; here every line must come through.
    monkeypatch.setattr(logging.getLogger(counter.logger.name), "filters", [])
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(counter.logger.registered_formatter)
    counter.logger.addHandler(handler)
    counter.logger.setLevel(logging.DEBUG)
    yield stream
    counter.logger.removeHandler(handler)


def requests_carrying_secrets() -> list[dict]:
    origin = {"Origin": "https://site.example"}
    return [
        api_event("POST", "/visits", {"path": "/p/"}, source_ip=ip, user_agent=ua, headers=origin)
        for ip in (SECRET_IP, SECRET_IPV6)
        for ua in (SECRET_AGENT, SECRET_ROBOT)
    ] + [
        api_event(
            "GET", "/visits", query={"path": "/p/"}, source_ip=SECRET_IP, user_agent=SECRET_AGENT
        ),
        api_event("POST", "/visits", "{bad", source_ip=SECRET_IP, user_agent=SECRET_AGENT),
        api_event("PUT", "/visits", source_ip=SECRET_IP, user_agent=SECRET_AGENT),
        api_event("GET", "/nope", source_ip=SECRET_IP, user_agent=SECRET_AGENT),
        api_event("OPTIONS", "/visits", source_ip=SECRET_IP, user_agent=SECRET_AGENT),
    ]


def test_no_raw_ip_or_agent_in_any_table_item(counter, counter_table) -> None:
    for event in requests_carrying_secrets():
        invoke(counter, event)
    items = scan(counter_table)
    assert any(item["pk"]["S"].startswith("VISITOR#") for item in items)
    dump = json.dumps(items, default=repr)
    for secret in SECRETS:
        assert secret not in dump


def test_no_raw_ip_or_agent_in_any_log_line(counter, every_log_line, caplog, capfd) -> None:
    for event in requests_carrying_secrets():
        invoke(counter, event)
    captured = capfd.readouterr()
    function_log = every_log_line.getvalue()
    library_log = "\n".join(f"{record.getMessage()} {record.__dict__}" for record in caplog.records)
    # The logs are not empty: rejections and debug lines were written.
    assert "request rejected" in function_log
    assert "visit handled" in function_log
    for secret in SECRETS:
        for where, text in (
            ("function log", function_log),
            ("library log", library_log),
            ("stdout", captured.out),
            ("stderr", captured.err),
        ):
            assert secret not in text, f"{secret!r} leaked into the {where}"


def test_an_unexpected_error_is_logged_without_request_data(
    counter, counter_table, every_log_line
) -> None:
    counter_table.delete_table(TableName="cloudfolio-test")
    reply = invoke(
        counter,
        api_event("POST", "/visits", {"path": "/p/"}, source_ip=SECRET_IP, user_agent=SECRET_AGENT),
    )
    assert reply.status == 500
    assert reply.body["error"] == "internal_error"
    log = every_log_line.getvalue()
    assert "unhandled error" in log
    for secret in SECRETS:
        assert secret not in log
