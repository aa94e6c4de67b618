"""Where the SQL runs: DuckDB over the local cache of the lake, or Athena over the lake itself."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from cloudfolio.analytics import lake
from cloudfolio.errors import CloudfolioError

Row = dict[str, Any]


class AnalyticsError(CloudfolioError):
    """The lake could not be read or queried."""


class Engine(Protocol):
    def run(self, sql: str, parameters: list[str]) -> list[Row]: ...


class DuckDBEngine:
    """Reads the gzip'd NDJSON objects of a directory laid out like the lake (no httpfs)."""

    def __init__(self, root: Path, threads: int | None = None) -> None:
        import duckdb

        # No progress bar: it would write to stdout, where --json prints the report alone.
        self.connection = duckdb.connect(":memory:")
        self.connection.execute("SET enable_progress_bar = false")
        if threads:
            self.connection.execute(f"SET threads = {int(threads)}")
        columns = ", ".join(
            f"'{name}': '{lake.DUCKDB_TYPES[kind]}'" for name, kind in lake.COLUMNS.items()
        )
        files = sorted(root.glob(f"{lake.PREFIX}{lake.PARTITION}=*/*"))
        if files:
            listing = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
            source = (
                f"read_json([{listing}], format = 'newline_delimited', compression = 'gzip', "
                f"columns = {{{columns}}}, hive_partitioning = true, "
                f"hive_types = {{'{lake.PARTITION}': 'VARCHAR'}})"
            )
        else:
            # An empty lake still has the table, so every query runs and returns nothing.
            typed = ", ".join(
                f"CAST(NULL AS {lake.DUCKDB_TYPES[kind]}) AS {name}"
                for name, kind in lake.COLUMNS.items()
            )
            source = f"(SELECT {typed}, CAST(NULL AS VARCHAR) AS {lake.PARTITION} WHERE false)"
        # A table, not a view: the ten queries then parse the files once.
        self.connection.execute(f"CREATE TABLE {lake.TABLE} AS SELECT * FROM {source}")

    def run(self, sql: str, parameters: list[str]) -> list[Row]:
        cursor = self.connection.execute(sql, parameters)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


_ATHENA_TYPES: dict[str, Callable[[str], Any]] = {
    "bigint": int,
    "integer": int,
    "double": float,
    "boolean": lambda value: value == "true",
}


class AthenaEngine:
    """Runs the same SQL with Athena's execution parameters, in the analytics workgroup."""

    def __init__(self, client: Any, workgroup: str, database: str, poll_seconds: float = 0.5):
        self.client = client
        self.workgroup = workgroup
        self.database = database
        self.poll_seconds = poll_seconds

    def run(self, sql: str, parameters: list[str]) -> list[Row]:
        execution = self.client.start_query_execution(
            QueryString=sql,
            QueryExecutionContext={"Database": self.database},
            WorkGroup=self.workgroup,
            # Execution parameters are substituted as SQL literals, so strings carry quotes.
            ExecutionParameters=["'" + value.replace("'", "''") + "'" for value in parameters],
        )["QueryExecutionId"]
        while True:
            status = self.client.get_query_execution(QueryExecutionId=execution)
            state = status["QueryExecution"]["Status"]
            if state["State"] == "SUCCEEDED":
                break
            if state["State"] in ("FAILED", "CANCELLED"):
                reason = state.get("StateChangeReason", "no reason given")
                raise AnalyticsError(f"Athena query {state['State'].lower()}: {reason}")
            time.sleep(self.poll_seconds)
        rows: list[Row] = []
        names: list[str] = []
        converters: list[Callable[[str], Any]] = []
        paginator = self.client.get_paginator("get_query_results")
        for page in paginator.paginate(QueryExecutionId=execution):
            result = page["ResultSet"]
            if not names:
                info = result["ResultSetMetadata"]["ColumnInfo"]
                names = [column["Name"] for column in info]
                converters = [_ATHENA_TYPES.get(column["Type"], str) for column in info]
                data = result["Rows"][1:]  # the first row of the first page holds the names
            else:
                data = result["Rows"]
            for row in data:
                values = [cell.get("VarCharValue") for cell in row["Data"]]
                rows.append(
                    {
                        name: None if value is None else convert(value)
                        for name, convert, value in zip(names, converters, values, strict=True)
                    }
                )
        return rows
