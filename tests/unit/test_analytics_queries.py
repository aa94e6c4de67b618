"""The report's SQL on DuckDB: each query's rows for a lake whose answer is worked out by hand."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from counter.events import FIELDS

from cloudfolio.analytics import lake, queries, report
from cloudfolio.analytics.engines import DuckDBEngine

DAY1 = date(2026, 3, 1)
DAY2 = date(2026, 3, 2)
MINUTE = 60_000


def at(day: date, hour: int, minute: int, second: int = 0) -> int:
    moment = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def row(ts: int, path: str, visitor: str | None, **fields: Any) -> dict[str, Any]:
    day = datetime.fromtimestamp(ts / 1000, UTC).date().isoformat()
    base = dict.fromkeys(FIELDS)
    base.update(
        ts=ts, day=day, path=path, visitor=visitor, bot=visitor is None,
        browser="Chrome", os="Windows", device="desktop", country="PT",
    )  # fmt: skip
    base.update(fields)
    return base


# Day 1: visitor a has two visits (a 31-minute gap), b one bounce from HN, c a UTM visit.
# A robot's pageview. Day 2: a comes back (a new daily id "a2"), and one event of day 1 arrived
# after midnight (it lies in the dt of day 2 but counts on day 1).
ROWS = [
    row(at(DAY1, 10, 0), "/", "a", referrer="news.ycombinator.com"),
    row(at(DAY1, 10, 5), "/posts/x/", "a"),
    row(at(DAY1, 10, 36), "/posts/y/", "a"),
    row(at(DAY1, 11, 0), "/posts/x/", "b", referrer="news.ycombinator.com", browser="Firefox"),
    row(
        at(DAY1, 12, 0),
        "/about/",
        "c",
        utm_source="mail",
        utm_medium="email",
        country=None,
        os="iOS",
        device="mobile",
        browser="Mobile Safari",
    ),
    row(at(DAY1, 12, 1), "/", None, browser="Googlebot", os="Other", device="other"),
    row(
        at(DAY1, 23, 59, 50),
        "/posts/y/",
        "c",
        os="iOS",
        device="mobile",
        browser="Mobile Safari",
        country=None,
    ),
    row(at(DAY2, 9, 0), "/posts/x/", "a2", referrer="google.com", country="BR"),
    row(at(DAY2, 9, 10), "/", "a2", country="BR"),
]
EXPECTED = {
    "range": {"since": "2026-03-01", "until": "2026-03-02"},
    "totals": {
        "pageviews": 8,
        "visitors": 4,
        # a: 2 visits, b: 1, c: 2 (12:00 and 23:59:50), a2: 1
        "visits": 6,
        "bounce_rate": 0.6667,
        "views_per_visit": 1.3333,
        # durations 300 s, 0, 0, 0, 0, 600 s: median 0
        "visit_duration_s": 0.0,
        "bot_pageviews": 1,
    },
    "daily": [
        {"date": "2026-03-01", "pageviews": 6, "visitors": 3},
        {"date": "2026-03-02", "pageviews": 2, "visitors": 1},
    ],
    "pages": [
        {"path": "/posts/x/", "pageviews": 3, "visitors": 3},
        {"path": "/", "pageviews": 2, "visitors": 2},
        {"path": "/posts/y/", "pageviews": 2, "visitors": 2},
        {"path": "/about/", "pageviews": 1, "visitors": 1},
    ],
    "entry_pages": [
        {"path": "/", "visits": 1},
        {"path": "/about/", "visits": 1},
        {"path": "/posts/x/", "visits": 2},
        {"path": "/posts/y/", "visits": 2},
    ],
    "referrers": [
        {"domain": "(direct)", "visitors": 3, "pageviews": 5},
        {"domain": "news.ycombinator.com", "visitors": 2, "pageviews": 2},
        {"domain": "google.com", "visitors": 1, "pageviews": 1},
    ],
    "utm": [{"source": "mail", "medium": "email", "campaign": "", "visitors": 1, "pageviews": 1}],
    "countries": [
        {"country": "PT", "visitors": 2},
        {"country": "(unknown)", "visitors": 1},
        {"country": "BR", "visitors": 1},
    ],
    "browsers": [
        {"name": "Chrome", "visitors": 2},
        {"name": "Firefox", "visitors": 1},
        {"name": "Mobile Safari", "visitors": 1},
    ],
    "os": [{"name": "Windows", "visitors": 3}, {"name": "iOS", "visitors": 1}],
    "devices": [{"name": "desktop", "visitors": 3}, {"name": "mobile", "visitors": 1}],
}
EXPECTED["entry_pages"].sort(key=lambda r: (-r["visits"], r["path"]))


def write_lake(
    root: Path, rows: list[dict[str, Any]], arrival_delay_s: int = 30, per_object: int = 0
) -> None:
    """Objects of `per_object` records (0: one object per arrival day), named like Firehose's."""
    by_dt: dict[str, list[bytes]] = {}
    for item in rows:
        arrived = datetime.fromtimestamp(item["ts"] / 1000 + arrival_delay_s, UTC)
        by_dt.setdefault(arrived.date().isoformat(), []).append(json.dumps(item).encode())
    for dt, records in by_dt.items():
        folder = root / f"{lake.PREFIX}{lake.PARTITION}={dt}"
        folder.mkdir(parents=True, exist_ok=True)
        size = per_object or len(records)
        for start in range(0, len(records), size):
            (folder / f"s-1-{dt}-00-00-00-{start:06d}.gz").write_bytes(
                gzip.compress(lake.ndjson(records[start : start + size], delimiter=True))
            )


