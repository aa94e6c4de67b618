"""What a visit request may contain, checked before anything is stored."""

from __future__ import annotations

import base64
import binascii
import json
import re
import unicodedata
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from common.http import ApiError

MAX_BODY_BYTES = 4 * 1024
MAX_PATH_LENGTH = 512
MAX_FIELD_LENGTH = 1024
OPTIONAL_FIELDS = ("referrer", "utm_source", "utm_medium", "utm_campaign")
# A site path as location.pathname gives it: rooted, and neither a URL nor a query.
_NOT_IN_PATH = re.compile(r"[\s?#\\]")


@dataclass(frozen=True)
class Visit:
    path: str
    referrer: str | None = None
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_campaign: str | None = None


def invalid_path(message: str) -> ApiError:
    return ApiError(HTTPStatus.BAD_REQUEST, "invalid_path", message)


def validate_path(value: Any) -> str:
    if value is None or value == "":
        raise ApiError(HTTPStatus.BAD_REQUEST, "missing_path", "The path of the page is required.")
    if not isinstance(value, str):
        raise invalid_path("The path must be a string.")
    if len(value) > MAX_PATH_LENGTH:
        raise invalid_path(f"The path must be at most {MAX_PATH_LENGTH} characters long.")
    if not value.startswith("/") or value.startswith("//"):
        raise invalid_path('The path must be a site path starting with a single "/".')
    if _NOT_IN_PATH.search(value) or any(
        unicodedata.category(char).startswith("C") for char in value
    ):
        raise invalid_path(
            "The path must not contain whitespace, control characters, a query or a fragment."
        )
    return value


def _body_bytes(body: str | None, is_base64: bool) -> bytes:
    if not body:
        return b""
    if not is_base64:
        return body.encode("utf-8")
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise ApiError(
            HTTPStatus.BAD_REQUEST, "invalid_json", "The request body is not valid JSON."
        ) from None


def parse_visit(body: str | None, is_base64: bool = False) -> Visit:
    raw = _body_bytes(body, is_base64)
    if len(raw) > MAX_BODY_BYTES:
        raise ApiError(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
            "payload_too_large",
            f"The request body must be at most {MAX_BODY_BYTES} bytes.",
        )
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(
            HTTPStatus.BAD_REQUEST, "invalid_json", "The request body is not valid JSON."
        ) from None
    if not isinstance(document, dict):
        raise ApiError(
            HTTPStatus.BAD_REQUEST, "invalid_body", "The request body must be a JSON object."
        )
    fields: dict[str, str | None] = {}
    for name in OPTIONAL_FIELDS:
        value = document.get(name)
        if value is not None and (not isinstance(value, str) or len(value) > MAX_FIELD_LENGTH):
            raise ApiError(
                HTTPStatus.BAD_REQUEST,
                "invalid_field",
                f"The {name} field must be a string of at most {MAX_FIELD_LENGTH} characters.",
            )
        fields[name] = value or None
    return Visit(path=validate_path(document.get("path")), **fields)
