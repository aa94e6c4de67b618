"""The author's loop: how long from a command or an edit to seeing the result.

Measured side by side in one run, on the sample site and on a generated 1,000-post site:
1. the first `invoke up` (Terraform applies infra/envs/local) and a replayed start;
2. a one-post edit rebuilt clean and with Pelican's content cache (what `invoke up` does);
3. edit -> served: a running stack (watching) picks up a saved edit, rebuilds, publishes the
   release to the emulator, and the static server answers with the new text.
Prints a table; the last line is one JSON object.

    .venv/bin/python bench/author_loop.py [--posts 1000] [--skip-starts]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from publish import write_content  # noqa: E402
from readiness import first_visit_seconds  # noqa: E402

from cloudfolio import paths, site  # noqa: E402
from cloudfolio.local.contract import StackInfo, stack_file  # noqa: E402
from cloudfolio.local.emulator import free_port  # noqa: E402

EDIT_TIMEOUT_S = 120


def edited_post(content: Path) -> Path:
    """The post every edit goes to: the first one, by file name."""
    return sorted((content / "posts").glob("*.md"))[0]


def post_url_path(post: Path) -> str:
    slug = next(
        (line.split(":", 1)[1].strip() for line in post.read_text().splitlines()
         if line.startswith("Slug:")),
        post.stem,
    )  # fmt: skip
    return f"/posts/{slug}/"


def edit(content: Path, marker: str) -> None:
    post = edited_post(content)
    post.write_text(post.read_text() + f"\n\n{marker}\n")


def rebuild_seconds(content: Path, workdir: Path) -> tuple[float, float]:
    """A one-post edit rebuilt clean, then with a warm content cache."""
    cache = workdir / "cache"
    original = site.CACHE_ROOT
    site.CACHE_ROOT = cache
    try:
        site.build(workdir / "warm", content, incremental=True)
        edit(content, "Edited for the clean build.")
        started = time.perf_counter()
        site.build(workdir / "clean", content)
        clean = time.perf_counter() - started
        edit(content, "Edited for the cached build.")
        started = time.perf_counter()
        site.build(workdir / "cached", content, incremental=True)
        cached = time.perf_counter() - started
    finally:
        site.CACHE_ROOT = original
    return clean, cached


def edit_to_served_seconds(content: Path, workdir: Path) -> float:
    state = workdir / "stack-state"
    ports = [free_port() for _ in range(3)]
    command = [
        sys.executable, "-m", "cloudfolio.local",
        "--site-port", str(ports[0]), "--api-port", str(ports[1]), "--aws-port", str(ports[2]),
        "--state-dir", str(state), "--output", str(workdir / "served"), "--content", str(content),
    ]  # fmt: skip
    workdir.mkdir(parents=True, exist_ok=True)
    log = (workdir / "stack.log").open("wb")
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 240
        while not stack_file(state).exists():
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit((workdir / "stack.log").read_text()[-3000:])
            time.sleep(0.1)
        url = StackInfo.read(state).site_url + post_url_path(edited_post(content))
        marker = f"Visible edit {time.time_ns()}"
        time.sleep(1)  # let the watcher settle after the first build
        started = time.perf_counter()
        edit(content, marker)
        while time.perf_counter() - started < EDIT_TIMEOUT_S:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if marker.encode() in response.read():
                        return time.perf_counter() - started
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.05)
        raise SystemExit(f"the edit was not served within {EDIT_TIMEOUT_S}s")
    finally:
        process.terminate()
        process.wait(timeout=60)
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--skip-starts", action="store_true", help="only builds and edits")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="cf-author-loop-"))
    results: dict[str, float] = {}
    try:
        sites = {"sample": workdir / "sample"}
        shutil.copytree(paths.CONTENT, sites["sample"])
        big = workdir / "big"
        write_content(big, args.posts)
        sites[f"{args.posts}-post"] = big
        for name, content in sites.items():
            clean, cached = rebuild_seconds(content, workdir / f"{name}-builds")
            results[f"{name}_rebuild_clean_s"] = round(clean, 2)
            results[f"{name}_rebuild_cached_s"] = round(cached, 2)
            results[f"{name}_rebuild_speedup"] = round(clean / cached, 2)
            results[f"{name}_edit_to_served_s"] = round(
                edit_to_served_seconds(content, workdir / f"{name}-stack"), 2
            )
        if not args.skip_starts:
            state = workdir / "starts"
            ports = [free_port() for _ in range(3)]
            applied, _ = first_visit_seconds(state, ports)
            replayed, _ = first_visit_seconds(state, ports)
            results["first_start_s"] = round(applied, 2)
            results["replayed_start_s"] = round(replayed, 2)
            results["first_over_replayed"] = round(applied / replayed, 2)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    width = max(map(len, results))
    for key, value in results.items():
        print(f"{key:<{width}}  {value:>8}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
