"""Building the Pelican site, for the local stack and for publishing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cloudfolio import paths
from cloudfolio.errors import CloudfolioError

# The settings files read these, so one build command serves every environment.
API_URL_ENV = "CLOUDFOLIO_API_URL"
SITE_URL_ENV = "CLOUDFOLIO_SITE_URL"


class BuildError(CloudfolioError):
    """Pelican failed; the message carries the tail of its output."""


def build(
    output: Path = paths.OUTPUT,
    content: Path = paths.CONTENT,
    settings: Path = paths.PELICAN_DEV_SETTINGS,
    api_url: str | None = None,
    site_url: str | None = None,
) -> Path:
    env = dict(os.environ)
    if api_url:
        env[API_URL_ENV] = api_url
    if site_url:
        env[SITE_URL_ENV] = site_url
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            str(content),
            "-s",
            str(settings),
            "-o",
            str(output),
            "--delete-output-directory",
            "--fatal",
            "errors",
        ],
        cwd=paths.ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-20:])
        raise BuildError(f"pelican failed (exit {result.returncode}):\n{tail}")
    if not (output / "index.html").exists():
        raise BuildError(f"pelican produced no {output}/index.html")
    return output
