"""A realistic lake for trying the report and for the benchmark: readers arriving from search,
news sites and newsletters, reading a few pages per visit, a share of robots, written in the
objects Firehose would write at a given buffering interval.

    python -m cloudfolio.analytics.sample build/analytics/sample-report.html [--events 20000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import tempfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from cloudfolio.analytics import html_report, lake, report
from cloudfolio.analytics.engines import DuckDBEngine

PAGES = ["/", "/resume/", "/about/"] + [f"/posts/{slug}/" for slug in (
    "serverless-resume", "terraform-on-a-laptop", "cookieless-analytics", "pelican-plugins",
    "dynamodb-single-table", "cloudfront-functions", "lambda-cold-starts", "duckdb-for-logs",
    "athena-partition-projection", "writing-in-markdown", "ci-in-fifteen-minutes",
    "eventbridge-to-s3",
)]  # fmt: skip
REFERRERS = [
    (None, 45), ("google.com", 25), ("news.ycombinator.com", 8), ("linkedin.com", 7),
    ("duckduckgo.com", 4), ("reddit.com", 4), ("github.com", 3), ("bing.com", 2),
    ("lobste.rs", 1), ("t.co", 1),
]  # fmt: skip
CAMPAIGNS = [
    (None, 90), (("newsletter", "email", "monthly"), 6), (("linkedin", "social", "launch"), 3),
    (("mastodon", "social", "launch"), 1),
]  # fmt: skip
COUNTRIES = [
    ("US", 28), ("PT", 12), ("DE", 10), ("GB", 9), ("BR", 7), ("FR", 6), ("IN", 6), ("NL", 4),
    ("ES", 4), ("CA", 4), ("PL", 3), ("JP", 3), (None, 4),
]  # fmt: skip
CLIENTS = [
    (("Chrome", "Windows", "desktop"), 28), (("Chrome", "Mac OS X", "desktop"), 12),
    (("Safari", "Mac OS X", "desktop"), 8), (("Firefox", "Linux", "desktop"), 7),
    (("Firefox", "Windows", "desktop"), 5), (("Edge", "Windows", "desktop"), 6),
    (("Mobile Safari", "iOS", "mobile"), 16), (("Chrome Mobile", "Android", "mobile"), 13),
    (("Mobile Safari", "iOS", "tablet"), 3), (("Samsung Internet", "Android", "mobile"), 2),
]  # fmt: skip
ROBOTS = [("Googlebot", "Other", "other"), ("bingbot", "Other", "other")]
ROBOT_SHARE = 0.12
GAP = 30 * 60 * 1000


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _views(
    rng: random.Random,
    out: list[dict[str, Any]],
    views: int,
    moment: int,
    robot: bool,
    visitor: int,
    page_weights: list[float],
    client: tuple[str, str, str],
    referrer: str | None,
    campaign: tuple[str, str, str] | None,
    country: str | None,
) -> int:
    browser, os, device = client
    for view in range(views):
        out.append(
            {
                "ts": moment,
                "day": datetime.fromtimestamp(moment / 1000, UTC).date().isoformat(),
                "path": rng.choices(PAGES, page_weights)[0],
                "visitor": None if robot else f"{visitor:032x}",
                "bot": robot,
                "browser": browser,
                "os": os,
                "device": device,
                "referrer": referrer if view == 0 else None,
                "utm_source": campaign[0] if campaign and view == 0 else None,
                "utm_medium": campaign[1] if campaign and view == 0 else None,
                "utm_campaign": campaign[2] if campaign and view == 0 else None,
                "country": country,
            }
        )
        moment += int(rng.expovariate(1 / 90) * 1000) + 5_000
    return views


def events(total: int, days: int, last_day: date, seed: int = 7) -> Iterator[dict[str, Any]]:
    """About `total` lake rows over `days` days ending `last_day`, in no particular order."""
    rng = random.Random(seed)
    page_weights = [1 / (rank + 1) ** 0.9 for rank in range(len(PAGES))]
    first = datetime.combine(last_day - timedelta(days=days - 1), datetime.min.time(), UTC)
    made = 0
    visitor = 0
    while made < total:
        day = first + timedelta(days=rng.randrange(days))
        start = day + timedelta(seconds=rng.randrange(86_400 - 3_600))
        visitor += 1
        robot = rng.random() < ROBOT_SHARE
        browser, os, device = rng.choice(ROBOTS) if robot else _pick(rng, CLIENTS)
        referrer, campaign = _pick(rng, REFERRERS), _pick(rng, CAMPAIGNS)
        country = _pick(rng, COUNTRIES)
        moment = int(start.timestamp() * 1000)
        # Most readers read one page; some read on, and some come back later that day.
        visits = 1 if robot or rng.random() < 0.8 else 2
        plan = [
            (visit, 1 if robot or rng.random() < 0.55 else min(1 + int(rng.expovariate(0.6)), 12))
            for visit in range(visits)
        ]
        for visit, views in plan:
            if visit:
                moment += GAP + rng.randrange(3 * 3_600_000)
                referrer, campaign = None, None
            rows: list[dict[str, Any]] = []
            client = (browser, os, device)
            made += _views(
                rng, rows, views, moment, robot, visitor, page_weights, client, referrer,
                campaign, country,
            )  # fmt: skip
            yield from rows
            moment = rows[-1]["ts"]


def write_lake(
    rows: list[dict[str, Any]],
    root: Path,
    interval_seconds: int,
    size_bytes: int,
    arrival_delay_ms: int = 500,
) -> dict[str, int]:
    """Objects as a Firehose stream with these buffering hints writes them; returns the number
    of objects per partition day."""
    rows.sort(key=lambda row: row["ts"])
    per_day: dict[str, int] = {}
    buffer: list[bytes] = []
    size = 0
    opened = 0

    def deliver(at: int) -> None:
        nonlocal buffer, size
        arrived = datetime.fromtimestamp(at / 1000, UTC)
        dt = arrived.date().isoformat()
        folder = root / f"{lake.PREFIX}{lake.PARTITION}={dt}"
        folder.mkdir(parents=True, exist_ok=True)
        name = f"sample-1-{arrived:%Y-%m-%d-%H-%M-%S}-{per_day.get(dt, 0):06d}.gz"
        (folder / name).write_bytes(gzip.compress(lake.ndjson(buffer, True), 5, mtime=0))
        per_day[dt] = per_day.get(dt, 0) + 1
        buffer, size = [], 0

    for row in rows:
        arrival = row["ts"] + arrival_delay_ms
        if buffer and arrival - opened >= interval_seconds * 1000:
            deliver(opened + interval_seconds * 1000)
        record = json.dumps(row, separators=(",", ":")).encode()
        if not buffer:
            opened = arrival
        buffer.append(record)
        size += len(record)
        if size >= size_bytes:
            deliver(arrival)
    if buffer:
        deliver(opened + interval_seconds * 1000)
    return per_day


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="where to write the HTML report")
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args(argv)
    until = datetime.now(UTC).date()
    with tempfile.TemporaryDirectory() as folder:
        rows = list(events(args.events, args.days, until))
        write_lake(rows, Path(folder), interval_seconds=900, size_bytes=64 * 1024 * 1024)
        since = until - timedelta(days=args.days - 1)
        built = report.build(DuckDBEngine(Path(folder)), since, until)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(html_report.render(built, site="a sample site"))
    print(report.summary(built))
    print(f"report written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
