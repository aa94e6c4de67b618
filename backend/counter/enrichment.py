"""What the analytics keep of a visit: derived fields only, so no raw IP or User-Agent leaves.

ua-parser and the offline country database are imported on first use: they would otherwise add
to every cold start of the counter, and robots and reads never need them.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

# CloudFront adds it to requests it forwards when the origin request policy asks for it.
COUNTRY_HEADER = "cloudfront-viewer-country"
DEVICE_CLASSES = ("desktop", "mobile", "tablet", "other")
_DESKTOP_OS = ("Windows", "Mac OS X", "Linux", "Ubuntu", "Fedora", "Chrome OS", "FreeBSD")
_MOBILE_OS = ("iOS", "Android", "Windows Phone", "BlackBerry OS", "KaiOS", "HarmonyOS")
UNKNOWN = "Other"


@dataclass(frozen=True)
class Client:
    browser: str
    os: str
    device: str


@cache
def _ua_parser() -> Any:
    from ua_parser import parse

    return parse


def _device_class(user_agent: str, os_family: str, device_family: str) -> str:
    if device_family == "iPad" or "tablet" in device_family.lower():
        return "tablet"
    # Android tablets leave "Mobile" out of their User-Agent; phones send it.
    if os_family == "Android":
        return "mobile" if "Mobile" in user_agent else "tablet"
    if os_family in _MOBILE_OS or "Mobi" in user_agent:
        return "mobile"
    if os_family in _DESKTOP_OS:
        return "desktop"
    return "other"


def describe_client(user_agent: str) -> Client:
    """Browser family, OS family and device class; never the User-Agent itself."""
    if not user_agent.strip():
        return Client(UNKNOWN, UNKNOWN, "other")
    result = _ua_parser()(user_agent)
    browser = result.user_agent.family if result.user_agent else UNKNOWN
    os_family = result.os.family if result.os else UNKNOWN
    device_family = result.device.family if result.device else ""
    return Client(browser, os_family, _device_class(user_agent, os_family, device_family))


def referrer_domain(referrer: str | None, own_host: str | None = None) -> str | None:
    """The referring site's host name alone; None for none, junk or the site itself."""
    if not referrer:
        return None
    try:
        parts = urlsplit(referrer.strip())
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not host:
        return None
    host = host.removeprefix("www.")
    if own_host and host == own_host.lower().removeprefix("www."):
        return None
    return host


def _is_country_code(value: str) -> bool:
    return len(value) == 2 and value.isascii() and value.isalpha()


@cache
def _offline_database() -> Any:
    """The offline database where it is installed (the local stack); the Lambda zip leaves it out,
    because CloudFront sends the country with each request there."""
    try:
        from geoip2fast import GeoIP2Fast
    except ImportError:
        return None
    return GeoIP2Fast(verbose=False)


def country(headers: dict[str, str], client_ip: str) -> str | None:
    """ISO 3166 alpha-2 code of the viewer: CloudFront's header, else the offline database."""
    value = (headers.get(COUNTRY_HEADER) or "").strip().upper()
    if _is_country_code(value):
        return value
    try:
        address = ipaddress.ip_address(client_ip)
    except ValueError:
        return None
    if not address.is_global:
        return None
    database = _offline_database()
    if database is None:
        return None
    code = str(getattr(database.lookup(str(address)), "country_code", "") or "").upper()
    return code if _is_country_code(code) else None
