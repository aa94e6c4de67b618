"""GET/HEAD /resume and /resume/stats on the local stack, the PDF fetched through the redirect."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import requests

from cloudfolio.local.stack import StackInfo

pytestmark = pytest.mark.integration

GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
ATTACHMENT = 'attachment; filename="Alex-Morgan-Resume.pdf"'


@pytest.fixture(scope="module")
def s3(local_stack: StackInfo):
    return boto3.client(
        "s3",
        endpoint_url=local_stack.aws_endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def stats(api) -> dict[str, int]:
    reply = api.request("GET", "/resume/stats")
    assert reply.status == 200, reply.body
    return reply.json()


def test_the_stack_published_the_pdf_privately(local_stack: StackInfo, s3) -> None:
    assert local_stack.resume_bucket and local_stack.resume_key
    head = s3.head_object(Bucket=local_stack.resume_bucket, Key=local_stack.resume_key)
    assert head["ContentType"] == "application/pdf"
    site = requests.get(f"{local_stack.site_url}/resume.pdf", timeout=10)
    assert site.status_code == 404  # CLOUDFOLIO_RESUME_PUBLIC_PDF is off by default


def test_download_redirects_to_the_pdf_as_an_attachment_and_counts_once(
    api, unique_agent: str, local_stack: StackInfo, s3
) -> None:
    before = stats(api)
    reply = api.request("GET", "/resume", headers={"User-Agent": unique_agent})
    assert reply.status == 302, reply.body
    location = reply.headers["location"]
    assert int(parse_qs(urlsplit(location).query)["X-Amz-Expires"][0]) <= 300
    pdf = requests.get(location, timeout=10)
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF-")
    assert pdf.headers["content-disposition"] == ATTACHMENT
    assert pdf.headers["content-type"] == "application/pdf"
    stored = s3.get_object(Bucket=local_stack.resume_bucket, Key=local_stack.resume_key)
    assert pdf.content == stored["Body"].read()
    after = stats(api)
    assert after == {"downloads": before["downloads"] + 1, "visitors": before["visitors"] + 1}


def test_a_robot_is_redirected_but_not_counted(api) -> None:
    before = stats(api)
    reply = api.request("GET", "/resume", headers={"User-Agent": GOOGLEBOT})
    assert reply.status == 302
    assert stats(api) == before


def test_head_answers_the_redirect_without_counting(api, unique_agent: str) -> None:
    before = stats(api)
    reply = api.request("HEAD", "/resume", headers={"User-Agent": unique_agent})
    assert reply.status == 302
    assert reply.body == b""
    assert "response-content-disposition" in reply.headers["location"]
    assert stats(api) == before


@pytest.fixture
def unpublished(local_stack: StackInfo, s3) -> Iterator[None]:
    bucket, key = local_stack.resume_bucket, local_stack.resume_key
    saved = s3.get_object(Bucket=bucket, Key=key)
    body = saved["Body"].read()
    s3.delete_object(Bucket=bucket, Key=key)
    yield
    s3.put_object(
        Bucket=bucket,
        Key=key,
        Body=body,
        ContentType=saved["ContentType"],
        Metadata=saved["Metadata"],
    )


def test_a_missing_pdf_is_a_json_404_and_not_counted(api, unique_agent, unpublished) -> None:
    before = stats(api)
    reply = api.request("GET", "/resume", headers={"User-Agent": unique_agent})
    assert reply.status == 404
    assert reply.headers["content-type"].startswith("application/json")
    assert reply.json() == {
        "error": "resume_not_found",
        "message": "No resume PDF has been published yet.",
    }
    assert stats(api) == before
