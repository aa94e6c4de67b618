#!/usr/bin/env python3
"""The two Quickstart commands: `python3 bootstrap.py up` and `python3 bootstrap.py test`.

Both are idempotent. They create `.venv/` at the repository root from the lock file (with uv),
install what the chosen command needs, then hand over to the matching `invoke` task. Extra
arguments are passed through, e.g. `python3 bootstrap.py up --site-port 9000`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
UV_VERSION = "0.13.9"
MIN_PYTHON = (3, 11)
CHROMIUM = Path("/usr/bin/chromium")


def die(message: str) -> None:
    print(f"bootstrap: {message}", file=sys.stderr)
    raise SystemExit(1)


def run(*command: str | Path, env: dict[str, str] | None = None) -> None:
    result = subprocess.run([str(c) for c in command], cwd=ROOT, env=env, check=False)
    if result.returncode != 0:
        die(f"`{' '.join(str(c) for c in command)}` failed with exit code {result.returncode}")


def ensure_python_env() -> None:
    if sys.version_info < MIN_PYTHON:
        wanted, found = ".".join(map(str, MIN_PYTHON)), sys.version.split()[0]
        die(f"Python {wanted}+ is required, this is {found}")
    if not shutil.which("terraform"):
        die("Terraform is required on PATH (https://developer.hashicorp.com/terraform/install)")
    uv = BIN / "uv"
    if not uv.exists():
        if not (BIN / "python").exists():
            print("bootstrap: creating .venv/", flush=True)
            venv.EnvBuilder(with_pip=True).create(VENV)
        run(BIN / "python", "-m", "pip", "install", "--quiet", f"uv=={UV_VERSION}")
    # --frozen: install exactly the lock file; a stale lock is an error, not a silent upgrade.
    run(uv, "sync", "--frozen", "--quiet")


def ensure_chromium() -> None:
    """The browser tests drive Debian's chromium; install it when we are allowed to."""
    if CHROMIUM.exists():
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        die(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    print("bootstrap: installing Debian chromium for the browser tests", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run("apt-get", "update", "-qq", env=env)
    run("apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium", env=env)


def main() -> None:
    commands = {"up": (), "test": (ensure_chromium,)}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        die(f"usage: python3 bootstrap.py {{{'|'.join(commands)}}} [task options]")
    command, passthrough = sys.argv[1], sys.argv[2:]
    ensure_python_env()
    for step in commands[command]:
        step()
    os.execv(BIN / "invoke", [str(BIN / "invoke"), command, *passthrough])


if __name__ == "__main__":
    main()
