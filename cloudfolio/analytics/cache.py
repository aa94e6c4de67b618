"""The local copy of a lake that DuckDB reads: one folder per environment and bucket, kept equal to
the bucket's listing by downloading only new or changed objects and deleting what the bucket no
longer has (for `local`, the objects of an earlier emulator)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cloudfolio import paths
from cloudfolio.analytics import lake

CACHE_ROOT = paths.BUILD / "analytics"
MANIFEST = "manifest.json"
DOWNLOAD_THREADS = 8


@dataclass(frozen=True)
class Synced:
    downloaded: int
    removed: int
    objects: int


def cache_dir(env: str, bucket: str, root: Path = CACHE_ROOT) -> Path:
    return root / env / bucket


def _listing(s3: Any, bucket: str) -> dict[str, str]:
    """Key -> ETag of every lake object (errors/ and anything else are not visits)."""
    found: dict[str, str] = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=lake.PREFIX):
        for item in page.get("Contents", []):
            if lake.partition_of(item["Key"]) is not None:
                found[item["Key"]] = item["ETag"]
    return found


def sync(s3: Any, bucket: str, folder: Path) -> Synced:
    folder.mkdir(parents=True, exist_ok=True)
    manifest_file = folder / MANIFEST
    held: dict[str, str] = json.loads(manifest_file.read_text()) if manifest_file.exists() else {}
    wanted = _listing(s3, bucket)
    stale = [key for key in held if wanted.get(key) != held[key]]
    for key in stale:
        (folder / key).unlink(missing_ok=True)
        del held[key]
    missing = [key for key in wanted if key not in held]

    def download(key: str) -> None:
        target = folder / key
        target.parent.mkdir(parents=True, exist_ok=True)
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        partial = target.with_name(target.name + ".part")
        partial.write_bytes(body)
        partial.replace(target)

    with ThreadPoolExecutor(DOWNLOAD_THREADS) as pool:
        list(pool.map(download, missing))
    held.update({key: wanted[key] for key in missing})
    # Files no manifest knows (an interrupted run) go too: the folder is the listing, exactly.
    for file in folder.glob(f"{lake.PREFIX}*/*"):
        if file.relative_to(folder).as_posix() not in held:
            file.unlink()
    manifest_file.write_text(json.dumps(held, indent=0, sort_keys=True))
    return Synced(downloaded=len(missing), removed=len(stale), objects=len(held))
