"""Make moto's DynamoDB as atomic as DynamoDB: one write at a time.

DynamoDB evaluates a condition and applies the write as one step; moto checks and writes in
separate Python steps, so two threads (or two server requests) can both pass the same
`attribute_not_exists` check. The demo lock relies on that atomicity, so the emulator and the
unit tests serialize moto's write operations.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

WRITES = ("put_item", "update_item", "delete_item", "transact_write_items", "batch_write_item")
_lock = threading.RLock()
_patched = False


def serialize_dynamodb_writes() -> None:
    global _patched
    if _patched:
        return
    from moto.dynamodb.models import DynamoDBBackend

    for name in WRITES:
        original = getattr(DynamoDBBackend, name, None)
        if original is None:
            continue

        @functools.wraps(original)
        def serialized(*args: Any, __original: Any = original, **kwargs: Any) -> Any:
            with _lock:
                return __original(*args, **kwargs)

        setattr(DynamoDBBackend, name, serialized)
    _patched = True
