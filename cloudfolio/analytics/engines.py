"""Where the SQL runs: DuckDB over the local cache of the lake, or Athena over the lake itself."""

from __future__ import annotations

import shutil
import tempfile
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from cloudfolio.analytics import lake, queries
from cloudfolio.errors import CloudfolioError

Row = dict[str, Any]


class AnalyticsError(CloudfolioError):
    """The lake could not be read or queried."""


class Engine(Protocol):
    def run(self, parameters: list[str]) -> dict[str, list[Row]]:
        """The rows of every query of the report, by name, for the prelude's parameters."""
        ...


class DuckDBEngine:
    """Reads the gzip'd NDJSON objects of a directory laid out like the lake (no httpfs)."""

    def __init__(self, root: Path, threads: int | None = None) -> None:
        import duckdb

        # No progress bar: it would write to stdout, where --json prints the report alone.
        self.connection = duckdb.connect(":memory:")
        self.connection.execute("SET enable_progress_bar = false")
        # Every query orders its rows itself, so tables need not keep the files' order; DuckDB
        # then fills them in parallel, with less memory.
        self.connection.execute("SET preserve_insertion_order = false")
        if threads:
            self.connection.execute(f"SET threads = {int(threads)}")
        self._joined = Path(tempfile.mkdtemp(prefix="cloudfolio-lake-"))
        weakref.finalize(self, shutil.rmtree, self._joined, ignore_errors=True)
        files = _join_partitions(root, self._joined)
        if files:
            columns = ", ".join(
                f"'{name}': '{lake.DUCKDB_TYPES[kind]}'" for name, kind in lake.COLUMNS.items()
            )
            listing = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
            # With the columns given, nothing is sampled to guess a schema.
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
        # A view: the prelude's first relation, made once per report, is what parses the files.
        self.connection.execute(f"CREATE VIEW {lake.TABLE} AS SELECT * FROM {source}")

    def run(self, parameters: list[str]) -> dict[str, list[Row]]:
        texts = {name: queries.query(name) for name in queries.QUERIES}
        read = set().union(*map(self.connection.get_table_names, texts.values()))
        self._materialize(read, parameters)
        return {name: self._rows(text) for name, text in texts.items()}

    def _materialize(self, read: set[str], parameters: list[str]) -> None:
        """The prelude's relations that the queries read, each computed once into a table.

        A relation only another relation reads stays a WITH clause of the statement that makes
        the next table, so it is never held in memory on its own.
        """
        pending: list[str] = []
        arguments: list[str] = []
        for relation in queries.relations():
            pending.append(f"{relation.name} AS ({relation.sql})")
            arguments += parameters[: relation.parameters]
            parameters = parameters[relation.parameters :]
            if relation.name in read:
                self.connection.execute(
                    f"CREATE OR REPLACE TEMP TABLE {relation.name} AS "
                    f"WITH {', '.join(pending)} SELECT * FROM {relation.name}",
                    arguments,
                )
                pending, arguments = [], []

    def _rows(self, sql: str) -> list[Row]:
        cursor = self.connection.execute(sql)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _join_partitions(root: Path, into: Path) -> list[Path]:
    """One file per partition of `root` under `into`, holding the partition's objects end to end.

    A gzip file may be a series of gzip members, so the joined file reads as each object in
    turn. DuckDB then opens one file per day instead of one per Firehose object: at the default
    buffering a month is some 2,900 objects, and each open costs DuckDB's JSON reader about as
    much as parsing a few hundred records.
    """
    joined: list[Path] = []
    for folder in sorted(root.glob(f"{lake.PREFIX}{lake.PARTITION}=*")):
        objects = sorted(file for file in folder.iterdir() if file.is_file())
        if not objects:
            continue
        target = into / folder.relative_to(root) / "objects.gz"
        target.parent.mkdir(parents=True)
        with target.open("wb") as out:
            for item in objects:
                with item.open("rb") as source:
                    shutil.copyfileobj(source, out)
        joined.append(target)
    return joined


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

    def run(self, parameters: list[str]) -> dict[str, list[Row]]:
        # Each query is its own Athena execution, the prelude joined in front of it.
        return {name: self._rows(queries.text(name), parameters) for name in queries.QUERIES}

    def _rows(self, sql: str, parameters: list[str]) -> list[Row]:
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
