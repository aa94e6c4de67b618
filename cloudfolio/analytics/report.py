"""The report: the queries' rows shaped into the --json object, and its short text summary."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from cloudfolio.analytics import queries
from cloudfolio.analytics.engines import Engine

DEFAULT_DAYS = 30
# Floats in the report are rounded once, here, so every engine prints the same digits.
DECIMALS = 4
TOTALS = (
    "pageviews",
    "visitors",
    "visits",
    "bounce_rate",
    "views_per_visit",
    "visit_duration_s",
    "bot_pageviews",
)
_FLOATS = {"bounce_rate", "views_per_visit", "visit_duration_s"}


def default_range(today: date, since: date | None, until: date | None) -> tuple[date, date]:
    until = until or today
    return since or until - timedelta(days=DEFAULT_DAYS - 1), until


def _totals(row: dict[str, Any]) -> dict[str, Any]:
    return {
        name: round(float(row.get(name) or 0), DECIMALS)
        if name in _FLOATS
        else int(row.get(name) or 0)
        for name in TOTALS
    }


def _daily(rows: list[dict[str, Any]], since: date, until: date) -> list[dict[str, Any]]:
    """Every day of the range, in date order (a series for the chart), zeros included."""
    found = {str(row["date"]): row for row in rows}
    days = [since + timedelta(days=n) for n in range((until - since).days + 1)]
    return [
        {
            "date": day.isoformat(),
            "pageviews": int(found.get(day.isoformat(), {}).get("pageviews", 0)),
            "visitors": int(found.get(day.isoformat(), {}).get("visitors", 0)),
        }
        for day in days
    ]


def build(engine: Engine, since: date, until: date) -> dict[str, Any]:
    rows = engine.run(queries.parameters(since, until))
    report: dict[str, Any] = {
        "range": {"since": since.isoformat(), "until": until.isoformat()},
        "totals": _totals(rows["totals"][0] if rows["totals"] else {}),
        "daily": _daily(rows["daily"], since, until),
    }
    for name in queries.QUERIES[2:]:
        report[name] = [
            {key: int(value) if isinstance(value, int) else value for key, value in row.items()}
            for row in rows[name]
        ]
    return report


def summary(report: dict[str, Any], top: int = 5) -> str:
    totals = report["totals"]
    lines = [
        f"{report['range']['since']} .. {report['range']['until']}",
        f"  pageviews {totals['pageviews']}, visitors {totals['visitors']}, "
        f"visits {totals['visits']}",
        f"  bounce rate {totals['bounce_rate']:.0%}, {totals['views_per_visit']:.1f} views per "
        f"visit, median visit {totals['visit_duration_s']:.0f} s, "
        f"robot pageviews {totals['bot_pageviews']}",
    ]
    for title, key, label, count in (
        ("top pages", "pages", "path", "pageviews"),
        ("referrers", "referrers", "domain", "visitors"),
        ("countries", "countries", "country", "visitors"),
    ):
        shown = ", ".join(f"{row[label]} {row[count]}" for row in report[key][:top])
        lines.append(f"  {title}: {shown or '-'}")
    return "\n".join(lines)
