"""Requests must come through the site's CloudFront, and the client address is the one it saw.

CloudFront adds a secret origin header to every /api/* request; the secret lives in Secrets
Manager (its id in ORIGIN_SECRET_ID) and is read through Powertools Parameters, cached, so a
warm function does not call Secrets Manager per request. A request without the secret skipped
CloudFront (the execute-api URL, say) and is refused.

Behind CloudFront, API Gateway's sourceIp is an edge address. The reader's address is
CloudFront-Viewer-Address, which CloudFront sets itself (overwriting any client value), so it is
trusted only on requests that carried the secret. X-Forwarded-For is client-controlled and never
read. Without a configured secret (an API with no CloudFront in front) the connection's address
is the only one there is.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from functools import cache
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from common.http import ApiError
from common.settings import ORIGIN_SECRET_ID

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
    from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2

HEADER = "X-Origin-Verify"
VIEWER_ADDRESS = "CloudFront-Viewer-Address"
# A rotated secret reaches warm functions within this many seconds.
SECRET_MAX_AGE = 300


def _secrets_client() -> Any:
    from common.aws import secrets_client

    return secrets_client()


@cache
def _provider() -> Any:
    # Imported on first use: functions without a configured secret never load Parameters.
    from aws_lambda_powertools.utilities.parameters import SecretsProvider

    return SecretsProvider(boto3_client=_secrets_client())


def forget_cached_secret() -> None:
    """Drop the cached secret and client (a new container's view)."""
    _provider.cache_clear()


def configured_secret_id() -> str:
    return os.environ.get(ORIGIN_SECRET_ID, "").strip()


def _expected_secret(secret_id: str) -> str:
    return str(_provider().get(secret_id, max_age=SECRET_MAX_AGE))


def require_origin_secret(app: APIGatewayHttpResolver, next_middleware: Any) -> Response:
    """Middleware: refuse requests that did not come through CloudFront (when it is in front)."""
    secret_id = configured_secret_id()
    if secret_id:
        sent = app.current_event.headers.get(HEADER.lower()) or ""
        if not hmac.compare_digest(sent.encode(), _expected_secret(secret_id).encode()):
            raise ApiError(
                HTTPStatus.FORBIDDEN, "forbidden", "Requests must come through the site's domain."
            )
    return next_middleware(app)


def _address_of(viewer: str) -> str | None:
    """The IP of CloudFront-Viewer-Address ("ip:port", IPv6 with or without brackets)."""
    host = viewer.strip().rsplit(":", 1)[0].strip("[]")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


def client_address(event: APIGatewayProxyEventV2) -> str:
    """The reader's IP: CloudFront's view when the origin secret vouches for the request."""
    if configured_secret_id():
        viewer = _address_of(event.headers.get(VIEWER_ADDRESS.lower()) or "")
        if viewer:
            return viewer
    return event.request_context.http.source_ip or ""
