"""Daily-unique visitors without storing who they are (the Plausible model).

visitor id = HMAC-SHA256(daily salt, site id, client IP, User-Agent). The salt is random, shared
by every container through the table, and deleted ~48 h later, after which the ids of that day
cannot be recomputed from an IP and a User-Agent by anyone, the operator included.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from typing import Any

from botocore.exceptions import ClientError
from common.schema import PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE

from counter.days import expires_at

SALT_BYTES = 32  # stored as hex text, so items stay plain JSON for any tool
SALT_ATTRIBUTE = "salt"
# 128 bits keeps collisions out of reach for any realistic number of visitors per day.
VISITOR_ID_HEX_CHARS = 32


def salt_key(day: str) -> dict[str, Any]:
    return {PARTITION_KEY: {"S": f"SALT#{day}"}, SORT_KEY: {"S": "SALT"}}


def visitor_id(salt: bytes, site_id: str, client_ip: str, user_agent: str) -> str:
    # The separator cannot occur in an IP address, so no two inputs share a message.
    message = "\n".join((site_id, client_ip, user_agent)).encode("utf-8")
    return hmac.new(salt, message, hashlib.sha256).hexdigest()[:VISITOR_ID_HEX_CHARS]


class DailySalt:
    """The salt of the current day, fetched or created once per container per day."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table_name = table_name
        self._day: str | None = None
        self._salt = b""
        self._lock = threading.Lock()

    def for_day(self, day: str) -> bytes:
        with self._lock:
            if self._day != day:
                self._salt = self._load_or_create(day)
                self._day = day
            return self._salt

    def _load_or_create(self, day: str) -> bytes:
        candidate = secrets.token_bytes(SALT_BYTES)
        try:
            # Whoever writes first wins; everyone else adopts the winner's salt, so two cold
            # containers on the same day always derive the same visitor ids.
            self._client.put_item(
                TableName=self._table_name,
                Item={
                    **salt_key(day),
                    SALT_ATTRIBUTE: {"S": candidate.hex()},
                    TTL_ATTRIBUTE: {"N": str(expires_at(day))},
                },
                ConditionExpression="attribute_not_exists(#pk)",
                ExpressionAttributeNames={"#pk": PARTITION_KEY},
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
            return candidate
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            existing = error.response.get("Item")
        if existing is None:
            # The winner's item usually comes back with the failure; read it if it did not.
            existing = self._client.get_item(
                TableName=self._table_name, Key=salt_key(day), ConsistentRead=True
            ).get("Item")
        if existing is None or SALT_ATTRIBUTE not in existing:
            raise RuntimeError(f"the salt of {day} vanished while it was being created")
        return bytes.fromhex(existing[SALT_ATTRIBUTE]["S"])
