"""The viewer-request decision and the whole answer of the edge, for the local static server.

In AWS, CloudFront's viewer function (backend/edge/viewer_request.js) picks the release and the
origin Lambda@Edge serves it. The local server has no CloudFront, so it runs this Python twin of
the viewer function (tests hold both to one table of cases) and the same manifest mapping the
origin function uses. None of it ships to Lambda@Edge.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie

from cloudfolio.publish.edge import (
    LIVE_KEY,
    PREVIEW_COOKIE,
    PREVIEW_EXIT_VALUE,
    PREVIEW_PARAMETER,
    ReleaseReader,
    is_preview_token,
    is_release_id,
    preview_key,
    safe_location,
)


@dataclass(frozen=True)
class Selection:
    """Which release a viewer request gets, as the viewer-request function decides it.

    `release` is None when nothing can be served (no live release: 503). When `redirect` is set,
    answer 302 to it with the `set_cookie` header instead (a preview link turns into a cookie).
    """

    release: str | None
    redirect: str | None = None
    set_cookie: str | None = None


def _query_without(query: str, name: str) -> tuple[str, list[str]]:
    """The query without `name` (other names grouped in first-seen order, as CloudFront hands
    them to the function) and the values `name` had."""
    grouped: dict[str, list[str]] = {}
    for part in filter(None, query.split("&")):
        key, _, value = part.partition("=")
        grouped.setdefault(key, []).append(value)
    kept = [
        key if value == "" else f"{key}={value}"
        for key, values in grouped.items()
        if key != name
        for value in values
    ]
    return ("?" + "&".join(kept) if kept else ""), grouped.get(name, [])


def _cookie_value(cookie_header: str | None, name: str) -> str | None:
    if not cookie_header:
        return None
    cookie = SimpleCookie()
    try:
        cookie.load(cookie_header)
    except Exception:  # a malformed Cookie header must not break serving
        return None
    morsel = cookie.get(name)
    return morsel.value if morsel is not None else None


def select_release(
    path: str,
    query: str,
    cookie_header: str | None,
    secure: bool,
    lookup: Callable[[str], str | None],
) -> Selection:
    """The Python twin of viewer_request.js, for servers that run without CloudFront.

    `lookup` reads a key of the edge store (`live`, `preview:<token>`)."""

    def stored_release(key: str) -> str | None:
        value = lookup(key)
        return value if is_release_id(value) else None

    def preview_release(token: str | None) -> str | None:
        return stored_release(preview_key(token)) if is_preview_token(token) else None

    kept_query, requested = _query_without(query, PREVIEW_PARAMETER)
    if requested:
        location = safe_location(path) + kept_query
        attributes = "; Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")
        token = requested[-1]
        if token != PREVIEW_EXIT_VALUE and preview_release(token) is not None:
            return Selection(None, location, f"{PREVIEW_COOKIE}={token}{attributes}")
        return Selection(None, location, f"{PREVIEW_COOKIE}=; Max-Age=0{attributes}")
    release = preview_release(_cookie_value(cookie_header, PREVIEW_COOKIE))
    return Selection(release or stored_release(LIVE_KEY))


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


def respond(
    reader: ReleaseReader, target: str, cookie_header: str | None, secure: bool = False
) -> Response:
    """A whole GET answer the way CloudFront and the origin handler together give it, for a
    server without CloudFront (the local static server). `target` is the path with its query."""
    path, _, query = target.partition("?")
    selection = select_release(path, query, cookie_header, secure, reader.lookup)
    no_store = {"cache-control": "no-store"}
    if selection.redirect is not None:
        headers = {**no_store, "location": selection.redirect}
        if selection.set_cookie:
            headers["set-cookie"] = selection.set_cookie
        return Response(302, headers, b"")
    release = selection.release
    if release is None:
        return Response(
            503,
            {**no_store, "content-type": "text/plain; charset=utf-8"},
            b"Nothing is published yet: run invoke publish.\n",
        )
    resolution = reader.resolve(path, release)
    headers = {**resolution.headers, "x-cloudfolio-release": release}
    if resolution.status == 301:
        headers["location"] += f"?{query}" if query else ""
        return Response(301, headers, b"")
    body = reader.read(resolution.key) if resolution.key else None
    if body is None:
        return Response(
            404, {**headers, "content-type": "text/plain; charset=utf-8"}, b"Not Found\n"
        )
    return Response(resolution.status, headers, body)
