"""The report's SQL: one file per query under sql/, each run after the shared visits_in_range.sql.

Athena runs each query joined to the prelude, and Terraform builds the Athena named queries from
the same files, joined the same way (see infra/modules/analytics). DuckDB runs the same texts cut
at the prelude's relations (`relations`), so that the relations every query shares are computed
once per report instead of once per query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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


def _read(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text()


def query(name: str) -> str:
    """The query `name` alone: it reads the prelude's relations by name."""
    return _read(name)


def text(name: str) -> str:
    """What Athena runs for `name`: the shared prelude, a newline, then the query."""
    return _read(PRELUDE) + "\n" + query(name)


@dataclass(frozen=True)
class Relation:
    """One named relation of the prelude's WITH clause, and how many `?` parameters it takes."""

    name: str
    sql: str
    parameters: int


# Comments and quoted text are single tokens, so their parentheses and question marks do not count.
_TOKEN = re.compile(r"--[^\n]*|/\*.*?\*/|'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\w+|\s+|.", re.DOTALL)
_WORD = re.compile(r"\w+")


def relations() -> list[Relation]:
    """The prelude's `WITH name AS (...), ...` relations, in order, each body as written."""
    prelude = _read(PRELUDE)
    found: list[Relation] = []
    depth = parameters = start = 0
    names: list[str] = []
    for token in _TOKEN.finditer(prelude):
        value = token.group()
        if depth == 0:
            if value == "(":
                depth, parameters, start = 1, 0, token.end()
            elif _WORD.fullmatch(value):
                if value.upper() not in ("WITH", "AS"):
                    names.append(value)
            elif not (value.isspace() or value == "," or value.startswith(("--", "/*"))):
                raise ValueError(f"{PRELUDE}.sql: unexpected {value!r} between its relations")
        elif value == "(":
            depth += 1
        elif value == ")":
            depth -= 1
            if depth == 0:
                found.append(Relation(names[-1], prelude[start : token.start()], parameters))
        elif value == "?":
            parameters += 1
    if depth or len(names) != len(found):
        raise ValueError(f"{PRELUDE}.sql must be one WITH clause of named relations")
    return found


def parameters(since: date, until: date) -> list[str]:
    """The prelude's four positional parameters, as ISO dates."""
    return [
        since.isoformat(),
        (until + timedelta(days=1)).isoformat(),
        since.isoformat(),
        until.isoformat(),
    ]
