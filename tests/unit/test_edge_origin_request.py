"""The origin handler (Lambda@Edge) against sample origin events, with the bucket in moto."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from cloudfolio.publish.edge import origin_request, release_mapping, resolve
from cloudfolio.publish.releases import Releases
from cloudfolio.publish.store import S3Pointer, SiteStore

BUCKET = "cloudfolio-site-edge"
SITE = {
    "index.html": b"<h1>home</h1>",
    "posts/hello/index.html": b"<article>hello</article>",
    "theme/css/style.css": b"body{}",
    "404.html": b"<p>lost</p>",
}


@pytest.fixture
def published(monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setattr(origin_request, "_readers", {})
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        for relative, data in SITE.items():
            (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / relative).write_bytes(data)
        release = Releases(SiteStore(s3, BUCKET), S3Pointer(s3, BUCKET)).publish(tmp_path).release
        yield s3, release


def origin_event(event_type: str, uri: str, response: dict | None = None, headers=None) -> dict:
    request = {
        "clientIp": "203.0.113.178",
        "method": "GET",
        "uri": uri,
        "querystring": "",
        "headers": headers or {"host": [{"key": "Host", "value": f"{BUCKET}.s3.amazonaws.com"}]},
        "origin": {
            "s3": {
                "authMethod": "origin-access-identity",
                "customHeaders": {},
                "domainName": f"{BUCKET}.s3.us-east-1.amazonaws.com",
                "path": "",
                "region": "us-east-1",
            }
        },
    }
    cf = {"config": {"distributionId": "EXAMPLE", "eventType": event_type}, "request": request}
    if response is not None:
        cf["response"] = response
    return {"Records": [{"cf": cf}]}


def header(message: dict, name: str) -> str:
    return message["headers"][name][0]["value"]


def round_trip(s3, uri: str) -> tuple[dict, dict]:
    """Both halves as CloudFront runs them: rewrite, fetch from the bucket, fix the headers."""
    forwarded = origin_request.lambda_handler(origin_event("origin-request", uri), None)
    if "status" in forwarded:
        return forwarded, forwarded
    stored = s3.get_object(Bucket=BUCKET, Key=forwarded["uri"].lstrip("/"))
    response = {
        "status": "200",
        "statusDescription": "OK",
        "headers": {"content-type": [{"key": "Content-Type", "value": "binary/octet-stream"}]},
    }
    event = origin_event("origin-response", forwarded["uri"], response, forwarded["headers"])
    answered = origin_request.lambda_handler(event, None)
    answered["body"] = stored["Body"].read()
    return forwarded, answered


def test_a_pretty_url_maps_to_the_content_addressed_object(published):
    s3, release = published
    forwarded, answered = round_trip(s3, f"/_r/{release}/posts/hello/")
    assert forwarded["uri"].startswith("/objects/")
    assert answered["body"] == SITE["posts/hello/index.html"]
    assert answered["status"] == "200"
    assert header(answered, "content-type") == "text/html; charset=utf-8"
    assert "must-revalidate" in header(answered, "cache-control")


def test_the_release_in_the_uri_is_served_even_when_another_is_live(published, tmp_path):
    s3, first = published
    (tmp_path / "index.html").write_bytes(b"<h1>new home</h1>")
    second = Releases(SiteStore(s3, BUCKET), S3Pointer(s3, BUCKET)).publish(tmp_path).release
    assert round_trip(s3, f"/_r/{first}/")[1]["body"] == SITE["index.html"]
    assert round_trip(s3, f"/_r/{second}/")[1]["body"] == b"<h1>new home</h1>"


def test_a_missing_page_serves_the_404_page_with_status_404(published):
    s3, release = published
    _, answered = round_trip(s3, f"/_r/{release}/no/such/page/")
    assert answered["status"] == "404"
    assert answered["body"] == SITE["404.html"]
    assert header(answered, "content-type") == "text/html; charset=utf-8"


def test_a_directory_without_its_slash_redirects(published):
    _, release = published
    answered = origin_request.lambda_handler(
        origin_event("origin-request", f"/_r/{release}/posts/hello"), None
    )
    assert answered["status"] == "301"
    assert header(answered, "location") == "/posts/hello/"


def test_an_unknown_release_is_a_404_without_touching_the_origin(published):
    answered = origin_request.lambda_handler(
        origin_event("origin-request", "/_r/20000101T000000.000Z-00000000/"), None
    )
    assert answered["status"] == "404"


def test_a_uri_without_release_falls_back_to_the_live_pointer(published):
    s3, _ = published
    assert round_trip(s3, "/theme/css/style.css")[1]["body"] == SITE["theme/css/style.css"]


def test_manifests_are_read_once_per_container(published):
    s3, release = published
    calls = []
    readers = origin_request._readers  # filled lazily by the first request
    round_trip(s3, f"/_r/{release}/")
    reader = readers[BUCKET]
    reader.s3.meta.events.register("before-call.s3.GetObject", lambda **kw: calls.append(1))
    for _ in range(3):
        origin_request.lambda_handler(origin_event("origin-request", f"/_r/{release}/"), None)
    assert calls == []


@pytest.mark.parametrize("uri", ["/../releases/LIVE", "/%2e%2e/releases/LIVE", "/a/../../x"])
def test_paths_cannot_leave_the_site(uri):
    manifest = {
        "files": {
            "index.html": {
                "hash": "a" * 64,
                "size": 1,
                "content_type": "text/html",
                "cache_control": "x",
            }
        }
    }
    resolution = resolve(manifest, uri)
    assert resolution.status == 404
    assert resolution.key is None


def test_split_release_uri():
    release = "20260101T120000.000Z-0a1b2c3d"
    assert release_mapping.split_release_uri(f"/_r/{release}/a/b") == (release, "/a/b")
    assert release_mapping.split_release_uri("/_r/bogus/a") == (None, "/_r/bogus/a")
