"""Which paths count: the HTML pages of the live release, read from the site bucket.

The live pointer is read again after PAGES_TTL seconds, so a publish (or a rollback) changes
what counts within that time, with no deploy. Manifests never change once written, so each
release's page set is built once per container. A preview release is never live, so it changes
nothing here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from common.site_paths import canonical_page
from edge.release_mapping import NOT_FOUND_PAGE, ReleaseReader

# Seconds a container trusts the live pointer it read: a new post counts within this time.
PAGES_TTL = 30.0
HTML = "text/html"


def html_pages(manifest: dict[str, Any]) -> frozenset[str]:
    """The release's pages: its HTML files, except the 404 page (served for any unknown URL)."""
    return frozenset(
        path
        for path, entry in manifest["files"].items()
        if entry.get("content_type", "").startswith(HTML) and path != NOT_FOUND_PAGE
    )


class LivePages:
    def __init__(
        self,
        s3_client: Any,
        bucket: str,
        ttl: float = PAGES_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        # The reader's own pointer cache is off: this class decides how long a pointer holds.
        self._reader = ReleaseReader(s3_client, bucket, pointer_ttl=0.0, max_manifests=2)
        self.ttl = ttl
        self.clock = clock
        self._lock = threading.Lock()
        self._checked_at: float | None = None
        self._release: str | None = None
        self._pages: frozenset[str] = frozenset()

    def current(self) -> frozenset[str]:
        now = self.clock()
        with self._lock:
            if self._checked_at is not None and now - self._checked_at < self.ttl:
                return self._pages
        release = self._reader.live_release()
        if release != self._release or self._checked_at is None:
            manifest = self._reader.manifest(release) if release else None
            pages = html_pages(manifest) if manifest else frozenset()
        else:
            pages = self._pages
        with self._lock:
            self._checked_at, self._release, self._pages = now, release, pages
        return pages

    def canonical(self, path: str) -> str | None:
        """The page `path` names in the live release (its file path), or None if none."""
        return canonical_page(path, self.current())
