"""The report as one self-contained HTML file: inline CSS, inline SVG charts, no script at all,
so it reads offline and anywhere (and passes axe)."""

from __future__ import annotations

from html import escape
from typing import Any

MAX_ROWS = 20
CHART_WIDTH = 720
CHART_HEIGHT = 180
BAR_GAP = 2

CSS = """
:root { color-scheme: light dark; --ink: #1d2430; --muted: #4a5568; --bar: #2557a7;
  --paper: #ffffff; --line: #d5dbe3; }
@media (prefers-color-scheme: dark) {
  :root { --ink: #e8edf3; --muted: #b8c2cf; --bar: #8fb4ff; --paper: #12161c; --line: #344050; }
}
body { font: 16px/1.5 system-ui, sans-serif; color: var(--ink); background: var(--paper);
  margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; }
p.range { color: var(--muted); margin: 0 0 1rem; }
dl.totals { display: grid; grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr)); gap: .75rem;
  margin: 0; }
dl.totals div { border: 1px solid var(--line); border-radius: .4rem; padding: .5rem .75rem; }
dt { color: var(--muted); font-size: .85rem; }
dd { margin: 0; font-size: 1.4rem; font-weight: 600; }
table { border-collapse: collapse; width: 100%; }
th[scope=row] { font-weight: 400; overflow-wrap: anywhere; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
th .bar { display: block; height: .35rem; background: var(--bar); border-radius: .2rem; }
svg { width: 100%; height: auto; }
svg .bar { fill: var(--bar); }
svg text { fill: var(--muted); font-size: 11px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: 1.5rem; }
"""

TOTAL_LABELS = {
    "pageviews": ("Pageviews", "{:,}"),
    "visitors": ("Visitors", "{:,}"),
    "visits": ("Visits", "{:,}"),
    "bounce_rate": ("Bounce rate", "{:.0%}"),
    "views_per_visit": ("Views per visit", "{:.2f}"),
    "visit_duration_s": ("Median visit", "{:.0f} s"),
    "bot_pageviews": ("Robot pageviews", "{:,}"),
}
# section -> (title, label column, count columns)
TABLES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "pages": ("Top pages", "path", ("pageviews", "visitors")),
    "entry_pages": ("Entry pages", "path", ("visits",)),
    "referrers": ("Referrers", "domain", ("visitors", "pageviews")),
    "utm": ("Campaigns (UTM)", "campaign", ("visitors", "pageviews")),
    "countries": ("Countries", "country", ("visitors",)),
    "browsers": ("Browsers", "name", ("visitors",)),
    "os": ("Operating systems", "name", ("visitors",)),
    "devices": ("Devices", "name", ("visitors",)),
}


def _daily_chart(daily: list[dict[str, Any]]) -> str:
    """Pageviews per day as bars, with a text alternative that says what the bars say."""
    peak = max((day["pageviews"] for day in daily), default=0) or 1
    width = CHART_WIDTH / max(len(daily), 1)
    plot = CHART_HEIGHT - 20
    bars = []
    for index, day in enumerate(daily):
        height = plot * day["pageviews"] / peak
        bars.append(
            f'<rect class="bar" x="{index * width + BAR_GAP / 2:.1f}" y="{plot - height:.1f}" '
            f'width="{max(width - BAR_GAP, 1):.1f}" height="{height:.1f}">'
            f"<title>{escape(day['date'])}: {day['pageviews']} pageviews, "
            f"{day['visitors']} visitors</title></rect>"
        )
    first, last = (daily[0]["date"], daily[-1]["date"]) if daily else ("", "")
    total = sum(day["pageviews"] for day in daily)
    busiest = max(daily, key=lambda day: day["pageviews"]) if daily else None
    description = f"Pageviews per day from {first} to {last}: {total} in all" + (
        f", most on {busiest['date']} ({busiest['pageviews']})." if busiest and total else "."
    )
    return (
        f'<svg viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" role="img" '
        f'aria-labelledby="daily-title daily-desc">'
        f'<title id="daily-title">Pageviews per day</title>'
        f'<desc id="daily-desc">{escape(description)}</desc>'
        + "".join(bars)
        + f'<text x="0" y="{CHART_HEIGHT - 4}">{escape(first)}</text>'
        f'<text x="{CHART_WIDTH}" y="{CHART_HEIGHT - 4}" text-anchor="end">{escape(last)}</text>'
        f'<text x="0" y="10">{peak} max</text>'
        "</svg>"
    )


def _label(section: str, row: dict[str, Any], column: str) -> str:
    if section == "utm":
        parts = [row.get("source") or "-", row.get("medium") or "-", row.get("campaign") or "-"]
        return " / ".join(parts)
    return str(row.get(column, ""))


def _table(section: str, rows: list[dict[str, Any]]) -> str:
    title, column, counts = TABLES[section]
    label_heading = "source / medium / campaign" if section == "utm" else column
    peak = max((row[counts[0]] for row in rows), default=0) or 1
    head = f'<th scope="col">{escape(label_heading)}</th>' + "".join(
        f'<th scope="col" class="n">{escape(name)}</th>' for name in counts
    )
    body = []
    for row in rows[:MAX_ROWS]:
        share = 100 * row[counts[0]] / peak
        cells = "".join(f'<td class="n">{row[name]:,}</td>' for name in counts)
        body.append(
            f'<tr><th scope="row">{escape(_label(section, row, column))}'
            f'<span class="bar" style="width:{share:.0f}%" aria-hidden="true"></span></th>'
            f"{cells}</tr>"
        )
    if not body:
        body.append(f'<tr><td colspan="{len(counts) + 1}">No data in this range.</td></tr>')
    more = f" (top {MAX_ROWS} of {len(rows)})" if len(rows) > MAX_ROWS else ""
    return (
        f'<section aria-labelledby="{section}-heading"><h2 id="{section}-heading">'
        f'{escape(title)}{more}</h2><table aria-labelledby="{section}-heading">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></section>"
    )


def render(report: dict[str, Any], site: str = "cloudfolio") -> str:
    since, until = report["range"]["since"], report["range"]["until"]
    totals = "".join(
        f"<div><dt>{escape(label)}</dt><dd>{fmt.format(report['totals'][name])}</dd></div>"
        for name, (label, fmt) in TOTAL_LABELS.items()
    )
    tables = "".join(_table(section, report[section]) for section in TABLES)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Analytics of {escape(site)}, {since} to {until}</title>"
        f"<style>{CSS}</style></head><body><main>"
        f"<h1>Analytics of {escape(site)}</h1>"
        f'<p class="range">{since} to {until} (UTC). Robots count only as robot pageviews.</p>'
        f'<section aria-labelledby="totals-heading"><h2 id="totals-heading">Totals</h2>'
        f'<dl class="totals">{totals}</dl></section>'
        f'<section aria-labelledby="daily-heading"><h2 id="daily-heading">Per day</h2>'
        f"{_daily_chart(report['daily'])}</section>"
        f'<div class="grid">{tables}</div>'
        "</main></body></html>\n"
    )
