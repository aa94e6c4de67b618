"""What every demo function shares: its logger, resolver, container runtime and entry point."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.logging import correlation_paths
from common.app import api_resolver
from common.http import error_response
from common.tracing import make_tracer

from demo.runtime import DemoRuntime
from demo.service import ActiveDemo

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


def json_reply(
    status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> Response:
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        headers={"Cache-Control": "no-store", **(headers or {})},
        body=body,
    )


def demo_function(
    default_service: str,
) -> tuple[Logger, APIGatewayHttpResolver, DemoRuntime, Handler]:
    service = os.environ.get("POWERTOOLS_SERVICE_NAME") or default_service
    logger = Logger(service=service)
    tracer = make_tracer(service)
    app = api_resolver(logger)
    runtime = DemoRuntime()

    @app.exception_handler(ActiveDemo)
    def _active(error: ActiveDemo) -> Response:
        logger.info("request rejected", extra={"error": error.code, "status": 409})
        response = error_response(error.status, error.code, error.message)
        response.body = {"error": error.code, "message": error.message, "current": error.current}
        return response

    # log_event=False: the event holds the client IP and User-Agent.
    @logger.inject_lambda_context(
        log_event=False, correlation_id_path=correlation_paths.API_GATEWAY_HTTP
    )
    @tracer.capture_lambda_handler(capture_response=False)
    def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return app.resolve(event, context)

    return logger, app, runtime, lambda_handler
