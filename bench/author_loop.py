"""The author's loop: how long from a command or an edit to seeing the result.

Measured side by side in one run, on the sample site and on a generated 1,000-post site:
1. a fresh clone's first `invoke up` (it replays the repository's recorded apply), a start that
   applies infra/envs/local with Terraform (as after an infra change) and its replay;
2. a one-post edit rebuilt clean and incrementally (what `invoke up` does);
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
from cloudfolio.local import contract  # noqa: E402
from cloudfolio.local.contract import StackInfo, stack_file  # noqa: E402
from cloudfolio.local.emulator import free_port, port_is_free  # noqa: E402

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
    """A one-post edit rebuilt clean, then incrementally into the last build's output (what
    `invoke up` does on a content edit)."""
    cache = workdir / "cache"
    original = site.CACHE_ROOT
    site.CACHE_ROOT = cache
    try:
        site.build(workdir / "served", content, incremental=True)
        edit(content, "Edited for the clean build.")
        started = time.perf_counter()
        site.build(workdir / "clean", content)
        clean = time.perf_counter() - started
        edit(content, "Edited for the incremental build.")
        started = time.perf_counter()
        site.build(workdir / "served", content, incremental=True)
        cached = time.perf_counter() - started
    finally:
        site.CACHE_ROOT = original
    return clean, cached


def edit_to_served_seconds(
    content: Path, workdir: Path, state: Path, ports: list[int]
) -> tuple[float, float]:
    """The first edit after the stack started (its rebuild renders every page), then the next
    (only the edited page). The same state and ports each time, so later stacks replay."""
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
        time.sleep(1)  # let the watcher settle after the first build
        first = _served_after_edit(content, url)
        return first, _served_after_edit(content, url)
    finally:
        process.terminate()
        process.wait(timeout=60)
        log.close()


def start_seconds(workdir: Path) -> dict[str, float]:
    """Until the first counted visit: a fresh clone's first start (invoke up's default ports, so
    the repository's recorded apply), a start on other ports (a real apply, as after an infra
    change) and the same start again (replaying its own recording)."""
    defaults = [contract.SITE_PORT, contract.API_PORT, contract.AWS_PORT]
    busy = [port for port in defaults if not port_is_free(port)]
    if busy:
        raise SystemExit(f"ports {busy} are in use: stop `invoke up` to measure the first start")
    first, how = first_visit_seconds(workdir / "fresh-clone", defaults)
    if how != "replayed":
        raise SystemExit("the first start applied: run `invoke record-local-apply` and commit it")
    ports = [free_port() for _ in range(3)]
    applied, _ = first_visit_seconds(workdir / "starts", ports, apply=True)
    replayed, _ = first_visit_seconds(workdir / "starts", ports)
    return {
        "first_start_s": round(first, 2),
        "applied_start_s": round(applied, 2),
        "replayed_start_s": round(replayed, 2),
        "applied_over_replayed": round(applied / replayed, 2),
    }


def _served_after_edit(content: Path, url: str) -> float:
    marker = f"Visible edit {time.time_ns()}"
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
        stack_ports = [free_port() for _ in range(3)]
        for name, content in sites.items():
            clean, cached = rebuild_seconds(content, workdir / f"{name}-builds")
            results[f"{name}_rebuild_clean_s"] = round(clean, 2)
            results[f"{name}_rebuild_cached_s"] = round(cached, 2)
            results[f"{name}_rebuild_speedup"] = round(clean / cached, 2)
            first, later = edit_to_served_seconds(
                content, workdir / f"{name}-stack", workdir / "stack-state", stack_ports
            )
            results[f"{name}_first_edit_to_served_s"] = round(first, 2)
            results[f"{name}_edit_to_served_s"] = round(later, 2)
        if not args.skip_starts:
            results.update(start_seconds(workdir))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    width = max(map(len, results))
    for key, value in results.items():
        print(f"{key:<{width}}  {value:>8}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
