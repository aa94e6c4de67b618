"""Release operations on a site bucket: publish, rollback, promote, list and prune.

Write order is what makes a publish atomic: objects first, then the release manifest, then the
pointer. Until the pointer moves nothing a reader can reach has changed, so a publish stopped at
any point leaves the live release whole. The pointer is one small write, the last one.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cloudfolio.publish import headers
from cloudfolio.publish import manifest as manifests
from cloudfolio.publish.edge import INDEX_DOCUMENT, manifest_key, object_key
from cloudfolio.publish.errors import PublishError
from cloudfolio.publish.progress import Progress, SilentProgress
from cloudfolio.publish.store import PointerStore, SiteStore

DEFAULT_MAX_DELETES = 256
DEFAULT_WORKERS = 8
DEFAULT_KEEP = 10
# Objects younger than this are never collected: a publish running elsewhere may have uploaded
# them and not yet written the manifest that references them.
DEFAULT_GC_GRACE = timedelta(hours=1)


@dataclass
class PublishOptions:
    dry_run: bool = False
    preview: bool = False
    force: bool = False
    max_deletes: int = DEFAULT_MAX_DELETES
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
            **self.plan.summary(),
        }


@dataclass
class PruneResult:
    kept: list[str] = field(default_factory=list)
    deleted_releases: list[str] = field(default_factory=list)
    deleted_objects: int = 0


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
        self, store: SiteStore, pointer: PointerStore, progress: Progress | None = None
    ) -> None:
        self.store = store
        self.pointer = pointer
        self.progress = progress or SilentProgress()

    def live(self) -> str | None:
        return self.pointer.get()

    def _manifest(self, release: str) -> dict[str, Any]:
        found = self.store.read_manifest(release)
        if found is None:
            raise PublishError(f"no such release: {release} (see invoke releases)")
        return found

    def publish(self, site_dir: Path, options: PublishOptions | None = None) -> PublishResult:
        options = options or PublishOptions()
        check_site_dir(site_dir)
        files = manifests.scan(site_dir, workers=options.workers)
        live = self.live()
        live_manifest = self._manifest(live) if live else None
        live_files = live_manifest["files"] if live_manifest else {}
        plan = manifests.diff(live_files, files)
        result = PublishResult(
            plan, live, live_after=live, preview=options.preview, dry_run=options.dry_run
        )
        if options.show_plan is not None:
            options.show_plan(plan, live)
        if not plan.has_changes:
            return result
        if len(plan.removed) > options.max_deletes and not options.force:
            raise PublishError(
                f"this publish would remove {len(plan.removed)} files from the site, more than "
                f"the limit of {options.max_deletes}. Check the build; if the removals are "
                "intended, run again with --force."
            )
        if options.dry_run:
            return result
        if options.confirm is not None and not options.confirm(plan):
            result.cancelled = True
            return result

        result.uploaded, result.uploaded_bytes = self._upload(
            site_dir,
            files,
            manifests.referenced_hashes(live_manifest) if live_manifest else set(),
            options.workers,
        )
        carried = {
            path: entry
            for path, entry in live_files.items()
            if path not in files and headers.is_fingerprinted(path)
        }
        release = manifests.create(files, options.git_commit, live, options.preview, carried)
        self.store.write_manifest(release)
        result.release = release["release"]
        result.objects_written = result.uploaded + 1
        if not options.preview:
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
        # The live release's objects are stored (collection never touches them), so only hashes
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

    def rollback(self, to: str | None = None) -> tuple[str | None, str]:
        """Point the site back at `to`, or at the release that was live before the current one."""
        live = self.live()
        if to is None:
            if live is None:
                raise PublishError("nothing is live yet, so there is nothing to roll back")
            to = self._manifest(live).get("previous") or self._older_release(live)
            if to is None:
                raise PublishError(f"{live} is the first release; there is nothing before it")
        self._manifest(to)
        if to != live:
            self.pointer.set(to)
        return live, to

    def _older_release(self, release: str) -> str | None:
        older = [r for r in self.store.release_ids() if r < release]
        for candidate in reversed(older):
            if not (self.store.read_manifest(candidate) or {}).get("preview"):
                return candidate
        return None

    def promote(self, release: str) -> tuple[str | None, str]:
        live = self.live()
        self._manifest(release)
        if release != live:
            self.pointer.set(release)
        return live, release

    def list(self) -> list[dict[str, Any]]:
        live = self.live()
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
        self, keep: int = DEFAULT_KEEP, gc_grace: timedelta = DEFAULT_GC_GRACE
    ) -> PruneResult:
        """Keep the newest `keep` releases plus the live one and its predecessor; collect the rest
        and every object no kept release references."""
        if keep < 1:
            raise PublishError("prune must keep at least one release")
        ids = self.store.release_ids()
        live = self.live()
        protected = set(ids[-keep:])
        if live:
            protected.add(live)
            predecessor = self._manifest(live).get("previous")
            if predecessor:
                protected.add(predecessor)
        result = PruneResult(kept=[r for r in ids if r in protected])
        result.deleted_releases = [r for r in ids if r not in protected]
        referenced: set[str] = set()
        for release in result.kept:
            found = self.store.read_manifest(release)
            if found is not None:
                referenced.update(manifests.referenced_hashes(found))
        # Manifests go first, so no kept or deleted release ever names a missing object.
        self.store.delete_keys([manifest_key(r) for r in result.deleted_releases])
        cutoff = datetime.now(UTC) - gc_grace
        garbage = [
            object_key(stored.sha256)
            for stored in self.store.stored_objects()
            if stored.sha256 not in referenced and stored.last_modified <= cutoff
        ]
        self.store.delete_keys(garbage)
        result.deleted_objects = len(garbage)
        return result
