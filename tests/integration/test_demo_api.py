"""The demo API through the local gateway, with the local provider running real Terraform."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.integration.conftest import ApiClient, demo_back_to_idle, wait_for_demo

pytestmark = pytest.mark.integration

CONCURRENT_STARTS = 50


def test_50_concurrent_starts_one_201_then_a_destroy_back_to_idle(api: ApiClient) -> None:
    demo_back_to_idle(api)

    def start(n: int) -> int:
        # Each from its own loopback address: 50 visitors, so no quota gets in the way.
        base = f"http://{api.host}:{api.port}{api.prefix}"
        visitor = ApiClient(base, source_ip=f"127.0.0.{n + 10}")
        return visitor.request("POST", "/demo").status

    with ThreadPoolExecutor(CONCURRENT_STARTS) as pool:
        statuses = list(pool.map(start, range(CONCURRENT_STARTS)))
    # The route's throttle (5 rps, burst 10) answers some with 429 before they reach the lock;
    # everything that reached it but the one winner got 409.
    print(f"\n50 concurrent POST /demo: { ({s: statuses.count(s) for s in set(statuses)}) }")
    assert statuses.count(201) == 1, statuses
    assert statuses.count(409) >= 1
    assert statuses.count(409) + statuses.count(429) == CONCURRENT_STARTS - 1, statuses

    conflict = api.request("POST", "/demo")
    assert conflict.status == 409
    assert conflict.json()["current"]["provider"] == "local"
    destroy = api.request("DELETE", "/demo")
    # The deploy just started; when its cancel is not confirmed yet the demo shows failed and
    # the destroy is asked again, as a visitor would.
    for _ in range(10):
        if destroy.status != 503:
            break
        time.sleep(2)
        destroy = api.request("DELETE", "/demo")
    assert destroy.status == 202, destroy.body
    assert api.request("DELETE", "/demo").json()["error"] == "destroy_running"
    wait_for_demo(api, {"idle"})
    pipeline = api.request("GET", "/demo/pipeline").json()
    assert pipeline["is_finished"] and pipeline["is_success"]
