"""The demo's items in the single table.

- DEMO#ACTIVE / LOCK: the one active deployment. Taken with a conditional put (no read first),
  changed only by conditional updates that name the deployment, released with its history entry
  in one transaction.
- DEMO#HISTORY / <finished>#<id>: finished runs, deleted by the table's TTL after N days.
- DEMO#QUOTA#<day>#<visitor> and DEMO#CAP#<day>: deploys started that day; taken in the same
  transaction as the lock, so a refused request stores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError
from common.schema import PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE

LOCK_KEY = {PARTITION_KEY: {"S": "DEMO#ACTIVE"}, SORT_KEY: {"S": "LOCK"}}
HISTORY_PARTITION = "DEMO#HISTORY"
STARTS = "starts"


@dataclass(frozen=True)
class Lock:
    deployment_id: str
    phase: str  # "deploy" or "destroy"
    provider: str
    started_at: int  # epoch seconds
    deadline: int  # epoch seconds: the deployment is destroyed from then on
    requester: str  # a hash, never the visitor id itself
    phase_started_at: int
    pipeline_id: str | None = None
    failed: bool = False
    last_error: str | None = None

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> Lock:
        def text(name: str) -> str | None:
            return item[name]["S"] if name in item and "S" in item[name] else None

        return cls(
            deployment_id=item["deployment_id"]["S"],
            phase=item["phase"]["S"],
            provider=item["provider"]["S"],
            started_at=int(item["started_at"]["N"]),
            deadline=int(item["deadline"]["N"]),
            requester=item["requester"]["S"],
            phase_started_at=int(item["phase_started_at"]["N"]),
            pipeline_id=text("pipeline_id"),
            failed=item.get("failed", {}).get("BOOL", False),
            last_error=text("last_error"),
        )

    def to_item(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            **LOCK_KEY,
            "deployment_id": {"S": self.deployment_id},
            "phase": {"S": self.phase},
            "provider": {"S": self.provider},
            "started_at": {"N": str(self.started_at)},
            "deadline": {"N": str(self.deadline)},
            "requester": {"S": self.requester},
            "phase_started_at": {"N": str(self.phase_started_at)},
            "failed": {"BOOL": self.failed},
        }
        if self.pipeline_id:
            item["pipeline_id"] = {"S": self.pipeline_id}
        if self.last_error:
            item["last_error"] = {"S": self.last_error}
        return item


@dataclass(frozen=True)
class Run:
    deployment_id: str
    started_at: int
    finished_at: int
    outcome: str
    provider: str
    requester: str

    def as_json(self) -> dict[str, Any]:
        return {
            "deployment_id": self.deployment_id,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "outcome": self.outcome,
            "duration_s": self.finished_at - self.started_at,
            "provider": self.provider,
            "requester": self.requester,
        }


class LockHeld(Exception):
    def __init__(self, current: Lock | None) -> None:
        super().__init__("a deployment is already active")
        self.current = current


class LimitReached(Exception):
    def __init__(self, which: str) -> None:
        super().__init__(which)
        self.which = which  # "visitor" or "global"


class LockChanged(Exception):
    """The lock is not (or no longer) what a conditional write expected."""


def _conditional_failure(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


class DemoStore:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def _counter_update(self, key: str, limit: int, ttl: int) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self._table,
                "Key": {PARTITION_KEY: {"S": key}, SORT_KEY: {"S": "COUNT"}},
                "UpdateExpression": "ADD #n :one SET #ttl = if_not_exists(#ttl, :ttl)",
                "ConditionExpression": "attribute_not_exists(#n) OR #n < :limit",
                "ExpressionAttributeNames": {"#n": STARTS, "#ttl": TTL_ATTRIBUTE},
                "ExpressionAttributeValues": {
                    ":one": {"N": "1"},
                    ":limit": {"N": str(limit)},
                    ":ttl": {"N": str(ttl)},
                },
            }
        }

    def acquire(
        self,
        lock: Lock,
        *,
        day: str,
        visitor: str,
        visitor_quota: int,
        daily_cap: int,
        counters_expire_at: int,
    ) -> None:
        """Take the lock and count the start against both limits, all or nothing."""
        try:
            self._client.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": lock.to_item(),
                            "ConditionExpression": "attribute_not_exists(#pk)",
                            "ExpressionAttributeNames": {"#pk": PARTITION_KEY},
                        }
                    },
                    self._counter_update(
                        f"DEMO#QUOTA#{day}#{visitor}", visitor_quota, counters_expire_at
                    ),
                    self._counter_update(f"DEMO#CAP#{day}", daily_cap, counters_expire_at),
                ]
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                raise
            reasons = [r.get("Code") for r in error.response.get("CancellationReasons", [])]
            failed = [i for i, code in enumerate(reasons) if code == "ConditionalCheckFailed"]
            if not failed or 0 in failed:
                raise LockHeld(self.get()) from error
            raise LimitReached("visitor" if 1 in failed else "global") from error

    def get(self) -> Lock | None:
        item = self._client.get_item(TableName=self._table, Key=LOCK_KEY, ConsistentRead=True)
        return Lock.from_item(item["Item"]) if "Item" in item else None

    def update(self, lock: Lock, expected: Lock) -> None:
        """Replace the lock, if it is still exactly `expected` (same deployment, phase, run)."""
        names = {"#id": "deployment_id", "#phase": "phase", "#since": "phase_started_at"}
        values = {
            ":id": {"S": expected.deployment_id},
            ":phase": {"S": expected.phase},
            ":since": {"N": str(expected.phase_started_at)},
        }
        condition = "#id = :id AND #phase = :phase AND #since = :since"
        try:
            self._client.put_item(
                TableName=self._table,
                Item=lock.to_item(),
                ConditionExpression=condition,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )
        except ClientError as error:
            if _conditional_failure(error):
                raise LockChanged(lock.deployment_id) from error
            raise

    def release(self, lock: Lock, outcome: str, finished_at: int, keep_days: int) -> Run:
        """Free the lock and record the run, in one transaction."""
        run = Run(
            lock.deployment_id, lock.started_at, finished_at, outcome, lock.provider, lock.requester
        )
        history = {
            PARTITION_KEY: {"S": HISTORY_PARTITION},
            SORT_KEY: {"S": f"{finished_at:012d}#{lock.deployment_id}"},
            TTL_ATTRIBUTE: {"N": str(finished_at + keep_days * 86400)},
            **{
                name: {"N": str(value)} if isinstance(value, int) else {"S": value}
                for name, value in (
                    ("deployment_id", run.deployment_id),
                    ("started_at", run.started_at),
                    ("finished_at", run.finished_at),
                    ("outcome", run.outcome),
                    ("provider", run.provider),
                    ("requester", run.requester),
                )
            },
        }
        try:
            self._client.transact_write_items(
                TransactItems=[
                    {
                        "Delete": {
                            "TableName": self._table,
                            "Key": LOCK_KEY,
                            "ConditionExpression": "#id = :id AND #phase = :phase",
                            "ExpressionAttributeNames": {"#id": "deployment_id", "#phase": "phase"},
                            "ExpressionAttributeValues": {
                                ":id": {"S": lock.deployment_id},
                                ":phase": {"S": lock.phase},
                            },
                        }
                    },
                    {"Put": {"TableName": self._table, "Item": history}},
                ]
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "TransactionCanceledException":
                raise LockChanged(lock.deployment_id) from error
            raise
        return run

    def history(self, now: int, limit: int = 50) -> list[Run]:
        result = self._client.query(
            TableName=self._table,
            KeyConditionExpression="#pk = :pk",
            # TTL deletion lags by up to days; expired entries are hidden at once.
            FilterExpression="#ttl > :now",
            ExpressionAttributeNames={"#pk": PARTITION_KEY, "#ttl": TTL_ATTRIBUTE},
            ExpressionAttributeValues={":pk": {"S": HISTORY_PARTITION}, ":now": {"N": str(now)}},
            ScanIndexForward=False,
            Limit=limit,
        )
        return [
            Run(
                item["deployment_id"]["S"],
                int(item["started_at"]["N"]),
                int(item["finished_at"]["N"]),
                item["outcome"]["S"],
                item["provider"]["S"],
                item["requester"]["S"],
            )
            for item in result.get("Items", [])
        ]
