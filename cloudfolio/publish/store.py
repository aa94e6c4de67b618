"""The site bucket seen as releases: content-addressed objects, manifests and the live pointer."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from botocore.exceptions import ClientError

from cloudfolio.publish.edge import (
    LIVE_POINTER_KEY,
    MANIFEST_SUFFIX,
    OBJECTS_PREFIX,
    PREVIEW_KEY_PREFIX,
    PREVIEWS_PREFIX,
    RELEASES_PREFIX,
    is_preview_token,
    is_release_id,
    manifest_key,
    object_key,
    preview_object_key,
)
from cloudfolio.publish.errors import PublishError

# Large files go up in parts; the diff never looks at ETags, so multipart is invisible to it.
MULTIPART_THRESHOLD = 16 * 1024 * 1024
# Below this many candidates, one HEAD each is cheaper than listing every stored object.
HEAD_LIMIT = 64
DELETE_BATCH = 1000


@dataclass(frozen=True)
class StoredObject:
    sha256: str
    last_modified: datetime


class PointerStore(Protocol):
    """Where the edge reads which release to serve: the live id and the preview tokens."""

    def get(self) -> str | None: ...

    def set(self, release: str) -> None: ...

    def put_preview(self, token: str, release: str) -> None: ...

    def delete_preview(self, token: str) -> None: ...

    def previews(self) -> dict[str, str]:
        """token -> release id for every open preview link."""
        ...


class S3Pointer:
    """The pointer as a small object in the site bucket (what tooling and local serving read)."""

    def __init__(self, s3: Any, bucket: str, key: str = LIVE_POINTER_KEY) -> None:
        self.s3, self.bucket, self.key = s3, bucket, key

    def get(self) -> str | None:
        try:
            body = self.s3.get_object(Bucket=self.bucket, Key=self.key)["Body"].read()
        except ClientError as error:
            if error.response["Error"]["Code"] in ("NoSuchKey", "404"):
                return None
            raise
        value = body.decode().strip()
        return value if is_release_id(value) else None

    def set(self, release: str) -> None:
        self._put(self.key, release)

    def _put(self, key: str, release: str) -> None:
        self.s3.put_object(
            Bucket=self.bucket,
            Key=key,
            Body=(release + "\n").encode(),
            ContentType="text/plain; charset=utf-8",
            CacheControl="no-store",
        )

    def put_preview(self, token: str, release: str) -> None:
        self._put(preview_object_key(token), release)

    def delete_preview(self, token: str) -> None:
        self.s3.delete_object(Bucket=self.bucket, Key=preview_object_key(token))

    def previews(self) -> dict[str, str]:
        found = {}
        paginator = self.s3.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=PREVIEWS_PREFIX):
            for item in page.get("Contents", []):
                token = item["Key"][len(PREVIEWS_PREFIX) :]
                if is_preview_token(token):
                    body = self.s3.get_object(Bucket=self.bucket, Key=item["Key"])["Body"]
                    found[token] = body.read().decode().strip()
        return found


class KeyValueStorePointer:
    """The pointer as the key `live` in the CloudFront KeyValueStore the viewer function reads.

    The KeyValueStore API is signed with SigV4A, which botocore only does with awscrt installed.
    """

    KEY = "live"

    def __init__(self, client: Any, kvs_arn: str) -> None:
        self.client, self.kvs_arn = client, kvs_arn

    def get(self) -> str | None:
        try:
            value = self.client.get_key(KvsARN=self.kvs_arn, Key=self.KEY)["Value"]
        except self.client.exceptions.ResourceNotFoundException:
            return None
        return value if is_release_id(value) else None

    def set(self, release: str) -> None:
        self._put(self.KEY, release)

    def _put(self, key: str, value: str) -> None:
        etag = self.client.describe_key_value_store(KvsARN=self.kvs_arn)["ETag"]
        self.client.put_key(KvsARN=self.kvs_arn, Key=key, Value=value, IfMatch=etag)

    def put_preview(self, token: str, release: str) -> None:
        self._put(PREVIEW_KEY_PREFIX + token, release)

    def delete_preview(self, token: str) -> None:
        etag = self.client.describe_key_value_store(KvsARN=self.kvs_arn)["ETag"]
        with suppress(self.client.exceptions.ResourceNotFoundException):
            self.client.delete_key(
                KvsARN=self.kvs_arn, Key=PREVIEW_KEY_PREFIX + token, IfMatch=etag
            )

    def previews(self) -> dict[str, str]:
        found, token = {}, None
        while True:
            page = self.client.list_keys(
                KvsARN=self.kvs_arn, **({"NextToken": token} if token else {})
            )
            for item in page.get("Items", []):
                if item["Key"].startswith(PREVIEW_KEY_PREFIX):
                    found[item["Key"][len(PREVIEW_KEY_PREFIX) :]] = item["Value"]
            token = page.get("NextToken")
            if not token:
                return found


class MirroredPointer:
    """Several pointer stores written in order and read from the first.

    The edge store comes first: once it is switched readers see the release, and the bucket
    copy follows as the record the tooling reads when no edge store is configured.
    """

    def __init__(self, stores: list[PointerStore]) -> None:
        if not stores:
            raise ValueError("at least one pointer store is needed")
        self.stores = stores

    def get(self) -> str | None:
        return self.stores[0].get()

    def set(self, release: str) -> None:
        for store in self.stores:
            store.set(release)

    def put_preview(self, token: str, release: str) -> None:
        for store in self.stores:
            store.put_preview(token, release)

    def delete_preview(self, token: str) -> None:
        # The edge store first: once its key is gone no link opens the release.
        for store in self.stores:
            store.delete_preview(token)

    def previews(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for store in self.stores:
            found.update(store.previews())
        return found


class SiteStore:
    def __init__(self, s3: Any, bucket: str) -> None:
        self.s3, self.bucket = s3, bucket

    def check_bucket(self) -> None:
        try:
            self.s3.head_bucket(Bucket=self.bucket)
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code in ("404", "NoSuchBucket"):
                raise PublishError(
                    f"the site bucket {self.bucket!r} does not exist: "
                    "deploy the infrastructure first (invoke deploy / invoke up)"
                ) from error
            if code in ("403", "AccessDenied"):
                raise PublishError(
                    f"access to the site bucket {self.bucket!r} is denied for these credentials"
                ) from error
            raise

    def _list(self, prefix: str) -> Iterator[dict[str, Any]]:
        paginator = self.s3.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            yield from page.get("Contents", [])

    def stored_objects(self) -> list[StoredObject]:
        return [
            StoredObject(item["Key"][len(OBJECTS_PREFIX) :], item["LastModified"])
            for item in self._list(OBJECTS_PREFIX)
        ]

    def _exists(self, key: str) -> bool:
        try:
            self.s3.head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if error.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def missing(self, hashes: Iterable[str]) -> set[str]:
        """Which of these content hashes are not stored yet (HEAD a few, or list once)."""
        wanted = set(hashes)
        if not wanted:
            return set()
        if len(wanted) <= HEAD_LIMIT:
            candidates = sorted(wanted)
            with ThreadPoolExecutor(max_workers=8) as pool:
                stored = list(pool.map(lambda h: self._exists(object_key(h)), candidates))
            return {h for h, exists in zip(candidates, stored, strict=True) if not exists}
        return wanted - {stored.sha256 for stored in self.stored_objects()}

    def upload_object(self, sha256: str, source: Path, content_type: str) -> None:
        extra = {"ContentType": content_type, "Metadata": {"sha256": sha256}}
        if source.stat().st_size < MULTIPART_THRESHOLD:
            # One request; a transfer manager per file would cost more than the upload.
            self.s3.put_object(
                Bucket=self.bucket, Key=object_key(sha256), Body=source.read_bytes(), **extra
            )
            return
        from s3transfer.manager import TransferConfig, TransferManager  # only for large files

        config = TransferConfig(
            multipart_threshold=MULTIPART_THRESHOLD,
            multipart_chunksize=MULTIPART_THRESHOLD,
            max_request_concurrency=4,
        )
        with TransferManager(self.s3, config) as manager:
            manager.upload(str(source), self.bucket, object_key(sha256), extra_args=extra).result()

    def release_ids(self) -> list[str]:
        ids = []
        for item in self._list(RELEASES_PREFIX):
            name = item["Key"][len(RELEASES_PREFIX) :]
            if name.endswith(MANIFEST_SUFFIX) and is_release_id(name[: -len(MANIFEST_SUFFIX)]):
                ids.append(name[: -len(MANIFEST_SUFFIX)])
        return sorted(ids)

    def read_manifest(self, release: str) -> dict[str, Any] | None:
        try:
            body = self.s3.get_object(Bucket=self.bucket, Key=manifest_key(release))["Body"]
        except ClientError as error:
            if error.response["Error"]["Code"] in ("NoSuchKey", "404"):
                return None
            raise
        try:
            return json.loads(body.read())
        except ValueError:
            return None  # a torn or foreign object is no manifest

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        self.s3.put_object(
            Bucket=self.bucket,
            Key=manifest_key(manifest["release"]),
            Body=json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode(),
            ContentType="application/json",
            CacheControl="no-store",
        )

    def delete_manifest(self, release: str) -> None:
        self.s3.delete_object(Bucket=self.bucket, Key=manifest_key(release))

    def delete_keys(self, keys: list[str]) -> list[tuple[str, str]]:
        """Delete in batches; returns (key, error code) for every key S3 did not delete."""
        failed = []
        for start in range(0, len(keys), DELETE_BATCH):
            batch = keys[start : start + DELETE_BATCH]
            answer = self.s3.delete_objects(
                Bucket=self.bucket,
                Delete={"Objects": [{"Key": key} for key in batch], "Quiet": True},
            )
            failed += [(error["Key"], error.get("Code", "?")) for error in answer.get("Errors", [])]
        return failed
