"""No raw IP address or User-Agent at rest or in logs, whatever the request and log level."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from types import ModuleType

import hcl2
import pytest
from common.ephemeral import expires_at, salt_key
from salt_purge import handler as purge_job

from cloudfolio import paths
from tests.unit.conftest import (
    EPHEMERAL_TABLE,
    TABLE,
    api_event,
    invoke,
    load_function,
    scan,
    scan_table,
)

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


def documented_tables() -> dict[str, dict[str, str]]:
    """docs/api.md's table of tables: Terraform resource -> its documented settings."""
    rows = {}
    for line in (paths.ROOT / "docs" / "api.md").read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0].startswith("`aws_dynamodb_table."):
            rows[cells[0].strip("`")] = {"pitr": cells[2].split()[0], "ttl": cells[3]}
    return rows


def terraform_tables() -> dict[str, dict[str, str]]:
    module = paths.ROOT / "infra" / "modules" / "data"
    with (module / "main.tf").open() as handle:
        main = hcl2.load(handle)
    with (module / "variables.tf").open() as handle:
        # python-hcl2 keeps the quotes of block labels.
        defaults = {
            name.strip('"'): body.get("default")
            for block in hcl2.load(handle)["variable"]
            for name, body in block.items()
        }
    found = {}
    for block in main["resource"]:
        for name, body in block.get('"aws_dynamodb_table"', {}).items():
            name = name.strip('"')
            pitr = body["point_in_time_recovery"][0]["enabled"]
            if isinstance(pitr, str) and pitr.startswith("${var."):
                pitr = defaults[pitr.removeprefix("${var.").removesuffix("}")]
            found[f"aws_dynamodb_table.{name}"] = {
                "pitr": "on" if pitr is True else "off",
                "ttl": "on" if body["ttl"][0]["enabled"] is True else "off",
            }
    return found


def test_the_terraform_keeps_what_the_docs_promise() -> None:
    documented = documented_tables()
    assert documented["aws_dynamodb_table.this"]["pitr"] == "on"
    assert documented["aws_dynamodb_table.ephemeral"]["pitr"] == "off"
    assert terraform_tables() == documented
    # No environment turns backups on for the ephemeral table or off for the counts.
    stack = (paths.ROOT / "infra" / "modules" / "stack" / "main.tf").read_text()
    assert "point_in_time_recovery" not in stack


def test_salts_and_markers_live_only_in_the_table_without_backups(counter, counter_table):
    for event in requests_carrying_secrets():
        invoke(counter, event)
    counts = scan_table(counter_table, TABLE)
    assert {item["pk"]["S"].split("#")[0] for item in counts} == {"SITE"}
    ephemeral = {i["pk"]["S"].split("#")[0] for i in scan_table(counter_table, EPHEMERAL_TABLE)}
    assert ephemeral == {"SALT", "VISITOR"}


def test_the_purge_job_deletes_salts_older_than_48_hours(counter, counter_table) -> None:
    now = datetime(2026, 3, 10, 12, 30, tzinfo=UTC)
    for back in range(6):
        day = (now - timedelta(days=back)).date().isoformat()
        counter_table.put_item(
            TableName=EPHEMERAL_TABLE,
            Item={**salt_key(day), "salt": {"S": "00"}, "expires_at": {"N": str(expires_at(day))}},
        )
    result = purge_job.run(
        {"EPHEMERAL_TABLE_NAME": EPHEMERAL_TABLE}, lambda: counter_table, now=now
    )
    # 03-08 started 60.5 h ago: gone. 03-09 (36.5 h) and today stay until their 48 h are over.
    assert result["deleted"] == ["2026-03-08", "2026-03-07", "2026-03-06", "2026-03-05"]
    left = sorted(i["pk"]["S"] for i in scan_table(counter_table, EPHEMERAL_TABLE))
    assert left == ["SALT#2026-03-09", "SALT#2026-03-10"]
    for item in scan_table(counter_table, EPHEMERAL_TABLE):
        assert int(item["expires_at"]["N"]) > now.timestamp()


def test_an_expired_salt_that_ttl_has_not_removed_is_not_used(counter, counter_table) -> None:
    today = counter.counter.clock().date().isoformat()
    counter_table.put_item(
        TableName=EPHEMERAL_TABLE,
        Item={**salt_key(today), "salt": {"S": "ab" * 32}, "expires_at": {"N": "1"}},
    )
    reply = invoke(counter, api_event("POST", "/visits", {"path": "/p/"}))
    assert reply.status == 200
    items = scan_table(counter_table, EPHEMERAL_TABLE)
    (salt,) = [item for item in items if item["pk"]["S"] == f"SALT#{today}"]
    assert salt["salt"]["S"] != "ab" * 32
    assert int(salt["expires_at"]["N"]) > counter.counter.clock().timestamp()
