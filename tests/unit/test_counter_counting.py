"""Counting: atomic totals, daily-unique visitors with a shared daily salt, robots ignored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from counter.store import PAGE_PREFIX
from counter.visitors import VISITOR_IDS_PER_ADDRESS, visitor_id

from tests.unit.conftest import (
    BROWSER_UA,
    EPHEMERAL_TABLE,
    PAGES,
    TABLE,
    api_event,
    invoke,
    scan,
    scan_table,
)

ROBOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "curl/8.5.0",
    "python-requests/2.32.5",
    "",
    "   ",
]


def visit(module, path="/posts/a/", ip="198.51.100.23", ua=BROWSER_UA):
    reply = invoke(
        module, api_event("POST", "/visits", {"path": path}, source_ip=ip, user_agent=ua)
    )
    assert reply.status == 200
    return reply.body


def read(module, path="/posts/a/"):
    reply = invoke(module, api_event("GET", "/visits", query={"path": path}))
    assert reply.status == 200
    return reply.body


def salts(table) -> list[dict]:
    return [item for item in scan(table) if item["pk"]["S"].startswith("SALT#")]


def test_views_page_views_and_visitors_add_up(counter) -> None:
    assert visit(counter, "/a/") == {"views": 1, "page_views": 1, "visitors": 1}
    assert visit(counter, "/b/", ip="203.0.113.9") == {"views": 2, "page_views": 1, "visitors": 2}
    assert visit(counter, "/a/", ip="203.0.113.9") == {"views": 3, "page_views": 2, "visitors": 2}
    assert read(counter, "/a/") == {"views": 3, "page_views": 2, "visitors": 2}
    assert read(counter, "/b/") == {"views": 3, "page_views": 1, "visitors": 2}


def test_same_ip_and_agent_twice_is_one_visitor_two_views(counter) -> None:
    first = visit(counter)
    second = visit(counter)
    assert (first["views"], second["views"]) == (1, 2)
    assert first["visitors"] == second["visitors"] == 1


def test_user_agents_spread_over_a_few_visitor_ids_per_address() -> None:
    salt = bytes(32)
    ids = {visitor_id(salt, "site", "198.51.100.23", f"{BROWSER_UA} {n}") for n in range(60)}
    assert len(ids) == VISITOR_IDS_PER_ADDRESS
    assert visitor_id(salt, "site", "198.51.100.24", BROWSER_UA) not in ids | {
        visitor_id(salt, "site", "198.51.100.23", BROWSER_UA)
    }


def test_another_address_is_another_visitor(counter) -> None:
    visit(counter, ip="198.51.100.23")
    assert visit(counter, ip="2001:db8::7")["visitors"] == 2


def test_similar_pages_get_their_own_counters(counter) -> None:
    visit(counter, "/a/")
    visit(counter, "/about.html")
    visit(counter, "/posts/a")
    assert read(counter, "/a/")["page_views"] == 1
    assert read(counter, "/about.html")["page_views"] == 1
    assert read(counter, "/posts/a/")["page_views"] == 1
    assert read(counter, "/b/")["page_views"] == 0


@pytest.mark.parametrize("robot", ROBOTS)
def test_robots_see_the_numbers_but_are_not_counted(counter, counter_table, robot) -> None:
    visit(counter)
    before = scan(counter_table)
    reply = invoke(counter, api_event("POST", "/visits", {"path": "/posts/a/"}, user_agent=robot))
    assert reply.status == 200
    assert reply.body == {"views": 1, "page_views": 1, "visitors": 1}
    assert scan(counter_table) == before


def test_a_request_without_any_user_agent_is_a_robot(counter, counter_table) -> None:
    reply = invoke(counter, api_event("POST", "/visits", {"path": "/x/"}, user_agent=None))
    assert reply.status == 200
    assert reply.body == {"views": 0, "page_views": 0, "visitors": 0}
    assert scan(counter_table) == []


def test_a_warm_visit_makes_at_most_two_dynamodb_calls(counter) -> None:
    visit(counter, "/warm-up/")  # the cold start fetches the day's salt once
    calls: list[str] = []
    counter.counter.client.meta.events.register(
        "before-call.dynamodb.*", lambda model, **_: calls.append(model.name)
    )
    visit(counter, "/posts/a/")  # a new page
    assert calls == ["UpdateItem", "UpdateItem"]
    calls.clear()
    visit(counter, "/posts/a/")  # the same visitor again
    assert calls == ["UpdateItem", "UpdateItem"]
    calls.clear()
    visit(counter, "/posts/a/", ip="203.0.113.50")  # a new visitor
    assert calls == ["UpdateItem", "UpdateItem"]
    calls.clear()
    read(counter)
    assert calls == ["GetItem"]


def test_the_cold_start_adds_one_salt_call(counter) -> None:
    calls: list[str] = []
    counter.counter.client.meta.events.register(
        "before-call.dynamodb.*", lambda model, **_: calls.append(model.name)
    )
    visit(counter)
    assert calls == ["PutItem", "UpdateItem", "UpdateItem"]


def test_two_cold_containers_on_the_same_day_share_one_salt(new_counter, counter_table) -> None:
    first, second = new_counter(), new_counter()
    assert visit(first)["visitors"] == 1
    # A different container, same person: the shared salt gives the same visitor id.
    assert visit(second)["visitors"] == 1
    assert visit(second)["views"] == 3
    assert len(salts(counter_table)) == 1


def _lose_the_salt_race(loser, winner) -> list[str]:
    """Let `winner` create the day's salt just before `loser`'s own conditional write goes out."""
    calls: list[str] = []
    raced = []

    def winner_first(model, **_):
        calls.append(model.name)
        if model.name == "PutItem" and not raced:
            raced.append(True)
            visit(winner)

    loser.counter.client.meta.events.register("before-call.dynamodb.*", winner_first)
    return calls


def test_a_salt_created_meanwhile_by_another_container_is_adopted(
    new_counter, counter_table
) -> None:
    winner, loser = new_counter(), new_counter()
    calls = _lose_the_salt_race(loser, winner)
    assert visit(loser) == {"views": 2, "page_views": 2, "visitors": 1}
    # The losing write brought the winner's salt back with it: no extra read.
    assert calls == ["PutItem", "UpdateItem", "UpdateItem"]
    assert len(salts(counter_table)) == 1


def test_the_winning_salt_is_read_when_the_failed_write_does_not_return_it(
    new_counter, counter_table
) -> None:
    winner, loser = new_counter(), new_counter()
    calls = _lose_the_salt_race(loser, winner)

    def forget_old_item(http_response, parsed, model, **_):
        parsed.pop("Item", None)

    loser.counter.client.meta.events.register("after-call.dynamodb.PutItem", forget_old_item)
    assert visit(loser)["visitors"] == 1
    assert calls == ["PutItem", "GetItem", "UpdateItem", "UpdateItem"]
    assert len(salts(counter_table)) == 1


def test_a_pre_existing_salt_is_reused_not_replaced(new_counter, counter_table) -> None:
    visit(new_counter())
    (salt_before,) = salts(counter_table)
    later = new_counter()
    assert visit(later)["visitors"] == 1
    assert salts(counter_table) == [salt_before]


def test_the_salt_is_random_32_bytes_and_expires_within_48_hours(counter, counter_table) -> None:
    visit(counter)
    (salt,) = salts(counter_table)
    assert len(bytes.fromhex(salt["salt"]["S"])) == 32
    now = counter.counter.clock()
    expires = int(salt["expires_at"]["N"])
    assert now.timestamp() < expires <= (now + timedelta(hours=48)).timestamp()


def test_every_day_marker_expires_within_48_hours(counter, counter_table) -> None:
    visit(counter)
    now = counter.counter.clock().timestamp()
    for item in scan(counter_table):
        if item["pk"]["S"].startswith(("SALT#", "VISITOR#")):
            assert now < int(item["expires_at"]["N"]) <= now + 48 * 3600


def test_a_new_day_brings_a_new_salt_and_the_same_person_counts_again(
    counter, counter_table
) -> None:
    assert visit(counter)["visitors"] == 1
    assert visit(counter)["visitors"] == 1
    today = counter.counter.clock()
    counter.counter.clock = lambda: today + timedelta(days=1)
    assert visit(counter) == {"views": 3, "page_views": 3, "visitors": 2}
    assert visit(counter)["visitors"] == 2
    assert len(salts(counter_table)) == 2
    (first, second) = (item["salt"]["S"] for item in salts(counter_table))
    assert first != second


def test_visitor_ids_differ_across_days_for_the_same_person(counter, counter_table) -> None:
    visit(counter)
    today = counter.counter.clock()
    counter.counter.clock = lambda: today + timedelta(days=1)
    visit(counter)
    markers = [i["pk"]["S"] for i in scan(counter_table) if i["pk"]["S"].startswith("VISITOR#")]
    ids = {marker.rsplit("#", 1)[1] for marker in markers}
    assert len(markers) == len(ids) == 2


def test_the_site_item_stays_small_per_page(counter, counter_table) -> None:
    for page in PAGES:
        visit(counter, "/" + page)
    (site,) = [i for i in scan(counter_table) if i["pk"]["S"].startswith("SITE#")]
    page_attributes = [name for name in site if name.startswith(PAGE_PREFIX)]
    assert len(page_attributes) == len(PAGES)
    assert all(len(name) == 10 for name in page_attributes)


def test_counts_are_in_the_counts_table_salts_and_markers_in_the_ephemeral_one(
    counter, counter_table
) -> None:
    visit(counter)
    assert {i["pk"]["S"].split("#")[0] for i in scan_table(counter_table, TABLE)} == {"SITE"}
    assert {i["pk"]["S"].split("#")[0] for i in scan_table(counter_table, EPHEMERAL_TABLE)} == {
        "SALT",
        "VISITOR",
    }
