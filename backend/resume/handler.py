"""The resume download function: GET/HEAD /resume counts and redirects, GET /resume/stats reads.

The PDF never passes through Lambda: the answer is a 302 to a presigned S3 URL, so there are no
binary media types, no base64 and no payload cap. Lookups happen before counting, so a request
that fails (no PDF, S3 or DynamoDB trouble) is not counted.
"""

from __future__ import annotations

import os
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import BotoCoreError, ClientError
from common.app import api_resolver
from common.origin import client_address
from common.settings import RESUME_BUCKET, RESUME_KEY
from common.tracing import make_tracer

from resume import contract
from resume.downloads import DownloadCounter
from resume.storage import ResumeStorage, s3_client, unavailable

SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME") or "resume"
METRICS_NAMESPACE = os.environ.get("POWERTOOLS_METRICS_NAMESPACE") or "cloudfolio"
OPERATION_EXTRAS = contract.OPERATION_EXTRAS

logger = Logger(service=SERVICE)
tracer = make_tracer(SERVICE)
app = api_resolver(logger)
downloads = DownloadCounter()
_storage: ResumeStorage | None = None


def storage() -> ResumeStorage:
    global _storage
    if _storage is None:
        _storage = ResumeStorage(s3_client(), os.environ[RESUME_BUCKET], os.environ[RESUME_KEY])
    return _storage


def _count_metric(name: str) -> None:
    with single_metric(
        name=name, unit=MetricUnit.Count, value=1, namespace=METRICS_NAMESPACE
    ) as metric:
        metric.add_dimension(name="service", value=SERVICE)


@app.route(
    "/resume",
    method=["GET", "HEAD"],
    summary="Count a resume download and redirect to the PDF",
    description=(
        "GET counts the download (robots are not counted); HEAD answers the same without "
        "counting, since it downloads nothing."
    ),
    responses=contract.DOWNLOAD_RESPONSES,
    # No cache_control here: Powertools would turn it into "no-cache" on a 302.
)
@tracer.capture_method(capture_response=False)
def download():  # no return annotation: Powertools would document Response as a schema
    found = storage().find()
    url = storage().download_url(found)
    event = app.current_event
    if event.request_context.http.method == "GET":
        http = event.request_context.http
        user_agent = http.user_agent or event.headers.get("user-agent") or ""
        try:
            counted = downloads.count(client_ip=client_address(event), user_agent=user_agent)
        except (ClientError, BotoCoreError):
            raise unavailable("download counter") from None
        _count_metric("ResumeDownloadCounted" if counted else "RobotDownloadIgnored")
    return Response(
        status_code=HTTPStatus.FOUND.value,
        headers={"Location": url, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
        body="",
    )


@app.get(
    "/resume/stats",
    summary="Read the download numbers",
    responses=contract.STATS_RESPONSES,
    cache_control="no-store",
)
@tracer.capture_method(capture_response=False)
def stats() -> dict[str, int]:
    try:
        return downloads.read().as_json()
    except (ClientError, BotoCoreError):
        raise unavailable("download counter") from None


@logger.inject_lambda_context(
    log_event=False, correlation_id_path=correlation_paths.API_GATEWAY_HTTP
)
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
