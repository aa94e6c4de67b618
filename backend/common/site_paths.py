"""How a URL path names a file of the site: one rule for the edge's mapping and for counting.

The edge serves `/x/` from `x/index.html` and sends `/x` on to `/x/` when only the directory
form exists; percent-encoding, repeated slashes and `.` segments name the same file. The counter
keys page views by the file the edge would serve, so every spelling of a page counts once.
Standard library only: this module ships inside the Lambda@Edge zip too.
"""

from __future__ import annotations

import posixpath
from collections.abc import Container
from urllib.parse import unquote

INDEX_DOCUMENT = "index.html"


def file_path(uri_path: str) -> str | None:
    """The site file a URL path names (no leading slash), or None if it tries to leave the site."""
    decoded = unquote(uri_path.split("?", 1)[0].split("#", 1)[0])
    if "\x00" in decoded:
        return None
    trailing = decoded.endswith("/")
    parts = [part for part in decoded.split("/") if part not in ("", ".")]
    if ".." in parts:
        return None
    joined = posixpath.join(*parts) if parts else ""
    if not joined:
        return INDEX_DOCUMENT
    return f"{joined}/{INDEX_DOCUMENT}" if trailing else joined


def directory_index(path: str) -> str | None:
    """`posts/x` -> `posts/x/index.html`: the file the edge redirects a bare directory to."""
    return None if path.endswith(INDEX_DOCUMENT) else f"{path}/{INDEX_DOCUMENT}"


def canonical_page(uri_path: str, pages: Container[str]) -> str | None:
    """The page of `pages` that `uri_path` reaches at the edge (served or redirected to), if any."""
    path = file_path(uri_path)
    if path is None:
        return None
    if path in pages:
        return path
    index = directory_index(path)
    return index if index is not None and index in pages else None
