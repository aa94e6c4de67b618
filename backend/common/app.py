"""The one way every function builds its resolver, so each route gets the same rules.

CORS from settings, `Vary: Origin`, JSON errors (404/405/500) and the origin secret check
(requests must come through the site's CloudFront) apply to every route, declared here once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from common.cors import cors_config, vary_on_origin
from common.http import register_error_handlers
from common.origin import require_origin_secret
from common.settings import allowed_origins_from_env

_PATH_PARAMETER = re.compile(r"<\w+>")


class Resolver(APIGatewayHttpResolver):
    """A resolver that remembers what it serves, through the public `route` declaration.

    The 405 answer needs the methods a path accepts; reading them back from Powertools would
    mean its private route lists.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.declared_routes: list[tuple[str, str]] = []

    def route(
        self, rule: str, method: str | list[str] | tuple[str, ...], *args: Any, **kwargs: Any
    ) -> Callable:
        methods = [method] if isinstance(method, str) else list(method)
        self.declared_routes += [(m.upper(), rule) for m in methods]
        return super().route(rule, method, *args, **kwargs)

    def methods_at(self, path: str) -> list[str]:
        """The methods served at a concrete path, sorted (for `Allow`)."""
        return sorted({m for m, rule in self.declared_routes if _rule_pattern(rule).match(path)})


def _rule_pattern(rule: str) -> re.Pattern[str]:
    """A Powertools rule such as /demo/<id> as a regex: a parameter is one path segment."""
    segments = rule.split("/")
    return re.compile(
        "^"
        + "/".join("[^/]+" if _PATH_PARAMETER.fullmatch(s) else re.escape(s) for s in segments)
        + "$"
    )


def api_resolver(logger: Logger) -> Resolver:
    # debug=False explicitly: Powertools' debug mode would print whole events, client IP included.
    app = Resolver(cors=cors_config(allowed_origins_from_env()), debug=False)
    # The origin check runs first, so a request that skipped CloudFront reaches no route code.
    app.use(middlewares=[require_origin_secret, vary_on_origin])
    register_error_handlers(app, logger)
    return app
