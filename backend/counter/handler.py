"""The counter function: POST /visits counts a page view, GET /visits reads, GET /health."""

from __future__ import annotations

import os
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.utilities.typing import LambdaContext
from common.app import api_resolver
from common.origin import client_address
from common.tracing import make_tracer

from counter import contract
from counter.counting import VisitCounter
from counter.events import VisitEvents, hosts_of, visit_detail
from counter.request import parse_visit, validate_path

SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME") or "counter"
METRICS_NAMESPACE = os.environ.get("POWERTOOLS_METRICS_NAMESPACE") or "cloudfolio"
# Operation extras (request bodies, query parameters) for the API description.
OPERATION_EXTRAS = contract.OPERATION_EXTRAS

logger = Logger(service=SERVICE)
# Off outside Lambda (and wherever POWERTOOLS_TRACE_DISABLED is set); never records payloads.
tracer = make_tracer(SERVICE)
app = api_resolver(logger)
counter = VisitCounter()
visit_events = VisitEvents(
    bus_name=lambda: counter.settings.event_bus_name,
    on_failure=lambda: _count_metric("VisitEventFailed"),
    logger=logger,
)


def _count_metric(name: str) -> None:
    # single_metric flushes on its own: no metric set is shared between concurrent invocations.
    with single_metric(
        name=name, unit=MetricUnit.Count, value=1, namespace=METRICS_NAMESPACE
    ) as metric:
        metric.add_dimension(name="service", value=SERVICE)


@app.get(
    "/health",
    summary="Liveness check",
    responses=contract.HEALTH_RESPONSES,
    cache_control="no-store",
)
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.post(
    "/visits",
    summary="Count one page view and return the numbers",
    description=(
        "Only pages of the live release count. Robots, and a visitor's views of a page beyond "
        "the daily limit, get the current numbers and are not counted."
    ),
    responses=contract.COUNTS_RESPONSES,
    cache_control="no-store",
)
@tracer.capture_method(capture_response=False)
def record_visit() -> dict[str, int]:
    event = app.current_event
    visit = parse_visit(event.body, event.is_base64_encoded)
    http = event.request_context.http
    user_agent = http.user_agent or event.headers.get("user-agent") or ""
    client_ip = client_address(event)
    outcome = counter.record(visit, client_ip=client_ip, user_agent=user_agent)
    visit_events.emit(
        lambda: visit_detail(
            visit, outcome.at or counter.clock(), outcome.visitor, not outcome.counted,
            user_agent, client_ip, event.headers, hosts_of(counter.settings.cors_allowed_origins),
        )
    )  # fmt: skip
    if outcome.counted:
        _count_metric("VisitCounted")
    else:
        _count_metric("ViewOverDailyLimit" if outcome.over_limit else "RobotVisitIgnored")
    if outcome.new_visitor:
        _count_metric("NewVisitor")
    logger.debug(
        "visit handled", extra={"counted": outcome.counted, "new_visitor": outcome.new_visitor}
    )
    return outcome.counts.as_json()


@app.get(
    "/visits",
    summary="Read the numbers without counting",
    responses={code: r for code, r in contract.COUNTS_RESPONSES.items() if code != 413},
    cache_control="no-store",
)
@tracer.capture_method(capture_response=False)
def read_visits() -> dict[str, int]:
    path = validate_path(app.current_event.get_query_string_value("path"))
    return counter.read(path).as_json()


# log_event=False explicitly so POWERTOOLS_LOGGER_LOG_EVENT cannot turn event logging on: the
# event holds the client IP and User-Agent.
@logger.inject_lambda_context(
    log_event=False, correlation_id_path=correlation_paths.API_GATEWAY_HTTP
)
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
