"""The counts, in the backed-up table: one item per site, counted with atomic ADDs and no read.

SITE#<site id> / TOTALS holds `views`, `views_plus_visitors` and one `p:<hash>` attribute per
page of the site, so one UpdateItem returns the three numbers the widget shows. Only pages of a
published release are ever written (the caller checks), so the item is bounded by the site's
page count: about 14 bytes a page, under 300 KB for 20,000 pages.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

from common.schema import PARTITION_KEY, SORT_KEY

VIEWS = "views"
# visitors = views_plus_visitors - views. Stored as a sum because UPDATED_NEW may return only the
# attributes whose value changed (emulators diff old against new), and a visitor counter that a
# returning visitor adds 0 to would then be missing; the sum changes on every counted visit.
VIEWS_PLUS_VISITORS = "views_plus_visitors"
PAGE_PREFIX = "p:"
# 48 bits of SHA-256 of the page's file path: 10-character names keep a 20,000-page site's item
# far below DynamoDB's 400 KB, and two pages of one site share a name with odds below 1 in 10^6.
PAGE_HASH_BYTES = 6


@dataclass(frozen=True)
class Counts:
    views: int
    page_views: int
    visitors: int

    def as_json(self) -> dict[str, int]:
        return {"views": self.views, "page_views": self.page_views, "visitors": self.visitors}


def page_attribute(page: str) -> str:
    digest = hashlib.sha256(page.encode("utf-8")).digest()[:PAGE_HASH_BYTES]
    return PAGE_PREFIX + base64.urlsafe_b64encode(digest).decode("ascii")


def site_key(site_id: str) -> dict[str, Any]:
    return {PARTITION_KEY: {"S": f"SITE#{site_id}"}, SORT_KEY: {"S": "TOTALS"}}


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

    def count_view(self, page: str, new_visitor: bool) -> Counts:
        attribute = page_attribute(page)
        result = self._client.update_item(
            TableName=self._table_name,
            Key=site_key(self._site_id),
            UpdateExpression="ADD #views :one, #sum :sum_step, #page :one",
            ExpressionAttributeNames={
                "#views": VIEWS,
                "#sum": VIEWS_PLUS_VISITORS,
                "#page": attribute,
            },
            ExpressionAttributeValues={
                ":one": {"N": "1"},
                ":sum_step": {"N": "2" if new_visitor else "1"},
            },
            ReturnValues="UPDATED_NEW",
        )
        return _counts(result.get("Attributes", {}), attribute)

    def read(self, page: str) -> Counts:
        attribute = page_attribute(page)
        result = self._client.get_item(
            TableName=self._table_name,
            Key=site_key(self._site_id),
            ProjectionExpression="#views, #sum, #page",
            ExpressionAttributeNames={
                "#views": VIEWS,
                "#sum": VIEWS_PLUS_VISITORS,
                "#page": attribute,
            },
            # A reader who just counted a visit expects to see it.
            ConsistentRead=True,
        )
        return _counts(result.get("Item", {}), attribute)
