"""Per-route throttles, declared beside each route as an OpenAPI extension.

API Gateway (through Terraform) and the local gateway both read them from the API description,
so a route's limit is written once, in its handler module's OPERATION_EXTRAS.
"""

from __future__ import annotations

from typing import Any

EXTENSION = "x-cloudfolio-throttle"


def throttle(rate_limit: float, burst_limit: int) -> dict[str, Any]:
    """The operation extra for a steady `rate_limit` (requests per second) and a `burst_limit`."""
    if rate_limit <= 0 or burst_limit < 1:
        raise ValueError("a throttle needs a positive rate and a burst of at least 1")
    return {EXTENSION: {"rate_limit": float(rate_limit), "burst_limit": int(burst_limit)}}
