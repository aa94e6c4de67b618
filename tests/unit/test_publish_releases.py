"""Releases against moto in-process: write budgets, atomic switch, rollback, previews, pruning."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from cloudfolio.publish import headers
from cloudfolio.publish.edge import ReleaseReader, manifest_key, object_key, select_release
from cloudfolio.publish.metering import WriteCounter
from cloudfolio.publish.releases import PublishOptions, Releases
from cloudfolio.publish.store import PublishError, S3Pointer, SiteStore

BUCKET = "cloudfolio-site-test"
# The "pages that list a post": the home page and the tag page show each post's summary.
SITE = {
    "index.html": "<h1>Home</h1><p>first post summary</p><p>second post summary</p>",
    "posts/first/index.html": "<article>first post body</article>",
    "posts/second/index.html": "<article>second post body</article>",
    "tags/python/index.html": "<li>first post summary</li>",
    "about/index.html": "<p>about me</p>",
    "404.html": "<p>not here</p>",
    "feeds/all.atom.xml": "<feed><entry>first post summary</entry></feed>",
    "theme/css/style.0123abcd.css": "body { color: black }",
    "theme/js/counter.js": "console.log('count')",
    "theme/img/logo.png": "\x89PNG fake",
    "theme/img/copy-of-logo.png": "\x89PNG fake",
}


def write_site(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return root


@pytest.fixture
def s3(monkeypatch):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        yield client


@pytest.fixture
def writes(s3) -> WriteCounter:
    return WriteCounter(s3)


@pytest.fixture
def releases(s3) -> Releases:
    return Releases(SiteStore(s3, BUCKET), S3Pointer(s3, BUCKET))


@pytest.fixture
def site(tmp_path) -> Path:
    return write_site(tmp_path / "site", SITE)


def stored_keys(s3, prefix: str) -> set[str]:
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return {item["Key"] for item in listed.get("Contents", [])}


def body(s3, key: str) -> bytes:
    return s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()


def test_first_publish_stores_each_distinct_file_once_and_goes_live(releases, s3, site, writes):
    result = releases.publish(site)

    distinct_contents = len(set(SITE.values()))
    assert result.release is not None
    assert releases.live() == result.release
    assert len(result.plan.new) == len(SITE)
    assert result.uploaded == distinct_contents
    assert len(stored_keys(s3, "objects/")) == distinct_contents
    # Every object plus the manifest plus the pointer, nothing else.
    assert writes.total == result.objects_written == distinct_contents + 2
    reader = ReleaseReader(s3, BUCKET)
    resolution = reader.resolve("/posts/first/")
    assert body(s3, resolution.key) == SITE["posts/first/index.html"].encode()
    assert resolution.headers["content-type"] == "text/html; charset=utf-8"


def test_no_change_publish_writes_nothing_and_makes_no_release(releases, s3, site, writes):
    first = releases.publish(site)
    writes.reset()
    releases_before = stored_keys(s3, "releases/")

    again = releases.publish(site)

    assert writes.total == 0
    assert again.release is None
    assert again.objects_written == 0
    assert not again.plan.has_changes
    assert len(again.plan.unchanged) == len(SITE)
    assert stored_keys(s3, "releases/") == releases_before
    assert releases.live() == first.release


def test_one_post_edit_writes_only_that_post_and_the_pages_listing_it(
    releases, s3, tmp_path, writes
):
    releases.publish(write_site(tmp_path / "v1", SITE))
    edited = dict(SITE)
    edited["posts/first/index.html"] = "<article>first post body, corrected</article>"
    edited["index.html"] = SITE["index.html"].replace("first post summary", "first (fixed)")
    edited["tags/python/index.html"] = "<li>first (fixed)</li>"
    edited["feeds/all.atom.xml"] = "<feed><entry>first (fixed)</entry></feed>"
    writes.reset()

    result = releases.publish(write_site(tmp_path / "v2", edited))

    changed = {path for path in SITE if edited[path] != SITE[path]}
    assert set(result.plan.changed) == changed
    assert not result.plan.new and not result.plan.removed
    assert result.uploaded == len(changed)
    assert writes.total == len(changed) + 2
    assert writes.calls["PutObject"] == writes.total  # no copies, no deletes
    reader = ReleaseReader(s3, BUCKET, pointer_ttl=0)
    assert (
        body(s3, reader.resolve("/posts/first/").key) == edited["posts/first/index.html"].encode()
    )


def test_header_only_change_is_published_without_uploading_bytes(
    releases, s3, site, writes, monkeypatch
):
    releases.publish(site)
    writes.reset()
    monkeypatch.setattr(
        headers,
        "CACHE_CONTROL_RULES",
        (headers.Rule(headers._suffix("png"), "public, max-age=60"), *headers.CACHE_CONTROL_RULES),
    )

    result = releases.publish(site)

    pngs = sorted(path for path in SITE if path.endswith(".png"))
    assert sorted(result.plan.changed) == pngs
    assert result.uploaded == 0
    assert writes.total == 2  # the manifest and the pointer
    reader = ReleaseReader(s3, BUCKET, pointer_ttl=0)
    assert reader.resolve("/theme/img/logo.png").headers["cache-control"] == "public, max-age=60"


def test_rollback_and_promote_only_move_the_pointer(releases, s3, tmp_path, writes):
    first = releases.publish(write_site(tmp_path / "v1", SITE))
    second = releases.publish(write_site(tmp_path / "v2", {**SITE, "index.html": "<h1>v2</h1>"}))
    reader = ReleaseReader(s3, BUCKET, pointer_ttl=0)
    writes.reset()

    before, after = releases.rollback()

    assert (before, after) == (second.release, first.release)
    assert writes.total == 1  # the pointer
    assert body(s3, reader.resolve("/").key) == SITE["index.html"].encode()
    releases.promote(second.release)
    assert releases.live() == second.release
    assert body(s3, reader.resolve("/").key) == b"<h1>v2</h1>"
    assert releases.rollback(to=first.release) == (second.release, first.release)
    assert writes.total == 3
    with pytest.raises(PublishError, match="no such release"):
        releases.promote("20000101T000000.000Z-deadbeef")


def test_rollback_of_the_first_release_is_refused(releases, site):
    releases.publish(site)
    with pytest.raises(PublishError, match="first release"):
        releases.rollback()


def test_preview_is_stored_but_not_live_and_viewable_by_its_id(releases, s3, tmp_path, writes):
    live = releases.publish(write_site(tmp_path / "v1", SITE))
    writes.reset()

    preview = releases.publish(
        write_site(tmp_path / "v2", {**SITE, "index.html": "<h1>draft</h1>"}),
        PublishOptions(preview=True),
    )

    assert preview.release and preview.release != live.release
    assert releases.live() == live.release
    assert writes.total == 2  # one new object and the manifest; the pointer is untouched
    selection = select_release("/", f"__release={preview.release}", None, secure=False)
    assert selection.redirect == "/"
    assert f"__release={preview.release}" in selection.set_cookie
    chosen = select_release("/", "", selection.set_cookie.split(";")[0], secure=False)
    reader = ReleaseReader(s3, BUCKET, pointer_ttl=0)
    assert body(s3, reader.resolve("/", chosen.release).key) == b"<h1>draft</h1>"
    assert body(s3, reader.resolve("/").key) == SITE["index.html"].encode()
    rows = {row["release"]: row for row in releases.list()}
    assert rows[preview.release]["preview"] and not rows[preview.release]["live"]
    releases.promote(preview.release)
    assert body(s3, reader.resolve("/").key) == b"<h1>draft</h1>"


def test_too_many_removals_abort_before_any_write_unless_forced(releases, s3, tmp_path, writes):
    releases.publish(write_site(tmp_path / "v1", SITE))
    live = releases.live()
    shrunk = {"index.html": "<h1>almost empty</h1>"}
    writes.reset()

    with pytest.raises(PublishError, match=r"remove 10 files.*limit of 3.*--force"):
        releases.publish(write_site(tmp_path / "v2", shrunk), PublishOptions(max_deletes=3))

    assert writes.total == 0
    assert releases.live() == live
    forced = releases.publish(
        write_site(tmp_path / "v3", shrunk), PublishOptions(max_deletes=3, force=True)
    )
    assert len(forced.plan.removed) == 10
    assert releases.live() == forced.release


def test_dry_run_plans_without_writing(releases, site, writes):
    result = releases.publish(site, PublishOptions(dry_run=True))
    assert len(result.plan.new) == len(SITE)
    assert result.release is None
    assert writes.total == 0


@pytest.mark.parametrize("files", [{}, {"about/index.html": "<p>no home page</p>"}])
def test_an_empty_or_incomplete_build_is_refused(releases, tmp_path, writes, files):
    site = tmp_path / "site"
    site.mkdir()
    write_site(site, files)
    with pytest.raises(PublishError, match="refusing to publish"):
        releases.publish(site)
    assert writes.total == 0


def test_a_missing_bucket_is_named_in_the_error(s3):
    with pytest.raises(PublishError, match=r"no-such-bucket.*does not exist"):
        SiteStore(s3, "no-such-bucket").check_bucket()


def test_prune_keeps_live_and_predecessor_and_collects_unreferenced_objects(releases, s3, tmp_path):
    published = []
    for version in range(5):
        files = {**SITE, "index.html": f"<h1>version {version}</h1>"}
        published.append(releases.publish(write_site(tmp_path / f"v{version}", files)).release)
    releases.rollback(to=published[1])  # live is old now; its predecessor is published[0]
    unique_to_v3 = object_key(
        releases.store.read_manifest(published[3])["files"]["index.html"]["hash"]
    )

    result = releases.prune(keep=1, gc_grace=timedelta(0))

    assert set(result.kept) == {published[0], published[1], published[4]}
    assert set(result.deleted_releases) == {published[2], published[3]}
    assert stored_keys(s3, "releases/") == {manifest_key(r) for r in result.kept} | {
        "releases/LIVE"
    }
    assert unique_to_v3 not in stored_keys(s3, "objects/")
    assert result.deleted_objects == 2
    for release in result.kept:  # every kept release is still whole
        for entry in releases.store.read_manifest(release)["files"].values():
            assert object_key(entry["hash"]) in stored_keys(s3, "objects/")


def test_recent_unreferenced_objects_survive_collection(releases, s3, site):
    releases.publish(site)
    s3.put_object(Bucket=BUCKET, Key=object_key("f" * 64), Body=b"uploading right now")
    releases.prune(keep=1)
    assert object_key("f" * 64) in stored_keys(s3, "objects/")


def test_large_files_go_multipart_and_the_diff_ignores_etags(releases, s3, tmp_path, writes):
    site = write_site(tmp_path / "site", {"index.html": "<h1>home</h1>"})
    (site / "resume.pdf").write_bytes(b"%PDF" + b"x" * (17 * 1024 * 1024))

    releases.publish(site)

    assert writes.calls["CompleteMultipartUpload"] == 1
    writes.reset()
    assert releases.publish(site).release is None
    assert writes.total == 0


def test_a_page_from_the_previous_release_still_gets_its_own_fingerprinted_assets(
    releases, s3, tmp_path, writes
):
    old_css, new_css, newer_css = (f"theme/css/main.{h * 8}.css" for h in ("a", "b", "c"))
    releases.publish(write_site(tmp_path / "v1", {"index.html": "v1", old_css: "old"}))
    writes.reset()
    releases.publish(write_site(tmp_path / "v2", {"index.html": "v2", new_css: "new"}))
    reader = ReleaseReader(s3, BUCKET, pointer_ttl=0)

    assert writes.total == 2 + 2  # two new objects, the manifest, the pointer: nothing copied
    assert body(s3, reader.resolve(f"/{old_css}").key) == b"old"  # the v1 page's stylesheet
    assert body(s3, reader.resolve(f"/{new_css}").key) == b"new"
    old_object = reader.resolve(f"/{old_css}").key

    releases.publish(write_site(tmp_path / "v3", {"index.html": "v3", newer_css: "newer"}))
    assert reader.resolve(f"/{new_css}").status == 200
    assert reader.resolve(f"/{old_css}").status == 404  # carried for one release only
    assert [row["file_count"] for row in releases.list()] == [2, 2, 2]  # carried is not counted
    result = releases.prune(keep=1, gc_grace=timedelta(0))
    assert len(result.deleted_releases) == 1  # v1 goes; v2 (the predecessor) still carries
    assert old_object in stored_keys(s3, "objects/")
