"""`invoke up` readiness: from a cold process start to the first successful POST /visits.

Two starts side by side on the same machine, each a fresh `python -m cloudfolio.local`:
1. with --apply, so Terraform applies infra/envs/local (as after a change under infra/);
2. with the recording the first start left, so the apply is replayed (the usual case).
Prints both times and their ratio; the last line is a JSON object.

    python bench/readiness.py
"""

from __future__ import annotations

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

from cloudfolio.local.emulator import free_port  # noqa: E402

TIMEOUT_S = 240
READER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


def first_visit_seconds(
    state_dir: Path, ports: list[int], apply: bool = False
) -> tuple[float, str]:
    command = [
        sys.executable, "-m", "cloudfolio.local", "--no-watch",
        "--site-port", str(ports[0]), "--api-port", str(ports[1]), "--aws-port", str(ports[2]),
        "--state-dir", str(state_dir), "--output", str(state_dir / "output"),
        *(["--apply"] if apply else []),
    ]  # fmt: skip
    # Through the site's /api, as readers' browsers go (the gateway alone refuses requests
    # without CloudFront's origin secret).
    request = urllib.request.Request(
        f"http://127.0.0.1:{ports[0]}/api/visits",
        data=json.dumps({"path": "/"}).encode(),
        headers={"Content-Type": "application/json", "User-Agent": READER_UA},
        method="POST",
    )
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        while time.perf_counter() - started < TIMEOUT_S:
            if process.poll() is not None:
                raise SystemExit(f"the stack exited:\n{process.stdout.read().decode()[-3000:]}")
            try:
                with urllib.request.urlopen(request, timeout=2) as response:
                    if response.status == 200:
                        elapsed = time.perf_counter() - started
                        info = json.loads((state_dir / "stack.json").read_text())
                        return elapsed, info["infra"]
            except (urllib.error.URLError, OSError):
                time.sleep(0.05)
        raise SystemExit(f"no successful POST /visits within {TIMEOUT_S}s")
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main() -> None:
    state_dir = Path(tempfile.mkdtemp(prefix="cf-readiness-"))
    try:
        # Same ports both times, as `invoke up` uses: the site origin is part of what is applied.
        ports = [free_port() for _ in range(3)]
        applied, how_first = first_visit_seconds(state_dir, ports, apply=True)
        replayed, how_second = first_visit_seconds(state_dir, ports)
    finally:
        shutil.rmtree(state_dir, ignore_errors=True)
    print(f"{'start':<34} {'first POST /visits':>20}")
    print(f"{'cold, infra ' + how_first:<34} {applied:>19.1f}s")
    print(f"{'cold, infra ' + how_second:<34} {replayed:>19.1f}s")
    print(f"replay is {applied / replayed:.1f}x faster than applying")
    print(
        json.dumps(
            {
                "first_visit_s_applied": round(applied, 2),
                "first_visit_s_replayed": round(replayed, 2),
                "ratio_applied_over_replayed": round(applied / replayed, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
