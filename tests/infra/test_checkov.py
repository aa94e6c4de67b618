"""checkov over infra/: zero failed checks, run offline, and every skip carries its reason."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cloudfolio import terraform

pytestmark = pytest.mark.infra

# Pinned and run in its own environment: checkov's dependencies must not enter the project's.
CHECKOV = "checkov==3.3.30"
SKIP_COMMENT = re.compile(r"#\s*checkov:skip=(?P<check>CKV2?_AWS_\d+)(?P<reason>[^\n]*)")
OFFLINE_ENV = {
    # No Prisma Cloud mapping, guideline or version downloads: the run needs no network.
    "BC_SKIP_MAPPING": "TRUE",
    "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false",
    "UV_OFFLINE": os.environ.get("UV_OFFLINE", ""),
}


def _uvx() -> str:
    candidate = Path(sys.executable).with_name("uvx")
    found = str(candidate) if candidate.exists() else shutil.which("uvx")
    if not found:
        pytest.fail("uvx (from uv) is needed to run the pinned checkov")
    return found


@pytest.fixture(scope="module")
def checkov_report() -> dict:
    env = {**os.environ, **{k: v for k, v in OFFLINE_ENV.items() if v}}
    result = subprocess.run(
        [
            _uvx(),
            "--from",
            CHECKOV,
            "checkov",
            "--directory",
            str(terraform.INFRA),
            "--framework",
            "terraform",
            "--skip-download",
            "--compact",
            "--quiet",
            "--output",
            "json",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    # checkov exits 1 when checks fail; anything else (or no JSON) means it did not run.
    if result.returncode not in (0, 1) or not result.stdout.strip().startswith(("{", "[")):
        pytest.fail(f"checkov did not run (exit {result.returncode}):\n{result.stderr[-3000:]}")
    report = json.loads(result.stdout)
    return report[0] if isinstance(report, list) else report


def test_checkov_finds_no_failed_checks(checkov_report: dict):
    summary = checkov_report["summary"]
    failed = [
        f"{c['check_id']} {c['resource']} ({c['file_path']}): {c['check_name']}"
        for c in checkov_report["results"].get("failed_checks", [])
    ]
    assert summary["parsing_errors"] == 0
    assert summary["failed"] == 0, "\n".join(failed)
    assert summary["passed"] > 100, "checkov checked suspiciously little"


def test_every_skip_is_inline_with_a_justification():
    skips = []
    for tf_file in terraform.INFRA.rglob("*.tf"):
        for match in SKIP_COMMENT.finditer(tf_file.read_text()):
            reason = match.group("reason").lstrip(":").strip()
            skips.append((tf_file.relative_to(terraform.INFRA), match.group("check"), reason))
    assert skips
    unjustified = [f"{path}: {check}" for path, check, reason in skips if len(reason) < 20]
    assert not unjustified, unjustified
