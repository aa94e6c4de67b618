"""Cleanup: the one-time expiry schedule, the hourly sweep, the nightly force, the DLQ."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import boto3
import pytest
from demo.config import DemoSettings
from demo.providers.base import ProviderError, Status
from demo.schedules import expiry_expression, schedule_expiry, schedule_name
from demo.service import CleanupFailed, DemoService
from demo.states import State
from demo.store import DemoStore

from tests.unit.conftest import TABLE, FakeLambdaContext
from tests.unit.demo_support import FakeProvider, load_demo

T0 = 1_800_000_000
HOUR = 3600


class Clock:
    def __init__(self) -> None:
        self.now = float(T0)

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def world(counter_table: Any) -> SimpleNamespace:
    queue = boto3.client("sqs").create_queue(QueueName="demo-cleanup-dlq")["QueueUrl"]
    settings = DemoSettings.from_env({"DEMO_PROVIDER": "fake"})
    provider, clock, dead = FakeProvider(), Clock(), []
    service = DemoService(
        settings,
        DemoStore(counter_table, TABLE),
        lambda: provider,
        clock=clock,
        dead_letter=dead.append,
    )
    return SimpleNamespace(
        service=service, provider=provider, clock=clock, dead=dead, queue=queue, settings=settings
    )


def started(world: SimpleNamespace, status: Status) -> str:
    body = world.service.start("visitor", "2027-01-15", T0 + 2 * 86400)
    world.provider.set_status(body["pipeline_id"], status)
    return world.service.store.get().deployment_id


def test_nothing_to_clean(world: SimpleNamespace) -> None:
    assert world.service.cleanup("sweep")["result"] == "nothing to do"


def test_sweep_keeps_a_ready_demo_before_its_expiry(world: SimpleNamespace) -> None:
    started(world, Status.SUCCESS)
    world.clock.now += HOUR
    assert world.service.cleanup("sweep") == {"action": "sweep", "result": "kept", "state": "ready"}
    assert world.provider.triggered[-1][0] == "deploy"


def test_sweep_destroys_an_expired_demo(world: SimpleNamespace) -> None:
    deployment = started(world, Status.SUCCESS)
    world.clock.now += 2 * HOUR
    assert world.service.cleanup("sweep")["result"] == "destroying"
    assert world.provider.triggered[-1] == ("destroy", deployment)
    assert world.service.status()["state"] == "destroying"


def test_expire_event_destroys_only_its_own_deployment(world: SimpleNamespace) -> None:
    deployment = started(world, Status.SUCCESS)
    assert world.service.cleanup("expire", "an-older-one")["result"] == "nothing to do"
    assert world.service.cleanup("expire", deployment)["result"] == "destroying"


def test_sweep_turns_a_stuck_deploy_into_failed_then_destroys_it(world: SimpleNamespace) -> None:
    deployment = started(world, Status.RUNNING)
    world.clock.now += world.settings.deploy_timeout_s + 1
    assert world.service.cleanup("sweep")["result"] == "destroying"
    assert world.provider.cancelled == ["p1"]  # the stuck pipeline is stopped before the destroy
    assert world.provider.triggered[-1] == ("destroy", deployment)


def test_stuck_deploy_shows_as_failed_when_the_destroy_cannot_start(
    world: SimpleNamespace,
) -> None:
    started(world, Status.RUNNING)
    world.clock.now += world.settings.deploy_timeout_s + 1
    world.provider.failure = ProviderError("unavailable", "The CI server did not answer.")
    with pytest.raises(CleanupFailed):
        world.service.cleanup("sweep")
    world.provider.failure = None
    status = world.service.status()
    assert status["state"] == State.FAILED
    assert status["last_error"] == "The CI server did not answer."


def test_sweep_destroys_a_failed_deploy_at_once(world: SimpleNamespace) -> None:
    deployment = started(world, Status.FAILED)
    assert world.service.cleanup("sweep")["result"] == "destroying"
    assert world.provider.triggered[-1] == ("destroy", deployment)


def test_sweep_releases_a_finished_destroy_into_history(world: SimpleNamespace) -> None:
    started(world, Status.SUCCESS)
    world.service.destroy()
    world.provider.set_status(world.provider.last(), Status.SUCCESS)
    world.clock.now += 60
    assert world.service.cleanup("sweep")["result"] == "released"
    assert world.service.store.get() is None
    [run] = world.service.history()["runs"]
    assert (run["outcome"], run["duration_s"]) == ("completed", 60)


def test_nightly_force_destroys_anything_still_up(world: SimpleNamespace) -> None:
    started(world, Status.SUCCESS)
    assert world.service.cleanup("force")["result"] == "destroying"
    assert world.service.cleanup("force")["result"] == "kept"  # already destroying


def test_failure_goes_to_the_dead_letter_queue(world: SimpleNamespace) -> None:
    deployment = started(world, Status.SUCCESS)
    world.provider.failure = ProviderError("server_error", "GitLab answered 502.", retryable=True)
    with pytest.raises(CleanupFailed):
        world.service.cleanup("force")
    assert world.dead == [
        {"action": "force", "deployment_id": deployment, "error": "GitLab answered 502."}
    ]


def test_handler_sends_failures_to_the_configured_queue(
    world: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEMO_PROVIDER", "fake")
    monkeypatch.setenv("DEMO_DLQ_URL", world.queue)
    cleanup = load_demo("cleanup")
    cleanup.runtime._provider_factory = lambda _settings: world.provider
    started(world, Status.SUCCESS)
    world.provider.failure = ProviderError("unauthorized", "The token was refused.")
    with pytest.raises(CleanupFailed):
        cleanup.lambda_handler({"action": "force"}, FakeLambdaContext())
    messages = boto3.client("sqs").receive_message(QueueUrl=world.queue)["Messages"]
    assert json.loads(messages[0]["Body"])["error"] == "The token was refused."
    with pytest.raises(ValueError, match="unknown cleanup action"):
        cleanup.lambda_handler({"action": "explode"}, FakeLambdaContext())


def test_one_time_schedule_at_expiry_deletes_itself(counter_table: Any) -> None:
    client = boto3.client("scheduler")
    client.create_schedule_group(Name="demo")
    settings = DemoSettings.from_env(
        {
            "DEMO_SCHEDULE_GROUP": "demo",
            "DEMO_SCHEDULE_ROLE_ARN": "arn:aws:iam::000000000000:role/demo-scheduler",
            "DEMO_CLEANUP_FUNCTION_ARN": "arn:aws:lambda:us-east-1:000000000000:function:c",
            "DEMO_DLQ_ARN": "arn:aws:sqs:us-east-1:000000000000:demo-dlq",
        }
    )
    assert schedule_expiry(client, settings, "abc123", T0 + 2 * HOUR)
    schedule = client.get_schedule(Name=schedule_name("abc123"), GroupName="demo")
    assert schedule["ScheduleExpression"] == expiry_expression(T0 + 2 * HOUR)
    assert schedule["ScheduleExpression"] == "at(2027-01-15T10:00:00)"
    assert schedule["ActionAfterCompletion"] == "DELETE"
    target = schedule["Target"]
    assert json.loads(target["Input"]) == {"action": "expire", "deployment_id": "abc123"}
    assert target["DeadLetterConfig"]["Arn"].endswith(":demo-dlq")
    assert not schedule_expiry(client, DemoSettings.from_env({}), "abc123", T0)
