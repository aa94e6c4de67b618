"""The demo API's payload schemas and per-route extras for the API description."""

from __future__ import annotations

from typing import Any

from demo.service import STATUS_FIELDS
from demo.states import State

JSON = "application/json"
THROTTLE = {"x-cloudfolio-throttle": {"rate_limit": 5, "burst_limit": 10}}
NULLABLE_TEXT = {"type": ["string", "null"]}
NULLABLE_SECONDS = {"type": ["integer", "null"], "minimum": 0}
NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}

ERROR: dict[str, Any] = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
}
STATUS: dict[str, Any] = {
    "type": "object",
    "required": list(STATUS_FIELDS),
    "additionalProperties": False,
    "properties": {
        "state": {"type": "string", "enum": [s.value for s in State]},
        "started_at": NULLABLE_TIME,
        "elapsed_s": NULLABLE_SECONDS,
        "expires_at": NULLABLE_TIME,
        "remaining_s": NULLABLE_SECONDS,
        "environment_url": NULLABLE_TEXT,
        "pipeline_id": NULLABLE_TEXT,
        "provider": NULLABLE_TEXT,
        "last_error": NULLABLE_TEXT,
    },
}
CONFLICT: dict[str, Any] = {
    **ERROR,
    "required": ["error", "message", "current"],
    "properties": {**ERROR["properties"], "current": STATUS},
}
JOB = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "status": {"type": "string"},
        "duration_s": {"type": ["number", "null"]},
    },
}
PIPELINE: dict[str, Any] = {
    "type": "object",
    "required": ["pipeline", "is_running", "is_success", "is_failed", "is_finished"],
    "properties": {
        "pipeline": {
            "type": ["object", "null"],
            "properties": {
                "id": {"type": "string"},
                "status": {"type": "string"},
                "duration_s": {"type": ["number", "null"]},
                "web_url": NULLABLE_TEXT,
                "stages": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "name": {"type": "string"},
                            "status": {"type": "string"},
                            "jobs": {"type": "array", "items": JOB},
                        },
                    },
                },
            },
        },
        **{flag: {"type": "boolean"} for flag in ("is_running", "is_success", "is_failed")},
        "is_finished": {"type": "boolean"},
    },
}
LOGS: dict[str, Any] = {
    "type": "object",
    "required": ["jobs"],
    "properties": {
        "jobs": {
            "type": "array",
            "description": "Job order, newest last; each text is masked and at most 64 KB.",
            "items": {
                "type": "object",
                "required": ["job_id", "name", "text", "truncated"],
                "properties": {
                    "job_id": {"type": "string"},
                    "name": {"type": "string"},
                    "text": {"type": "string"},
                    "truncated": {"type": "boolean"},
                },
            },
        }
    },
}
HISTORY: dict[str, Any] = {
    "type": "object",
    "required": ["runs"],
    "properties": {
        "runs": {
            "type": "array",
            "description": "Newest first; kept 30 days. The requester is a one-way hash.",
            "items": {
                "type": "object",
                "properties": {
                    "deployment_id": {"type": "string"},
                    "started_at": {"type": "string", "format": "date-time"},
                    "finished_at": {"type": "string", "format": "date-time"},
                    "outcome": {"type": "string", "enum": ["completed", "failed"]},
                    "duration_s": {"type": "integer"},
                    "provider": {"type": "string"},
                    "requester": {"type": "string"},
                },
            },
        }
    },
}


def json_response(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def error(description: str) -> dict[str, Any]:
    return json_response(description, ERROR)


PROVIDER_ERRORS = {
    502: error("The pipeline provider refused or failed the call."),
    503: error("The pipeline provider is unavailable for now; try again."),
}
START_RESPONSES = {
    201: json_response("The deployment started; Location names it.", STATUS),
    409: json_response("A demo is already active: it is in `current`.", CONFLICT),
    403: error("The human check (Turnstile) is on and the token is missing or not valid."),
    429: error("The visitor's daily quota or the site's daily cap is used up."),
    **PROVIDER_ERRORS,
}
DESTROY_RESPONSES = {
    202: json_response("The destroy started.", STATUS),
    409: error("Nothing to destroy, or a destroy already runs."),
    **PROVIDER_ERRORS,
}
STATUS_RESPONSES = {200: json_response("The current deployment; nulls when idle.", STATUS)}
PIPELINE_RESPONSES = {200: json_response("The current pipeline and its flags.", PIPELINE)}
LOGS_RESPONSES = {200: json_response("The current pipeline's job logs.", LOGS), **PROVIDER_ERRORS}
HISTORY_RESPONSES = {200: json_response("Finished runs.", HISTORY)}

IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "The same key within 10 minutes returns the same deployment.",
    "schema": {"type": "string", "maxLength": 128},
}
TURNSTILE_HEADER = "CF-Turnstile-Response"
TURNSTILE_TOKEN = {
    "name": TURNSTILE_HEADER,
    "in": "header",
    "required": False,
    "description": "The Cloudflare Turnstile token, required when the human check is on.",
    "schema": {"type": "string", "maxLength": 2048},
}
OPERATION_EXTRAS: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/demo"): {**THROTTLE, "parameters": [IDEMPOTENCY_KEY, TURNSTILE_TOKEN]},
    ("DELETE", "/demo"): THROTTLE,
    ("GET", "/demo"): THROTTLE,
    ("GET", "/demo/pipeline"): THROTTLE,
    ("GET", "/demo/logs"): THROTTLE,
    ("GET", "/demo/history"): THROTTLE,
}
