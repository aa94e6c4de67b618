"""The lake's layout and schema, declared once for the relay, the cache, DuckDB and the tests.

The columns come from the JSON file the Terraform module builds the Glue table from.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

from cloudfolio import paths

COLUMNS_FILE = paths.INFRA / "modules" / "analytics" / "visit_columns.json"
COLUMNS: dict[str, str] = {c["name"]: c["type"] for c in json.loads(COLUMNS_FILE.read_text())}
TABLE = "visits"
PARTITION = "dt"
PREFIX = "visits/"
DUCKDB_TYPES = {"bigint": "BIGINT", "string": "VARCHAR", "boolean": "BOOLEAN"}
# The partition of an object: the UTC day Firehose received its records.
PARTITION_RE = re.compile(rf"^{re.escape(PREFIX)}{PARTITION}=(\d{{4}}-\d{{2}}-\d{{2}})/[^/]+$")


def partition_of(key: str) -> date | None:
    found = PARTITION_RE.match(key)
    return date.fromisoformat(found.group(1)) if found else None


# Firehose's !{timestamp:...} uses Java DateTimeFormatter letters; these are the ones a daily
# layout needs.
_JAVA_PATTERN = {"yyyy": "%Y", "MM": "%m", "dd": "%d", "HH": "%H", "mm": "%M"}
_TIMESTAMP_EXPRESSION = re.compile(r"!\{timestamp:([^}]*)\}")


def expand_prefix(prefix: str, arrival: datetime) -> str:
    """A Firehose S3 prefix with its timestamp expressions evaluated at `arrival` (UTC)."""

    def evaluate(found: re.Match[str]) -> str:
        pattern = found.group(1)
        for java, strftime in _JAVA_PATTERN.items():
            pattern = pattern.replace(java, strftime)
        return arrival.astimezone(UTC).strftime(pattern)

    return _TIMESTAMP_EXPRESSION.sub(evaluate, prefix)


def ndjson(records: list[bytes], delimiter: bool) -> bytes:
    """Records joined as Firehose joins them: with its newline delimiter processor, one per line."""
    return b"".join(record + b"\n" for record in records) if delimiter else b"".join(records)
