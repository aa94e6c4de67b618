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
NODE_LOCK = ROOT / "package-lock.json"
NODE_STAMP = ROOT / "node_modules" / ".installed-lock"


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
    # --compile-bytecode, as pip does: where PYTHONDONTWRITEBYTECODE is set (CI images often set
    # it) every tool would otherwise compile its imports from source on each start.
    run(uv, "sync", "--frozen", "--quiet", "--compile-bytecode")
    run(BIN / "python", "-m", "compileall", "-q", "cloudfolio", "backend", "plugins")


def apt_install(*packages: str, why: str) -> None:
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        die(f"{why} needs Debian's {' '.join(packages)}: apt-get install {' '.join(packages)}")
    print(f"bootstrap: installing {' '.join(packages)} ({why})", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run("apt-get", "update", "-qq", env=env)
    run("apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages, env=env)


def ensure_chromium() -> None:
    """The browser tests drive Debian's chromium, not a downloaded browser build."""
    if not CHROMIUM.exists():
        apt_install("chromium", why="the browser tests")


# WeasyPrint renders the resume PDF with Pango and HarfBuzz (for font subsets); pdftotext,
# pdfinfo and pdffonts check what it made.
PDF_LIBRARIES = {
    "pango-1.0": "libpango-1.0-0",
    "pangoft2-1.0": "libpangoft2-1.0-0",
    "harfbuzz-subset": "libharfbuzz-subset0",
}
PDF_TOOLS = {"pdftotext": "poppler-utils"}


def ensure_pdf_tools() -> None:
    """The resume PDF is built with the site, so `up` needs these as much as `test` does."""
    from ctypes.util import find_library

    missing = [pkg for lib, pkg in PDF_LIBRARIES.items() if not find_library(lib)]
    missing += [pkg for tool, pkg in PDF_TOOLS.items() if not shutil.which(tool)]
    if missing:
        apt_install(*missing, why="the resume PDF")


def ensure_node_tools() -> None:
    """Lighthouse and axe-core come from npm, pinned by package-lock.json."""
    if not shutil.which("npm"):
        apt_install("nodejs", "npm", why="Lighthouse and axe-core")
    lock = NODE_LOCK.read_text()
    if NODE_STAMP.exists() and NODE_STAMP.read_text() == lock:
        return
    run("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
    NODE_STAMP.write_text(lock)


def main() -> None:
    commands = {
        "up": (ensure_pdf_tools,),
        "test": (ensure_pdf_tools, ensure_chromium, ensure_node_tools),
    }
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        die(f"usage: python3 bootstrap.py {{{'|'.join(commands)}}} [task options]")
    command, passthrough = sys.argv[1], sys.argv[2:]
    ensure_python_env()
    for step in commands[command]:
        step()
    os.execv(BIN / "invoke", [str(BIN / "invoke"), command, *passthrough])


if __name__ == "__main__":
    main()
