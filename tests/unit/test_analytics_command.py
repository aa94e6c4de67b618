"""`invoke analytics` says what is wrong in one sentence, and prints exactly the JSON object."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from cloudfolio.analytics import commands, queries
from cloudfolio.analytics.engines import AnalyticsError, AthenaEngine
from cloudfolio.errors import CloudfolioError


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"since": "yesterday"}, "--since must be a date like 2026-03-01"),
        ({"since": "2026-03-02", "until": "2026-03-01"}, "is after --until"),
        ({"env": "qa"}, "unknown environment 'qa'"),
        ({}, "the local stack is not running: start it with invoke up"),
    ],
)
def test_errors_are_one_sentence(tmp_path: Path, arguments: dict, message: str) -> None:
    with pytest.raises(CloudfolioError, match=message):
        commands.analytics(local_state=tmp_path, **arguments)


def test_athena_is_refused_where_there_is_no_workgroup() -> None:
    lake = commands.Lake("local", "lake", "db", workgroup=None, endpoint_url="http://x")
    with pytest.raises(AnalyticsError, match="use --engine duckdb"):
        commands.engine_for(lake, "athena")


class FakeAthena:
    """Answers every query with one row, the first page's first row holding the names."""

    def __init__(self) -> None:
        self.started: list[dict] = []

    def start_query_execution(self, **request: object) -> dict:
        self.started.append(request)
        return {"QueryExecutionId": str(len(self.started))}

    def get_query_execution(self, QueryExecutionId: str) -> dict:
        return {"QueryExecution": {"Status": {"State": "SUCCEEDED"}}}

    def get_paginator(self, name: str) -> FakeAthena:
        return self

    def paginate(self, QueryExecutionId: str) -> list[dict]:
        info = [{"Name": "name", "Type": "varchar"}, {"Name": "visitors", "Type": "bigint"}]
        cells = [["name", "visitors"], ["O'Brien", "2"]]
        rows = [{"Data": [{"VarCharValue": value} for value in row]} for row in cells]
        return [{"ResultSet": {"ResultSetMetadata": {"ColumnInfo": info}, "Rows": rows}}]


def test_athena_runs_each_query_joined_to_the_prelude() -> None:
    client = FakeAthena()
    parameters = queries.parameters(date(2026, 3, 1), date(2026, 3, 2))
    rows = AthenaEngine(client, "wg", "db").run(parameters)
    assert rows == {name: [{"name": "O'Brien", "visitors": 2}] for name in queries.QUERIES}
    assert [r["QueryString"] for r in client.started] == list(map(queries.text, queries.QUERIES))
    assert client.started[0]["ExecutionParameters"] == [f"'{value}'" for value in parameters]
    assert client.started[0]["WorkGroup"] == "wg"


def test_json_is_the_report_alone_and_out_writes_html(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lake = commands.Lake("local", "lake", "db", None, endpoint_url="http://x")
    monkeypatch.setattr(commands, "find_lake", lambda env, state: lake)
    monkeypatch.setattr(commands.cache, "sync", lambda *args: None)
    printed: list[str] = []
    out = tmp_path / "r" / "report.html"
    built = commands.analytics(
        since="2026-03-01",
        until="2026-03-03",
        out=str(out),
        as_json=True,
        say=printed.append,
        cache_root=tmp_path / "cache",
    )
    assert len(printed) == 1 and json.loads(printed[0]) == built
    assert built["range"] == {"since": "2026-03-01", "until": "2026-03-03"}
    assert out.read_text().startswith("<!doctype html>")


def test_the_default_range_is_the_last_thirty_days(tmp_path: Path, monkeypatch) -> None:
    lake = commands.Lake("local", "lake", "db", None, endpoint_url="http://x")
    monkeypatch.setattr(commands, "find_lake", lambda env, state: lake)
    monkeypatch.setattr(commands.cache, "sync", lambda *args: None)
    built = commands.analytics(
        say=lambda _: None, today=lambda: date(2026, 3, 30), cache_root=tmp_path
    )
    assert built["range"] == {"since": "2026-03-01", "until": "2026-03-30"}
    assert len(built["daily"]) == 30
