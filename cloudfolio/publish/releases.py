"""Release operations on a site bucket: publish, rollback, promote, list and prune.

Write order is what makes a publish atomic: objects first, then the release manifest, then the
pointer. Until the pointer moves nothing a reader can reach has changed, so a publish stopped at
any point leaves the live release whole. The pointer is one small write, the last one.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cloudfolio.publish import headers
from cloudfolio.publish import manifest as manifests
from cloudfolio.publish.edge import INDEX_DOCUMENT, manifest_key, object_key
from cloudfolio.publish.errors import PublishError
from cloudfolio.publish.progress import Progress, SilentProgress
from cloudfolio.publish.store import PointerStore, SiteStore

if TYPE_CHECKING:
    from cloudfolio.publish.lock import SiteLock

DEFAULT_MAX_DELETES = 256
# A build that lost more than this share of the live files is more likely broken than pruned.
DEFAULT_MAX_DELETE_FRACTION = 0.5
DEFAULT_WORKERS = 8
DEFAULT_KEEP = 10
# Objects younger than this are never collected. Publish and prune exclude each other through the
# site lock; the grace period also covers a publish whose stale lock someone broke.
DEFAULT_GC_GRACE = timedelta(hours=1)


@dataclass
class PublishOptions:
    dry_run: bool = False
    preview: bool = False
    force: bool = False
    max_deletes: int = DEFAULT_MAX_DELETES
    max_delete_fraction: float = DEFAULT_MAX_DELETE_FRACTION
    break_lock: bool = False
    # Where file hashes are kept between publishes (keyed by size and mtime); None: hash all.
    hash_cache: Path | None = None
    # The file table of `site_dir` from a scan the caller started early (manifest.scan_soon).
    scanned: Future[dict[str, dict[str, Any]]] | None = None
    workers: int = DEFAULT_WORKERS
    git_commit: str | None = None
    # Called with the plan before anything is written; returning False cancels the publish.
    confirm: Callable[[manifests.Plan], bool] | None = None
    # Called with the plan and the live release id as soon as the diff is known.
    show_plan: Callable[[manifests.Plan, str | None], None] | None = None


@dataclass
class PublishResult:
    plan: manifests.Plan
    live_before: str | None
    release: str | None = None
    live_after: str | None = None
    # The preview link's token, for a preview publish.
    token: str | None = None
    uploaded: int = 0
    uploaded_bytes: int = 0
    objects_written: int = 0
    preview: bool = False
    dry_run: bool = False
    cancelled: bool = False

    def summary(self) -> dict[str, Any]:
        return {
            "release": self.release,
            "live_before": self.live_before,
            "live_after": self.live_after,
            "preview": self.preview,
            "dry_run": self.dry_run,
            "cancelled": self.cancelled,
            "uploaded": self.uploaded,
            "uploaded_bytes": self.uploaded_bytes,
            "objects_written": self.objects_written,
            "preview_token": self.token,
            **self.plan.summary(),
        }


@dataclass
class PruneResult:
    kept: list[str] = field(default_factory=list)
    deleted_releases: list[str] = field(default_factory=list)
    deleted_objects: int = 0


@dataclass
class RetractResult:
    release: str
    live_before: str | None
    live_after: str | None
    closed_links: int = 0


def _share(fraction: float) -> str:
    return "half" if fraction == 0.5 else f"{fraction:.0%}"


def check_removals(plan: manifests.Plan, live_count: int, options: PublishOptions) -> None:
    """The delete guard: an absolute count and a share of the live files, both settable."""
    removed = len(plan.removed)
    if options.force or not removed:
        return
    if removed > options.max_deletes:
        raise PublishError(
            f"this publish would remove {removed} files from the site, more than "
            f"the limit of {options.max_deletes}. Check the build; if the removals are "
            "intended, run again with --force."
        )
    if removed > options.max_delete_fraction * live_count:
        raise PublishError(
            f"this publish would remove {removed} of the {live_count} live files, more than "
            f"{_share(options.max_delete_fraction)} of the site: a half-built site looks like "
            "this. Check the build; if the removals are intended, raise --max-delete-fraction "
            "or run again with --force."
        )


def check_site_dir(site_dir: Path) -> None:
    """Refuse what cannot be a complete build: a missing or empty directory, no home page."""
    if not site_dir.is_dir():
        raise PublishError(f"no built site at {site_dir}")
    if not any(path.is_file() for path in site_dir.rglob("*")):
        raise PublishError(f"the built site at {site_dir} is empty; refusing to publish it")
    if not (site_dir / INDEX_DOCUMENT).is_file():
        raise PublishError(
            f"the built site at {site_dir} has no {INDEX_DOCUMENT}; refusing to publish "
            "a build that looks incomplete"
        )


class Releases:
    def __init__(
        self,
        store: SiteStore,
        pointer: PointerStore,
        progress: Progress | None = None,
        lock: SiteLock | None = None,
    ) -> None:
        self.store = store
        self.pointer = pointer
        self.progress = progress or SilentProgress()
        # None: the caller is the bucket's only writer (a test's private bucket); every command
        # passes the site's lock.
        self.lock = lock
        # What an operator must hear about the site's state (a broken pointer), in order.
        self.notices: list[str] = []

    def live(self) -> str | None:
        return self.pointer.get()

    def _manifest(self, release: str) -> dict[str, Any]:
        found = self.store.read_manifest(release)
        if found is None:
            raise PublishError(f"no such release: {release} (see invoke releases)")
        return found

    def _live_state(self) -> tuple[str | None, dict[str, Any] | None]:
        """The live id and its manifest; a pointer naming a missing manifest is reported."""
        live = self.live()
        if live is None:
            return None, None
        manifest = self.store.read_manifest(live)
        if manifest is None:
            self.notices.append(
                f"the live pointer names {live}, whose manifest is missing: every page answers "
                "404. invoke rollback (or the next publish) goes to the newest intact release."
            )
        return live, manifest

    def newest_intact(
        self, exclude: set[str] | frozenset[str] = frozenset(), before: str | None = None
    ) -> tuple[str, dict[str, Any]] | None:
        """The newest release (not a preview) whose manifest and objects are all stored."""
        stored: set[str] | None = None
        for release in reversed(self.store.release_ids()):
            if release in exclude or (before is not None and release >= before):
                continue
            found = self.store.read_manifest(release)
            if found is None or found.get("preview"):
                continue
            if stored is None:
                stored = {item.sha256 for item in self.store.stored_objects()}
            if manifests.referenced_hashes(found) <= stored:
                return release, found
        return None

    def _is_intact(self, release: str) -> bool:
        found = self.store.read_manifest(release)
        if found is None:
            return False
        wanted = manifests.referenced_hashes(found)
        return not self.store.missing(wanted)

    @contextmanager
    def _locked(self, operation: str, break_lock: bool) -> Iterator[None]:
        if self.lock is None:
            yield
            return
        self.lock.acquire(operation, break_lock)
        try:
            yield
        finally:
            self.lock.release()

    def publish(self, site_dir: Path, options: PublishOptions | None = None) -> PublishResult:
        options = options or PublishOptions()
        check_site_dir(site_dir)
        files = (
            options.scanned.result()
            if options.scanned is not None
            else manifests.scan(site_dir, workers=options.workers, cache=options.hash_cache)
        )
        live, live_manifest = self._live_state()
        base, base_manifest = live, live_manifest
        if live is not None and live_manifest is None:
            base, base_manifest = self.newest_intact(exclude={live}) or (None, None)
        base_files = base_manifest["files"] if base_manifest else {}
        plan = manifests.diff(base_files, files)
        result = PublishResult(
            plan, live, live_after=live, preview=options.preview, dry_run=options.dry_run
        )
        if options.show_plan is not None:
            options.show_plan(plan, base)
        if not plan.has_changes:
            if base != live and base is not None and not options.dry_run:
                with self._locked("publish", options.break_lock):
                    self.pointer.set(base)  # the broken pointer goes back to what was built
                result.live_after, result.objects_written = base, 1
            return result
        check_removals(plan, len(base_files), options)
        if options.dry_run:
            return result
        if options.confirm is not None and not options.confirm(plan):
            result.cancelled = True
            return result

        with self._locked("publish", options.break_lock):
            if self.live() != live:
                raise PublishError(
                    f"the live release changed to {self.live()} while this publish was planned; "
                    "run it again"
                )
            result.uploaded, result.uploaded_bytes = self._upload(
                site_dir,
                files,
                manifests.referenced_hashes(base_manifest) if base_manifest else set(),
                options.workers,
            )
            carried = {
                path: entry
                for path, entry in base_files.items()
                if path not in files and headers.is_fingerprinted(path)
            }
            release = manifests.create(files, options.git_commit, base, options.preview, carried)
            self.store.write_manifest(release)
            result.release = release["release"]
            result.objects_written = result.uploaded + 1
            if options.preview:
                result.token = self._open_link(result.release)
            else:
                self.pointer.set(result.release)
                result.live_after = result.release
            result.objects_written += 1
        return result

    def _upload(
        self,
        site_dir: Path,
        files: dict[str, dict[str, Any]],
        live_hashes: set[str],
        workers: int,
    ) -> tuple[int, int]:
        # The base release's objects are stored (collection never touches them), so only hashes
        # it does not reference need a look at the bucket.
        first_path: dict[str, str] = {}
        for path, entry in files.items():
            if entry["hash"] not in live_hashes:
                first_path.setdefault(entry["hash"], path)
        missing = sorted(self.store.missing(first_path))
        sizes = {digest: files[first_path[digest]]["size"] for digest in missing}
        self.progress.start(len(missing), sum(sizes.values()))

        def upload(digest: str) -> None:
            path = first_path[digest]
            self.store.upload_object(digest, site_dir / path, files[path]["content_type"])
            self.progress.advance(sizes[digest], path)

        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            for future in [pool.submit(upload, digest) for digest in missing]:
                future.result()
        self.progress.finish()
        return len(missing), sum(sizes.values())

    def _open_link(self, release: str) -> str:
        token = secrets.token_urlsafe(24)
        self.pointer.put_preview(token, release)
        return token

    def issue_preview(self, release: str) -> str:
        """A new preview link token for an existing release (each call opens another link)."""
        self._live_state()
        self._manifest(release)
        return self._open_link(release)

    def rollback(self, to: str | None = None, retract: bool = False) -> tuple[str | None, str]:
        """Point the site back at `to`, or at the release that was live before the current one
        (the newest intact release when that one or the pointer is broken). With `retract`,
        the release left behind becomes unreachable by any link."""
        live, live_manifest = self._live_state()
        if to is None:
            if live is None:
                raise PublishError("nothing is live yet, so there is nothing to roll back")
            to = self._rollback_target(live, live_manifest)
        self._manifest(to)
        if to != live:
            self.pointer.set(to)
        if retract and live is not None and live != to:
            self._close(live)
        return live, to

    def _rollback_target(self, live: str, live_manifest: dict[str, Any] | None) -> str:
        if live_manifest is None:
            found = self.newest_intact(exclude={live})
            if found is None:
                raise PublishError(
                    f"the live pointer names {live}, whose manifest is missing, and no intact "
                    "release is left to go back to: publish the site again"
                )
            return found[0]
        previous = live_manifest.get("previous")
        if previous and self._is_intact(previous):
            return previous
        found = self.newest_intact(exclude={live}, before=live)
        if found is None:
            raise PublishError(f"{live} is the first release; there is nothing before it")
        return found[0]

    def retract(self, release: str) -> RetractResult:
        """Make a release unreachable at once: close its preview links, delete its manifest,
        and first go back to the newest intact release if it is live."""
        live, _ = self._live_state()
        after = live
        if release == live:
            found = self.newest_intact(exclude={release})
            if found is None:
                raise PublishError(
                    f"{release} is live and no other intact release exists; "
                    "publish a replacement first"
                )
            after = found[0]
            self.pointer.set(after)
        return RetractResult(release, live, after, self._close(release))

    def _close(self, release: str) -> int:
        tokens = [token for token, target in self.pointer.previews().items() if target == release]
        for token in tokens:
            self.pointer.delete_preview(token)
        self.store.delete_manifest(release)
        return len(tokens)

    def promote(self, release: str) -> tuple[str | None, str]:
        live, _ = self._live_state()
        self._manifest(release)
        if release != live:
            self.pointer.set(release)
        return live, release

    def list(self) -> list[dict[str, Any]]:
        live, _ = self._live_state()
        rows = []
        for release in self.store.release_ids():
            found = self.store.read_manifest(release) or {}
            rows.append(
                {
                    "release": release,
                    "created": found.get("created"),
                    "git_commit": found.get("git_commit"),
                    "file_count": found.get("file_count"),
                    "total_bytes": found.get("total_bytes"),
                    "preview": bool(found.get("preview")),
                    "live": release == live,
                }
            )
        return rows

    def prune(
        self,
        keep: int = DEFAULT_KEEP,
        gc_grace: timedelta = DEFAULT_GC_GRACE,
        break_lock: bool = False,
    ) -> PruneResult:
        """Keep the newest `keep` releases, the live one, its predecessor and every release with
        an open preview link; collect the rest and every object no remaining manifest names."""
        if keep < 1:
            raise PublishError("prune must keep at least one release")
        live, live_manifest = self._live_state()
        if live is not None and live_manifest is None:
            raise PublishError(
                f"the live pointer names {live}, whose manifest is missing; prune refuses to "
                "run on a broken site: invoke rollback first"
            )
        with self._locked("prune", break_lock):
            return self._prune(keep, gc_grace, live, live_manifest)

    def _prune(
        self,
        keep: int,
        gc_grace: timedelta,
        live: str | None,
        live_manifest: dict[str, Any] | None,
    ) -> PruneResult:
        ids = self.store.release_ids()
        protected = set(ids[-keep:]) | set(self.pointer.previews().values())
        if live and live_manifest is not None:
            protected.add(live)
            if live_manifest.get("previous"):
                protected.add(live_manifest["previous"])
        result = PruneResult(kept=[r for r in ids if r in protected])
        doomed = [r for r in ids if r not in protected]
        # Manifests go first, so no remaining release ever names a missing object.
        failed = self.store.delete_keys([manifest_key(r) for r in doomed])
        undeleted = {key for key, _ in failed}
        result.deleted_releases = [r for r in doomed if manifest_key(r) not in undeleted]
        referenced: set[str] = set()
        for release in ids:
            if release in result.deleted_releases:
                continue
            found = self.store.read_manifest(release)
            if found is not None:
                referenced.update(manifests.referenced_hashes(found))
        cutoff = datetime.now(UTC) - gc_grace
        garbage = [
            object_key(stored.sha256)
            for stored in self.store.stored_objects()
            if stored.sha256 not in referenced and stored.last_modified <= cutoff
        ]
        object_failures = self.store.delete_keys(garbage)
        result.deleted_objects = len(garbage) - len(object_failures)
        failed += object_failures
        if failed:
            listed = ", ".join(f"{key} ({code})" for key, code in failed[:5])
            more = f" and {len(failed) - 5} more" if len(failed) > 5 else ""
            raise PublishError(
                f"prune could not delete {len(failed)} of {len(doomed) + len(garbage)} keys: "
                f"{listed}{more}. Deleted {len(result.deleted_releases)} releases and "
                f"{result.deleted_objects} objects; check the deploy role's s3:DeleteObject."
            )
        return result
