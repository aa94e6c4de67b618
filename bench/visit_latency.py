"""Latency of counted visits through the local gateway: POST /visits, then GET /visits.

Starts a throwaway local stack (emulator, Terraform outputs, gateway, published site) on free
ports, then sends each visit to the site's /api (the static server proxies it to the gateway, as
CloudFront does in AWS) from its own loopback address (127.x.y.z), so every visit is a new
reader and is counted, and prints p50/p99 per request kind. Run it on two checkouts to compare
them side by side; the figures are only meaningful as ratios between runs on one machine.

    python bench/visit_latency.py [--visits 1000] [--page /]
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cloudfolio.local.stack import LocalStack, StackConfig  # noqa: E402
from cloudfolio.local.static_server import API_PREFIX  # noqa: E402

BROWSER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36"
)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(api_url: str, visits: int, page: str) -> dict[str, list[float]]:
    parts = urlsplit(api_url)
    prefix = parts.path.rstrip("/")
    body = json.dumps({"path": page}).encode()
    headers = {"Content-Type": "application/json", "User-Agent": BROWSER_UA}
    timings: dict[str, list[float]] = {"POST /visits": [], "GET /visits": []}
    statuses: set[int] = set()
    for number in range(visits):
        # A distinct reader per visit: loopback is a /8, and the gateway sees the socket address.
        reader = f"127.{101 + number // 62500}.{number // 250 % 250 + 1}.{number % 250 + 2}"
        connection = http.client.HTTPConnection(
            parts.hostname, parts.port, timeout=30, source_address=(reader, 0)
        )
        for name, method, target, payload in (
            ("POST /visits", "POST", f"{prefix}/visits", body),
            ("GET /visits", "GET", f"{prefix}/visits?path={quote(page)}", None),
        ):
            started = time.perf_counter()
            connection.request(method, target, body=payload, headers=headers)
            response = connection.getresponse()
            response.read()
            timings[name].append((time.perf_counter() - started) * 1000)
            statuses.add(response.status)
        connection.close()
    if statuses != {200}:
        raise SystemExit(f"the gateway answered {sorted(statuses)}; expected only 200")
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=1000, help="POST + GET pairs to send")
    parser.add_argument("--page", default="/", help="a page of the published site")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="visit-latency-") as scratch:
        config = StackConfig(
            output=Path(scratch) / "output",
            state_dir=Path(scratch) / "state",
            watch=False,
            access_log=False,
        ).on_free_ports()
        stack = LocalStack(config, say=lambda _: None)
        try:
            info = stack.start()
            api = info.site_url + API_PREFIX
            measure(api, 20, args.page)  # warm every gateway worker
            timings = measure(api, args.visits, args.page)
        finally:
            stack.stop()

    for name, values in timings.items():
        print(
            f"{name:<13} p50 {statistics.median(values):6.2f} ms  "
            f"p99 {percentile(values, 0.99):6.2f} ms  (n={len(values)})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
