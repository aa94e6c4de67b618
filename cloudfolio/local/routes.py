"""Routes read from the API description (backend/openapi.json), the same file Terraform reads."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from cloudfolio import api_description


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    function: str

    @property
    def key(self) -> str:
        """API Gateway's route key, e.g. "POST /visits"."""
        return f"{self.method} {self.path}"

    @cached_property  # matched on every request
    def pattern(self) -> re.Pattern[str]:
        # OpenAPI templates like /demo/{id} become one path segment each, as in API Gateway.
        regex = re.sub(r"\\\{([A-Za-z_][A-Za-z0-9_]*)\\\}", r"(?P<\1>[^/]+)", re.escape(self.path))
        return re.compile(f"^{regex}$")


def load_routes(description: Path = api_description.API_DESCRIPTION) -> list[Route]:
    routes = [Route(*operation) for operation in api_description.operations(description)]
    if not routes:
        raise ValueError(f"{description} declares no routes")
    return routes


@dataclass(frozen=True)
class Match:
    route_key: str
    function: str
    path_parameters: dict[str, str]


def match(routes: list[Route], method: str, path: str) -> Match:
    """Pick the function like API Gateway: an explicit route, else the `$default` route.

    `$default` goes to the function that owns the path (so it can answer 405 with the methods it
    does serve), or to the first function for unknown paths (a JSON 404 instead of a bare one).
    """
    owner = None
    for route in routes:
        found = route.pattern.match(path)
        if not found:
            continue
        if route.method == method:
            return Match(route.key, route.function, found.groupdict())
        owner = owner or route.function
    return Match("$default", owner or routes[0].function, {})
