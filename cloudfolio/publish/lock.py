"""One publish or prune at a time per site: a lock item in the stack's ephemeral table.

`PutItem` with `attribute_not_exists` succeeds for exactly one writer, so two machines cannot both
hold the lock. The item names its owner and carries an expiry (also in the table's TTL attribute,
so DynamoDB clears an abandoned lock eventually): a holder that died leaves a stale lock, which is
reported with its age and owner and broken only when asked (`--break-lock`).

The lock lives outside the site bucket on purpose: a publish then writes to S3 only its new
objects, the manifest and the pointer, and a publish with nothing to write creates no client for
the table at all.
"""

from __future__ import annotations

import getpass
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from cloudfolio.api_description import backend_on_path
from cloudfolio.publish.errors import PublishError

backend_on_path()

from common.schema import PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE  # noqa: E402

# The lock's partition: the deploy role may touch no other item of the table (the ci module's
# dynamodb:LeadingKeys condition names this value). One item per site bucket.
LOCK_PARTITION = "PUBLISH#LOCK"
DEFAULT_LOCK_TTL = timedelta(minutes=30)
TAKEN = "ConditionalCheckFailedException"


def default_owner() -> str:
    run = os.environ.get("GITHUB_RUN_ID")
    where = f"CI run {run}" if run else socket.gethostname()
    try:
        user = getpass.getuser()
    except OSError:
        user = "unknown"
    return f"{user}@{where} (pid {os.getpid()})"


def _age(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:.0f} h"
    if seconds >= 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds:.0f} s"


@dataclass(frozen=True)
class Holder:
    owner: str
    operation: str
    acquired: datetime
    expires: datetime
    nonce: str

    def describe(self, now: datetime) -> str:
        age = _age((now - self.acquired).total_seconds())
        if now >= self.expires:
            return (
                f"a stale lock from a {self.operation} by {self.owner}, taken {age} ago, "
                f"expired {_age((now - self.expires).total_seconds())} ago"
            )
        return f"a {self.operation} by {self.owner} holds the site lock (taken {age} ago)"


class SiteLock:
    """The lock of one site (`site`: its bucket name) in `table`.

    `connect` makes the DynamoDB client, on first use: publishes that write nothing never pay
    for it."""

    def __init__(
        self,
        connect: Callable[[], Any],
        table: str,
        site: str,
        owner: str | None = None,
        ttl: timedelta = DEFAULT_LOCK_TTL,
    ) -> None:
        self._connect, self._client = connect, None
        self.table, self.site = table, site
        self.owner = owner or default_owner()
        self.ttl = ttl
        self._nonce: str | None = None

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = self._connect()
        return self._client

    @property
    def key(self) -> dict[str, dict[str, str]]:
        return {PARTITION_KEY: {"S": LOCK_PARTITION}, SORT_KEY: {"S": self.site}}

    def holder(self) -> Holder | None:
        item = self.client.get_item(TableName=self.table, Key=self.key, ConsistentRead=True)
        found = item.get("Item")
        if not found:
            return None
        return Holder(
            found["owner"]["S"],
            found["operation"]["S"],
            datetime.fromisoformat(found["acquired"]["S"]),
            datetime.fromisoformat(found["expires"]["S"]),
            found["nonce"]["S"],
        )

    def acquire(self, operation: str, break_lock: bool = False, now: datetime | None = None):
        """Take the lock or raise PublishError naming who holds it."""
        now = now or datetime.now(UTC)
        expires = now + self.ttl
        nonce = os.urandom(8).hex()
        item = {
            **self.key,
            "owner": {"S": self.owner},
            "operation": {"S": operation},
            "acquired": {"S": now.isoformat()},
            "expires": {"S": expires.isoformat()},
            TTL_ATTRIBUTE: {"N": str(int(expires.timestamp()))},
            # Release deletes only the item this holder wrote, never a successor's.
            "nonce": {"S": nonce},
        }
        for attempt in range(2):
            try:
                self.client.put_item(
                    TableName=self.table,
                    Item=item,
                    ConditionExpression="attribute_not_exists(#pk)",
                    ExpressionAttributeNames={"#pk": PARTITION_KEY},
                )
                self._nonce = nonce
                return self
            except ClientError as error:
                if error.response["Error"]["Code"] != TAKEN:
                    raise
            holder = self.holder()
            if holder is None:
                continue  # released between our write and our read: try once more
            if break_lock and attempt == 0:
                self._delete(holder.nonce)
                continue
            current = datetime.now(UTC)
            hint = (
                "if no publish or prune is running, run again with --break-lock"
                if current >= holder.expires
                else "wait for it to finish, or if it died, run again with --break-lock"
            )
            raise PublishError(f"cannot {operation}: {holder.describe(current)}; {hint}")
        raise PublishError(f"cannot {operation}: the site lock keeps changing hands; try again")

    def _delete(self, nonce: str) -> None:
        try:
            self.client.delete_item(
                TableName=self.table,
                Key=self.key,
                ConditionExpression="nonce = :nonce",
                ExpressionAttributeValues={":nonce": {"S": nonce}},
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != TAKEN:
                raise

    def release(self) -> None:
        # Only our own lock is removed: a holder whose lock was broken must not free the next
        # holder's.
        if self._nonce is None:
            return
        try:
            self._delete(self._nonce)
        finally:
            self._nonce = None

    def __enter__(self) -> SiteLock:
        return self

    def __exit__(self, *_: object) -> None:
        self.release()
