"""The resume download API's responses and per-route extras, for the API description."""

from __future__ import annotations

from typing import Any

from common.throttle import throttle
from counter.contract import ERROR, error, json_response

PRESIGNED_URL_SECONDS = 300  # the download link expires within 5 minutes
THROTTLE = throttle(rate_limit=20, burst_limit=40)

STATS: dict[str, Any] = {
    "type": "object",
    "required": ["downloads", "visitors"],
    "properties": {
        "downloads": {"type": "integer", "description": "Counted downloads (robots excluded)."},
        "visitors": {"type": "integer", "description": "Daily-unique downloaders, summed."},
    },
}
REDIRECT: dict[str, Any] = {
    "description": (
        "GET counted the download; Location is a presigned URL of the PDF, valid "
        f'{PRESIGNED_URL_SECONDS} s, that downloads it as an attachment "<Name>-Resume.pdf".'
    ),
    "headers": {"Location": {"schema": {"type": "string", "format": "uri"}}},
    # A redirect has no body; without this Powertools would document a JSON one.
    "content": {},
}
DOWNLOAD_RESPONSES: dict[int, Any] = {
    302: REDIRECT,
    404: error("No resume PDF has been published yet."),
    503: error("Storage or the counter is unavailable; nothing was counted."),
}
STATS_RESPONSES: dict[int, Any] = {
    200: json_response("The download numbers.", STATS),
    503: json_response("The counter is unavailable.", ERROR),
}

OPERATION_EXTRAS: dict[tuple[str, str], dict[str, Any]] = {
    ("GET", "/resume"): THROTTLE,
    ("HEAD", "/resume"): THROTTLE,
    ("GET", "/resume/stats"): THROTTLE,
}
