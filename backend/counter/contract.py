"""The counter API's payload schemas, for the routes' OpenAPI description.

The request rules come from counter.request, where the code checks them: nothing is restated.
"""

from __future__ import annotations

from typing import Any

from common.throttle import throttle

from counter.request import FIELD_RULE, MAX_BODY_BYTES, PATH_RULE

JSON = "application/json"
PATH_SCHEMA: dict[str, Any] = {**PATH_RULE.schema(), "example": "/posts/hello-world/"}
OPTIONAL_TEXT: dict[str, Any] = FIELD_RULE.schema()

VISIT_REQUEST: dict[str, Any] = {
    "type": "object",
    "required": ["path"],
    "properties": {
        "path": PATH_SCHEMA,
        "referrer": {**OPTIONAL_TEXT, "description": "document.referrer, if any."},
        "utm_source": OPTIONAL_TEXT,
        "utm_medium": OPTIONAL_TEXT,
        "utm_campaign": OPTIONAL_TEXT,
    },
    "description": f"At most {MAX_BODY_BYTES} bytes.",
}
COUNTS: dict[str, Any] = {
    "type": "object",
    "required": ["views", "page_views", "visitors"],
    "properties": {
        "views": {"type": "integer", "description": "Page views of the whole site."},
        "page_views": {"type": "integer", "description": "Page views of this path."},
        "visitors": {"type": "integer", "description": "Daily-unique visitors, summed."},
    },
}
ERROR: dict[str, Any] = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "example": "invalid_path"},
        "message": {"type": "string"},
    },
}
HEALTH: dict[str, Any] = {
    "type": "object",
    "required": ["status"],
    "properties": {"status": {"type": "string", "enum": ["ok"]}},
}


def json_response(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def error(description: str) -> dict[str, Any]:
    return json_response(description, ERROR)


COUNTS_RESPONSES: dict[int, Any] = {
    200: json_response("The current numbers.", COUNTS),
    400: error("Malformed JSON, or a missing or invalid path or field."),
    404: error("The path is not a page of the live release (unknown_page)."),
    413: error("The body is larger than 4 KB."),
}
HEALTH_RESPONSES: dict[int, Any] = {200: json_response("The function is up.", HEALTH)}

# Every reader's page view calls the counter: sized for a spike from a busy link.
COUNTER_THROTTLE = throttle(rate_limit=100, burst_limit=200)

# What Powertools cannot infer without request validation (pydantic stays out of Lambda).
OPERATION_EXTRAS: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/visits"): {
        "requestBody": {"required": True, "content": {JSON: {"schema": VISIT_REQUEST}}},
        **COUNTER_THROTTLE,
    },
    ("GET", "/visits"): {
        "parameters": [{"name": "path", "in": "query", "required": True, "schema": PATH_SCHEMA}],
        **COUNTER_THROTTLE,
    },
    ("GET", "/health"): COUNTER_THROTTLE,
}
