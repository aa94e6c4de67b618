"""A release manifest: every path of a built site with its content hash and headers.

The diff between two manifests is the whole publish plan. It compares sha256 digests and
headers, never S3 ETags (multipart uploads make ETags differ from any content hash).
"""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cloudfolio.publish import headers
from cloudfolio.publish.edge import MANIFEST_FORMAT

HASH_CHUNK = 1024 * 1024
# Files a build leaves behind that are not part of the site.
IGNORED_NAMES = {".DS_Store", "Thumbs.db", ".webassets-cache"}


def sha256_file(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _site_files(site_dir: Path) -> list[tuple[str, str, os.stat_result]]:
    """(site path, file system path, stat) of every file, sorted. Plain strings and scandir: on a
    site of a thousand pages, pathlib objects alone cost more than hashing the files."""
    found: list[tuple[str, str, os.stat_result]] = []

    def walk(directory: str, prefix: str) -> None:
        with os.scandir(directory) as entries:
            for entry in entries:
                name = entry.name
                if name in IGNORED_NAMES or name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, f"{prefix}{name}/")
                elif entry.is_file():
                    found.append((prefix + name, entry.path, entry.stat()))

    walk(str(site_dir), "")
    found.sort(key=lambda item: item[0])
    return found


def _load_cache(cache: Path | None) -> dict[str, list[Any]]:
    if cache is None:
        return {}
    try:
        return json.loads(cache.read_text())
    except (OSError, ValueError):
        return {}  # no cache yet, or a torn one: hash everything


def _hash_all(paths: list[str], workers: int) -> list[str]:
    """sha256 of each file, in `workers` threads of one slice each: hashlib releases the GIL
    while it digests, and one task per thread costs less than one per file."""
    if len(paths) < 2 * workers:
        return [sha256_file(path) for path in paths]
    slices = [paths[start::workers] for start in range(workers)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        hashed = list(pool.map(lambda part: [sha256_file(path) for path in part], slices))
    digests = [""] * len(paths)
    for start, part in enumerate(hashed):
        digests[start::workers] = part
    return digests


def scan(site_dir: Path, workers: int = 8, cache: Path | None = None) -> dict[str, dict[str, Any]]:
    """path -> {hash, size, content_type, cache_control} for every file under `site_dir`.

    With `cache`, a file whose size and modification time (ns) are those recorded there is not
    read again; the cache is rewritten when anything differs."""
    files = _site_files(site_dir)
    known = _load_cache(cache)
    digests: list[str] = []
    unknown: list[int] = []
    for index, (path, _, stat) in enumerate(files):
        recorded = known.get(path)
        if recorded and recorded[0] == stat.st_size and recorded[1] == stat.st_mtime_ns:
            digests.append(recorded[2])
        else:
            digests.append("")
            unknown.append(index)
    for index, digest in zip(
        unknown, _hash_all([files[i][1] for i in unknown], workers), strict=True
    ):
        digests[index] = digest
    if cache is not None and (unknown or len(known) != len(files)):
        fresh = {
            path: [stat.st_size, stat.st_mtime_ns, digest]
            for (path, _, stat), digest in zip(files, digests, strict=True)
        }
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(fresh, separators=(",", ":")))
    return {
        path: {
            "hash": digest,
            "size": stat.st_size,
            "content_type": headers.content_type(path),
            "cache_control": headers.cache_control(path),
        }
        for (path, _, stat), digest in zip(files, digests, strict=True)
    }


def scan_soon(site_dir: Path, workers: int = 8, cache: Path | None = None) -> Future:
    """`scan` in a thread of its own, started now: a caller starts it before it creates its AWS
    clients (botocore's start-up holds the GIL little while it reads its models, and hashing
    releases it), then hands the future to the publish (`PublishOptions.scanned`)."""
    executor = ThreadPoolExecutor(max_workers=1)
    try:
        return executor.submit(scan, site_dir, workers, cache)
    finally:
        executor.shutdown(wait=False)


def files_digest(files: dict[str, dict[str, Any]]) -> str:
    canonical = json.dumps(files, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(canonical).hexdigest()


def new_release_id(files: dict[str, dict[str, Any]], now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    stamp = now.strftime("%Y%m%dT%H%M%S") + f".{now.microsecond // 1000:03d}Z"
    return f"{stamp}-{files_digest(files)[:8]}"


def create(
    files: dict[str, dict[str, Any]],
    git_commit: str | None,
    previous: str | None,
    preview: bool,
    carried: dict[str, dict[str, Any]] | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    now = now or datetime.now(UTC)
    return {
        "format": MANIFEST_FORMAT,
        "release": new_release_id(files, now),
        "created": now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "git_commit": git_commit,
        # The release that was live when this one was made: what `rollback` returns to.
        "previous": previous,
        "preview": preview,
        "file_count": len(files),
        "total_bytes": sum(entry["size"] for entry in files.values()),
        "files": files,
        # Fingerprinted assets of the previous release that this build no longer has. Their
        # objects are already stored, so keeping them reachable costs no write.
        "carried": carried or {},
    }


def referenced_hashes(manifest: dict[str, Any]) -> set[str]:
    entries = [*manifest["files"].values(), *manifest.get("carried", {}).values()]
    return {entry["hash"] for entry in entries}


@dataclass
class Plan:
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    new_bytes: int = 0
    changed_bytes: int = 0
    unchanged_bytes: int = 0
    removed_bytes: int = 0

    @property
    def has_changes(self) -> bool:
        return bool(self.new or self.changed or self.removed)

    def summary(self) -> dict[str, int]:
        return {
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "removed": len(self.removed),
            "new_bytes": self.new_bytes,
            "changed_bytes": self.changed_bytes,
            "unchanged_bytes": self.unchanged_bytes,
            "removed_bytes": self.removed_bytes,
        }


ENTRY_FIELDS = ("hash", "size", "content_type", "cache_control")


def _entry_fields(entry: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(entry.get(name) for name in ENTRY_FIELDS)


def diff(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> Plan:
    """Compare file tables. An entry whose headers changed is `changed`, like new bytes."""
    plan = Plan()
    for path, entry in new.items():
        before = old.get(path)
        if before is None:
            plan.new.append(path)
            plan.new_bytes += entry["size"]
        elif _entry_fields(before) != _entry_fields(entry):
            plan.changed.append(path)
            plan.changed_bytes += entry["size"]
        else:
            plan.unchanged.append(path)
            plan.unchanged_bytes += entry["size"]
    for path, entry in old.items():
        if path not in new:
            plan.removed.append(path)
            plan.removed_bytes += entry["size"]
    return plan
