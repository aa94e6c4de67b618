"""POST /demo: take the lock and start a deploy pipeline (idempotent per Idempotency-Key)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
)
from common.http import ApiError
from common.origin import client_address

from demo import contract
from demo.function import demo_function, json_reply

OPERATION_EXTRAS = contract.OPERATION_EXTRAS
logger, app, runtime, lambda_handler = demo_function("demo_trigger")


def check_human(token: str | None, idempotency_key: str | None) -> None:
    """With Turnstile on, a start needs a token Cloudflare confirms (each token works once; a
    retry with the same Idempotency-Key may redeem it again). Checked before anything is stored."""
    if runtime.turnstile is None:
        return
    from demo.turnstile import TurnstileError

    try:
        runtime.turnstile.verify(token, idempotency_key=idempotency_key)
    except TurnstileError as failure:
        status = HTTPStatus.SERVICE_UNAVAILABLE if failure.retryable else HTTPStatus.FORBIDDEN
        raise ApiError(status, failure.code, failure.message) from failure


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
    check_human(event.headers.get(contract.TURNSTILE_HEADER.lower()), key)
    try:
        body = runtime.start(client_address(event), user_agent, key, app.lambda_context)
    except IdempotencyAlreadyInProgressError as error:
        raise ApiError(
            HTTPStatus.CONFLICT,
            "request_in_progress",
            "A request with this Idempotency-Key is still running.",
        ) from error
    logger.info("demo started", extra={"provider": body["provider"]})
    return json_reply(201, body, {"Location": "/demo"})
