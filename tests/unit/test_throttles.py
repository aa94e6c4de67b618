"""Per-route throttles are declared once, in the API description, and sized so one noisy client
cannot turn real visits into 429s."""

from __future__ import annotations

from cloudfolio import api_description
from cloudfolio.local.throttle import TokenBucket

COUNTER_ROUTES = ("POST /visits", "GET /visits")


def test_every_operation_declares_a_throttle() -> None:
    declared = api_description.throttles()
    assert set(declared) == {f"{op.method} {op.path}" for op in api_description.operations()}


def test_counter_routes_are_sized_for_a_spike() -> None:
    declared = api_description.throttles()
    for key in COUNTER_ROUTES:
        assert declared[key].rate_limit >= 100, key
        assert declared[key].burst_limit >= 200, key


def rejected_readers(rate_limit: float, burst_limit: int) -> int:
    """One client floods at 10 rps for a minute while readers visit: 1 rps, and a spike of 50
    (a busy link) half-way. Returns how many readers' visits were refused."""
    now = [0.0]
    bucket = TokenBucket(rate_limit, burst_limit, clock=lambda: now[0])
    refused = 0
    for step in range(600):  # 100 ms steps
        now[0] = step / 10
        bucket.take()  # the flooding client
        readers = 50 if step == 300 else int(step % 10 == 0)
        refused += sum(not bucket.take() for _ in range(readers))
    return refused


def test_one_client_at_10_rps_does_not_turn_real_visits_into_429s() -> None:
    limit = api_description.throttles()["POST /visits"]
    assert rejected_readers(limit.rate_limit, limit.burst_limit) == 0


def test_the_old_stage_limit_would_have_starved_them() -> None:
    # The simulation bites: at 5 rps / burst 10 for the whole stage the same minute loses visits.
    assert rejected_readers(5, 10) > 0


def test_the_bucket_refills_at_the_rate_up_to_the_burst() -> None:
    now = [0.0]
    bucket = TokenBucket(2, 3, clock=lambda: now[0])
    assert [bucket.take() for _ in range(4)] == [True, True, True, False]
    now[0] = 0.5  # one token back
    assert [bucket.take() for _ in range(2)] == [True, False]
    now[0] = 100.0  # never more than the burst
    assert sum(bucket.take() for _ in range(10)) == 3
