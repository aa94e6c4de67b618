"""The analytics event of each visit the counter handles, sent to the EventBridge bus.

The event holds derived fields only (see enrichment.py). Sending it is on the request path, so
the client gets short timeouts and no retries, and a failure is logged and counted, never raised:
counting matters more than analytics.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from counter import enrichment
from counter.request import Visit

SOURCE = "cloudfolio.counter"
DETAIL_TYPE = "visit"
# The lake's columns, in order; infra/modules/analytics declares the same names for Glue (a test
# compares them).
FIELDS = (
    "ts",
    "day",
    "path",
    "visitor",
    "bot",
    "browser",
    "os",
    "device",
    "referrer",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "country",
)
# Enough for one PutEvents on a warm connection; a slow bus must not hold the reader's counter.
EMIT_TIMEOUT_SECONDS = 1


def visit_detail(
    visit: Visit,
    at: datetime,
    visitor: str | None,
    bot: bool,
    user_agent: str,
    client_ip: str,
    headers: Mapping[str, str],
    own_hosts: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The event detail: one lake row. Raw IP and User-Agent go in, only derived values come out."""
    client = enrichment.describe_client(user_agent)
    referrer = enrichment.referrer_domain(visit.referrer)
    if referrer in own_hosts:
        referrer = None  # moving between the site's own pages is not a referral
    moment = at.astimezone(UTC)
    detail = {
        "ts": int(moment.timestamp() * 1000),
        "day": moment.date().isoformat(),
        "path": visit.path,
        "visitor": visitor,
        "bot": bot,
        "browser": client.browser,
        "os": client.os,
        "device": client.device,
        "referrer": referrer,
        "utm_source": visit.utm_source,
        "utm_medium": visit.utm_medium,
        "utm_campaign": visit.utm_campaign,
        "country": enrichment.country(dict(headers), client_ip),
    }
    assert tuple(detail) == FIELDS
    return detail


def hosts_of(origins: tuple[str, ...]) -> tuple[str, ...]:
    """The site's own host names, from its CORS origins, as referrer_domain spells them."""
    return tuple(
        (urlsplit(origin).hostname or "").lower().removeprefix("www.") for origin in origins
    )


def _events_client() -> Any:
    import botocore.session
    from botocore.config import Config

    config = Config(
        connect_timeout=EMIT_TIMEOUT_SECONDS,
        read_timeout=EMIT_TIMEOUT_SECONDS,
        retries={"mode": "standard", "total_max_attempts": 1},
    )
    return botocore.session.get_session().create_client("events", config=config)


class VisitEvents:
    """Sends one event per handled visit; never raises."""

    def __init__(
        self,
        bus_name: Callable[[], str | None],
        on_failure: Callable[[], None],
        logger: logging.Logger | Any,
        client_factory: Callable[[], Any] = _events_client,
    ) -> None:
        self._bus_name = bus_name
        self._on_failure = on_failure
        self._logger = logger
        self._client_factory = client_factory
        self._client: Any = None

    def emit(self, detail: Callable[[], dict[str, Any]]) -> bool:
        """Build and send the detail; True when the bus accepted it."""
        try:
            bus = self._bus_name()
            if not bus:
                return False
            if self._client is None:
                self._client = self._client_factory()
            result = self._client.put_events(
                Entries=[
                    {
                        "Source": SOURCE,
                        "DetailType": DETAIL_TYPE,
                        "Detail": json.dumps(detail(), separators=(",", ":")),
                        "EventBusName": bus,
                    }
                ]
            )
            if result.get("FailedEntryCount"):
                code = result["Entries"][0].get("ErrorCode", "unknown")
                raise RuntimeError(f"the bus refused the event ({code})")
            return True
        except Exception as error:  # analytics must never break counting
            # The message names the error type only: exceptions may quote the request.
            self._logger.warning("visit event not sent", extra={"error": type(error).__name__})
            self._on_failure()
            return False