@pytest.fixture
def engine(tmp_path: Path) -> DuckDBEngine:
    write_lake(tmp_path, ROWS)
    return DuckDBEngine(tmp_path)


def test_each_query_gives_the_expected_rows(engine: DuckDBEngine) -> None:
    built = report.build(engine, DAY1, DAY2)
    for name in ("range", *queries.QUERIES):
        assert built[name] == EXPECTED[name], name
    assert list(built) == ["range", *queries.QUERIES]


def test_the_range_cuts_by_the_day_handled_not_the_day_received(engine: DuckDBEngine) -> None:
    built = report.build(engine, DAY1, DAY1)
    assert built["totals"]["pageviews"] == 6  # the late arrival of day 1 counts on day 1
    assert [d["date"] for d in built["daily"]] == ["2026-03-01"]
    assert report.build(engine, DAY2, DAY2)["totals"]["pageviews"] == 2


def test_an_empty_lake_reports_zeros_for_every_day(tmp_path: Path) -> None:
    built = report.build(DuckDBEngine(tmp_path), DAY1, DAY1 + timedelta(days=2))
    assert built["totals"] == dict.fromkeys(report.TOTALS, 0) | {
        "bounce_rate": 0.0, "views_per_visit": 0.0, "visit_duration_s": 0.0,
    }  # fmt: skip
    assert [d["pageviews"] for d in built["daily"]] == [0, 0, 0]
    assert all(built[name] == [] for name in queries.QUERIES[2:])


def test_median_visit_duration_of_an_even_number_of_visits(tmp_path: Path) -> None:
    write_lake(
        tmp_path,
        [
            row(at(DAY1, 8, 0), "/", "p"), row(at(DAY1, 8, 2), "/a/", "p"),
            row(at(DAY1, 9, 0), "/", "q"), row(at(DAY1, 9, 4), "/a/", "q"),
        ],
    )  # fmt: skip
    assert report.build(DuckDBEngine(tmp_path), DAY1, DAY1)["totals"]["visit_duration_s"] == 180.0


def test_the_lake_columns_are_the_events_fields() -> None:
    assert tuple(lake.COLUMNS) == FIELDS


def test_the_prelude_is_cut_at_its_relations_for_duckdb() -> None:
    relations = queries.relations()
    names = ["events", "pageviews", "ordered", "numbered", "visits_made"]
    assert [r.name for r in relations] == names
    assert [r.parameters for r in relations] == [len(queries.parameters(DAY1, DAY2)), 0, 0, 0, 0]
    joined = "WITH " + ",\n".join(f"{r.name} AS ({r.sql})" for r in relations)
    prelude = queries.text("daily").removesuffix(queries.query("daily"))
    code = [line for line in prelude.splitlines() if line and not line.startswith("--")]
    assert joined.split() == " ".join(code).split()


def test_duckdb_gives_the_rows_of_the_texts_athena_runs(engine: DuckDBEngine) -> None:
    parameters = queries.parameters(DAY1, DAY2)
    rows = engine.run(parameters)
    for name in queries.QUERIES:
        cursor = engine.connection.execute(queries.text(name), parameters)
        names = [column[0] for column in cursor.description]
        assert rows[name] == [dict(zip(names, r, strict=True)) for r in cursor.fetchall()], name


def test_a_partition_of_many_objects_reads_as_every_object(tmp_path: Path) -> None:
    # The engine joins each partition's objects into one file before DuckDB reads it.
    write_lake(tmp_path, ROWS, per_object=1)
    assert len(list(tmp_path.rglob("*.gz"))) == len(ROWS)
    assert report.build(DuckDBEngine(tmp_path), DAY1, DAY2) == EXPECTED
