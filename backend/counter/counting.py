"""One visit in, the three numbers out: bots filtered, the visitor hashed, two atomic writes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from common.aws import dynamodb_client
from common.settings import Settings

from counter.bots import is_bot
from counter.days import day_key, utc_now
from counter.request import Visit
from counter.store import CounterStore, Counts
from counter.visitors import DailySalt, visitor_id


@dataclass(frozen=True)
class Outcome:
    counts: Counts
    counted: bool
    new_visitor: bool = False
    # For the analytics event: when the visit was handled, and who (never set for robots).
    at: datetime | None = None
    visitor: str | None = None


class VisitCounter:
    """Everything a container keeps between invocations: settings, client, the day's salt.

    Built on first use, so importing the handler needs neither configuration nor AWS.
    """

    def __init__(
        self,
        settings: Callable[[], Settings] = Settings.from_env,
        client_factory: Callable[[], Any] = dynamodb_client,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._settings_factory = settings
        self._client_factory = client_factory
        self.clock = clock
        self._client: Any = None
        self._parts: tuple[Settings, CounterStore, DailySalt] | None = None

    def _ready(self) -> tuple[Settings, CounterStore, DailySalt]:
        if self._parts is None:
            settings = self._settings_factory()
            self._parts = (
                settings,
                CounterStore(self.client, settings.table_name, settings.site_id),
                DailySalt(self.client, settings.table_name),
            )
        return self._parts

    @property
    def settings(self) -> Settings:
        return self._ready()[0]

    @property
    def client(self) -> Any:
        """The container's DynamoDB client (created on first use)."""
        if self._client is None:
            self._client = self._client_factory()
        return self._client

    def read(self, path: str) -> Counts:
        _, store, _ = self._ready()
        return store.read(path)

    def record(self, visit: Visit, client_ip: str, user_agent: str) -> Outcome:
        settings, store, salt = self._ready()
        now = self.clock()
        if is_bot(user_agent):
            return Outcome(store.read(visit.path), counted=False, at=now)
        day = day_key(now)
        visitor = visitor_id(salt.for_day(day), settings.site_id, client_ip, user_agent)
        new_visitor = store.mark_visitor(day, visitor)
        counts = store.count_view(visit.path, new_visitor)
        return Outcome(counts, True, new_visitor, at=now, visitor=visitor)
