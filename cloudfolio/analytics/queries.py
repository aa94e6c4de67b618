"""The report's SQL: one file per query under sql/, each run after the shared visits_in_range.sql.

DuckDB runs these texts locally and Terraform builds the Athena named queries from the same
files, joined the same way (see infra/modules/analytics).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

SQL_DIR = Path(__file__).resolve().parent / "sql"
PRELUDE = "visits_in_range"
# In the order of the --json object.
QUERIES = (
    "totals",
    "daily",
    "pages",
    "entry_pages",
    "referrers",
    "utm",
    "countries",
    "browsers",
    "os",
    "devices",
)


def text(name: str) -> str:
    """What an engine runs for `name`: the shared prelude, a newline, then the query."""
    prelude = (SQL_DIR / f"{PRELUDE}.sql").read_text()
    return prelude + "\n" + (SQL_DIR / f"{name}.sql").read_text()


def parameters(since: date, until: date) -> list[str]:
    """The prelude's four positional parameters, as ISO dates."""
    return [
        since.isoformat(),
        (until + timedelta(days=1)).isoformat(),
        since.isoformat(),
        until.isoformat(),
    ]
