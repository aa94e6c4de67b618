"""Build the site with the production settings into a fresh directory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from cloudfolio import paths
from cloudfolio.publish.errors import PublishError

BUILD_ROOT = paths.BUILD / "publish"
STDERR_TAIL = 2000


def build_site(
    site_url: str, env: str, content: Path | None = None, output: Path | None = None
) -> Path:
    """Run Pelican with publishconf into build/publish/<env>/site (emptied first, so files that
    the build no longer makes do not linger and get published)."""
    settings = paths.PELICAN_PUBLISH_SETTINGS
    if not settings.exists():
        raise PublishError(f"{settings.name} is missing; cannot build the site")
    output = output or BUILD_ROOT / env / "site"
    shutil.rmtree(output, ignore_errors=True)
    output.mkdir(parents=True)
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            str(content or paths.CONTENT),
            "-s",
            str(settings),
            "-o",
            str(output),
            "--fatal",
            "errors",
        ],
        cwd=paths.ROOT,
        env={**os.environ, "CLOUDFOLIO_SITE_URL": site_url},
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        detail = (completed.stderr or completed.stdout).strip()[-STDERR_TAIL:]
        raise PublishError(f"the site build failed, nothing was published:\n{detail}")
    return output


def git_commit() -> str | None:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=paths.ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head or None
