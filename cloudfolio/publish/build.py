"""Build the site with the production settings into a fresh directory."""

from __future__ import annotations

import subprocess
from pathlib import Path

from cloudfolio import paths, site
from cloudfolio.publish.errors import PublishError

BUILD_ROOT = paths.BUILD / "publish"


def build_site(
    site_url: str, env: str, content: Path | None = None, output: Path | None = None
) -> Path:
    """A clean build with publishconf into build/publish/<env>/site (emptied first, so files that
    the build no longer makes do not linger and get published)."""
    settings = paths.PELICAN_PUBLISH_SETTINGS
    if not settings.exists():
        raise PublishError(f"{settings.name} is missing; cannot build the site")
    output = output or BUILD_ROOT / env / "site"
    output.mkdir(parents=True, exist_ok=True)
    try:
        return site.build(output, content or paths.CONTENT, settings, site_url=site_url)
    except site.BuildError as error:
        raise PublishError(f"the site build failed, nothing was published:\n{error}") from error


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
