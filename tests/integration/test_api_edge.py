"""The API's edge on the local stack, as in production: reached through the site's /api (the
static server plays CloudFront), refused on the gateway's own port without the origin secret,
and fuzzed from its description."""

from __future__ import annotations

import re
import urllib.request

from cloudfolio import api_description, api_fuzz
from cloudfolio.local.stack import StackInfo
from tests.integration.conftest import ApiClient, api_base, demo_back_to_idle

# At least 1,000 cases over every operation, within a time budget that keeps CI short.
CASES_PER_OPERATION_AND_MODE = 100
FUZZ_MIN_CASES = 400
FUZZ_TIME_BUDGET = 180


def site_pages(stack: StackInfo) -> list[str]:
    with urllib.request.urlopen(f"{stack.site_url}/sitemap.xml", timeout=10) as response:
        sitemap = response.read().decode()
    pages = [
        re.sub(r"^https?://[^/]+", "", url) or "/"
        for url in re.findall(r"<loc>([^<]+)</loc>", sitemap)
    ]
    assert pages, "the sitemap lists no pages"
    return pages


def test_the_gateway_port_refuses_requests_that_skip_the_site(local_stack: StackInfo) -> None:
    direct = ApiClient(local_stack.api_url)
    for method, path in (("GET", "/health"), ("GET", "/visits?path=/"), ("POST", "/visits")):
        reply = direct.request(method, path, b'{"path": "/"}', {"Content-Type": "application/json"})
        assert reply.status == 403, (method, path, reply.body)
        assert reply.json()["error"] == "forbidden"


def test_a_forged_origin_secret_is_refused(local_stack: StackInfo) -> None:
    reply = ApiClient(local_stack.api_url).request(
        "GET", "/health", headers={"X-Origin-Verify": "guess"}
    )
    assert reply.status == 403


def test_through_the_site_the_api_answers(local_stack: StackInfo) -> None:
    reply = ApiClient(api_base(local_stack)).request("GET", "/health")
    assert (reply.status, reply.json()) == (200, {"status": "ok"})


def test_the_api_keeps_its_description_under_fuzzing(local_stack: StackInfo) -> None:
    try:
        report = api_fuzz.run(
            api_base(local_stack),
            cases_per_operation=CASES_PER_OPERATION_AND_MODE,
            time_budget=FUZZ_TIME_BUDGET,
            pages=site_pages(local_stack),
        )
    finally:
        # The stack is shared: a demo the fuzz started must not outlive the test.
        demo_back_to_idle(ApiClient(api_base(local_stack)))
    print(
        f"\nfuzz: {report.total} cases in {report.seconds:.1f}s, "
        f"{len(report.failures)} failures, statuses {dict(report.statuses)}, "
        f"per operation {dict(report.cases)}"
    )
    assert report.failures == [], "\n".join(report.failures)
    assert not report.out_of_time, f"the fuzz ran out of its {FUZZ_TIME_BUDGET}s budget"
    assert report.total >= FUZZ_MIN_CASES
    assert set(report.cases) == {f"{op.method} {op.path}" for op in api_description.operations()}
    assert report.statuses[200] > 0  # real pages were counted, not only refusals
