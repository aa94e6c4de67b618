"""The counters in the single table, each visit counted with atomic ADDs and no read.

Items:
- SITE#<site id> / TOTALS: `views`, `views_plus_visitors` and one `page:<hash>` attribute per
  path, so one UpdateItem returns the three numbers the widget shows.
- VISITOR#<day>#<visitor id> / VISITOR: `hits` that day; its first ADD tells "new today".
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

from common.schema import PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE

from counter.days import expires_at

VIEWS = "views"
# visitors = views_plus_visitors - views. Stored as a sum because UPDATED_NEW may return only the
# attributes whose value changed (emulators diff old against new), and a visitor counter that a
# returning visitor adds 0 to would then be missing; the sum changes on every counted visit.
VIEWS_PLUS_VISITORS = "views_plus_visitors"
HITS = "hits"
PAGE_PREFIX = "page:"
# 96 bits of SHA-256: short attribute names (the item holds every page) without collisions.
PAGE_HASH_BYTES = 12


@dataclass(frozen=True)
class Counts:
    views: int
    page_views: int
    visitors: int

    def as_json(self) -> dict[str, int]:
        return {"views": self.views, "page_views": self.page_views, "visitors": self.visitors}


def page_attribute(path: str) -> str:
    digest = hashlib.sha256(path.encode("utf-8")).digest()[:PAGE_HASH_BYTES]
    return PAGE_PREFIX + base64.urlsafe_b64encode(digest).decode("ascii")


def site_key(site_id: str) -> dict[str, Any]:
    return {PARTITION_KEY: {"S": f"SITE#{site_id}"}, SORT_KEY: {"S": "TOTALS"}}


def visitor_key(day: str, visitor: str) -> dict[str, Any]:
    return {PARTITION_KEY: {"S": f"VISITOR#{day}#{visitor}"}, SORT_KEY: {"S": "VISITOR"}}


def _number(attributes: dict[str, Any], name: str) -> int:
    value = attributes.get(name)
    return int(value["N"]) if value else 0


def _counts(attributes: dict[str, Any], page: str) -> Counts:
    views = _number(attributes, VIEWS)
    return Counts(
        views=views,
        page_views=_number(attributes, page),
        visitors=_number(attributes, VIEWS_PLUS_VISITORS) - views,
    )


class CounterStore:
    def __init__(self, client: Any, table_name: str, site_id: str) -> None:
        self._client = client
        self._table_name = table_name
        self._site_id = site_id

    def mark_visitor(self, day: str, visitor: str) -> bool:
        """Note one hit of `visitor` on `day`; True when it is their first that day."""
        result = self._client.update_item(
            TableName=self._table_name,
            Key=visitor_key(day, visitor),
            UpdateExpression="ADD #hits :one SET #ttl = if_not_exists(#ttl, :expires)",
            ExpressionAttributeNames={"#hits": HITS, "#ttl": TTL_ATTRIBUTE},
            ExpressionAttributeValues={
                ":one": {"N": "1"},
                ":expires": {"N": str(expires_at(day))},
            },
            ReturnValues="UPDATED_OLD",
        )
        return HITS not in result.get("Attributes", {})

    def count_view(self, path: str, new_visitor: bool) -> Counts:
        page = page_attribute(path)
        result = self._client.update_item(
            TableName=self._table_name,
            Key=site_key(self._site_id),
            UpdateExpression="ADD #views :one, #sum :sum_step, #page :one",
            ExpressionAttributeNames={"#views": VIEWS, "#sum": VIEWS_PLUS_VISITORS, "#page": page},
            ExpressionAttributeValues={
                ":one": {"N": "1"},
                ":sum_step": {"N": "2" if new_visitor else "1"},
            },
            ReturnValues="UPDATED_NEW",
        )
        return _counts(result.get("Attributes", {}), page)

    def read(self, path: str) -> Counts:
        page = page_attribute(path)
        result = self._client.get_item(
            TableName=self._table_name,
            Key=site_key(self._site_id),
            ProjectionExpression="#views, #sum, #page",
            ExpressionAttributeNames={"#views": VIEWS, "#sum": VIEWS_PLUS_VISITORS, "#page": page},
            # A reader who just counted a visit expects to see it.
            ConsistentRead=True,
        )
        return _counts(result.get("Item", {}), page)
