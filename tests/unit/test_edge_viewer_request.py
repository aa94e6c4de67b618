"""The viewer-request CloudFront Function, run under node with the `cloudfront` module stubbed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from cloudfolio.publish.edge import EDGE_DIR, release_mapping, select_release

FUNCTION = EDGE_DIR / "viewer_request.js"
LIVE = "20260101T120000.000Z-0a1b2c3d"
PREVIEW = "20260102T090000.500Z-deadbeef"
# Runs the function source in a fresh context whose `cf.kvs()` reads the test's key values,
# the way the CloudFront runtime resolves `import cf from 'cloudfront'`.
HARNESS = r"""
const fs = require('fs');
const vm = require('vm');
const source = fs.readFileSync(process.argv[1], 'utf8')
    .replace(/^import cf from 'cloudfront';$/m, '');
const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const cf = { kvs: () => ({ get: async (key) => {
    if (Object.prototype.hasOwnProperty.call(input.kvs, key)) { return input.kvs[key]; }
    throw new Error('KeyNotFound: ' + key);
} }) };
const context = vm.createContext({ cf, console: { log: () => {} } });
vm.runInContext(source, context);
context.handler(input.event).then((result) => process.stdout.write(JSON.stringify(result)));
"""


def node() -> str:
    found = shutil.which("node")
    assert found, "node is needed to test the CloudFront Function"
    return found


def run_function(event: dict, kvs: dict | None = None) -> dict:
    completed = subprocess.run(
        [node(), "-e", HARNESS, str(FUNCTION)],
        input=json.dumps({"event": event, "kvs": {"live": LIVE} if kvs is None else kvs}),
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


def test_the_live_release_goes_into_the_uri_so_it_is_in_the_cache_key():
    result = run_function(viewer_event("/posts/hello/", {"utm_source": "feed"}))
    assert result["uri"] == f"/_r/{LIVE}/posts/hello/"
    assert result["querystring"] == {"utm_source": {"value": "feed"}}


def test_a_preview_link_sets_a_cookie_and_redirects_to_the_clean_url():
    result = run_function(viewer_event("/posts/hello/", {"__release": PREVIEW, "page": "2"}))
    assert result["statusCode"] == 302
    assert result["headers"]["location"]["value"] == "/posts/hello/?page=2"
    cookie = result["cookies"]["__release"]
    assert cookie["value"] == PREVIEW
    assert "Secure" in cookie["attributes"] and "HttpOnly" in cookie["attributes"]


def test_the_preview_cookie_selects_its_release():
    result = run_function(viewer_event("/", cookies={"__release": PREVIEW}))
    assert result["uri"] == f"/_r/{PREVIEW}/"


def test_leaving_the_preview_clears_the_cookie():
    result = run_function(viewer_event("/", {"__release": "live"}, {"__release": PREVIEW}))
    assert result["statusCode"] == 302
    assert result["headers"]["location"]["value"] == "/"
    assert result["cookies"]["__release"]["value"] == ""
    assert "Max-Age=0" in result["cookies"]["__release"]["attributes"]


@pytest.mark.parametrize("bad", ["../../etc", "latest", f"{PREVIEW}x", ""])
def test_malformed_release_ids_are_ignored(bad):
    assert run_function(viewer_event("/", {"__release": bad}))["uri"] == f"/_r/{LIVE}/"
    assert run_function(viewer_event("/", cookies={"__release": bad}))["uri"] == f"/_r/{LIVE}/"


def test_without_a_live_release_the_edge_answers_503():
    assert run_function(viewer_event("/"), kvs={})["statusCode"] == 503


@pytest.mark.parametrize(
    ("query", "cookie"),
    [
        ({}, {}),
        ({"__release": PREVIEW}, {}),
        ({"__release": PREVIEW, "a": "1"}, {}),
        ({}, {"__release": PREVIEW}),
        ({"__release": "live"}, {"__release": PREVIEW}),
        ({"__release": "nonsense"}, {}),
    ],
)
def test_the_python_twin_used_by_local_serving_decides_the_same(query, cookie):
    js = run_function(viewer_event("/a/", query, cookie))
    query_string = "&".join(f"{k}={v}" for k, v in query.items())
    cookie_header = "; ".join(f"{k}={v}" for k, v in cookie.items()) or None
    python = select_release("/a/", query_string, cookie_header, secure=True)
    if "statusCode" in js:
        assert python.redirect == js["headers"]["location"]["value"]
        assert python.set_cookie.startswith(f"__release={js['cookies']['__release']['value']};")
    else:
        assert python.redirect is None
        assert js["uri"] == f"/_r/{python.release or LIVE}/a/"


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
