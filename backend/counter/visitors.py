"""Daily-unique visitors without storing who they are (the Plausible model), hard to inflate.

visitor id = HMAC-SHA256(daily salt, site id, client IP, agent slot), where the agent slot is
one of VISITOR_IDS_PER_ADDRESS values derived (with the salt) from the User-Agent. Two browsers
behind one address are usually two visitors, yet a client rotating its User-Agent on every
request is at most VISITOR_IDS_PER_ADDRESS visitors a day, and each of them adds at most the
daily page-view limit to a page.

The salt is random, shared by every container through the ephemeral table (no backups), and
deleted once its 48 h are over, after which the ids of that day cannot be recomputed from an IP
and a User-Agent by anyone, the operator included.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError
from common.ephemeral import expires_at, is_expired, salt_key
from common.schema import PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE

from counter.days import utc_now

SALT_BYTES = 32  # stored as hex text, so items stay plain JSON for any tool
SALT_ATTRIBUTE = "salt"
# 128 bits keeps collisions out of reach for any realistic number of visitors per day.
VISITOR_ID_HEX_CHARS = 32
# Distinct visitors one address can be per day, whatever User-Agents it sends: a household or
# an office behind one address, not one visitor per request of a script.
VISITOR_IDS_PER_ADDRESS = 4
HITS = "hits"
# The marker holds one attribute per page the visitor saw that day: short names keep it small.
PAGE_HITS_PREFIX = "v:"
PAGE_HITS_HASH_BYTES = 6


def visitor_id(salt: bytes, site_id: str, client_ip: str, user_agent: str) -> str:
    agent = hmac.new(salt, user_agent.encode("utf-8", "replace"), hashlib.sha256).digest()
    slot = agent[0] % VISITOR_IDS_PER_ADDRESS
    # The separator cannot occur in an IP address, so no two inputs share a message.
    message = "\n".join((site_id, client_ip, str(slot))).encode("utf-8")
    return hmac.new(salt, message, hashlib.sha256).hexdigest()[:VISITOR_ID_HEX_CHARS]


def marker_key(day: str, visitor: str) -> dict[str, Any]:
    return {PARTITION_KEY: {"S": f"VISITOR#{day}#{visitor}"}, SORT_KEY: {"S": "VISITOR"}}


def page_hits_attribute(page: str) -> str:
    digest = hashlib.sha256(page.encode("utf-8")).digest()[:PAGE_HITS_HASH_BYTES]
    return PAGE_HITS_PREFIX + base64.urlsafe_b64encode(digest).decode("ascii")


@dataclass(frozen=True)
class Hits:
    """A visitor's hits today after this one: on the whole site, and on this page."""

    site: int
    page: int

    @property
    def first_today(self) -> bool:
        return self.site == 1


class VisitorMarkers:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table_name = table_name

    def mark(self, day: str, visitor: str, page: str) -> Hits:
        """Note one hit of `visitor` on `page` on `day`, in one atomic write."""
        attribute = page_hits_attribute(page)
        result = self._client.update_item(
            TableName=self._table_name,
            Key=marker_key(day, visitor),
            UpdateExpression="ADD #hits :one, #page :one SET #ttl = if_not_exists(#ttl, :expires)",
            ExpressionAttributeNames={"#hits": HITS, "#page": attribute, "#ttl": TTL_ATTRIBUTE},
            ExpressionAttributeValues={
                ":one": {"N": "1"},
                ":expires": {"N": str(expires_at(day))},
            },
            ReturnValues="UPDATED_NEW",
        )
        values = result.get("Attributes", {})
        return Hits(int(values[HITS]["N"]), int(values[attribute]["N"]))


class DailySalt:
    """The salt of the current day, fetched or created once per container per day."""

    def __init__(
        self, client: Any, table_name: str, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self._client = client
        self._table_name = table_name
        self._clock = clock
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
        now = self._clock()
        try:
            # Whoever writes first wins; everyone else adopts the winner's salt, so two cold
            # containers on the same day always derive the same visitor ids. An expired salt
            # that TTL has not removed yet counts as absent and is replaced.
            self._client.put_item(
                TableName=self._table_name,
                Item={
                    **salt_key(day),
                    SALT_ATTRIBUTE: {"S": candidate.hex()},
                    TTL_ATTRIBUTE: {"N": str(expires_at(day))},
                },
                ConditionExpression="attribute_not_exists(#pk) OR #ttl <= :now",
                ExpressionAttributeNames={"#pk": PARTITION_KEY, "#ttl": TTL_ATTRIBUTE},
                ExpressionAttributeValues={":now": {"N": str(int(now.timestamp()))}},
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
        if existing is None or SALT_ATTRIBUTE not in existing or is_expired(existing, now):
            raise RuntimeError(f"the salt of {day} vanished while it was being created")
        return bytes.fromhex(existing[SALT_ATTRIBUTE]["S"])
