"""Counting the object writes an S3 client makes, for the write budget tests and the benchmark."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

# Every S3 call that creates, replaces or deletes stored bytes. Server-side copies count too.
WRITE_OPERATIONS = frozenset(
    {
        "PutObject",
        "CopyObject",
        "UploadPart",
        "UploadPartCopy",
        "CompleteMultipartUpload",
        "DeleteObject",
        "DeleteObjects",
    }
)


class WriteCounter:
    """Attach to a client; `total` is the number of write calls it has made since `reset()`."""

    def __init__(self, client: Any) -> None:
        self._lock = threading.Lock()
        self.calls: Counter[str] = Counter()
        client.meta.events.register("before-parameter-build.s3", self._observe)

    def _observe(self, model: Any, **_: Any) -> None:
        if model.name in WRITE_OPERATIONS:
            with self._lock:
                self.calls[model.name] += 1

    @property
    def total(self) -> int:
        return sum(self.calls.values())

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
