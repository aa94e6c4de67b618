"""`invoke publish` puts the resume PDF in its private bucket, only when it changed."""

from __future__ import annotations

import json
import time
from pathlib import Path

import boto3
import pytest
from cloudfolio_resume import MANIFEST_NAME, PDF_NAME, private_dir

from cloudfolio.local.contract import EMULATOR_ENV, StackInfo
from cloudfolio.local.emulator import running_emulator
from cloudfolio.publish import commands, targets
from tests.unit.conftest import create_table

pytestmark = pytest.mark.integration

KEY = "resume/resume.pdf"


@pytest.fixture
def stack(tmp_path, monkeypatch):
    with running_emulator() as emulator:
        for name, value in EMULATOR_ENV.items():
            monkeypatch.setenv(name, value)
        s3 = boto3.client("s3", endpoint_url=emulator.url)
        site_bucket, resume_bucket = (f"cf-{kind}-{time.monotonic_ns()}" for kind in "sr")
        for bucket in (site_bucket, resume_bucket):
            s3.create_bucket(Bucket=bucket)
        lock_table = f"{site_bucket}-ephemeral"
        create_table(boto3.client("dynamodb", endpoint_url=emulator.url), lock_table)
        state = tmp_path / "state"
        state.mkdir()
        StackInfo(
            "http://127.0.0.1:8000",
            "",
            emulator.url,
            "",
            site_bucket,
            0.0,
            "applied",
            resume_bucket=resume_bucket,
            resume_key=KEY,
            ephemeral_table_name=lock_table,
        ).write(state)
        monkeypatch.setattr(targets, "LOCAL_STACK_DIR", state)
        yield s3, site_bucket, resume_bucket


def make_site(root: Path, pdf: bytes) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text("<h1>home</h1>")
    private = private_dir(root)
    private.mkdir(exist_ok=True)
    (private / PDF_NAME).write_bytes(pdf)
    (private / MANIFEST_NAME).write_text(json.dumps({"download_name": "Alex-Morgan-Resume.pdf"}))
    return root


def test_publish_uploads_the_pdf_when_it_changed_and_never_on_preview(stack, tmp_path) -> None:
    s3, site_bucket, resume_bucket = stack
    site = make_site(tmp_path / "site", b"%PDF-1.7 one")
    first = commands.publish(env="local", site_dir=site)
    assert first["resume_pdf_uploaded"] is True
    stored = s3.get_object(Bucket=resume_bucket, Key=KEY)
    assert stored["Body"].read() == b"%PDF-1.7 one"
    assert stored["Metadata"]["download-name"] == "Alex-Morgan-Resume.pdf"
    # The PDF is private: it is not part of the site's release.
    site_keys = [o["Key"] for o in s3.list_objects_v2(Bucket=site_bucket).get("Contents", [])]
    manifests = [s3.get_object(Bucket=site_bucket, Key=k)["Body"].read() for k in site_keys]
    assert not [m for m in manifests if b"%PDF" in m or b"resume.pdf" in m]

    assert commands.publish(env="local", site_dir=site)["resume_pdf_uploaded"] is False

    make_site(site, b"%PDF-1.7 two")
    preview = commands.publish(env="local", site_dir=site, preview=True)
    assert "resume_pdf_uploaded" not in preview
    dry = commands.publish(env="local", site_dir=site, dry_run=True)
    assert "resume_pdf_uploaded" not in dry
    assert s3.get_object(Bucket=resume_bucket, Key=KEY)["Body"].read() == b"%PDF-1.7 one"

    assert commands.publish(env="local", site_dir=site)["resume_pdf_uploaded"] is True
    assert s3.get_object(Bucket=resume_bucket, Key=KEY)["Body"].read() == b"%PDF-1.7 two"
