"""What a visit request may contain, declared once: the checks and the API description use it.

Each rule is data (a JSON Schema fragment): `contract.py` puts it into the OpenAPI description
as it is, and the code below checks values with the same pattern and lengths, so the two cannot
disagree.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from common.http import ApiError

MAX_BODY_BYTES = 4 * 1024
MAX_PATH_LENGTH = 512
MAX_FIELD_LENGTH = 1024
OPTIONAL_FIELDS = ("referrer", "utm_source", "utm_medium", "utm_campaign")

# A site path as location.pathname gives it: rooted, with no whitespace, control or invisible
# formatting characters, backslash, query or fragment. The character class is spelled out (no \s)
# because regex engines disagree on what \s covers. A lone surrogate is left to the page check:
# no page has one, so such a path is an unknown page.
_NOT_IN_PATH = (
    r"\x00-\x20\x7f-\xa0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff?#\\"
)


@dataclass(frozen=True)
class TextRule:
    """A string field: its JSON Schema, and the check the code runs, from the same values."""

    max_length: int
    pattern: str | None = None
    nullable: bool = False
    description: str | None = None

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": ["string", "null"] if self.nullable else "string",
            "maxLength": self.max_length,
        }
        if self.pattern is not None:
            schema["pattern"] = self.pattern
        if self.description is not None:
            schema["description"] = self.description
        return schema

    def accepts(self, value: Any) -> bool:
        if value is None:
            return self.nullable
        if not isinstance(value, str) or len(value) > self.max_length:
            return False
        # fullmatch: `$` alone would also match before a trailing newline.
        return self.pattern is None or re.fullmatch(self.pattern, value) is not None


PATH_RULE = TextRule(
    max_length=MAX_PATH_LENGTH,
    # (?![\s\S]) ends the string in every engine; Python's `$` would also match before a
    # trailing newline, so a validator using re.search would accept "/x\n".
    pattern=f"^/[^{_NOT_IN_PATH}]*(?![\\s\\S])",
    description=(
        "The page's site path, as location.pathname gives it. Any spelling of a page of the "
        "live release counts for that page: /x, /x/, /x/index.html, /%78/ and //x/ are one page."
    ),
)
FIELD_RULE = TextRule(max_length=MAX_FIELD_LENGTH, nullable=True)


@dataclass(frozen=True)
class Visit:
    path: str
    referrer: str | None = None
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_campaign: str | None = None


def _invalid_json() -> ApiError:
    return ApiError(HTTPStatus.BAD_REQUEST, "invalid_json", "The request body is not valid JSON.")


def validate_path(value: Any) -> str:
    if value is None or value == "":
        raise ApiError(HTTPStatus.BAD_REQUEST, "missing_path", "The path of the page is required.")
    if not PATH_RULE.accepts(value):
        raise ApiError(
            HTTPStatus.BAD_REQUEST,
            "invalid_path",
            f"The path must be a site path starting with /, of at most {MAX_PATH_LENGTH} "
            "characters, without whitespace, control characters, a query or a fragment.",
        )
    return value


def _body_bytes(body: str | None, is_base64: bool) -> bytes:
    if not body:
        return b""
    if not is_base64:
        return body.encode("utf-8", errors="surrogatepass")
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise _invalid_json() from None


def _document(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    # RecursionError: deeply nested arrays or objects fit in a small body.
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise _invalid_json() from None


def parse_visit(body: str | None, is_base64: bool = False) -> Visit:
    raw = _body_bytes(body, is_base64)
    if len(raw) > MAX_BODY_BYTES:
        raise ApiError(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
            "payload_too_large",
            f"The request body must be at most {MAX_BODY_BYTES} bytes.",
        )
    document = _document(raw)
    if not isinstance(document, dict):
        raise ApiError(
            HTTPStatus.BAD_REQUEST, "invalid_body", "The request body must be a JSON object."
        )
    fields: dict[str, str | None] = {}
    for name in OPTIONAL_FIELDS:
        value = document.get(name)
        if not FIELD_RULE.accepts(value):
            raise ApiError(
                HTTPStatus.BAD_REQUEST,
                "invalid_field",
                f"The {name} field must be a string of at most {MAX_FIELD_LENGTH} characters.",
            )
        fields[name] = value or None
    return Visit(path=validate_path(document.get("path")), **fields)
