"""Build-time cost of the responsive images and social cards, and the bytes they save readers.

Builds the site side by side in one run, each build a fresh `pelican` process:
- "plugins off": the images and cards plugins removed (Markdown images stay plain <img>);
- "images cold": only the images plugin added, with an empty cache (every image encoded);
- "cold": both plugins on with an empty cache, so every image is encoded and every card drawn;
- "cached": the plugins on with the cache the cold build filled, as on an author's rebuild.
Cases alternate, so machine noise hits them alike. Then, for each image of the site's content,
the original file's size next to what a reader whose window is 800 px wide (device pixel ratio
1, so the theme's 664 px column) downloads: the first candidate of the first <source> the
browser supports (AVIF in current browsers) at least as wide as the column, as srcset selects.

    python bench/images.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from cloudfolio_images.sources import resolve  # noqa: E402

CONTENT = ROOT / "content"
WRITING_PLUGINS = ("cloudfolio_images", "cloudfolio_cards")
# 800 px window: the theme's column is 44rem minus 2 x 1.25rem of padding = 41.5rem = 664 px.
COLUMN_AT_800 = 664


def plugins() -> list[str]:
    sys.path.insert(0, str(ROOT))
    import pelicanconf

    return list(pelicanconf.PLUGINS)


def build(output: Path, cache: Path, plugin_list: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable, "-m", "pelican", str(CONTENT), "-s", str(ROOT / "pelicanconf.py"),
            "-o", str(output), "--delete-output-directory", "--fatal", "errors", "-q",
            "-e", f"PLUGINS={json.dumps(plugin_list)}",
            f"CLOUDFOLIO_IMAGE_CACHE={json.dumps(str(cache))}",
        ],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    return time.perf_counter() - started


class Pictures(HTMLParser):
    """(source reference, chosen file URL) for each image of a page."""

    def __init__(self, markdown: str) -> None:
        super().__init__()
        self.chosen: list[str] = []
        self._modern: str | None = None
        self.feed(markdown)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "source" and self._modern is None:
            self._modern = attrs["srcset"]
        elif tag == "img":
            srcset = self._modern or attrs.get("srcset")
            self.chosen.append(pick(srcset) if srcset else attrs["src"])
            self._modern = None


def pick(srcset: str) -> str:
    candidates = [(int(w.rstrip("w")), url) for url, w in (c.split() for c in srcset.split(", "))]
    wide_enough = [c for c in sorted(candidates) if c[0] >= COLUMN_AT_800]
    return (wide_enough or sorted(candidates))[0 if wide_enough else -1][1]


def image_savings(site: Path) -> list[tuple[str, int, int]]:
    rows = []
    for markdown in sorted(CONTENT.rglob("*.md")):
        references = [
            line.split("](", 1)[1].split(")", 1)[0].split()[0] for line in _image_lines(markdown)
        ]
        if not references:
            continue
        slug = next(
            line.split(":", 1)[1].strip()
            for line in markdown.read_text().splitlines()
            if line.startswith("Slug:")
        )
        html = next(site.glob(f"**/{slug}/index.html")).read_text()
        body = html[html.index('<div class="prose">') :]
        for reference, url in zip(references, Pictures(body).chosen, strict=True):
            original = resolve(reference, markdown, CONTENT).stat().st_size
            rows.append((reference, original, (site / url.lstrip("/")).stat().st_size))
    return rows


def _image_lines(markdown: Path) -> list[str]:
    # An image's Markdown may wrap; its reference is on the line holding "](".
    return [line for line in markdown.read_text().splitlines() if "](images/" in line]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="builds per case")
    args = parser.parse_args(argv)
    configured = plugins()
    without = [p for p in configured if p not in WRITING_PLUGINS]
    images_only = [p for p in configured if p != "cloudfolio_cards"]
    samples: dict[str, list[float]] = {
        "plugins off": [],
        "images cold": [],
        "cold": [],
        "cached": [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        build(work / "warmup", work / "warmup-cache", configured)  # OS and bytecode caches
        for run in range(args.runs):
            samples["plugins off"].append(build(work / "off", work / "off-cache", without))
            samples["images cold"].append(build(work / "img", work / f"img-{run}", images_only))
            cache = work / f"cache-{run}"
            samples["cold"].append(build(work / "cold", cache, configured))
            samples["cached"].append(build(work / "cached", cache, configured))
            shutil.rmtree(cache)
        savings = image_savings(work / "cached")
    baseline = statistics.median(samples["plugins off"])
    print("site build (pelican process, whole site)")
    for name, values in samples.items():
        median = statistics.median(values)
        print(
            f"  {name:<12} median {median:5.2f} s  x{median / baseline:4.2f}"
            f"   (min {min(values):.2f}, max {max(values):.2f}, n={len(values)})"
        )
    print(f"\nimages: original vs what a reader {COLUMN_AT_800 + 136} px wide downloads")
    total_original = total_served = 0
    for reference, original, served in savings:
        total_original += original
        total_served += served
        print(f"  {reference:<32} {original:>9,} B -> {served:>7,} B  ({served / original:6.1%})")
    if savings:
        saved = total_original - total_served
        print(
            f"  {'total':<32} {total_original:>9,} B -> {total_served:>7,} B  (saves {saved:,} B)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
