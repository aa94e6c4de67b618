"""The lock under contention: 50 concurrent starts, exactly one wins."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from common.http import ApiError
from demo.config import DemoSettings
from demo.service import DemoService
from demo.store import LOCK_KEY, DemoStore

from cloudfolio.local.atomic_writes import serialize_dynamodb_writes
from tests.unit.conftest import TABLE
from tests.unit.demo_support import FakeProvider

CONCURRENT_STARTS = 50


@pytest.fixture(autouse=True)
def atomic_writes() -> None:
    # DynamoDB applies a conditional write atomically; moto needs telling (as the emulator is).
    serialize_dynamodb_writes()


def test_50_concurrent_starts_give_one_201_and_49_409s(counter_table: Any) -> None:
    provider = FakeProvider()
    settings = DemoSettings.from_env({"DEMO_PROVIDER": "fake", "DEMO_DAILY_CAP": "1000"})
    service = DemoService(settings, DemoStore(counter_table, TABLE), lambda: provider)
    barrier = threading.Barrier(CONCURRENT_STARTS)

    def attempt(n: int) -> int:
        barrier.wait()
        try:
            service.start(f"visitor-{n}", "2026-01-01", 1_900_000_000)
        except ApiError as refused:
            return refused.status
        return 201

    with ThreadPoolExecutor(CONCURRENT_STARTS) as pool:
        outcomes = list(pool.map(attempt, range(CONCURRENT_STARTS)))
    assert sorted(outcomes).count(201) == 1, outcomes
    assert outcomes.count(409) == CONCURRENT_STARTS - 1
    assert len(provider.triggered) == 1


def test_the_same_race_breaks_a_read_then_write_lock(counter_table: Any) -> None:
    """Control: the contention above is real; a lock taken by reading first lets several in."""
    barrier = threading.Barrier(CONCURRENT_STARTS)

    def naive(n: int) -> bool:
        barrier.wait()
        if "Item" in counter_table.get_item(TableName=TABLE, Key=LOCK_KEY, ConsistentRead=True):
            return False
        time.sleep(0.05)  # the time a real network round trip takes
        counter_table.put_item(TableName=TABLE, Item={**LOCK_KEY, "owner": {"S": str(n)}})
        return True

    with ThreadPoolExecutor(CONCURRENT_STARTS) as pool:
        winners = sum(pool.map(naive, range(CONCURRENT_STARTS)))
    assert winners > 1
