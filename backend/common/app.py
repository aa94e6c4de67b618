"""The one way every function builds its resolver, so each route gets the same rules.

CORS from settings, `Vary: Origin`, JSON errors (404/405/500) and, as the shared request rules
grow, every check that applies to all routes is added here once.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from common.cors import cors_config, vary_on_origin
from common.http import register_error_handlers
from common.settings import allowed_origins_from_env


def api_resolver(logger: Logger) -> APIGatewayHttpResolver:
    # debug=False explicitly: Powertools' debug mode would print whole events, client IP included.
    app = APIGatewayHttpResolver(cors=cors_config(allowed_origins_from_env()), debug=False)
    app.use(middlewares=[vary_on_origin])
    register_error_handlers(app, logger)
    return app
