"""Encoded files kept under the hash of everything that went into them.

A rebuild asks for the same inputs again and reads the stored bytes instead of decoding and
encoding; a changed source, setting, encoder module or Pillow version is a different key, so
nothing goes stale.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import PIL


def files_digest(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(hashlib.sha256(Path(path).read_bytes()).digest())
    return digest.hexdigest()


class EncodingCache:
    """`code` are the modules that produce the bytes: editing one is a new key, like new inputs."""

    def __init__(self, root: Path, code: Iterable[Path]) -> None:
        self.root = root
        self.code = files_digest(code)
        self.hits = 0
        self.misses = 0

    def path_for(self, inputs: object, suffix: str) -> Path:
        material = json.dumps([self.code, PIL.__version__, inputs], sort_keys=True)
        key = hashlib.sha256(material.encode()).hexdigest()
        return self.root / key[:2] / f"{key}{suffix}"

    def get(self, inputs: object, suffix: str, make: Callable[[], bytes]) -> bytes:
        path = self.path_for(inputs, suffix)
        if path.is_file():
            self.hits += 1
            return path.read_bytes()
        data = make()
        self.misses += 1
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed, so an interrupted build never leaves half a file behind.
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
        return data
