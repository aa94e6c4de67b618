"""Publishing over real HTTP to a moto server: the commands end to end, and a killed publish."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest

from cloudfolio import paths
from cloudfolio.local import viewer
from cloudfolio.local.contract import EMULATOR_ENV, StackInfo
from cloudfolio.local.emulator import running_emulator
from cloudfolio.publish import commands, targets
from cloudfolio.publish.edge import ReleaseReader, object_key
from cloudfolio.publish.store import PublishError
from tests.unit.conftest import create_table

pytestmark = pytest.mark.integration

BUCKET = "cloudfolio-publish-it"
POSTS = 40


@pytest.fixture(scope="module")
def endpoint():
    with running_emulator() as emulator:
        yield emulator.url


@pytest.fixture
def stack(endpoint, tmp_path, monkeypatch):
    """A bucket of its own on the shared server, described the way the local stack does."""
    bucket = f"{BUCKET}-{time.monotonic_ns()}"
    for name, value in EMULATOR_ENV.items():
        monkeypatch.setenv(name, value)
    s3 = boto3.client("s3", endpoint_url=endpoint)
    s3.create_bucket(Bucket=bucket)
    lock_table = f"{bucket}-ephemeral"
    create_table(boto3.client("dynamodb", endpoint_url=endpoint), lock_table)
    site = "http://127.0.0.1:8000"
    StackInfo(
        site, "", endpoint, "", bucket, 0.0, "applied", ephemeral_table_name=lock_table
    ).write(tmp_path)
    monkeypatch.setattr(targets, "LOCAL_STACK_DIR", tmp_path)
    return s3, bucket, tmp_path


def make_site(root: Path, version: str, posts: int = POSTS) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text(f"<h1>home {version}</h1>")
    (root / "404.html").write_text("<p>not found</p>")
    for number in range(posts):
        post = root / "posts" / f"p{number}"
        post.mkdir(parents=True, exist_ok=True)
        (post / "index.html").write_text(f"<article>{number} {version}</article>")
    return root


def test_publish_commands_end_to_end(stack, tmp_path, capsys):
    s3, bucket, _ = stack
    first = commands.publish(
        env="local", site_dir=make_site(tmp_path / "v1", "one"), json_output=True
    )
    printed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert printed == first
    # Every page's object, the manifest and the pointer: the site lock is not in the bucket.
    assert first["objects_written"] == POSTS + 2 + 2

    unchanged = commands.publish(env="local", site_dir=tmp_path / "v1", json_output=True)
    assert unchanged["objects_written"] == 0 and unchanged["release"] is None

    preview = commands.publish(
        env="local", site_dir=make_site(tmp_path / "v2", "two"), preview=True, json_output=True
    )
    token = preview["preview_token"]
    assert preview["preview_url"] == f"http://127.0.0.1:8000/?__preview={token}"
    assert preview["live_after"] == first["release"]
    reader = ReleaseReader(s3, bucket, pointer_ttl=0)
    assert reader.read(reader.resolve("/").key) == b"<h1>home one</h1>"
    assert reader.read(reader.resolve("/", preview["release"]).key) == b"<h1>home two</h1>"

    commands.promote(env="local", release=preview["release"])
    assert reader.read(reader.resolve("/").key) == b"<h1>home two</h1>"
    rows = commands.releases(env="local", json_output=True)
    assert [row["release"] for row in rows if row["live"]] == [preview["release"]]
    assert all(row["file_count"] == POSTS + 2 for row in rows)

    assert commands.rollback(env="local")["live_after"] == first["release"]
    assert reader.read(reader.resolve("/").key) == b"<h1>home one</h1>"
    pruned = commands.prune(env="local", keep=1)
    assert set(pruned["kept"]) == {first["release"], preview["release"]}

    # A pointer naming a missing manifest is reported, and rollback goes to an intact release.
    commands.promote(env="local", release=preview["release"])
    s3.delete_object(Bucket=bucket, Key=f"releases/{preview['release']}.json")
    capsys.readouterr()
    assert commands.rollback(env="local")["live_after"] == first["release"]
    assert f"{preview['release']}, whose manifest is missing" in capsys.readouterr().err
    assert reader.read(reader.resolve("/").key) == b"<h1>home one</h1>"

    link = commands.preview(env="local", release=first["release"])["preview_url"]
    assert "__preview=" in link
    commands.publish(env="local", site_dir=make_site(tmp_path / "v3", "three"))
    retracted = commands.retract(env="local", release=first["release"])
    assert retracted["closed_links"] == 1
    assert ReleaseReader(s3, bucket).manifest(first["release"]) is None


def test_confirmation_is_required_for_shared_environments_without_a_terminal(stack, tmp_path):
    from cloudfolio.publish.commands import _confirmer

    confirm = _confirmer("prod", yes=False, json_output=False)
    with pytest.raises(PublishError, match="--yes"):
        confirm(None)
    assert _confirmer("prod", yes=True, json_output=False) is None


INTERRUPTED_PUBLISH = """
import sys, time
from pathlib import Path
from cloudfolio.publish import clients, commands, targets

