"""`invoke demo-cleanup`: the same cleanup handler, run against a running local stack."""

from __future__ import annotations

import os
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from demo.config import DemoSettings
from demo.providers.base import Status
from demo.service import DemoService
from demo.store import DemoStore
from moto.server import ThreadedMotoServer

from cloudfolio import demo_cleanup
from cloudfolio.errors import CloudfolioError
from cloudfolio.local.contract import EMULATOR_ENV, StackInfo
from cloudfolio.local.emulator import free_port
from tests.unit.conftest import create_table
from tests.unit.demo_support import FakeProvider

TABLE = "cleanup-task"


@pytest.fixture
def stack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    saved = dict(os.environ)
    provider = FakeProvider()
    # The handler module the task imports, with its container's provider replaced by the fake.
    import demo.cleanup

    monkeypatch.setattr(demo.cleanup.runtime, "_provider_factory", lambda _settings: provider)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("dynamodb", endpoint_url=endpoint, **_credentials())
    create_table(client, TABLE)
    environment = {"TABLE_NAME": TABLE, "SITE_ID": "test", "DEMO_PROVIDER": "fake"}
    StackInfo(
        site_url="http://127.0.0.1:1",
        api_url="http://127.0.0.1:2",
        aws_endpoint=endpoint,
        table_name=TABLE,
        site_bucket=None,
        ready_seconds=0.0,
        infra="applied",
        function_environments={"demo_trigger": environment},
    ).write(tmp_path)
    service = DemoService(
        DemoSettings.from_env(environment), DemoStore(client, TABLE), lambda: provider
    )
    yield types.SimpleNamespace(state_dir=tmp_path, provider=provider, service=service)
    server.stop()
    os.environ.clear()
    os.environ.update(saved)


def _credentials() -> dict[str, str]:
    return {
        "region_name": EMULATOR_ENV["AWS_DEFAULT_REGION"],
        "aws_access_key_id": EMULATOR_ENV["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": EMULATOR_ENV["AWS_SECRET_ACCESS_KEY"],
    }


def test_without_a_running_stack_it_says_so(tmp_path: Path) -> None:
    with pytest.raises(CloudfolioError, match="invoke up"):
        demo_cleanup.run("sweep", state_dir=tmp_path)


def test_unknown_action_is_refused() -> None:
    with pytest.raises(demo_cleanup.DemoCleanupError, match="unknown action"):
        demo_cleanup.run("explode")


def test_runs_the_cleanup_handler_against_the_stack(stack: Any) -> None:
    assert demo_cleanup.run("sweep", state_dir=stack.state_dir)["result"] == "nothing to do"
    stack.service.start("visitor", "2027-01-15", 1_900_000_000)
    stack.provider.set_status("p1", Status.SUCCESS)
    result = demo_cleanup.run("force", state_dir=stack.state_dir)
    assert result["result"] == "destroying"
    assert stack.provider.triggered[-1][0] == "destroy"
