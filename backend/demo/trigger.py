"""POST /demo: take the lock and start a deploy pipeline (idempotent per Idempotency-Key)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
)
from common.http import ApiError

from demo import contract
from demo.function import demo_function, json_reply

OPERATION_EXTRAS = contract.OPERATION_EXTRAS
logger, app, runtime, lambda_handler = demo_function("demo_trigger")


@app.post(
    "/demo",
    summary="Start a live demo",
    description="One demo at a time; quotas per visitor and per day.",
    responses=contract.START_RESPONSES,
)
def start_demo() -> Response[dict[str, Any]]:
    event = app.current_event
    http = event.request_context.http
    user_agent = http.user_agent or event.headers.get("user-agent") or ""
    key = event.headers.get("idempotency-key")
    try:
        body = runtime.start(http.source_ip or "", user_agent, key)
    except IdempotencyAlreadyInProgressError as error:
        raise ApiError(
            409, "request_in_progress", "A request with this Idempotency-Key is still running."
        ) from error
    logger.info("demo started", extra={"provider": body["provider"]})
    return json_reply(201, body, {"Location": "/demo"})
