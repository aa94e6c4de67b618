"""Schema-based fuzzing of the API: schemathesis generates requests from backend/openapi.json.

Every response must be a documented status with a body that fits its schema, no request may get
a server error, and a schema-valid request must be accepted. A valid path that is not one of the
site's pages is the documented 404 `unknown_page`, so a share of the valid cases is steered to
real pages: both the counting answer and the refusal are exercised.

Bounded in count (cases per operation and mode) and in time (a budget that stops generation).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from cloudfolio.api_description import API_DESCRIPTION

UNKNOWN_PAGE = "unknown_page"


class FuzzStopped(Exception):
    """The time budget ran out: generation stops, what ran is reported."""


class Finding(AssertionError):
    """A response broke a check; its first line names the check."""


@dataclass
class FuzzReport:
    cases: Counter[str] = field(default_factory=Counter)  # operation label -> cases sent
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)  # one line per failing operation and mode
    seconds: float = 0.0
    out_of_time: bool = False

    @property
    def total(self) -> int:
        return sum(self.cases.values())


def _accepts_valid_requests(ctx: Any, response: Any, case: Any) -> bool | None:
    """A schema-valid request is not refused for its input.

    Accepted: 2xx and 3xx; 404 unknown_page for a path that is no page; and answers that report
    the server's state rather than the request: 409 (a conflict with what is running), 429 (the
    route's throttle), and a 404
    for an operation that takes no input (nothing published yet), where the input cannot be wrong.
    """
    status = response.status_code
    if not case.meta.generation.mode.is_positive or 200 <= status < 400 or status in (409, 429):
        return None
    if status == 404 and not _takes_input(case):
        return None
    if status == 404:
        try:
            if response.json().get("error") == UNKNOWN_PAGE:
                return None
        except ValueError:
            pass
    raise AssertionError(
        f"a schema-valid request was rejected with {status}: {response.text[:200]}"
    )


def _takes_input(case: Any) -> bool:
    body = getattr(case, "body", None)
    return bool(case.query or case.path_parameters or isinstance(body, (dict, list, str, bytes)))


def _steer_to_pages(case: Any, page: str) -> None:
    """Use a known page as the `path` input, wherever the operation takes one."""
    if isinstance(case.body, dict) and "path" in case.body:
        case.body["path"] = page
    if case.query and "path" in case.query:
        case.query["path"] = page


def run(
    base_url: str,
    *,
    cases_per_operation: int,
    time_budget: float,
    pages: Sequence[str] = (),
    description: Path = API_DESCRIPTION,
    headers: dict[str, str] | None = None,
    modes: Sequence[str] = ("positive", "negative"),
) -> FuzzReport:
    """Fuzz every operation in `description` against `base_url`; never raises for a finding."""
    import hypothesis
    import hypothesis.strategies as st
    import schemathesis
    from schemathesis import checks as builtin
    from schemathesis.core.failures import FailureGroup
    from schemathesis.generation import GenerationMode
    from schemathesis.specs.openapi import checks as openapi_checks

    schema = schemathesis.openapi.from_path(description)
    schema.config.update(base_url=base_url)
    checks = [
        builtin.not_a_server_error,
        openapi_checks.status_code_conformance,
        openapi_checks.content_type_conformance,
        openapi_checks.response_schema_conformance,
        openapi_checks.negative_data_rejection,
        _accepts_valid_requests,
    ]
    head_checks = [
        check for check in checks if check is not openapi_checks.response_schema_conformance
    ]
    report = FuzzReport()
    started = time.monotonic()
    session = requests.Session()
    settings = hypothesis.settings(
        max_examples=cases_per_operation,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate, hypothesis.Phase.shrink],
        suppress_health_check=list(hypothesis.HealthCheck),
    )

    def fuzz_test(operation: Any, mode: str) -> Any:
        @settings
        @hypothesis.given(
            case=operation.as_strategy(generation_mode=GenerationMode(mode)), data=st.data()
        )
        def fuzz(case: Any, data: Any) -> None:
            if time.monotonic() - started > time_budget:
                raise FuzzStopped
            if mode == "positive" and pages and data.draw(st.booleans(), label="real page"):
                _steer_to_pages(case, data.draw(st.sampled_from(list(pages)), label="page"))
            report.cases[operation.label] += 1
            # A redirect is the answer under test (GET /resume), not a page to follow.
            response = case.call(session=session, headers=headers, allow_redirects=False)
            report.statuses[response.status_code] += 1
            try:
                # A HEAD answer has no body to hold the documented JSON.
                applied = checks if case.method.upper() != "HEAD" else head_checks
                case.validate_response(response, checks=applied, headers=headers)
            except FailureGroup as group:
                titles = "; ".join(
                    f"{failure.title}: {failure.message}" for failure in group.exceptions
                )
                raise Finding(f"{titles} (status {response.status_code})") from None

        return fuzz

    document = json.loads(description.read_text())
    for result in schema.get_all_operations():
        operation = result.ok()
        method, path = operation.label.split(" ", 1)
        declared = document["paths"][path][method.lower()]
        # Without parameters or a body there is nothing to make invalid.
        takes_input = bool(declared.get("parameters") or declared.get("requestBody"))
        for mode in modes if takes_input else [m for m in modes if m != "negative"]:
            try:
                fuzz_test(operation, mode)()
            except FuzzStopped:
                report.out_of_time = True
                break
            except Finding as finding:  # the first failing example, shrunk by Hypothesis
                report.failures.append(f"{operation.label} ({mode}): {finding}")
        if report.out_of_time:
            break
    report.seconds = time.monotonic() - started
    return report
