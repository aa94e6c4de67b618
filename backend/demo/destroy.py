"""DELETE /demo: start destroying the active demo."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response

from demo import contract
from demo.function import demo_function, json_reply

OPERATION_EXTRAS = contract.OPERATION_EXTRAS
logger, app, runtime, lambda_handler = demo_function("demo_destroy")


@app.delete(
    "/demo",
    summary="Destroy the live demo",
    responses=contract.DESTROY_RESPONSES,
)
def destroy_demo() -> Response[dict[str, Any]]:
    body = runtime.service.destroy()
    logger.info("demo destroy started")
    return json_reply(202, body)
