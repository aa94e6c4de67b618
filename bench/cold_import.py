"""Cold import time of the counter handler, side by side with `import boto3`.

Each sample is a fresh interpreter (as a new Lambda container would start), timing only the
import statement. Samples of all cases alternate, so machine noise hits them alike. The handler
is measured twice: as it loads locally and in tests (tracing off), and as it loads in Lambda
with X-Ray tracing on (the X-Ray recorder is part of that cold start).

    python bench/cold_import.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BACKEND = ROOT / "backend"
BASELINE = "import boto3"

# name -> (module, extra environment)
CASES: dict[str, tuple[str, dict[str, str]]] = {
    BASELINE: ("boto3", {}),
    "import counter.handler (tracing off)": ("counter.handler", {}),
    "import counter.handler (in Lambda, tracing on)": (
        "counter.handler",
        {"LAMBDA_TASK_ROOT": str(BACKEND), "AWS_XRAY_CONTEXT_MISSING": "IGNORE_ERROR"},
    ),
}

_PROBE = """
import sys, time
sys.path.insert(0, {backend!r})
started = time.perf_counter()
import {module}
print(time.perf_counter() - started)
"""


def import_seconds(module: str, env: dict[str, str]) -> float:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE.format(backend=str(BACKEND), module=module)],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "", "AWS_DEFAULT_REGION": "us-east-1", **env},
    )
    return float(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="fresh interpreters per case")
    args = parser.parse_args(argv)

    # One unmeasured import per case warms the OS file cache and the bytecode caches.
    for module, env in CASES.values():
        import_seconds(module, env)
    samples: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.runs):
        for name, (module, env) in CASES.items():
            samples[name].append(import_seconds(module, env) * 1000)

    baseline = statistics.median(samples[BASELINE])
    width = max(map(len, CASES))
    for name, values in samples.items():
        median = statistics.median(values)
        print(
            f"{name:<{width}}  median {median:6.1f} ms  x{median / baseline:4.2f}"
            f"   (min {min(values):.1f}, max {max(values):.1f}, n={len(values)})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
