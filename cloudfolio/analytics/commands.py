"""`invoke analytics`: find the environment's lake, query it, print or write the report."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from cloudfolio import environments, paths
from cloudfolio.analytics import cache, html_report, report
from cloudfolio.analytics import local as local_lake
from cloudfolio.analytics.engines import AnalyticsError, AthenaEngine, DuckDBEngine, Engine

ENGINES = ("duckdb", "athena")


@dataclass(frozen=True)
class Lake:
    env: str
    bucket: str
    database: str
    workgroup: str | None
    endpoint_url: str | None = None

    def client(self, service: str) -> Any:
        import boto3

        session = local_lake.emulator_session() if self.endpoint_url else boto3.session.Session()
        return session.client(service, endpoint_url=self.endpoint_url)


def _local_lake(state_dir: Path) -> Lake:
    info = local_lake.read_info(state_dir)
    if info is None:
        raise AnalyticsError("the local stack is not running: start it with invoke up")
    # What the counter sent but the relay has not written yet goes in first.
    local_lake.flush(info)
    return Lake(
        "local",
        info["lake_bucket"],
        info["glue_database"],
        info.get("athena_workgroup"),
        endpoint_url=info["aws_endpoint"],
    )


def _deployed_lake(env: str) -> Lake:
    # Imported lazily: only staging and prod need terraform.
    from cloudfolio import terraform
    from cloudfolio.deploy import remote_runner

    try:
        outputs = remote_runner(env).output()
    except terraform.TerraformError as error:
        raise AnalyticsError(
            f"cannot read the {env} Terraform outputs ({error}); run invoke deploy --env {env}"
        ) from error
    found = outputs.get("analytics") or {}
    if not found.get("lake_bucket"):
        raise AnalyticsError(f"the {env} outputs have no analytics lake: run invoke deploy first")
    return Lake(env, found["lake_bucket"], found["glue_database"], found.get("athena_workgroup"))


def find_lake(env: str, local_state: Path = paths.LOCAL_STATE) -> Lake:
    environments.check(env)
    return _local_lake(local_state) if env == environments.LOCAL else _deployed_lake(env)


def engine_for(lake: Lake, name: str, cache_root: Path = cache.CACHE_ROOT) -> Engine:
    if name == "duckdb":
        folder = cache.cache_dir(lake.env, lake.bucket, cache_root)
        cache.sync(lake.client("s3"), lake.bucket, folder)
        return DuckDBEngine(folder)
    if name == "athena":
        if not lake.workgroup:
            raise AnalyticsError(
                f"{lake.env} has no Athena workgroup (the emulator cannot run Athena): "
                "use --engine duckdb"
            )
        return AthenaEngine(lake.client("athena"), lake.workgroup, lake.database)
    raise AnalyticsError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")


def _day(value: str | None, flag: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise AnalyticsError(f"{flag} must be a date like 2026-03-01, not {value!r}") from None


def analytics(
    env: str = "local",
    since: str | None = None,
    until: str | None = None,
    out: str | None = None,
    as_json: bool = False,
    engine: str = "duckdb",
    say: Callable[[str], None] = print,
    today: Callable[[], date] = lambda: datetime.now(UTC).date(),
    local_state: Path = paths.LOCAL_STATE,
    cache_root: Path = cache.CACHE_ROOT,
) -> dict[str, Any]:
    first, last = report.default_range(today(), _day(since, "--since"), _day(until, "--until"))
    if first > last:
        raise AnalyticsError(f"--since {first} is after --until {last}")
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        lake = find_lake(env, local_state)
        built = report.build(engine_for(lake, engine, cache_root), first, last)
    except (BotoCoreError, ClientError) as error:
        raise AnalyticsError(f"cannot read the {env} lake: {error}") from error
    if as_json:
        say(json.dumps(built, indent=2))
    else:
        say(report.summary(built))
    if out:
        target = Path(out)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html_report.render(built, site=env))
        if not as_json:
            say(f"report written to {target}")
    return built
