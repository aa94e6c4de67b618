"""How a release is laid out in the site bucket and how a request path maps to an object.

This module is the single definition of the release layout. Three readers share it:
the publisher (which writes the layout), the Lambda@Edge origin handler and the local static
server (which both serve from it). It only needs the standard library, plus an S3 client
that the caller passes in, so it runs unchanged inside Lambda@Edge.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

# URL path -> file is shared with the counter, which counts a page under the file served for it.
from common.site_paths import INDEX_DOCUMENT as INDEX_DOCUMENT
from common.site_paths import directory_index, file_path

OBJECTS_PREFIX = "objects/"
RELEASES_PREFIX = "releases/"
LIVE_POINTER_KEY = f"{RELEASES_PREFIX}LIVE"
MANIFEST_SUFFIX = ".json"
MANIFEST_FORMAT = 1
# The viewer-request function rewrites "/x" to "/_r/<release>/x" so the release is in the cache key.
RELEASE_URI_PREFIX = "/_r/"
# `?__preview=<token>` opens a preview (the token is kept in a cookie); `?__preview=live` leaves
# it. A token is only good while the edge store maps it to a release: a release id opens nothing.
PREVIEW_PARAMETER = "__preview"
PREVIEW_COOKIE = "__preview"
PREVIEW_EXIT_VALUE = "live"
PREVIEW_TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32}$")
# Keys of the edge store (CloudFront KeyValueStore; `releases/LIVE` and `previews/<token>`
# objects for servers without CloudFront).
LIVE_KEY = "live"
PREVIEW_KEY_PREFIX = "preview:"
PREVIEWS_PREFIX = "previews/"
NOT_FOUND_PAGE = "404.html"
# UTC time to the millisecond plus a short manifest hash: sorts in publish order, even for
# publishes within one second, and names the content.
RELEASE_ID_PATTERN = re.compile(r"^\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{8}$")
NOT_FOUND_CACHE_CONTROL = "public, max-age=0, must-revalidate"


def is_release_id(value: str | None) -> bool:
    return bool(value) and RELEASE_ID_PATTERN.match(value) is not None


def is_preview_token(value: str | None) -> bool:
    return bool(value) and PREVIEW_TOKEN_PATTERN.match(value) is not None


def preview_key(token: str) -> str:
    return f"{PREVIEW_KEY_PREFIX}{token}"


def preview_object_key(token: str) -> str:
    """The bucket copy of a preview key (what servers without CloudFront read)."""
    return f"{PREVIEWS_PREFIX}{token}"


def object_key(sha256: str) -> str:
    return f"{OBJECTS_PREFIX}{sha256}"


def manifest_key(release_id: str) -> str:
    return f"{RELEASES_PREFIX}{release_id}{MANIFEST_SUFFIX}"


@dataclass(frozen=True)
class Resolution:
    """What to answer for one request path within one release.

    `key` is the S3 object to serve (None when there is nothing to serve), `path` the manifest
    path it came from, `headers` the response headers the manifest declares (lower-case names).
    """

    status: int
    key: str | None
    path: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


# Slashes and backslashes (raw or percent-encoded) at the start of a path would make a Location
# header name another host ("//host", "/\\host"); they collapse to one slash. Twin of the JS.
_LEADING_SEPARATORS = re.compile(r"^(?:[/\\]|%2[fF]|%5[cC])+")
_UNSAFE_IN_LOCATION = re.compile(r"[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]")


def safe_location(path: str) -> str:
    """A same-host Location for `path`: one leading slash, anything unusual percent-encoded."""
    rest = _LEADING_SEPARATORS.sub("", path)
    return "/" + _UNSAFE_IN_LOCATION.sub(lambda match: quote(match.group(), safe=""), rest)


def _entry_headers(entry: dict[str, Any]) -> dict[str, str]:
    return {"content-type": entry["content_type"], "cache-control": entry["cache_control"]}


def resolve(manifest: dict[str, Any], uri_path: str) -> Resolution:
    """Map a request path to an object of the release described by `manifest`.

    Pretty URLs: `/posts/x/` serves `posts/x/index.html`, and `/posts/x` redirects to
    `/posts/x/` when only the directory form exists (so relative links keep working).
    Anything else that is missing serves the site's 404 page with status 404.
    """
    files: dict[str, dict[str, Any]] = manifest["files"]
    path = file_path(uri_path)
    if path is not None:
        # `carried` holds the previous release's fingerprinted assets: a page loaded just before
        # a switch still gets the exact bytes it names, never the next release's.
        entry = files.get(path) or manifest.get("carried", {}).get(path)
        if entry is not None:
            return Resolution(200, object_key(entry["hash"]), path, _entry_headers(entry))
        index = directory_index(path)
        if index is not None and index in files:
            location = safe_location(path + "/")
            return Resolution(
                301,
                None,
                index,
                {"location": location, "cache-control": NOT_FOUND_CACHE_CONTROL},
            )
    page = files.get(NOT_FOUND_PAGE)
    if page is not None:
        headers = _entry_headers(page) | {"cache-control": NOT_FOUND_CACHE_CONTROL}
        return Resolution(404, object_key(page["hash"]), NOT_FOUND_PAGE, headers)
    return Resolution(
        404,
        None,
        None,
        {"content-type": "text/plain; charset=utf-8", "cache-control": NOT_FOUND_CACHE_CONTROL},
    )


def split_release_uri(uri: str) -> tuple[str | None, str]:
    """`/_r/<release>/posts/x/` -> (release, `/posts/x/`); other URIs -> (None, uri)."""
    if not uri.startswith(RELEASE_URI_PREFIX):
        return None, uri
    rest = uri[len(RELEASE_URI_PREFIX) :]
    release, _, tail = rest.partition("/")
    if not is_release_id(release):
        return None, uri
    return release, "/" + tail


class ReleaseReader:
    """Reads the live pointer and release manifests from the site bucket, with caching.

    Manifests are immutable, so they are cached for the life of the process (bounded LRU).
    The live pointer changes on every publish, so it is cached only for `pointer_ttl` seconds.
    """

    def __init__(
        self, s3_client: Any, bucket: str, pointer_ttl: float = 1.0, max_manifests: int = 16
    ) -> None:
        self.s3 = s3_client
        self.bucket = bucket
        self.pointer_ttl = pointer_ttl
        self.max_manifests = max_manifests
        self._lock = threading.Lock()
        self._manifests: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._keys: dict[str, tuple[float, str | None]] = {}

    def _get(self, key: str) -> bytes | None:
        try:
            return self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except self.s3.exceptions.NoSuchKey:
            return None

    def lookup(self, key: str) -> str | None:
        """A key of the edge store, read from its bucket copy (cached for `pointer_ttl`)."""
        if key == LIVE_KEY:
            object_name = LIVE_POINTER_KEY
        elif key.startswith(PREVIEW_KEY_PREFIX) and is_preview_token(
            key[len(PREVIEW_KEY_PREFIX) :]
        ):
            object_name = preview_object_key(key[len(PREVIEW_KEY_PREFIX) :])
        else:
            return None
        now = time.monotonic()
        with self._lock:
            cached = self._keys.get(key)
            if cached is not None and now - cached[0] < self.pointer_ttl:
                return cached[1]
        body = self._get(object_name)
        value = body.decode().strip() if body else None
        with self._lock:
            self._keys[key] = (now, value)
        return value

    def forget_pointers(self) -> None:
        """Read every pointer again on its next lookup (whoever just moved one knows it moved)."""
        with self._lock:
            self._keys.clear()

    def live_release(self) -> str | None:
        release = self.lookup(LIVE_KEY)
        return release if is_release_id(release) else None

    def manifest(self, release: str) -> dict[str, Any] | None:
        if not is_release_id(release):
            return None
        with self._lock:
            cached = self._manifests.get(release)
            if cached is not None:
                self._manifests.move_to_end(release)
                return cached
        body = self._get(manifest_key(release))
        if body is None:
            return None
        manifest = json.loads(body)
        with self._lock:
            self._manifests[release] = manifest
            while len(self._manifests) > self.max_manifests:
                self._manifests.popitem(last=False)
        return manifest

    def resolve(self, uri_path: str, release: str | None = None) -> Resolution:
        """Resolve a path in `release`, or in the live release when None."""
        release = release or self.live_release()
        manifest = self.manifest(release) if release else None
        if manifest is None:
            return Resolution(
                404,
                None,
                None,
                {
                    "content-type": "text/plain; charset=utf-8",
                    "cache-control": NOT_FOUND_CACHE_CONTROL,
                },
            )
        return resolve(manifest, uri_path)

    def read(self, key: str) -> bytes | None:
        return self._get(key)
