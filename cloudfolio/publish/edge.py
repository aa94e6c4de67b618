"""The release layout and mapping, from the edge code itself so both sides share one definition.

The edge package lives in backend/edge/ because it ships to Lambda@Edge (with common/site_paths.py,
which it shares with the counter). The tooling imports it from there instead of keeping a copy
that could drift.
"""

from __future__ import annotations

from cloudfolio import paths
from cloudfolio.api_description import backend_on_path

EDGE_DIR = paths.BACKEND / "edge"

backend_on_path()

from edge import origin_request, release_mapping  # noqa: E402
from edge.release_mapping import (  # noqa: E402
    INDEX_DOCUMENT,
    LIVE_KEY,
    LIVE_POINTER_KEY,
    MANIFEST_FORMAT,
    MANIFEST_SUFFIX,
    OBJECTS_PREFIX,
    PREVIEW_COOKIE,
    PREVIEW_EXIT_VALUE,
    PREVIEW_KEY_PREFIX,
    PREVIEW_PARAMETER,
    PREVIEWS_PREFIX,
    RELEASES_PREFIX,
    ReleaseReader,
    Resolution,
    is_preview_token,
    is_release_id,
    manifest_key,
    object_key,
    preview_key,
    preview_object_key,
    resolve,
    safe_location,
)

__all__ = [
    "EDGE_DIR", "INDEX_DOCUMENT", "LIVE_KEY", "LIVE_POINTER_KEY", "MANIFEST_FORMAT",
    "MANIFEST_SUFFIX", "OBJECTS_PREFIX", "PREVIEWS_PREFIX", "PREVIEW_COOKIE",
    "PREVIEW_EXIT_VALUE", "PREVIEW_KEY_PREFIX", "PREVIEW_PARAMETER", "RELEASES_PREFIX",
    "ReleaseReader", "Resolution", "is_preview_token", "is_release_id", "manifest_key",
    "object_key", "origin_request", "preview_key", "preview_object_key", "release_mapping",
    "resolve", "safe_location",
]  # fmt: skip
