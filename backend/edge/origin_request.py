"""Lambda@Edge (Python) for the site origin: serve release + path from content-addressed objects.

One handler is associated with both origin events:
- origin-request: `/_r/<release>/posts/x/` becomes `/objects/<sha256>` through the release's
  manifest; redirects and missing manifests are answered here without touching the origin.
- origin-response: the status and headers come from the manifest, not from the stored object,
  because one object can back several paths and header rules can change without new bytes.

Lambda@Edge has no environment variables, so the bucket comes from the S3 origin's domain name.
Manifests are cached in memory by the ReleaseReader for the life of the container.
"""

from __future__ import annotations

from typing import Any

from edge.release_mapping import ReleaseReader, Resolution, split_release_uri

RELEASE_HEADER = "x-cloudfolio-release"
PATH_HEADER = "x-cloudfolio-path"
_readers: dict[str, ReleaseReader] = {}


def _bucket_and_region(origin: dict[str, Any]) -> tuple[str, str | None]:
    s3_origin = origin.get("s3") or {}
    domain = s3_origin.get("domainName", "")
    return domain.split(".s3", 1)[0], s3_origin.get("region") or None


def _reader(bucket: str, region: str | None) -> ReleaseReader:
    reader = _readers.get(bucket)
    if reader is None:
        import boto3  # imported lazily: the Lambda runtime provides it, tests pass a reader

        reader = ReleaseReader(boto3.client("s3", region_name=region), bucket, pointer_ttl=5.0)
        _readers[bucket] = reader
    return reader


def _cf_headers(headers: dict[str, str]) -> dict[str, list[dict[str, str]]]:
    return {
        name.lower(): [{"key": name.title(), "value": value}] for name, value in headers.items()
    }


def _generated(resolution: Resolution, body: str = "") -> dict[str, Any]:
    descriptions = {301: "Moved Permanently", 404: "Not Found", 503: "Service Unavailable"}
    return {
        "status": str(resolution.status),
        "statusDescription": descriptions.get(resolution.status, ""),
        "headers": _cf_headers(resolution.headers),
        "body": body,
    }


def _lookup(request: dict[str, Any], reader: ReleaseReader | None) -> tuple[Resolution, str, str]:
    release, path = split_release_uri(request["uri"])
    bucket, region = _bucket_and_region(request.get("origin", {}))
    reader = reader or _reader(bucket, region)
    return reader.resolve(path, release), release or reader.live_release() or "", path


def on_origin_request(request: dict[str, Any], reader: ReleaseReader | None = None) -> dict:
    resolution, release, path = _lookup(request, reader)
    if resolution.key is None:
        body = "Not Found\n" if resolution.status == 404 else ""
        return _generated(resolution, body)
    request["uri"] = "/" + resolution.key
    request["querystring"] = ""
    # The origin-response half re-resolves from these; S3 ignores unknown request headers.
    request.setdefault("headers", {}).update(
        _cf_headers({RELEASE_HEADER: release, PATH_HEADER: path})
    )
    return request


def on_origin_response(
    request: dict[str, Any], response: dict[str, Any], reader: ReleaseReader | None = None
) -> dict:
    headers = request.get("headers", {})
    release = headers.get(RELEASE_HEADER, [{}])[0].get("value")
    path = headers.get(PATH_HEADER, [{}])[0].get("value")
    if not release or path is None or not str(response.get("status", "")).startswith("2"):
        return response
    bucket, region = _bucket_and_region(request.get("origin", {}))
    resolution = (reader or _reader(bucket, region)).resolve(path, release)
    response["status"] = str(resolution.status)
    if resolution.status == 404:
        response["statusDescription"] = "Not Found"
    response.setdefault("headers", {}).update(_cf_headers(resolution.headers))
    return response


def lambda_handler(event: dict[str, Any], context: Any, reader: ReleaseReader | None = None):
    record = event["Records"][0]["cf"]
    if record["config"]["eventType"] == "origin-response":
        return on_origin_response(record["request"], record["response"], reader)
    return on_origin_request(record["request"], reader)
