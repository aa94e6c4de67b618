"""What a fingerprinted file name is, declared once.

The theme's assets, the processed images and the social cards get a content hash in their names
(the build plugins); publishing gives every such name an immutable cache rule, since a new version
always has a new URL.
"""

from __future__ import annotations

import hashlib
import re

FINGERPRINT_LENGTH = 12
FINGERPRINT_PATTERN = re.compile(rf"\.[0-9a-f]{{{FINGERPRINT_LENGTH}}}\.[A-Za-z0-9]+$")


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:FINGERPRINT_LENGTH]


def fingerprinted(relative: str, data: bytes) -> str:
    """`css/main.css` -> `css/main.<hash>.css`."""
    stem, dot, suffix = relative.rpartition(".")
    return f"{stem}.{content_hash(data)}{dot}{suffix}"
