"""GET /demo, /demo/pipeline, /demo/logs, /demo/history: read-only views of the demo."""

from __future__ import annotations

from typing import Any

from demo import contract
from demo.function import demo_function

OPERATION_EXTRAS = contract.OPERATION_EXTRAS
logger, app, runtime, lambda_handler = demo_function("demo_status")


@app.get(
    "/demo",
    summary="The live demo's state",
    responses=contract.STATUS_RESPONSES,
    cache_control="no-store",
)
def demo_status() -> dict[str, Any]:
    return runtime.service.status()


@app.get(
    "/demo/pipeline",
    summary="The current pipeline: stages, jobs, statuses",
    responses=contract.PIPELINE_RESPONSES,
    cache_control="no-store",
)
def demo_pipeline() -> dict[str, Any]:
    return runtime.service.pipeline()


@app.get(
    "/demo/logs",
    summary="The current pipeline's job logs, masked",
    responses=contract.LOGS_RESPONSES,
    cache_control="no-store",
)
def demo_logs() -> dict[str, Any]:
    return runtime.service.logs()


@app.get(
    "/demo/history",
    summary="Finished demo runs",
    responses=contract.HISTORY_RESPONSES,
    cache_control="no-store",
)
def demo_history() -> dict[str, Any]:
    return runtime.service.history()
