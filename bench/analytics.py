"""The report over a month of a busy site: 1,000,000 events across 30 days.

The lake is written as Firehose writes it at the module's default buffering (read from
infra/modules/analytics/variables.tf), so the objects per day are the ones production would
get. The report then runs in a fresh interpreter (DuckDB over the local copy, as `invoke
analytics` does), side by side with the least any pure-Python report must do: decompress and
parse every record once. Goals: at most 10 s and 1 GB for the report, a bounded number of
objects per day.

    python bench/analytics.py [--events 1000000] [--days 30]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import hcl2

ROOT = Path(__file__).resolve().parent.parent
VARIABLES = ROOT / "infra" / "modules" / "analytics" / "variables.tf"
UNTIL = date(2026, 3, 30)

_REPORT = """
import resource, sys, time
from datetime import date
from pathlib import Path
sys.path.insert(0, {root!r})
started = time.perf_counter()
from cloudfolio.analytics import report
from cloudfolio.analytics.engines import DuckDBEngine
built = report.build(DuckDBEngine(Path({lake!r})), date.fromisoformat({since!r}),
                     date.fromisoformat({until!r}))
assert built["totals"]["pageviews"] > 0
usage = resource.getrusage(resource.RUSAGE_SELF)
print(time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)
"""

# In a child of its own: Linux keeps a process's peak RSS across exec, so a parent that held the
# generated rows would pass its peak on to every measured child.
_GENERATE = """
import json, sys
from datetime import date
from pathlib import Path
sys.path.insert(0, {root!r})
from cloudfolio.analytics import sample
rows = list(sample.events({events}, {days}, date.fromisoformat({until!r})))
print(json.dumps(sample.write_lake(rows, Path({lake!r}), {interval}, {size})))
"""

_PARSE_ONLY = """
import gzip, json, resource, sys, time
from pathlib import Path
started = time.perf_counter()
views = 0
for file in sorted(Path({lake!r}).glob("visits/dt=*/*.gz")):
    with gzip.open(file, "rt") as lines:
        for line in lines:
            views += not json.loads(line)["bot"]
assert views > 0
usage = resource.getrusage(resource.RUSAGE_SELF)
print(time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)
"""


def default_buffering() -> tuple[int, int]:
    with VARIABLES.open() as file:
        # python-hcl2 keeps the quotes of block labels.
        variables = {
            name.strip('"'): body
            for block in hcl2.load(file)["variable"]
            for name, body in block.items()
        }
    return (
        int(variables["buffering_interval_seconds"]["default"]),
        int(variables["buffering_size_mb"]["default"]),
    )


def measure(probe: str) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (all threads) and peak resident MiB of a fresh interpreter
    running `probe`. CPU seconds vary less than wall time on a machine shared with other work."""
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    seconds, cpu, kib = out.split()[-3:]
    return float(seconds), float(cpu), int(kib) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3, help="measured runs of each side")
    args = parser.parse_args(argv)
    interval, size_mb = default_buffering()
    since = UNTIL - timedelta(days=args.days - 1)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        generate = _GENERATE.format(
            root=str(ROOT), events=args.events, days=args.days, until=UNTIL.isoformat(),
            lake=folder, interval=interval, size=size_mb * 1024 * 1024,
        )  # fmt: skip
        per_day = json.loads(
            subprocess.run(
                [sys.executable, "-c", generate], capture_output=True, text=True, check=True
            ).stdout
        )
        files = list(Path(folder).rglob("*.gz"))
        size = sum(file.stat().st_size for file in files)
        print(
            f"lake: {args.events:,} events over {args.days} days, {len(files)} objects, "
            f"{size / 2**20:.0f} MiB gzip'd (written in {time.perf_counter() - started:.0f} s)"
        )
        print(
            f"objects per day at the default buffering ({interval} s / {size_mb} MiB): "
            f"max {max(per_day.values())}, median {statistics.median(per_day.values()):.0f}"
        )
        report_probe = _REPORT.format(
            root=str(ROOT), lake=folder, since=since.isoformat(), until=UNTIL.isoformat()
        )
        parse_probe = _PARSE_ONLY.format(lake=folder)
        measure(report_probe)  # warms the file cache for both sides
        reports, parses = [], []
        for _ in range(args.runs):
            reports.append(measure(report_probe))
            parses.append(measure(parse_probe))
    report_s = statistics.median(r[0] for r in reports)
    report_cpu = statistics.median(r[1] for r in reports)
    report_mib = max(r[2] for r in reports)
    parse_s = statistics.median(p[0] for p in parses)
    parse_cpu = statistics.median(p[1] for p in parses)
    parse_mib = max(p[2] for p in parses)
    print(
        json.dumps(
            {
                "report_seconds": round(report_s, 2),
                "report_cpu_seconds": round(report_cpu, 2),
                "report_peak_mib": round(report_mib),
                "parse_only_seconds": round(parse_s, 2),
                "parse_only_cpu_seconds": round(parse_cpu, 2),
                "parse_only_peak_mib": round(parse_mib),
                "report_vs_parse_only": round(report_s / parse_s, 2),
                "objects_per_day_max": max(per_day.values()),
            }
        )
    )
    print(
        f"report (DuckDB, all ten queries): {report_s:.2f} s ({report_cpu:.2f} s CPU), "
        f"peak {report_mib:.0f} MiB   x{report_s / parse_s:.2f} of parsing every record once "
        f"in Python ({parse_s:.2f} s, {parse_cpu:.2f} s CPU, {parse_mib:.0f} MiB); "
        "goals 10 s and 1024 MiB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
