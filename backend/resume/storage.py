"""The resume PDF in its private bucket: does it exist, and a short-lived link to download it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import botocore.session
from botocore.exceptions import BotoCoreError, ClientError
from common.aws import CLIENT_CONFIG
from common.http import ApiError

from resume.contract import PRESIGNED_URL_SECONDS

# Object metadata written by `invoke publish` (x-amz-meta-download-name): the file name the
# reader's browser saves, "<Name>-Resume.pdf", from the resume's own Name field.
DOWNLOAD_NAME_METADATA = "download-name"
FALLBACK_DOWNLOAD_NAME = "Resume.pdf"
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}\.pdf$")
# Without s3:ListBucket (the role has none), S3 answers a missing key with 403, not 404.
_MISSING = {"404", "NoSuchKey", "NotFound", "403", "AccessDenied", "Forbidden"}


def s3_client() -> Any:
    # SigV4 presigning: the only kind S3 accepts in every region.
    config = CLIENT_CONFIG.merge(botocore.config.Config(signature_version="s3v4"))
    return botocore.session.get_session().create_client("s3", config=config)


def content_disposition(download_name: str | None) -> str:
    name = download_name if download_name and _SAFE_NAME.match(download_name) else None
    return f'attachment; filename="{name or FALLBACK_DOWNLOAD_NAME}"'


@dataclass(frozen=True)
class ResumeObject:
    bucket: str
    key: str
    download_name: str | None


def unavailable(what: str) -> ApiError:
    return ApiError(
        HTTPStatus.SERVICE_UNAVAILABLE,
        "unavailable",
        f"The {what} is unavailable right now; nothing was counted. Try again shortly.",
    )


class ResumeStorage:
    def __init__(self, client: Any, bucket: str, key: str) -> None:
        self._client = client
        self._bucket = bucket
        self._key = key

    def find(self) -> ResumeObject:
        """The published PDF, or a 404 ApiError when there is none; 503 when S3 fails."""
        try:
            head = self._client.head_object(Bucket=self._bucket, Key=self._key)
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code", ""))
            if code in _MISSING:
                raise ApiError(
                    HTTPStatus.NOT_FOUND,
                    "resume_not_found",
                    "No resume PDF has been published yet.",
                ) from None
            raise unavailable("resume storage") from None
        except BotoCoreError:
            raise unavailable("resume storage") from None
        metadata = head.get("Metadata") or {}
        return ResumeObject(self._bucket, self._key, metadata.get(DOWNLOAD_NAME_METADATA))

    def download_url(self, found: ResumeObject) -> str:
        return self._client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": found.bucket,
                "Key": found.key,
                "ResponseContentDisposition": content_disposition(found.download_name),
                "ResponseContentType": "application/pdf",
            },
            ExpiresIn=PRESIGNED_URL_SECONDS,
        )
