"""One visit in, the three numbers out: real pages only, bots and excess views not counted.

A counted visit is two DynamoDB calls: the visitor marker (ephemeral table), then the site item
(counts table). A visit over the daily limit is the marker, then a read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
from typing import Any

from common.aws import dynamodb_client, s3_client
from common.http import ApiError
from common.settings import EPHEMERAL_TABLE_NAME, SITE_BUCKET, Settings

from counter.bots import is_bot
from counter.days import day_key, utc_now
from counter.pages import LivePages
from counter.request import Visit
from counter.store import CounterStore, Counts
from counter.visitors import DailySalt, VisitorMarkers, visitor_id


@dataclass(frozen=True)
class Outcome:
    counts: Counts
    counted: bool
    new_visitor: bool = False
    # For the analytics event: when the visit was handled, and who (never set for robots).
    at: datetime | None = None
    visitor: str | None = None
    # Not counted because this visitor already reached today's limit for the page.
    over_limit: bool = False


def unknown_page() -> ApiError:
    return ApiError(
        HTTPStatus.NOT_FOUND,
        "unknown_page",
        "This path is not a page of the published site, so it is not counted.",
    )


@dataclass(frozen=True)
class _Parts:
    settings: Settings
    store: CounterStore
    markers: VisitorMarkers
    salt: DailySalt
    pages: LivePages


class VisitCounter:
    """Everything a container keeps between invocations: settings, clients, the day's salt and
    the live release's pages.

    Built on first use, so importing the handler needs neither configuration nor AWS.
    """

    def __init__(
        self,
        settings: Callable[[], Settings] = Settings.from_env,
        client_factory: Callable[[], Any] = dynamodb_client,
        clock: Callable[[], datetime] = utc_now,
        s3_client_factory: Callable[[], Any] = s3_client,
    ) -> None:
        self._settings_factory = settings
        self._client_factory = client_factory
        self._s3_client_factory = s3_client_factory
        self.clock = clock
        self._client: Any = None
        self._parts: _Parts | None = None

    def _ready(self) -> _Parts:
        if self._parts is None:
            settings = self._settings_factory()
            settings.require(EPHEMERAL_TABLE_NAME, SITE_BUCKET)
            assert settings.ephemeral_table_name and settings.site_bucket  # for type checkers
            self._parts = _Parts(
                settings,
                CounterStore(self.client, settings.table_name, settings.site_id),
                VisitorMarkers(self.client, settings.ephemeral_table_name),
                DailySalt(self.client, settings.ephemeral_table_name, lambda: self.clock()),
                LivePages(self._s3_client_factory(), settings.site_bucket),
            )
        return self._parts

    @property
    def settings(self) -> Settings:
        return self._ready().settings

    @property
    def client(self) -> Any:
        """The container's DynamoDB client (created on first use)."""
        if self._client is None:
            self._client = self._client_factory()
        return self._client

    @property
    def pages(self) -> LivePages:
        return self._ready().pages

    def _page(self, path: str) -> str:
        page = self._ready().pages.canonical(path)
        if page is None:
            raise unknown_page()
        return page

    def read(self, path: str) -> Counts:
        return self._ready().store.read(self._page(path))

    def record(self, visit: Visit, client_ip: str, user_agent: str) -> Outcome:
        parts = self._ready()
        page = self._page(visit.path)
        now = self.clock()
        if is_bot(user_agent):
            return Outcome(parts.store.read(page), counted=False, at=now)
        day = day_key(now)
        visitor = visitor_id(parts.salt.for_day(day), parts.settings.site_id, client_ip, user_agent)
        hits = parts.markers.mark(day, visitor, page)
        if hits.page > parts.settings.daily_page_view_limit:
            counts = parts.store.read(page)
            return Outcome(counts, False, at=now, visitor=visitor, over_limit=True)
        counts = parts.store.count_view(page, hits.first_today)
        return Outcome(counts, True, hits.first_today, at=now, visitor=visitor)
