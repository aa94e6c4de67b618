"""Building the Pelican site: the one way Pelican runs, for the local stack and for publishing."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from cloudfolio import paths
from cloudfolio.errors import CloudfolioError

# The settings files read these, so one build command serves every environment.
API_URL_ENV = "CLOUDFOLIO_API_URL"
SITE_URL_ENV = "CLOUDFOLIO_SITE_URL"
# Pelican's content cache, for the local stack's rebuilds; one per content folder and settings.
CACHE_ROOT = paths.BUILD / "pelican-cache"
OUTPUT_TAIL_LINES = 20
# The last build's output waits beside the new one while an incremental build runs.
PREVIOUS_SUFFIX = ".previous"
PREVIOUS_OUTPUT_SETTING = "CLOUDFOLIO_PREVIOUS_OUTPUT"


class BuildError(CloudfolioError):
    """Pelican failed; the message carries the tail of its output."""


def failure(result: subprocess.CompletedProcess[str]) -> str:
    """What went wrong: Pelican's CRITICAL line when there is one (say, a resume source error with
    its file and line), not the traceback below it; else the tail of the output."""
    lines = (result.stdout + result.stderr).strip().splitlines()
    critical = [line.split("CRITICAL", 1)[1] for line in lines if " CRITICAL " in line]
    if critical:
        # The console ends each record with the logging call's place, e.g. "__init__.py:683".
        return re.sub(r"\s+\S+\.py:\d+\s*$", "", critical[-1]).strip()
    return "\n".join(lines[-OUTPUT_TAIL_LINES:])


def build(
    output: Path = paths.OUTPUT,
    content: Path = paths.CONTENT,
    settings: Path = paths.PELICAN_DEV_SETTINGS,
    api_url: str | None = None,
    site_url: str | None = None,
    incremental: bool = False,
) -> Path:
    """Build `content` into `output` (emptied first, so nothing stale lingers).

    incremental: for the local stack's rebuilds after a content edit. Pelican's content cache
    reads only changed posts again, and the last build's output is moved aside so that, after a
    body-only edit, only the changed pages are rendered and the others are taken from it (see
    plugins/cloudfolio_incremental). A failed build leaves the last output in place. Published
    builds are always clean.
    """
    # Wide enough that Pelican's console never wraps an error message across lines.
    env = {**os.environ, "COLUMNS": "1000"}
    if api_url:
        env[API_URL_ENV] = api_url
    if site_url:
        env[SITE_URL_ENV] = site_url
    command = [
        sys.executable, "-m", "pelican", str(content),
        "-s", str(settings),
        "-o", str(output),
        "--delete-output-directory",
        "--fatal", "errors",
    ]  # fmt: skip
    previous = output.with_name(f"{output.name}{PREVIOUS_SUFFIX}")
    if incremental:
        shutil.rmtree(previous, ignore_errors=True)
        if output.is_dir():
            os.replace(output, previous)
        command += [
            "--cache-path", str(cache_path(content, settings)),
            "-e", "CACHE_CONTENT=true", "LOAD_CONTENT_CACHE=true",
            f"{PREVIOUS_OUTPUT_SETTING}={json.dumps(str(previous))}",
        ]  # fmt: skip
    try:
        result = subprocess.run(
            command, cwd=paths.ROOT, env=env, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise BuildError(f"pelican failed (exit {result.returncode}):\n{failure(result)}")
        if not (output / "index.html").exists():
            raise BuildError(f"pelican produced no {output}/index.html")
    except BuildError:
        if incremental and previous.is_dir():
            shutil.rmtree(output, ignore_errors=True)
            os.replace(previous, output)
        raise
    shutil.rmtree(previous, ignore_errors=True)
    return output


def cache_path(content: Path, settings: Path) -> Path:
    key = hashlib.sha256(f"{content.resolve()}\0{settings.resolve()}".encode()).hexdigest()[:16]
    return CACHE_ROOT / key
