"""The resume PDF step with and without its cache, side by side.

Each sample is a real Pelican build of the resume page alone, in a fresh interpreter, timing the
plugin's step (parse, render the print template, WeasyPrint or the cache). "cold" starts from an
empty cache, "cached" from one holding this very PDF. Samples alternate so noise hits both alike.

    python bench/resume_pdf.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "content" / "pages" / "resume.md"

_PROBE = """
import sys, time
sys.path[:0] = [{root!r}, {plugins!r}]
from pelican import Pelican, signals
from pelican.settings import read_settings
import cloudfolio_resume

timings = []
def timed(generators):
    started = time.perf_counter()
    cloudfolio_resume.build_outputs(generators)
    timings.append(time.perf_counter() - started)

signals.all_generators_finalized.disconnect(cloudfolio_resume.build_outputs)
settings = read_settings({settings!r}, override={{
    "PATH": {content!r}, "OUTPUT_PATH": {output!r}, "CLOUDFOLIO_RESUME_CACHE": {cache!r},
    "PLUGINS": ["cloudfolio_assets", "cloudfolio_widgets"],
}})
signals.all_generators_finalized.connect(timed)
Pelican(settings).run()
print(timings[0])
"""


def sample(work: Path, cache: Path) -> float:
    probe = _PROBE.format(
        root=str(ROOT),
        plugins=str(ROOT / "plugins"),
        settings=str(ROOT / "pelicanconf.py"),
        content=str(work / "content"),
        output=str(work / "output"),
        cache=str(cache),
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "content" / "pages").mkdir(parents=True)
        shutil.copyfile(SOURCE, work / "content" / "pages" / "resume.md")
        warm = work / "warm-cache"
        sample(work, warm)  # fill it once
        results: dict[str, list[float]] = {"cold": [], "cached": []}
        for run in range(args.runs):
            results["cold"].append(sample(work, work / f"cold-{run}"))
            results["cached"].append(sample(work, warm))
        size = (work / "output-private" / "resume.pdf").stat().st_size
        pages = json.loads((work / "output-private" / "resume-pdf.json").read_text())["pages"]
    cold, cached = (statistics.median(results[k]) for k in ("cold", "cached"))
    print(f"resume.pdf: {size} bytes, {pages} page(s)")
    print(f"PDF step, median of {args.runs}:")
    print(f"  cold {cold * 1000:.0f} ms, cached {cached * 1000:.1f} ms")
    print(f"cached / cold = {cached / cold:.3f} ({cold / cached:.0f}x faster)")


if __name__ == "__main__":
    main()
