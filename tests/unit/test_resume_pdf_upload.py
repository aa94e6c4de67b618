"""The built PDF goes to the private bucket only when its bytes changed."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from cloudfolio_resume import MANIFEST_NAME, PDF_NAME, private_dir
from moto import mock_aws

from cloudfolio import resume_pdf

BUCKET = "cloudfolio-test-resume"
KEY = "resume/resume.pdf"


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch):
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        client = boto3.client("s3")
        client.create_bucket(Bucket=BUCKET)
        yield client


def built_site(root: Path, pdf: bytes) -> Path:
    site = root / "output"
    site.mkdir(exist_ok=True)
    private = private_dir(site)
    private.mkdir(exist_ok=True)
    (private / PDF_NAME).write_bytes(pdf)
    (private / MANIFEST_NAME).write_text(json.dumps({"download_name": "Alex-Morgan-Resume.pdf"}))
    return site


def test_uploads_once_then_only_when_the_bytes_change(s3, tmp_path: Path) -> None:
    site = built_site(tmp_path, b"%PDF-1.7 first")
    first = resume_pdf.upload(s3, BUCKET, KEY, site)
    assert first and first.uploaded
    head = s3.head_object(Bucket=BUCKET, Key=KEY)
    assert head["ContentType"] == "application/pdf"
    assert head["Metadata"]["download-name"] == "Alex-Morgan-Resume.pdf"
    assert head["ContentDisposition"] == 'attachment; filename="Alex-Morgan-Resume.pdf"'
    s3.put_object_tagging(Bucket=BUCKET, Key=KEY, Tagging={"TagSet": [{"Key": "v", "Value": "1"}]})
    again = resume_pdf.upload(s3, BUCKET, KEY, site)
    assert again and not again.uploaded
    # A put would have replaced the object, and its tags with it.
    assert s3.get_object_tagging(Bucket=BUCKET, Key=KEY)["TagSet"] == [{"Key": "v", "Value": "1"}]
    assert "unchanged" in resume_pdf.describe(again, BUCKET)
    built_site(tmp_path, b"%PDF-1.7 second")
    changed = resume_pdf.upload(s3, BUCKET, KEY, site)
    assert changed and changed.uploaded
    assert s3.get_object(Bucket=BUCKET, Key=KEY)["Body"].read() == b"%PDF-1.7 second"


def test_a_site_without_a_resume_uploads_nothing(s3, tmp_path: Path) -> None:
    (tmp_path / "output").mkdir()
    assert resume_pdf.upload(s3, BUCKET, KEY, tmp_path / "output") is None
    assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET)
