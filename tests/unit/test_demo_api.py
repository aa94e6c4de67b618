"""The demo API through its handlers, against moto and a fake pipeline provider."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest
from common.schema import PARTITION_KEY
from demo.providers.base import JobLog, ProviderError, Status
from demo.service import STATUS_FIELDS

from cloudfolio import paths
from tests.unit.conftest import CLIENT_IP, api_event, invoke, scan
from tests.unit.demo_support import FakeProvider, load_demo


@pytest.fixture
def demo(counter_table: Any, monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    monkeypatch.setenv("DEMO_PROVIDER", "fake")
    monkeypatch.setenv("DEMO_VISITOR_DAILY_QUOTA", "3")
    monkeypatch.setenv("DEMO_DAILY_CAP", "5")
    provider = FakeProvider()
    functions = {name: load_demo(name) for name in ("trigger", "destroy", "status")}
    for module in functions.values():
        module.runtime._provider_factory = lambda _settings: provider
    return SimpleNamespace(provider=provider, table=counter_table, **functions)


def call(module: Any, method: str, path: str, **kwargs: Any) -> Any:
    return invoke(module, api_event(method, path, **kwargs))


def start(demo: SimpleNamespace, **kwargs: Any) -> Any:
    return call(demo.trigger, "POST", "/demo", **kwargs)


def lock_items(table: Any) -> list[dict[str, Any]]:
    return [i for i in scan(table) if i[PARTITION_KEY]["S"] == "DEMO#ACTIVE"]


def test_idle_status_is_200_with_nulls(demo: SimpleNamespace) -> None:
    reply = call(demo.status, "GET", "/demo")
    assert reply.status == 200
    assert reply.body == {name: None for name in STATUS_FIELDS} | {"state": "idle"}
    assert reply.headers["cache-control"] == "no-store"


def test_start_answers_201_with_location_and_the_deployment(demo: SimpleNamespace) -> None:
    reply = start(demo)
    assert reply.status == 201
    assert reply.headers["location"] == "/demo"
    assert set(reply.body) == set(STATUS_FIELDS)
    assert reply.body["state"] == "queued"
    assert reply.body["provider"] == "fake"
    assert reply.body["pipeline_id"] == "p1"
    assert 7100 < reply.body["remaining_s"] <= 7200  # two hours, less the seconds the call took
    assert demo.provider.triggered[0][0] == "deploy"


def test_second_start_is_409_with_the_current_deployment(demo: SimpleNamespace) -> None:
    first = start(demo)
    demo.provider.set_status("p1", Status.RUNNING)
    second = start(demo, source_ip="203.0.113.9")
    assert second.status == 409
    assert second.body["error"] == "demo_active"
    assert second.body["current"]["state"] == "deploying"
    assert second.body["current"]["pipeline_id"] == first.body["pipeline_id"]
    assert len(demo.provider.triggered) == 1


def test_status_follows_the_pipeline_to_ready_with_the_environment_url(
    demo: SimpleNamespace,
) -> None:
    start(demo)
    demo.provider.set_status("p1", Status.RUNNING)
    assert call(demo.status, "GET", "/demo").body["state"] == "deploying"
    assert call(demo.status, "GET", "/demo").body["environment_url"] is None
    demo.provider.set_status("p1", Status.SUCCESS)
    ready = call(demo.status, "GET", "/demo").body
    assert ready["state"] == "ready"
    assert ready["environment_url"].startswith("http://demo.test/")


def test_destroy_rules_202_then_409_while_destroying_then_idle(demo: SimpleNamespace) -> None:
    nothing = call(demo.destroy, "DELETE", "/demo")
    assert (nothing.status, nothing.body["error"]) == (409, "nothing_to_destroy")
    start(demo)
    demo.provider.set_status("p1", Status.SUCCESS)
    accepted = call(demo.destroy, "DELETE", "/demo")
    assert accepted.status == 202
    assert accepted.body["state"] == "destroying"
    again = call(demo.destroy, "DELETE", "/demo")
    assert (again.status, again.body["error"]) == (409, "destroy_running")
    demo.provider.set_status(demo.provider.last(), Status.SUCCESS)
    assert call(demo.status, "GET", "/demo").body["state"] == "idle"
    # The next start takes over the finished lock and records the finished run.
    assert start(demo).status == 201
    runs = call(demo.status, "GET", "/demo/history").body["runs"]
    assert [run["outcome"] for run in runs] == ["completed"]


def test_destroy_of_a_running_deploy_cancels_it_first(demo: SimpleNamespace) -> None:
    start(demo)
    demo.provider.set_status("p1", Status.RUNNING)
    assert call(demo.destroy, "DELETE", "/demo").status == 202
    assert demo.provider.cancelled == ["p1"]
    assert demo.provider.triggered[-1][0] == "destroy"


def test_an_unconfirmed_cancel_fails_the_demo_and_a_retry_cancels_again(
    demo: SimpleNamespace,
) -> None:
    start(demo)
    demo.provider.set_status("p1", Status.RUNNING)
    refuse = ProviderError("cancel_not_confirmed", "Still running.", retryable=True)
    original_cancel = demo.provider.cancel
    demo.provider.cancel = lambda _pipeline: (_ for _ in ()).throw(refuse)
    first = call(demo.destroy, "DELETE", "/demo")
    assert (first.status, first.body["error"]) == (503, "provider_cancel_not_confirmed")
    assert call(demo.status, "GET", "/demo").body["state"] == "failed"
    assert [action for action, _ in demo.provider.triggered] == ["deploy"]
    demo.provider.cancel = original_cancel
    assert call(demo.destroy, "DELETE", "/demo").status == 202
    assert demo.provider.cancelled == ["p1"]  # the deploy was still running: cancelled first
    assert demo.provider.triggered[-1][0] == "destroy"


def test_start_while_destroying_is_409(demo: SimpleNamespace) -> None:
    start(demo)
    call(demo.destroy, "DELETE", "/demo")
    reply = start(demo)
    assert reply.status == 409
    assert reply.body["current"]["state"] == "destroying"


def test_same_idempotency_key_returns_the_same_deployment(demo: SimpleNamespace) -> None:
    headers = {"Idempotency-Key": "f4b1c7e0-key"}
    first = start(demo, headers=headers)
    again = start(demo, headers=headers)
    assert (first.status, again.status) == (201, 201)
    assert again.body["pipeline_id"] == first.body["pipeline_id"]
    assert again.body["started_at"] == first.body["started_at"]
    assert len(demo.provider.triggered) == 1
    other = start(demo, headers={"Idempotency-Key": "another-key"})
    assert other.status == 409


def test_visitor_quota_refuses_the_fourth_start_and_stores_nothing(
    demo: SimpleNamespace,
) -> None:
    for _ in range(3):
        assert start(demo).status == 201
        demo.provider.set_status(demo.provider.last(), Status.SUCCESS)
        call(demo.destroy, "DELETE", "/demo")
        demo.provider.set_status(demo.provider.last(), Status.SUCCESS)
    call(demo.destroy, "DELETE", "/demo")  # finds the last destroy done and releases the lock
    before = scan(demo.table)
    refused = start(demo)
    assert (refused.status, refused.body["error"]) == (429, "demo_quota")
    # Still nothing changed: not the lock, not a counter.
    after = scan(demo.table)
    assert sorted(map(json.dumps, after)) == sorted(map(json.dumps, before))
    assert start(demo, source_ip="203.0.113.77").status == 201


def test_daily_cap_applies_to_everyone(demo: SimpleNamespace) -> None:
    for n in range(5):
        assert start(demo, source_ip=f"203.0.113.{n}").status == 201
        demo.provider.set_status(demo.provider.last(), Status.SUCCESS)
        call(demo.destroy, "DELETE", "/demo")
        demo.provider.set_status(demo.provider.last(), Status.SUCCESS)
    refused = start(demo, source_ip="203.0.113.99")
    assert refused.status == 429
    assert "today" in refused.body["message"]


def test_history_keeps_only_a_hash_of_the_requester_and_a_30_day_ttl(
    demo: SimpleNamespace,
) -> None:
    start(demo)
    demo.provider.set_status("p1", Status.FAILED)
    call(demo.destroy, "DELETE", "/demo")
    demo.provider.set_status(demo.provider.last(), Status.SUCCESS)
    call(demo.destroy, "DELETE", "/demo")  # finds the destroy done and releases the lock
    runs = call(demo.status, "GET", "/demo/history").body["runs"]
    assert len(runs) == 1
    run = runs[0]
    assert set(run) == {
        "deployment_id", "started_at", "finished_at", "outcome", "duration_s", "provider",
        "requester",
    }  # fmt: skip
    assert run["provider"] == "fake"
    stored = next(i for i in scan(demo.table) if i[PARTITION_KEY]["S"] == "DEMO#HISTORY")
    text = json.dumps(stored)
    assert CLIENT_IP not in text and "Chrome" not in text
    lifetime = int(stored["expires_at"]["N"]) - int(stored["finished_at"]["N"])
    assert lifetime == 30 * 86400
    assert lock_items(demo.table) == []


def test_pipeline_view_has_stages_jobs_and_flags(demo: SimpleNamespace) -> None:
    idle = call(demo.status, "GET", "/demo/pipeline").body
    assert idle == {
        "pipeline": None, "is_running": False, "is_success": False, "is_failed": False,
        "is_finished": False,
    }  # fmt: skip
    start(demo)
    demo.provider.set_status("p1", Status.RUNNING)
    running = call(demo.status, "GET", "/demo/pipeline").body
    assert running["is_running"] and not running["is_finished"]
    assert running["pipeline"]["stages"][0]["name"] == "deploy"
    assert running["pipeline"]["stages"][0]["jobs"][0]["status"] == "running"
    demo.provider.set_status("p1", Status.FAILED)
    failed = call(demo.status, "GET", "/demo/pipeline").body
    assert failed["is_failed"] and failed["is_finished"] and not failed["is_success"]


GITHUB_TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"


def test_logs_are_cleaned_masked_bounded_and_newest_last(demo: SimpleNamespace) -> None:
    start(demo)
    big = "".join(f"line {n} password=Hunter2-{n}xyzzy\n" for n in range(6000))
    big += f"git clone https://x-access-token:{GITHUB_TOKEN}@github.com/org/demo.git\n"
    demo.provider.job_logs["p1"] = [
        JobLog("1", "init", "section_start:1700000000:init[collapsed=true]\r\x1b[0K"
               "\x1b[32;1mTerraform init\x1b[0m\nsection_end:1700000001:init\r\x1b[0K"),
        JobLog("2", "apply", big),
    ]  # fmt: skip
    jobs = call(demo.status, "GET", "/demo/logs").body["jobs"]
    assert [job["name"] for job in jobs] == ["init", "apply"]
    assert jobs[0] == {
        "job_id": "1",
        "name": "init",
        "text": "Terraform init\n",
        "truncated": False,
    }
    apply = jobs[1]
    assert apply["truncated"] is True
    assert len(apply["text"].encode()) <= 64 * 1024
    assert apply["text"].startswith("line ")
    assert "line 5999 password=[MASKED]\n" in apply["text"]
    assert apply["text"].endswith("@github.com/org/demo.git\n")
    assert "Hunter2" not in apply["text"] and GITHUB_TOKEN not in apply["text"]


def test_provider_failure_on_start_answers_502_and_frees_the_lock(demo: SimpleNamespace) -> None:
    demo.provider.failure = ProviderError("forbidden", "The trigger token was refused.")
    reply = start(demo)
    assert (reply.status, reply.body["error"]) == (502, "provider_forbidden")
    assert lock_items(demo.table) == []
    demo.provider.failure = None
    assert start(demo).status == 201


def test_the_configured_provider_comes_from_the_factory(
    counter_table: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from demo import runtime
    from demo.config import DemoSettings
    from demo.providers.base import ProviderError as Refused

    monkeypatch.setenv("DEMO_PROVIDER", "gitlab")
    with pytest.raises(Refused, match="DEMO_GITLAB_PROJECT"):
        runtime.load_provider(DemoSettings.from_env())


def test_demo_routes_are_throttled_at_5_rps_burst_10() -> None:
    document = json.loads((paths.BACKEND / "openapi.json").read_text())
    demo_operations = [
        op for path, item in document["paths"].items() if path.startswith("/demo")
        for op in item.values()
    ]  # fmt: skip
    assert len(demo_operations) == 6
    for operation in demo_operations:
        assert operation["x-cloudfolio-throttle"] == {"rate_limit": 5, "burst_limit": 10}


def test_status_function_never_writes(demo: SimpleNamespace) -> None:
    """The status function only reads: after any number of reads, the table is unchanged."""
    start(demo)
    before = scan(demo.table)
    for path in ("/demo", "/demo/pipeline", "/demo/logs", "/demo/history"):
        assert call(demo.status, "GET", path).status == 200
    assert scan(demo.table) == before


def test_declared_request_headers_pass_cors_here_and_in_api_gateway() -> None:
    from common.cors import REQUEST_HEADERS

    document = json.loads((paths.BACKEND / "openapi.json").read_text())
    declared = {
        parameter["name"].lower()
        for item in document["paths"].values()
        for operation in item.values()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "header"
    }
    assert declared == {"idempotency-key", "cf-turnstile-response"}
    assert declared <= {h.lower() for h in REQUEST_HEADERS}
    api = (paths.ROOT / "infra" / "modules" / "api" / "main.tf").read_text()
    for header in declared:
        assert f'"{header}"' in api


def test_preflight_allows_the_idempotency_key(demo: SimpleNamespace) -> None:
    reply = call(
        demo.trigger,
        "OPTIONS",
        "/demo",
        headers={
            "Origin": "https://site.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "idempotency-key",
        },
    )
    assert reply.status == 204
    assert "idempotency-key" in reply.headers["access-control-allow-headers"].lower()


class FakeTurnstile:
    def __init__(self) -> None:
        self.redeemed: set[str] = set()

    def verify(self, token: str | None, *, idempotency_key: str | None = None) -> None:
        from demo.turnstile import TurnstileError

        if not token:
            raise TurnstileError("turnstile_missing", "Complete the human check first.")
        if token in self.redeemed:
            raise TurnstileError("turnstile_reused", "The human check was already used.")
        self.redeemed.add(token)


def test_with_turnstile_on_a_start_needs_a_valid_token(demo: SimpleNamespace) -> None:
    demo.trigger.runtime.turnstile = FakeTurnstile()
    missing = start(demo)
    assert (missing.status, missing.body["error"]) == (403, "turnstile_missing")
    assert lock_items(demo.table) == []
    assert start(demo, headers={"CF-Turnstile-Response": "t1"}).status == 201
    reused = start(demo, headers={"CF-Turnstile-Response": "t1"})
    assert (reused.status, reused.body["error"]) == (403, "turnstile_reused")


def test_turnstile_is_off_by_default(demo: SimpleNamespace) -> None:
    assert demo.trigger.runtime.turnstile is None
