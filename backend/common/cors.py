"""CORS for the browser-facing APIs: only the configured site origins get CORS headers."""

from __future__ import annotations

from collections.abc import Sequence

from aws_lambda_powertools.event_handler import CORSConfig

# Preflight answers may be cached by browsers for this long (seconds).
PREFLIGHT_MAX_AGE = 600
# Request headers beyond Powertools' defaults that operations declare (POST /demo's key and
# human-check token); infra/modules/api allows the same list.
REQUEST_HEADERS = ["Content-Type", "Idempotency-Key", "CF-Turnstile-Response"]


def cors_config(allowed_origins: Sequence[str]) -> CORSConfig | None:
    """A whitelist CORSConfig; None (no CORS headers at all) when no origin is configured.

    Powertools echoes a listed Origin and adds nothing for any other one, so a disallowed
    origin never receives Access-Control-Allow-Origin. "*" is refused here: the API is meant
    for the author's own site only.
    """
    origins = [origin for origin in allowed_origins if origin != "*"]
    if not origins:
        return None
    return CORSConfig(
        allow_origin=origins[0],
        extra_origins=origins[1:],
        allow_headers=REQUEST_HEADERS,
        max_age=PREFLIGHT_MAX_AGE,
    )


def vary_on_origin(app, next_middleware):
    """Responses differ by Origin (the header is echoed or absent), so caches must key on it."""
    response = next_middleware(app)
    response.headers["Vary"] = "Origin"
    return response
