"""One publish or prune at a time per site: a lock object written with an S3 conditional write.

`PutObject` with `If-None-Match: *` succeeds for exactly one writer, so two machines cannot both
hold the lock. The lock names its owner and carries an expiry: a holder that died leaves a stale
lock, which is reported with its age and owner and broken only when asked (`--break-lock`).
"""

from __future__ import annotations

import getpass
import json
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from cloudfolio.publish.errors import PublishError

LOCK_KEY = "locks/site.json"
DEFAULT_LOCK_TTL = timedelta(minutes=30)
# S3 answers a lost conditional write with 412, or 409 when two writes race in flight.
TAKEN_CODES = {"PreconditionFailed", "412", "ConditionalRequestConflict", "409"}


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

    def describe(self, now: datetime) -> str:
        age = _age((now - self.acquired).total_seconds())
        if now >= self.expires:
            return (
                f"a stale lock from a {self.operation} by {self.owner}, taken {age} ago, "
                f"expired {_age((now - self.expires).total_seconds())} ago"
            )
        return f"a {self.operation} by {self.owner} holds the site lock (taken {age} ago)"


class SiteLock:
    def __init__(
        self,
        s3: Any,
        bucket: str,
        owner: str | None = None,
        ttl: timedelta = DEFAULT_LOCK_TTL,
    ) -> None:
        self.s3, self.bucket = s3, bucket
        self.owner = owner or default_owner()
        self.ttl = ttl
        self._etag: str | None = None

    def holder(self) -> Holder | None:
        try:
            body = self.s3.get_object(Bucket=self.bucket, Key=LOCK_KEY)["Body"].read()
        except ClientError as error:
            if error.response["Error"]["Code"] in ("NoSuchKey", "404"):
                return None
            raise
        found = json.loads(body)
        return Holder(
            found["owner"],
            found["operation"],
            datetime.fromisoformat(found["acquired"]),
            datetime.fromisoformat(found["expires"]),
        )

    def acquire(self, operation: str, break_lock: bool = False, now: datetime | None = None):
        """Take the lock or raise PublishError naming who holds it."""
        now = now or datetime.now(UTC)
        body = json.dumps(
            {
                "owner": self.owner,
                "operation": operation,
                "acquired": now.isoformat(),
                "expires": (now + self.ttl).isoformat(),
                # Two holders in one second must still write different bytes (and ETags).
                "nonce": os.urandom(8).hex(),
            }
        ).encode()
        for attempt in range(2):
            try:
                written = self.s3.put_object(
                    Bucket=self.bucket,
                    Key=LOCK_KEY,
                    Body=body,
                    ContentType="application/json",
                    IfNoneMatch="*",
                )
                self._etag = written["ETag"]
                return self
            except ClientError as error:
                if error.response["Error"]["Code"] not in TAKEN_CODES:
                    raise
            holder = self.holder()
            if holder is None:
                continue  # released between our write and our read: try once more
            if break_lock and attempt == 0:
                self.s3.delete_object(Bucket=self.bucket, Key=LOCK_KEY)
                continue
            state = holder.describe(datetime.now(UTC))
            hint = (
                "if no publish or prune is running, run again with --break-lock"
                if datetime.now(UTC) >= holder.expires
                else "wait for it to finish, or if it died, run again with --break-lock"
            )
            raise PublishError(f"cannot {operation}: {state}; {hint}")
        raise PublishError(f"cannot {operation}: the site lock keeps changing hands; try again")

    def release(self) -> None:
        # Only our own lock is removed (a conditional delete on the ETag we wrote): a holder
        # whose lock was broken must not free the next holder's.
        if self._etag is None:
            return
        try:
            self.s3.delete_object(Bucket=self.bucket, Key=LOCK_KEY, IfMatch=self._etag)
        except ClientError as error:
            if error.response["Error"]["Code"] not in (*TAKEN_CODES, "NoSuchKey", "404"):
                raise
        finally:
            self._etag = None

    def __enter__(self) -> SiteLock:
        return self

    def __exit__(self, *_: object) -> None:
        self.release()
