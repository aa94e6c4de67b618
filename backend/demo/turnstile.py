"""The optional human check: a Cloudflare Turnstile token verified on the server (siteverify).

Off unless DEMO_TURNSTILE_SECRET names a secret. A token proves one solved challenge and can be
redeemed once: a second verify of the same token fails with `timeout-or-duplicate`, which is how a
replayed request is refused. The visitor's address is passed to Cloudflare only when the caller
gives it, and is never kept.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from common import settings

from demo.providers.base import ProviderError
from demo.providers.factory import SecretGetter, powertools_secret, secret_source
from demo.providers.http import HttpApi

SITEVERIFY_URL = "https://challenges.cloudflare.com/turnstile/v0/siteverify"
MAX_TOKEN_LENGTH = 2048  # Cloudflare's documented maximum
TIMEOUT = (3.05, 5.0)


class TurnstileError(Exception):
    """The check failed. `code`: turnstile_missing, turnstile_invalid, turnstile_reused,
    turnstile_mismatch (another site or action), turnstile_misconfigured, turnstile_unavailable."""

    def __init__(self, code: str, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retryable = retryable


@dataclass(frozen=True)
class TurnstileResult:
    hostname: str | None
    action: str | None
    challenge_ts: str | None


class Turnstile:
    def __init__(
        self,
        secret: Callable[[], str],
        *,
        verify_url: str = SITEVERIFY_URL,
        expected_hostname: str | None = None,
        expected_action: str | None = None,
        api: HttpApi | None = None,
    ) -> None:
        self.secret = secret
        self.verify_url = verify_url
        self.expected_hostname = expected_hostname
        self.expected_action = expected_action
        self.api = api or HttpApi("Turnstile", verify_url, timeout=TIMEOUT)

    def verify(
        self, token: str | None, *, remote_ip: str | None = None, idempotency_key: str | None = None
    ) -> TurnstileResult:
        """The verified challenge; TurnstileError when the token does not prove one."""
        if not token:
            raise TurnstileError("turnstile_missing", "Complete the human check first.")
        if len(token) > MAX_TOKEN_LENGTH:
            raise TurnstileError("turnstile_invalid", "The human check token is not valid.")
        form = {
            "secret": self.secret(),
            "response": token,
            # Lets a retry after a lost answer redeem the same token without a duplicate error.
            "idempotency_key": idempotency_key or str(uuid.uuid4()),
        }
        if remote_ip:
            form["remoteip"] = remote_ip
        try:
            response = self.api.request("POST", self.verify_url, data=form, ok=(200,))
            body: Any = self.api.json(response)
        except ProviderError as error:
            raise TurnstileError(
                "turnstile_unavailable",
                "The human check could not be verified right now; try again.",
                retryable=True,
            ) from error
        if not isinstance(body, dict):
            raise TurnstileError(
                "turnstile_unavailable",
                "The human check answered oddly; try again.",
                retryable=True,
            )
        codes = set(body.get("error-codes") or [])
        if not body.get("success"):
            raise _failure(codes)
        if self.expected_hostname and body.get("hostname") != self.expected_hostname:
            raise TurnstileError(
                "turnstile_mismatch", "The human check was solved for another site."
            )
        if self.expected_action and body.get("action") != self.expected_action:
            raise TurnstileError(
                "turnstile_mismatch", "The human check was solved for another action."
            )
        return TurnstileResult(body.get("hostname"), body.get("action"), body.get("challenge_ts"))


def _failure(codes: set[str]) -> TurnstileError:
    if "timeout-or-duplicate" in codes:
        return TurnstileError(
            "turnstile_reused", "This human check was already used or has expired; solve it again."
        )
    if codes & {"missing-input-secret", "invalid-input-secret"}:
        return TurnstileError(
            "turnstile_misconfigured", "The site's human check is misconfigured.", retryable=False
        )
    if "internal-error" in codes:
        return TurnstileError(
            "turnstile_unavailable",
            "The human check failed on Cloudflare's side; try again.",
            retryable=True,
        )
    return TurnstileError("turnstile_invalid", "The human check did not pass; solve it again.")


def turnstile_from_env(
    environ: Mapping[str, str] | None = None,
    *,
    get_secret: SecretGetter = powertools_secret,
    expected_hostname: str | None = None,
    expected_action: str | None = None,
) -> Turnstile | None:
    """The configured check, or None when it is off (the default)."""
    env = os.environ if environ is None else environ
    name = env.get(settings.DEMO_TURNSTILE_SECRET)
    if not name:
        return None
    return Turnstile(
        secret_source(name, get_secret),
        verify_url=env.get(settings.DEMO_TURNSTILE_VERIFY_URL) or SITEVERIFY_URL,
        expected_hostname=expected_hostname,
        expected_action=expected_action,
    )
