"""What a demo function's container keeps between invocations, built on first use.

Importing a handler needs neither configuration nor AWS (the API description is generated from
the imported resolvers); everything here is created at the first request.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cached_property
from typing import Any

import botocore.session
from common.aws import CLIENT_CONFIG, dynamodb_client
from common.schema import PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE
from common.settings import Settings
from counter.days import day_key, expires_at, utc_now
from counter.visitors import DailySalt, visitor_id

from demo.config import DemoSettings
from demo.providers.base import PipelineProvider
from demo.schedules import schedule_expiry
from demo.service import DemoService
from demo.store import DemoStore

IDEMPOTENCY_WINDOW_S = 600


def load_provider(settings: DemoSettings) -> PipelineProvider:
    """The configured provider; it reads its tokens through Powertools Parameters when a call
    needs them (demo.providers.factory), never from the environment."""
    from demo.providers.factory import provider_from_env

    return provider_from_env()


class DemoRuntime:
    def __init__(
        self,
        settings: Callable[[], Settings] = Settings.from_env,
        demo_settings: Callable[[], DemoSettings] = DemoSettings.from_env,
        provider: Callable[[DemoSettings], PipelineProvider] = load_provider,
    ) -> None:
        self._settings_factory = settings
        self._demo_settings_factory = demo_settings
        self._provider_factory = provider

    @cached_property
    def settings(self) -> Settings:
        return self._settings_factory()

    @cached_property
    def demo_settings(self) -> DemoSettings:
        return self._demo_settings_factory()

    @cached_property
    def turnstile(self) -> Any:
        """The human check, or None when it is off (the default)."""
        from demo.turnstile import turnstile_from_env

        return turnstile_from_env()

    @cached_property
    def client(self) -> Any:
        return dynamodb_client()

    @cached_property
    def salt(self) -> DailySalt:
        # The counter's salt, in the table no backup keeps.
        return DailySalt(self.client, self.settings.ephemeral_table_name or "")

    @cached_property
    def service(self) -> DemoService:
        demo = self.demo_settings
        return DemoService(
            demo,
            DemoStore(self.client, self.settings.table_name),
            lambda: self._provider_factory(demo),
            scheduler=self._schedule if demo.schedule_group else None,
            dead_letter=self._send_dead_letter if demo.dlq_url else None,
        )

    def _schedule(self, deployment_id: str, deadline: int) -> None:
        client = botocore.session.get_session().create_client("scheduler", config=CLIENT_CONFIG)
        schedule_expiry(client, self.demo_settings, deployment_id, deadline)

    def _send_dead_letter(self, message: dict[str, Any]) -> None:
        client = botocore.session.get_session().create_client("sqs", config=CLIENT_CONFIG)
        client.send_message(QueueUrl=self.demo_settings.dlq_url, MessageBody=json.dumps(message))

    def visitor(self, client_ip: str, user_agent: str) -> tuple[str, str, int]:
        """(daily visitor id, day, when that day's counters expire), as the counter derives them."""
        day = day_key(utc_now())
        visitor = visitor_id(self.salt.for_day(day), self.settings.site_id, client_ip, user_agent)
        return visitor, day, expires_at(day)

    @cached_property
    def _idempotent_start(self) -> Callable[..., dict[str, Any]]:
        from aws_lambda_powertools.utilities.idempotency import (
            DynamoDBPersistenceLayer,
            IdempotencyConfig,
            idempotent_function,
        )

        # The single table: Powertools' records get our key names and the table's TTL attribute.
        layer = DynamoDBPersistenceLayer(
            table_name=self.settings.table_name,
            key_attr=PARTITION_KEY,
            sort_key_attr=SORT_KEY,
            expiry_attr=TTL_ATTRIBUTE,
            boto_config=CLIENT_CONFIG,
        )
        self._idempotency_config = config = IdempotencyConfig(
            expires_after_seconds=IDEMPOTENCY_WINDOW_S
        )

        @idempotent_function(
            data_keyword_argument="request", persistence_store=layer, config=config
        )
        def start(request: dict[str, Any]) -> dict[str, Any]:
            return self.service.start(request["visitor"], request["day"], request["expires"])

        return start

    def start(
        self, client_ip: str, user_agent: str, idempotency_key: str | None, context: Any = None
    ) -> dict[str, Any]:
        visitor, day, expires = self.visitor(client_ip, user_agent)
        if not idempotency_key:
            return self.service.start(visitor, day, expires)
        start = self._idempotent_start
        if context is not None:
            # A request that dies mid-way blocks its key only until its invocation would end.
            self._idempotency_config.register_lambda_context(context)
        # The key is scoped to the visitor: nobody can replay another visitor's request.
        request = {"key": idempotency_key, "visitor": visitor, "day": day, "expires": expires}
        return start(request=request)
