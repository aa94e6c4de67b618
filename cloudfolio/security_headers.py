"""The site's response headers: security_headers.json, widened only by what the site's settings
turn on.

security_headers.json declares the headers CloudFront and the local static server send. Its
Content-Security-Policy admits the site's own origin alone; a setting that makes the site load
something from elsewhere (the demo's optional Turnstile check) names that origin, and the policy
gains it here, in the directives that need it. With nothing turned on, the policy is the file's.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from cloudfolio import paths

HEADERS_FILE = paths.INFRA / "modules" / "site" / "security_headers.json"
CSP = "Content-Security-Policy"
# Where a fetch directive the policy does not name takes its sources from.
FALLBACK_DIRECTIVE = "default-src"

Sources = Mapping[str, Iterable[str]]


def declared_headers() -> dict[str, str]:
    return json.loads(HEADERS_FILE.read_text())


def widen_policy(policy: str, sources: Sources) -> str:
    """`policy` with `sources` added to their directives; a directive the policy lacks starts
    from default-src's sources, so adding to it loosens nothing else."""
    directives = [part.split() for part in policy.split(";") if part.strip()]
    by_name = {directive[0]: directive for directive in directives}
    for name, extra in sources.items():
        if name not in by_name:
            by_name[name] = [name, *by_name.get(FALLBACK_DIRECTIVE, [])[1:]]
            directives.append(by_name[name])
        directive = by_name[name]
        directive.extend(source for source in extra if source not in directive)
    return "; ".join(" ".join(directive) for directive in directives)


def security_headers(sources: Sources | None = None) -> dict[str, str]:
    """The header set to serve; `sources` (by CSP directive) from cloudfolio.site_settings."""
    headers = declared_headers()
    if sources:
        headers[CSP] = widen_policy(headers[CSP], sources)
    return headers
