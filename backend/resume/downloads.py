"""Counting downloads with the counter's visitor rules: robots are not counted, and a reader is
identified per day by the counter's salted hash (counter.visitors), never by IP or User-Agent.

Items in the single table:
- DOWNLOADS#<site id> / RESUME: `downloads` and `downloads_plus_visitors` (see counter.store for
  why the sum is stored), updated with one atomic ADD per download;
- in the ephemeral table (no backups), DOWNLOADER#<day>#<visitor id> / RESUME: the day's marker,
  deleted by TTL after 48 h, beside the counter's daily salt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from common.aws import dynamodb_client
from common.schema import PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE
from common.settings import Settings, SettingsError
from counter.bots import is_bot
from counter.days import day_key, expires_at, utc_now
from counter.visitors import DailySalt, visitor_id

DOWNLOADS = "downloads"
DOWNLOADS_PLUS_VISITORS = "downloads_plus_visitors"
HITS = "hits"
SORT_VALUE = "RESUME"


@dataclass(frozen=True)
class DownloadStats:
    downloads: int
    visitors: int

    def as_json(self) -> dict[str, int]:
        return {"downloads": self.downloads, "visitors": self.visitors}


def totals_key(site_id: str) -> dict[str, Any]:
    return {PARTITION_KEY: {"S": f"DOWNLOADS#{site_id}"}, SORT_KEY: {"S": SORT_VALUE}}


def marker_key(day: str, visitor: str) -> dict[str, Any]:
    return {PARTITION_KEY: {"S": f"DOWNLOADER#{day}#{visitor}"}, SORT_KEY: {"S": SORT_VALUE}}


def _stats(attributes: dict[str, Any]) -> DownloadStats:
    downloads = int(attributes.get(DOWNLOADS, {}).get("N", 0))
    summed = int(attributes.get(DOWNLOADS_PLUS_VISITORS, {}).get("N", 0))
    return DownloadStats(downloads, summed - downloads)


def _ephemeral(settings: Settings) -> str:
    """Salts and markers live where no backup keeps them (docs/api.md)."""
    if not settings.ephemeral_table_name:
        raise SettingsError("missing environment variable: EPHEMERAL_TABLE_NAME")
    return settings.ephemeral_table_name


class DownloadCounter:
    """Built on first use, so importing the handler needs neither configuration nor AWS."""

    def __init__(
        self,
        settings: Callable[[], Settings] = Settings.from_env,
        client_factory: Callable[[], Any] = dynamodb_client,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._settings_factory = settings
        self._client_factory = client_factory
        self.clock = clock
        self._parts: tuple[Settings, Any, DailySalt] | None = None

    def _ready(self) -> tuple[Settings, Any, DailySalt]:
        if self._parts is None:
            settings = self._settings_factory()
            client = self._client_factory()
            self._parts = (settings, client, DailySalt(client, _ephemeral(settings)))
        return self._parts

    def count(self, client_ip: str, user_agent: str) -> bool:
        """Count one download unless a robot asks; True when it was counted."""
        if is_bot(user_agent):
            return False
        settings, client, salt = self._ready()
        day = day_key(self.clock())
        visitor = visitor_id(salt.for_day(day), settings.site_id, client_ip, user_agent)
        marked = client.update_item(
            TableName=_ephemeral(settings),
            Key=marker_key(day, visitor),
            UpdateExpression="ADD #hits :one SET #ttl = if_not_exists(#ttl, :expires)",
            ExpressionAttributeNames={"#hits": HITS, "#ttl": TTL_ATTRIBUTE},
            ExpressionAttributeValues={":one": {"N": "1"}, ":expires": {"N": str(expires_at(day))}},
            ReturnValues="UPDATED_OLD",
        )
        new_visitor = HITS not in marked.get("Attributes", {})
        client.update_item(
            TableName=settings.table_name,
            Key=totals_key(settings.site_id),
            UpdateExpression="ADD #downloads :one, #sum :step",
            ExpressionAttributeNames={"#downloads": DOWNLOADS, "#sum": DOWNLOADS_PLUS_VISITORS},
            ExpressionAttributeValues={
                ":one": {"N": "1"},
                ":step": {"N": "2" if new_visitor else "1"},
            },
        )
        return True

    def read(self) -> DownloadStats:
        settings, client, _ = self._ready()
        item = client.get_item(
            TableName=settings.table_name, Key=totals_key(settings.site_id), ConsistentRead=True
        ).get("Item", {})
        return _stats(item)
