"""The viewer-request CloudFront Function, run under node with the `cloudfront` module stubbed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from cloudfolio.local.viewer import select_release
from cloudfolio.publish.edge import EDGE_DIR, release_mapping

FUNCTION = EDGE_DIR / "viewer_request.js"
LIVE = "20260101T120000.000Z-0a1b2c3d"
# Runs the function source in a fresh context whose `cf.kvs()` reads the test's key values,
# the way the CloudFront runtime resolves `import cf from 'cloudfront'`.
HARNESS = r"""
const fs = require('fs');
const vm = require('vm');
const source = fs.readFileSync(process.argv[1], 'utf8')
    .replace(/^import cf from 'cloudfront';$/m, '');
const inputs = JSON.parse(fs.readFileSync(0, 'utf8'));
async function run(input) {
    const cf = { kvs: () => ({ get: async (key) => {
        if (Object.prototype.hasOwnProperty.call(input.kvs, key)) { return input.kvs[key]; }
        throw new Error('KeyNotFound: ' + key);
    } }) };
    const context = vm.createContext({ cf, console: { log: () => {} } });
    vm.runInContext(source, context);
    return context.handler(input.event);
}
Promise.all(inputs.map(run)).then((results) => process.stdout.write(JSON.stringify(results)));
"""


def node() -> str:
    found = shutil.which("node")
    assert found, "node is needed to test the CloudFront Function"
    return found


def run_function(event: dict, kvs: dict | None = None) -> dict:
    return run_many([(event, {"live": LIVE} if kvs is None else kvs)])[0]


def run_many(inputs: list[tuple[dict, dict]]) -> list[dict]:
    completed = subprocess.run(
        [node(), "-e", HARNESS, str(FUNCTION)],
        input=json.dumps([{"event": event, "kvs": kvs} for event, kvs in inputs]),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def viewer_event(uri: str, querystring: dict | None = None, cookies: dict | None = None) -> dict:
    return {
        "version": "1.0",
        "context": {"eventType": "viewer-request", "distributionId": "EDFDVBD6EXAMPLE"},
        "viewer": {"ip": "198.51.100.7"},
        "request": {
            "method": "GET",
            "uri": uri,
            "querystring": {k: {"value": v} for k, v in (querystring or {}).items()},
            "headers": {"host": {"value": "example.org"}},
            "cookies": {k: {"value": v} for k, v in (cookies or {}).items()},
        },
    }


def test_the_source_parses_as_a_module_with_its_cloudfront_import(tmp_path):
    module = tmp_path / "viewer_request.mjs"
    module.write_text(FUNCTION.read_text())
    completed = subprocess.run([node(), "--check", str(module)], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert "import cf from 'cloudfront';" in FUNCTION.read_text()


def test_release_id_pattern_is_the_same_in_js_and_python():
    js_pattern = re.search(r"const RELEASE_ID = /(.+)/;", FUNCTION.read_text()).group(1)
    assert js_pattern == release_mapping.RELEASE_ID_PATTERN.pattern


def cloudfront_querystring(query: str) -> dict:
    """A raw query string as CloudFront hands it to a function: repeated names get multiValue."""
    grouped: dict[str, list[str]] = {}
    for part in filter(None, query.split("&")):
        name, _, value = part.partition("=")
        grouped.setdefault(name, []).append(value)
    shaped = {}
    for name, values in grouped.items():
        shaped[name] = {"value": values[0]}
        if len(values) > 1:
            shaped[name]["multiValue"] = [{"value": v} for v in values]
    return shaped


def case_event(case: dict) -> dict:
    cookies = dict(
        pair.split("=", 1) for pair in filter(None, (case.get("cookie") or "").split("; "))
    )
    event = viewer_event(case["uri"], cookies=cookies)
    event["request"]["querystring"] = cloudfront_querystring(case.get("query", ""))
    return event


def case_kvs(case: dict) -> dict:
    return case["kvs"] if "kvs" in case else CASES["kvs"]


def js_answer(result: dict) -> dict:
    if "uri" in result:
        return {"uri": result["uri"]}
    if result["statusCode"] != 302:
        return {"status": result["statusCode"]}
    return {
        "status": 302,
        "location": result["headers"]["location"]["value"],
        "cookie": result["cookies"][release_mapping.PREVIEW_COOKIE]["value"],
    }


def python_answer(case: dict) -> dict:
    kvs = case_kvs(case)
    selection = select_release(
        case["uri"], case.get("query", ""), case.get("cookie"), True, kvs.get
    )
    if selection.redirect is not None:
        cookie = selection.set_cookie.split(";", 1)[0].split("=", 1)[1]
        return {"status": 302, "location": selection.redirect, "cookie": cookie}
    if selection.release is None:
        return {"status": 503}
    return {"uri": release_mapping.RELEASE_URI_PREFIX + selection.release + case["uri"]}


CASES = json.loads((Path(__file__).parent / "data" / "viewer_request_cases.json").read_text())
CASE_NAMES = [case["name"] for case in CASES["cases"]]


@pytest.fixture(scope="module")
def js_answers() -> dict:
    """Every case through the JS function in one node process (one start-up, not one per case)."""
    results = run_many([(case_event(case), case_kvs(case)) for case in CASES["cases"]])
    return {name: js_answer(result) for name, result in zip(CASE_NAMES, results, strict=True)}


@pytest.mark.parametrize("case", CASES["cases"], ids=CASE_NAMES)
def test_the_function_and_its_python_twin_give_every_answer_in_the_table(case, js_answers):
    assert js_answers[case["name"]] == case["expect"]
    assert python_answer(case) == case["expect"]


def test_no_redirect_in_the_table_leaves_the_host(js_answers):
    for answer in js_answers.values():
        location = answer.get("location", "/")
        assert location.startswith("/") and not location.startswith(("//", "/\\"))
        assert urlsplit("https://site.example" + location).netloc == "site.example"


def test_a_preview_cookie_is_secure_and_http_only():
    token = "Zk3xV9qLr2Tn8YwPa5Hc1Ud7Me4Js6Bo"
    result = run_function(viewer_event("/", {"__preview": token}), CASES["kvs"])
    attributes = result["cookies"]["__preview"]["attributes"]
    assert "Secure" in attributes and "HttpOnly" in attributes


def test_token_pattern_is_the_same_in_js_and_python():
    js_pattern = re.search(r"const PREVIEW_TOKEN = /(.+)/;", FUNCTION.read_text()).group(1)
    assert js_pattern == release_mapping.PREVIEW_TOKEN_PATTERN.pattern


# Syntax node accepts but the CloudFront Functions runtime (ES 5.1 plus a listed subset) rejects.
UNSUPPORTED_SYNTAX = {
    "for...of": re.compile(r"\bfor\s*\([^)]*\bof\b"),
    "spread or rest": re.compile(r"\.\.\.\w"),
    "classes": re.compile(r"\bclass\s+\w"),
    "computed property names": re.compile(r"[{,]\s*\[[^\]]+\]\s*:"),
    "optional chaining": re.compile(r"\?\.[\w\[]"),
}


@pytest.mark.parametrize("feature", sorted(UNSUPPORTED_SYNTAX))
def test_the_function_avoids_syntax_the_cloudfront_runtime_lacks(feature):
    assert not UNSUPPORTED_SYNTAX[feature].search(FUNCTION.read_text()), feature
