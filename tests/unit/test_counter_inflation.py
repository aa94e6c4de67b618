"""Reload loops and rotating User-Agents cannot inflate a page's views or the visitors."""

from __future__ import annotations

from datetime import timedelta

from counter.visitors import VISITOR_IDS_PER_ADDRESS

from tests.unit.conftest import BROWSER_UA, api_event, invoke, load_function

ADDRESS = "198.51.100.23"


def post(module, path="/a/", ip=ADDRESS, ua=BROWSER_UA):
    reply = invoke(
        module, api_event("POST", "/visits", {"path": path}, source_ip=ip, user_agent=ua)
    )
    assert reply.status == 200, reply.body
    return reply.body


def test_a_reload_loop_counts_at_most_the_daily_limit(counter) -> None:
    answers = [post(counter) for _ in range(25)]
    assert answers[9]["page_views"] == 10
    # Past the limit the visitor still gets the numbers; they just stop moving.
    assert answers[-1] == {"views": 10, "page_views": 10, "visitors": 1}
    # Other pages and other readers are unaffected.
    assert post(counter, "/b/")["page_views"] == 1
    assert post(counter, ip="203.0.113.5")["page_views"] == 11


def test_the_limit_starts_again_the_next_day(counter) -> None:
    for _ in range(12):
        post(counter)
    today = counter.counter.clock()
    counter.counter.clock = lambda: today + timedelta(days=1)
    assert post(counter)["page_views"] == 11


def test_the_daily_limit_is_a_setting(counter_table, monkeypatch) -> None:
    monkeypatch.setenv("DAILY_PAGE_VIEW_LIMIT", "3")
    module = load_function("counter")
    assert [post(module)["page_views"] for _ in range(5)] == [1, 2, 3, 3, 3]


def test_a_visit_over_the_limit_still_takes_two_dynamodb_calls(counter) -> None:
    for _ in range(10):
        post(counter)
    calls: list[str] = []
    counter.counter.client.meta.events.register(
        "before-call.dynamodb.*", lambda model, **_: calls.append(model.name)
    )
    post(counter)
    assert calls == ["UpdateItem", "GetItem"]


def test_rotating_the_user_agent_makes_at_most_a_few_visitors(counter) -> None:
    answers = [post(counter, ua=f"{BROWSER_UA} rotation/{number}") for number in range(60)]
    assert answers[-1]["visitors"] <= VISITOR_IDS_PER_ADDRESS
    assert answers[-1]["page_views"] <= VISITOR_IDS_PER_ADDRESS * 10
