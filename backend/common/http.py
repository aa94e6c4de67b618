"""JSON error responses and the 404/405 split, shared by every function's resolver.

Every rejection has the body {"error": "<code>", "message": "<sentence>"}, so clients (and the
widget) handle errors one way whichever function answered.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger

    from common.app import Resolver


class ApiError(Exception):
    """A request the API refuses; raised from route code, answered as a JSON error."""

    def __init__(
        self,
        status: HTTPStatus,
        code: str,
        message: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def error_response(
    status: HTTPStatus, code: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        status_code=status.value,
        content_type=content_types.APPLICATION_JSON,
        # Errors depend on the request, so no cache may replay them for another one.
        # CORS headers are echoed per Origin, so caches must key on it.
        headers={"Cache-Control": "no-store", "Vary": "Origin", **(headers or {})},
        body={"error": code, "message": message},
    )


def register_error_handlers(app: Resolver, logger: Logger) -> None:
    """Answer ApiError, unknown routes (404), known routes with another method (405) and bugs."""

    @app.exception_handler(ApiError)
    def _api_error(error: ApiError) -> Response:
        logger.info("request rejected", extra={"error": error.code, "status": error.status.value})
        return error_response(error.status, error.code, error.message, error.headers)

    @app.not_found
    def _not_found(_: NotFoundError) -> Response:
        methods = app.methods_at(app.current_event.path)
        if methods:
            logger.info("request rejected", extra={"error": "method_not_allowed", "status": 405})
            return error_response(
                HTTPStatus.METHOD_NOT_ALLOWED,
                "method_not_allowed",
                f"This resource accepts {', '.join(methods)} only.",
                {"Allow": ", ".join(methods)},
            )
        logger.info("request rejected", extra={"error": "not_found", "status": 404})
        return error_response(HTTPStatus.NOT_FOUND, "not_found", "There is nothing at this URL.")

    @app.exception_handler(Exception)
    def _unexpected(error: Exception) -> Response:
        # The exception type and traceback only: request data never reaches the logs.
        logger.exception("unhandled error", extra={"error_type": type(error).__name__})
        return error_response(
            HTTPStatus.INTERNAL_SERVER_ERROR,
            "internal_error",
            "The server could not complete the request; try again later.",
        )