targets.LOCAL_STACK_DIR = Path(sys.argv[2])
make_client = clients.s3_client

def slow_client(target, workers=8, session=None):
    client = make_client(target, workers, session)
    # Slow uploads down so the test can stop the publish in the middle of them.
    client.meta.events.register("before-call.s3.PutObject", lambda **_: time.sleep(0.3))
    return client

clients.s3_client = slow_client
commands.publish(env="local", site_dir=Path(sys.argv[1]))
"""


def test_a_publish_killed_mid_upload_leaves_the_live_release_whole(stack, tmp_path):
    s3, bucket, stack_file = stack
    live = commands.publish(env="local", site_dir=make_site(tmp_path / "v1", "one"))["release"]
    site = make_site(tmp_path / "v2", "two")
    publisher = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTED_PUBLISH, str(site), str(stack_file)],
        cwd=paths.ROOT,
        env={**os.environ, "PYTHONPATH": str(paths.ROOT)},
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    try:
        for line in publisher.stderr:
            if line.startswith("uploaded 1/"):
                break
        else:
            pytest.fail("the publish ended before it uploaded anything")
        publisher.send_signal(signal.SIGKILL)
    finally:
        publisher.wait(timeout=30)

    reader = ReleaseReader(s3, bucket, pointer_ttl=0)
    assert reader.live_release() == live
    listed = s3.list_objects_v2(Bucket=bucket, Prefix="releases/")["Contents"]
    assert {item["Key"] for item in listed} == {"releases/LIVE", f"releases/{live}.json"}
    stored = {item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    manifest = reader.manifest(live)
    assert all(object_key(entry["hash"]) in stored for entry in manifest["files"].values())
    assert reader.read(reader.resolve("/posts/p3/").key) == b"<article>3 one</article>"
    uploaded_before_kill = len([key for key in stored if key.startswith("objects/")])
    assert uploaded_before_kill > POSTS + 2  # some of the new release's objects made it

    # The killed publish left its lock: the next one names it and goes on only when told to.
    with pytest.raises(PublishError, match=r"a publish by .*holds the site lock.*--break-lock"):
        commands.publish(env="local", site_dir=site)
    resumed = commands.publish(env="local", site_dir=site, break_lock=True)
    assert resumed["uploaded"] == (2 * (POSTS + 2) - 1) - uploaded_before_kill
    assert reader.read(reader.resolve("/posts/p3/").key) == b"<article>3 two</article>"


def test_the_local_serving_helpers_publish_and_serve_from_the_emulator(stack, tmp_path):
    from cloudfolio.publish import serving

    _, bucket, stack_file = stack
    endpoint = StackInfo.read(stack_file).aws_endpoint
    lock_table = StackInfo.read(stack_file).ephemeral_table_name
    first = serving.publish_site(
        endpoint, bucket, make_site(tmp_path / "v1", "one", posts=2), lock_table=lock_table
    )
    reader = serving.release_reader(endpoint, bucket, pointer_ttl=0)
    assert viewer.respond(reader, "/posts/p1/", None).body == b"<article>1 one</article>"

    again = serving.publish_site(endpoint, bucket, tmp_path / "v1")
    assert again.release is None and again.objects_written == 0
    second = serving.publish_site(endpoint, bucket, make_site(tmp_path / "v2", "two", posts=2))
    assert viewer.respond(reader, "/posts/p1/", None).body == b"<article>1 two</article>"
    by_id = viewer.respond(reader, f"/?__preview={first.release}", None)
    assert "Max-Age=0" in by_id.headers["set-cookie"]  # a release id opens nothing
    preview = serving.publish_site(
        endpoint, bucket, make_site(tmp_path / "v3", "three", posts=2), preview=True
    )
    opened = viewer.respond(reader, f"/?__preview={preview.token}", None)
    answer = viewer.respond(reader, "/", opened.headers["set-cookie"].split(";")[0])
    assert answer.body == b"<h1>home three</h1>"
    assert answer.headers["x-cloudfolio-release"] == preview.release != second.release
