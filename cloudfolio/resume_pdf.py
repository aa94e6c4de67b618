"""The built resume PDF into its private bucket, uploaded only when its bytes changed.

The resume plugin writes each build's PDF beside the output directory (never into the site) with
a small manifest holding the download name. `invoke publish` and `invoke up` call upload() after
the site; the download function reads the object's metadata for the attachment's file name.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from cloudfolio import paths

# Object metadata (x-amz-meta-*) with the content hash that says "unchanged".
SHA256_METADATA = "sha256"


def _download_name_metadata() -> str:
    """The metadata name the download function reads the attachment's file name from."""
    backend = str(paths.BACKEND)
    if backend not in sys.path:
        sys.path.insert(0, backend)
    from resume.storage import DOWNLOAD_NAME_METADATA

    return DOWNLOAD_NAME_METADATA


def _plugin() -> Any:
    """The resume plugin names the private PDF's place; import it rather than repeat it."""
    plugins = str(paths.PLUGINS)
    if plugins not in sys.path:
        sys.path.insert(0, plugins)
    import cloudfolio_resume

    return cloudfolio_resume


@dataclass(frozen=True)
class BuiltPdf:
    path: Path
    sha256: str
    download_name: str

    @property
    def size(self) -> int:
        return self.path.stat().st_size


@dataclass(frozen=True)
class Upload:
    pdf: BuiltPdf
    uploaded: bool  # False: the bucket already held these bytes


def built_pdf(site_dir: Path) -> BuiltPdf | None:
    """The PDF the build of `site_dir` made, or None when the site has no resume page."""
    plugin = _plugin()
    private = plugin.private_dir(site_dir)
    pdf, manifest = private / plugin.PDF_NAME, private / plugin.MANIFEST_NAME
    if not pdf.exists() or not manifest.exists():
        return None
    data = pdf.read_bytes()
    download_name = json.loads(manifest.read_text())["download_name"]
    return BuiltPdf(pdf, hashlib.sha256(data).hexdigest(), download_name)


def _stored_sha256(s3: Any, bucket: str, key: str) -> str | None:
    try:
        head = s3.head_object(Bucket=bucket, Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        raise
    return (head.get("Metadata") or {}).get(SHA256_METADATA)


def upload(s3: Any, bucket: str, key: str, site_dir: Path) -> Upload | None:
    pdf = built_pdf(site_dir)
    if pdf is None:
        return None
    if _stored_sha256(s3, bucket, key) == pdf.sha256:
        return Upload(pdf, uploaded=False)
    s3.put_object(
        Bucket=bucket,
        Key=key,
        Body=pdf.path.read_bytes(),
        ContentType="application/pdf",
        ContentDisposition=f'attachment; filename="{pdf.download_name}"',
        CacheControl="private, no-store",
        Metadata={SHA256_METADATA: pdf.sha256, _download_name_metadata(): pdf.download_name},
    )
    return Upload(pdf, uploaded=True)


def describe(result: Upload | None, bucket: str) -> str:
    if result is None:
        return "no resume PDF in this build; nothing uploaded"
    size = f"{result.pdf.size / 1024:.1f} KB"
    if not result.uploaded:
        return f"resume PDF unchanged in s3://{bucket} ({size}); nothing uploaded"
    return f"resume PDF uploaded to s3://{bucket} ({size})"
