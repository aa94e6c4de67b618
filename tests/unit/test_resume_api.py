"""GET/HEAD /resume and GET /resume/stats, in process against moto."""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import requests
from botocore.exceptions import ClientError, EndpointConnectionError
from common import settings

from tests.unit.conftest import BROWSER_UA, SITE_ORIGIN, api_event, invoke, load_function, scan

BUCKET = "cloudfolio-test-resume"
KEY = "resume/resume.pdf"
PDF = b"%PDF-1.7\n% a resume\n%%EOF\n"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.fixture
def s3(counter_table: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv(settings.RESUME_BUCKET, BUCKET)
    monkeypatch.setenv(settings.RESUME_KEY, KEY)
    client = boto3.client("s3")
    client.create_bucket(Bucket=BUCKET)
    return client


@pytest.fixture
def published(s3: Any) -> Any:
    s3.put_object(
        Bucket=BUCKET,
        Key=KEY,
        Body=PDF,
        ContentType="application/pdf",
        Metadata={"download-name": "Alex-Morgan-Resume.pdf"},
    )
    return s3


@pytest.fixture
def resume(s3: Any) -> ModuleType:
    return load_function("resume")


def stats(module: ModuleType) -> dict[str, int]:
    reply = invoke(module, api_event("GET", "/resume/stats"))
    assert reply.status == 200
    return reply.body


def test_download_redirects_to_a_short_presigned_attachment_url_and_counts(
    published: Any, resume: ModuleType
) -> None:
    reply = invoke(resume, api_event("GET", "/resume"))
    assert reply.status == 302
    assert reply.headers["cache-control"] == "no-store"
    location = urlsplit(reply.headers["location"])
    query = parse_qs(location.query)
    assert location.path.endswith(f"/{KEY}") or location.path == f"/{BUCKET}/{KEY}"
    assert int(query["X-Amz-Expires"][0]) <= 300
    assert query["response-content-disposition"] == [
        'attachment; filename="Alex-Morgan-Resume.pdf"'
    ]
    assert query["response-content-type"] == ["application/pdf"]
    assert stats(resume) == {"downloads": 1, "visitors": 1}
    # moto in-process answers the presigned URL like S3 would.
    fetched = requests.get(reply.headers["location"], timeout=5)
    assert fetched.content == PDF
    assert fetched.headers["content-disposition"] == 'attachment; filename="Alex-Morgan-Resume.pdf"'


def test_the_same_reader_twice_is_two_downloads_by_one_visitor(
    published: Any, resume: ModuleType
) -> None:
    for _ in range(2):
        assert invoke(resume, api_event("GET", "/resume")).status == 302
    other = api_event("GET", "/resume", source_ip="203.0.113.9")
    assert invoke(resume, other).status == 302
    assert stats(resume) == {"downloads": 3, "visitors": 2}


@pytest.mark.parametrize("user_agent", [GOOGLEBOT, "curl/8.5.0", ""])
def test_robots_are_redirected_but_not_counted(
    published: Any, resume: ModuleType, counter_table: Any, user_agent: str
) -> None:
    reply = invoke(resume, api_event("GET", "/resume", user_agent=user_agent))
    assert reply.status == 302
    assert stats(resume) == {"downloads": 0, "visitors": 0}
    assert scan(counter_table) == []


def test_head_answers_like_get_without_counting(published: Any, resume: ModuleType) -> None:
    reply = invoke(resume, api_event("HEAD", "/resume"))
    assert reply.status == 302
    assert "response-content-disposition" in reply.headers["location"]
    assert stats(resume) == {"downloads": 0, "visitors": 0}


def test_missing_pdf_is_a_json_404_and_nothing_is_counted(
    s3: Any, resume: ModuleType, counter_table: Any
) -> None:
    reply = invoke(resume, api_event("GET", "/resume"))
    assert reply.status == 404
    assert reply.body == {
        "error": "resume_not_found",
        "message": "No resume PDF has been published yet.",
    }
    assert scan(counter_table) == []


@pytest.mark.parametrize(
    "failure",
    [
        ClientError({"Error": {"Code": "SlowDown", "Message": "slow"}}, "HeadObject"),
        ClientError({"Error": {"Code": "InternalError", "Message": "boom"}}, "HeadObject"),
        EndpointConnectionError(endpoint_url="https://s3.example"),
    ],
)
def test_storage_errors_are_a_json_503_and_nothing_is_counted(
    published: Any, resume: ModuleType, counter_table: Any, monkeypatch, failure: Exception
) -> None:
    storage = resume.storage()

    def fail(**_: Any) -> None:
        raise failure

    monkeypatch.setattr(storage._client, "head_object", fail)
    reply = invoke(resume, api_event("GET", "/resume"))
    assert reply.status == 503
    assert reply.body["error"] == "unavailable"
    assert "nothing was counted" in reply.body["message"]
    assert scan(counter_table) == []


def test_counter_errors_are_a_json_503(published: Any, resume: ModuleType, monkeypatch) -> None:
    resume.downloads._ready()
    _, client, _ = resume.downloads._parts

    def fail(**_: Any) -> None:
        raise ClientError({"Error": {"Code": "InternalServerError", "Message": "x"}}, "Update")

    monkeypatch.setattr(client, "update_item", fail)
    reply = invoke(resume, api_event("GET", "/resume"))
    assert reply.status == 503
    assert reply.body["error"] == "unavailable"


def test_filename_falls_back_when_metadata_is_missing_or_unsafe(
    s3: Any, resume: ModuleType
) -> None:
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=PDF, Metadata={"download-name": 'a"b.pdf'})
    location = invoke(resume, api_event("GET", "/resume")).headers["location"]
    assert parse_qs(urlsplit(location).query)["response-content-disposition"] == [
        'attachment; filename="Resume.pdf"'
    ]


def test_stats_answer_cors_for_the_site(published: Any, resume: ModuleType) -> None:
    reply = invoke(resume, api_event("GET", "/resume/stats", headers={"Origin": SITE_ORIGIN}))
    assert reply.status == 200
    assert reply.headers["access-control-allow-origin"] == SITE_ORIGIN
    assert reply.body == {"downloads": 0, "visitors": 0}


def test_no_raw_ip_or_user_agent_is_stored(
    published: Any, resume: ModuleType, counter_table: Any
) -> None:
    invoke(resume, api_event("GET", "/resume"))
    stored = json.dumps(scan(counter_table))
    assert "198.51.100.23" not in stored
    assert BROWSER_UA not in stored and "Chrome" not in stored


def test_every_route_declares_the_resume_throttle() -> None:
    from cloudfolio import api_description

    document = json.loads(api_description.API_DESCRIPTION.read_text())
    operations = [op for op in api_description.operations() if op.function == "resume"]
    assert len(operations) == 3
    for method, path, _ in operations:
        declared = document["paths"][path][method.lower()]["x-cloudfolio-throttle"]
        assert declared == {"rate_limit": 20.0, "burst_limit": 40}
