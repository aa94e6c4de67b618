"""The optional Turnstile check against a fake siteverify that redeems each token once."""

from __future__ import annotations

import json

import pytest
from common import settings
from demo.turnstile import Turnstile, TurnstileError, turnstile_from_env
from demo_fake_ci import AnswersAfter
from werkzeug import Response

SECRET = "0x4AAAAAAAFakeSecretKeyForTests00"
VALID = {"XXXX.DUMMY.TOKEN.1", "XXXX.DUMMY.TOKEN.2"}


@pytest.fixture
def siteverify(httpserver_ipv4):
    """Cloudflare's rules: a known secret, valid tokens, each redeemed once."""
    redeemed: set[str] = set()
    forms: list[dict[str, str]] = []

    def verify(request):
        form = request.form.to_dict()
        forms.append(form)
        if form.get("secret") != SECRET:
            body = {"success": False, "error-codes": ["invalid-input-secret"]}
        elif form.get("response") not in VALID:
            body = {"success": False, "error-codes": ["invalid-input-response"]}
        elif form["response"] in redeemed:
            body = {"success": False, "error-codes": ["timeout-or-duplicate"]}
        else:
            redeemed.add(form["response"])
            body = {
                "success": True,
                "challenge_ts": "2026-11-25T16:00:00.000Z",
                "hostname": "resume.example",
                "action": "deploy-demo",
                "error-codes": [],
                "cdata": "",
            }
        return Response(json.dumps(body), content_type="application/json")

    httpserver_ipv4.expect_request("/turnstile/v0/siteverify", method="POST").respond_with_handler(
        verify
    )
    httpserver_ipv4.forms = forms
    return httpserver_ipv4


def check(server, secret: str = SECRET, **options) -> Turnstile:
    return Turnstile(
        lambda: secret, verify_url=server.url_for("/turnstile/v0/siteverify"), **options
    )


def test_off_by_default():
    assert turnstile_from_env({}) is None


def test_on_when_a_secret_is_named(siteverify):
    env = {
        settings.DEMO_TURNSTILE_SECRET: "cloudfolio/demo/turnstile",
        settings.DEMO_TURNSTILE_VERIFY_URL: siteverify.url_for("/turnstile/v0/siteverify"),
    }
    turnstile = turnstile_from_env(env, get_secret=lambda name: SECRET)
    assert turnstile.verify("XXXX.DUMMY.TOKEN.1").hostname == "resume.example"


def test_a_token_is_redeemed_once(siteverify):
    turnstile = check(siteverify, expected_hostname="resume.example", expected_action="deploy-demo")
    result = turnstile.verify("XXXX.DUMMY.TOKEN.2", remote_ip="203.0.113.9")
    assert result.action == "deploy-demo"
    with pytest.raises(TurnstileError) as caught:
        turnstile.verify("XXXX.DUMMY.TOKEN.2")
    assert caught.value.code == "turnstile_reused"
    first, second = siteverify.forms
    assert first["secret"] == SECRET and first["remoteip"] == "203.0.113.9"
    assert "remoteip" not in second
    assert first["idempotency_key"] != second["idempotency_key"]


@pytest.mark.parametrize(
    ("token", "secret", "code"),
    [
        (None, SECRET, "turnstile_missing"),
        ("", SECRET, "turnstile_missing"),
        ("x" * 2049, SECRET, "turnstile_invalid"),
        ("forged-token", SECRET, "turnstile_invalid"),
        ("XXXX.DUMMY.TOKEN.1", "wrong-secret", "turnstile_misconfigured"),
    ],
)
def test_failures_have_codes(siteverify, token, secret, code):
    with pytest.raises(TurnstileError) as caught:
        check(siteverify, secret).verify(token)
    assert caught.value.code == code


def test_a_token_for_another_site_is_refused(siteverify):
    with pytest.raises(TurnstileError) as caught:
        check(siteverify, expected_hostname="other.example").verify("XXXX.DUMMY.TOKEN.1")
    assert caught.value.code == "turnstile_mismatch"


@pytest.mark.parametrize("status", [500, 503])
def test_an_unavailable_siteverify_is_retryable(httpserver_ipv4, status):
    httpserver_ipv4.expect_request("/turnstile/v0/siteverify").respond_with_data("", status=status)
    with pytest.raises(TurnstileError) as caught:
        check(httpserver_ipv4).verify("XXXX.DUMMY.TOKEN.1")
    assert (caught.value.code, caught.value.retryable) == ("turnstile_unavailable", True)


def test_a_slow_siteverify_is_retryable(httpserver_ipv4, monkeypatch):
    monkeypatch.setattr("demo.turnstile.TIMEOUT", (0.5, 0.3))

    slow = AnswersAfter(1.0)
    httpserver_ipv4.expect_request("/turnstile/v0/siteverify").respond_with_handler(slow)
    with pytest.raises(TurnstileError) as caught:
        check(httpserver_ipv4).verify("XXXX.DUMMY.TOKEN.1")
    assert caught.value.code == "turnstile_unavailable"
    assert slow.finished.wait(5)
