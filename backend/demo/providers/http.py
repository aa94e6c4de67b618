"""HTTP for the CI providers: one session, bounded timeouts, and one mapping of failures to codes.

Every failure becomes a `ProviderError` whose code says what happened (unauthorized, forbidden,
not_found, rate_limited, provider_unavailable, timeout, unreachable, rejected, bad_response) and
whose message names the provider and quotes its own words, masked. `requests` is imported on first
use, not when a function's module loads.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Any

from demo.masking import mask_secrets
from demo.providers.base import ProviderError

# (connect, read) seconds: a Lambda answering a visitor cannot wait on a slow CI API for long.
DEFAULT_TIMEOUT = (3.05, 10.0)
MAX_QUOTED_CHARS = 300
# A job log is read up to this many bytes from its end; the API shows far less (the last 64 KB).
MAX_LOG_BYTES = 1024 * 1024

STATUS_CODES = {
    401: ("unauthorized", False),
    403: ("forbidden", False),
    404: ("not_found", False),
    429: ("rate_limited", True),
}


def _session() -> Any:
    import requests

    session = requests.Session()
    session.headers["User-Agent"] = "cloudfolio-demo"
    return session


def provider_message(response: Any) -> str:
    """What the provider said about a failure, short and masked."""
    try:
        body = response.json()
    except ValueError:
        said = response.text
    else:
        said = body.get("message", body.get("error", body)) if isinstance(body, dict) else body
        if not isinstance(said, str):
            said = json.dumps(said)
    return mask_secrets(" ".join(str(said).split()))[:MAX_QUOTED_CHARS]


def log_tail(response: Any) -> str:
    """The end of a streamed plain-text log, never holding more than about MAX_LOG_BYTES."""
    max_bytes = MAX_LOG_BYTES
    kept = bytearray()
    for chunk in response.iter_content(chunk_size=64 * 1024):
        kept += chunk
        if len(kept) > 2 * max_bytes:
            del kept[: len(kept) - max_bytes]
    response.close()
    return bytes(kept[-max_bytes:]).decode(response.encoding or "utf-8", errors="replace")


def numeric_id(value: str | int, provider: str) -> str:
    """A pipeline or job id as it may go into a URL path: digits only."""
    text = str(value)
    if not text.isdigit():
        raise ProviderError("not_found", f"{provider} has no pipeline {text!r}.")
    return text


def confirm_stopped(
    read_status: Callable[[], str],
    is_stopped: Callable[[str], bool],
    *,
    what: str,
    timeout_s: float,
    interval_s: float,
) -> None:
    """Read a pipeline back after a cancel until it has stopped; CI APIs accept cancels they then
    do not carry out, so the answer to the cancel itself proves nothing."""
    deadline = time.monotonic() + timeout_s
    while True:
        status = read_status()
        if is_stopped(status):
            return
        if time.monotonic() >= deadline:
            raise ProviderError(
                "cancel_not_confirmed",
                f"{what} was asked to stop but is still {status}.",
                retryable=True,
            )
        time.sleep(interval_s)


class HttpApi:
    """A JSON API at base_url; `auth` returns the headers of the token a call needs."""

    def __init__(
        self,
        provider: str,
        base_url: str,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        headers: Mapping[str, str] | None = None,
        session: Any = None,
    ) -> None:
        self.provider = provider
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.headers = dict(headers or {})
        self._session = session

    @property
    def session(self) -> Any:
        if self._session is None:
            self._session = _session()
        return self._session

    def request(
        self,
        method: str,
        path: str,
        *,
        auth: Callable[[], Mapping[str, str]] | None = None,
        ok: tuple[int, ...] = (200,),
        explain: Callable[[Any], ProviderError | None] | None = None,
        **kwargs: Any,
    ) -> Any:
        """The response when its status is in `ok`; a ProviderError otherwise.

        explain: a provider's own reading of a failed response (e.g. GitLab's blocked variables),
        consulted before the generic mapping.
        """
        import requests

        url = path if path.startswith(("http://", "https://")) else f"{self.base_url}{path}"
        headers = {**self.headers, **(auth() if auth else {}), **kwargs.pop("headers", {})}
        try:
            response = self.session.request(
                method, url, headers=headers, timeout=self.timeout, **kwargs
            )
        except requests.Timeout as error:
            raise ProviderError(
                "timeout", f"{self.provider} did not answer in time.", retryable=True
            ) from error
        except requests.RequestException as error:
            raise ProviderError(
                "unreachable",
                f"{self.provider} could not be reached ({type(error).__name__}).",
                retryable=True,
            ) from error
        if response.status_code in ok:
            return response
        if explain is not None:
            explained = explain(response)
            if explained is not None:
                raise explained
        raise self.error(response)

    def error(self, response: Any) -> ProviderError:
        status = response.status_code
        said = provider_message(response)
        if status in STATUS_CODES:
            code, retryable = STATUS_CODES[status]
        elif status >= 500:
            code, retryable = "provider_unavailable", True
        else:
            code, retryable = "rejected", False
        message = f"{self.provider} answered {status}: {said or 'no details'}."
        if code == "unauthorized":
            message += " The token is missing, wrong, expired or revoked."
        elif code == "forbidden":
            message += " The token lacks the permission or scope this call needs."
        elif code == "rate_limited":
            wait = response.headers.get("Retry-After")
            message += f" Retry after {wait} s." if wait else " Retry later."
        return ProviderError(code, message, retryable=retryable)

    def json(self, response: Any) -> Any:
        try:
            return response.json()
        except ValueError as error:
            raise ProviderError(
                "bad_response",
                f"{self.provider} answered {response.status_code} without valid JSON.",
                retryable=True,
            ) from error
