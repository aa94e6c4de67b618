"""Releases against moto in-process: write budgets, atomic switch, rollback, previews, pruning."""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from bench.metering import WriteCounter
from cloudfolio.local.viewer import select_release
from cloudfolio.publish import headers
from cloudfolio.publish import manifest as manifests
from cloudfolio.publish.edge import ReleaseReader, manifest_key, object_key
from cloudfolio.publish.lock import (
    LOCK_PARTITION,
    PARTITION_KEY,
    SORT_KEY,
    TTL_ATTRIBUTE,
    SiteLock,
)
from cloudfolio.publish.releases import PublishOptions, Releases
from cloudfolio.publish.store import PublishError, S3Pointer, SiteStore
from tests.unit.conftest import create_table

BUCKET = "cloudfolio-site-test"
# The site lock's table (the stack's ephemeral table): a lock costs the site bucket no write.
LOCK_TABLE = "cloudfolio-test-ephemeral"
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
        create_table(boto3.client("dynamodb", region_name="us-east-1"), LOCK_TABLE)
        yield client


def site_lock(**options) -> SiteLock:
    return SiteLock(
        lambda: boto3.client("dynamodb", region_name="us-east-1"), LOCK_TABLE, BUCKET, **options
    )


@pytest.fixture
def writes(s3) -> WriteCounter:
    return WriteCounter(s3)


@pytest.fixture
def releases(s3) -> Releases:
    return Releases(SiteStore(s3, BUCKET), S3Pointer(s3, BUCKET), lock=site_lock())


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
    # At most the changed files plus the manifest and the pointer: the lock is not in S3.
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


def test_preview_is_stored_but_not_live_and_opens_only_by_its_token(releases, s3, tmp_path, writes):
    live = releases.publish(write_site(tmp_path / "v1", SITE))
    writes.reset()

    preview = releases.publish(
        write_site(tmp_path / "v2", {**SITE, "index.html": "<h1>draft</h1>"}),
        PublishOptions(preview=True),
    )

    assert preview.release and preview.release != live.release
    assert releases.live() == live.release
    assert writes.total == 3  # a new object, the manifest and the token; not the pointer
    reader = ReleaseReader(s3, BUCKET, pointer_ttl=0)
    by_id = select_release("/", f"__preview={preview.release}", None, False, reader.lookup)
    assert "Max-Age=0" in by_id.set_cookie  # knowing the release id opens nothing
    opened = select_release("/", f"__preview={preview.token}", None, False, reader.lookup)
    assert opened.redirect == "/"
    chosen = select_release("/", "", opened.set_cookie.split(";")[0], False, reader.lookup)
    assert chosen.release == preview.release
    assert body(s3, reader.resolve("/", chosen.release).key) == b"<h1>draft</h1>"
    assert body(s3, reader.resolve("/").key) == SITE["index.html"].encode()
    rows = {row["release"]: row for row in releases.list()}
    assert rows[preview.release]["preview"] and not rows[preview.release]["live"]
    releases.promote(preview.release)
    assert body(s3, reader.resolve("/").key) == b"<h1>draft</h1>"


def test_a_preview_link_can_be_issued_for_an_existing_release(releases, s3, tmp_path):
    first = releases.publish(write_site(tmp_path / "v1", SITE))
    releases.publish(write_site(tmp_path / "v2", {**SITE, "index.html": "<h1>v2</h1>"}))
    reader = ReleaseReader(s3, BUCKET, pointer_ttl=0)

    token = releases.issue_preview(first.release)

    assert token != releases.issue_preview(first.release)  # each link is its own token
    assert len(token) == 32
    assert reader.lookup(f"preview:{token}") == first.release
    with pytest.raises(PublishError, match="no such release"):
        releases.issue_preview("20000101T000000.000Z-deadbeef")


def test_retract_closes_every_link_at_once_and_leaves_the_live_release(releases, s3, tmp_path):
    live = releases.publish(write_site(tmp_path / "v1", SITE))
    draft = releases.publish(
        write_site(tmp_path / "v2", {**SITE, "index.html": "<h1>secret</h1>"}),
        PublishOptions(preview=True),
    )
    second_link = releases.issue_preview(draft.release)
    reader = ReleaseReader(s3, BUCKET, pointer_ttl=0)

    result = releases.retract(draft.release)

    assert result.closed_links == 2 and releases.live() == live.release
    for token in (draft.token, second_link):
        cookie = f"__preview={token}"
        assert select_release("/", "", cookie, False, reader.lookup).release == live.release
        opened = select_release("/", f"__preview={token}", None, False, reader.lookup)
        assert "Max-Age=0" in opened.set_cookie
    assert reader.resolve("/", draft.release).status == 404  # even by its id at the origin
    with pytest.raises(PublishError, match="no such release"):
        releases.promote(draft.release)


def test_rollback_with_retract_makes_the_bad_release_unreachable(releases, s3, tmp_path):
    good = releases.publish(write_site(tmp_path / "v1", SITE))
    bad = releases.publish(write_site(tmp_path / "v2", {**SITE, "index.html": "<h1>oops</h1>"}))
    reader = ReleaseReader(s3, BUCKET, pointer_ttl=0)

    assert releases.rollback(retract=True) == (bad.release, good.release)

    assert reader.resolve("/", bad.release).status == 404
    assert bad.release not in {row["release"] for row in releases.list()}
    with pytest.raises(PublishError, match="no such release"):
        releases.rollback(to=bad.release)


def test_retracting_the_live_release_first_goes_back_to_the_newest_intact_one(releases, tmp_path):
    good = releases.publish(write_site(tmp_path / "v1", SITE))
    bad = releases.publish(write_site(tmp_path / "v2", {**SITE, "index.html": "<h1>oops</h1>"}))
    result = releases.retract(bad.release)
    assert (result.live_before, result.live_after) == (bad.release, good.release)
    assert releases.live() == good.release


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
    old_css, new_css, newer_css = (f"theme/css/main.{h * 12}.css" for h in ("a", "b", "c"))
    releases.publish(write_site(tmp_path / "v1", {"index.html": "v1", old_css: "old"}))
    writes.reset()
    releases.publish(write_site(tmp_path / "v2", {"index.html": "v2", new_css: "new"}))
    reader = ReleaseReader(s3, BUCKET, pointer_ttl=0)

    assert writes.total == 2 + 2  # two new objects, the manifest, the pointer
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


def break_pointer(s3, releases, release: str) -> None:
    s3.delete_object(Bucket=BUCKET, Key=manifest_key(release))
    assert releases.live() == release


def test_rollback_recovers_from_a_broken_pointer_to_the_newest_intact_release(
    releases, s3, tmp_path
):
    first = releases.publish(write_site(tmp_path / "v1", SITE))
    second = releases.publish(write_site(tmp_path / "v2", {**SITE, "index.html": "<h1>2</h1>"}))
    third = releases.publish(write_site(tmp_path / "v3", {**SITE, "index.html": "<h1>3</h1>"}))
    break_pointer(s3, releases, third.release)

    assert releases.rollback() == (third.release, second.release)

    assert any(third.release in notice and "missing" in notice for notice in releases.notices)
    assert first.release != releases.live()


def test_publish_recovers_from_a_broken_pointer(releases, s3, tmp_path, writes):
    first = releases.publish(write_site(tmp_path / "v1", SITE))
    second = releases.publish(write_site(tmp_path / "v2", {**SITE, "index.html": "<h1>2</h1>"}))
    break_pointer(s3, releases, second.release)

    # Nothing changed against the newest intact release: the pointer alone goes back to it.
    writes.reset()
    result = releases.publish(tmp_path / "v1")
    assert releases.live() == first.release and result.live_after == first.release
    assert writes.total == 1
    assert any("missing" in notice for notice in releases.notices)

    break_pointer(s3, releases, first.release)
    with pytest.raises(PublishError, match="no intact release"):
        releases.rollback()
    fresh = releases.publish(write_site(tmp_path / "v3", {**SITE, "index.html": "<h1>3</h1>"}))
    assert releases.live() == fresh.release
    assert len(fresh.plan.new) == len(SITE)  # diffed against nothing, so every file is checked


def test_every_command_reports_a_broken_pointer(releases, s3, tmp_path):
    releases.publish(write_site(tmp_path / "v1", SITE))
    second = releases.publish(write_site(tmp_path / "v2", {**SITE, "index.html": "<h1>2</h1>"}))
    break_pointer(s3, releases, second.release)

    releases.list()
    assert any(second.release in notice for notice in releases.notices)
    with pytest.raises(PublishError, match=f"{second.release}.*missing.*rollback"):
        releases.prune(keep=1)
    releases.notices.clear()
    releases.issue_preview(releases.store.release_ids()[0])
    assert any(second.release in notice for notice in releases.notices)


class HeldProgress:
    """A progress sink that holds a publish between its plan and its uploads."""

    def __init__(self) -> None:
        self.reached, self.go_on = threading.Event(), threading.Event()

    def start(self, total: int, size: int) -> None:
        self.reached.set()
        assert self.go_on.wait(30)

    def advance(self, size: int, path: str) -> None: ...

    def finish(self) -> None: ...


def test_one_publish_or_prune_at_a_time_and_prune_spares_what_a_publish_reuses(
    s3, releases, tmp_path
):
    old = releases.publish(write_site(tmp_path / "v1", SITE))
    releases.publish(write_site(tmp_path / "v2", {**SITE, "about/index.html": "<p>new</p>"}))
    releases.publish(write_site(tmp_path / "v3", {**SITE, "about/index.html": "<p>newer</p>"}))
    held = HeldProgress()
    busy = Releases(releases.store, releases.pointer, held, site_lock())
    # This publish brings back v1's about page: its object is old and in no kept release.
    running = threading.Thread(target=busy.publish, args=(tmp_path / "v1",))
    running.start()
    try:
        assert held.reached.wait(30)
        with pytest.raises(PublishError, match=r"publish.*holds the site lock"):
            releases.prune(keep=1, gc_grace=timedelta(0))
        with pytest.raises(PublishError, match=r"publish.*holds the site lock"):
            releases.publish(write_site(tmp_path / "v4", {**SITE, "index.html": "<h1>4</h1>"}))
    finally:
        held.go_on.set()
        running.join(30)
    releases.prune(keep=1, gc_grace=timedelta(0))
    reader = ReleaseReader(s3, BUCKET, pointer_ttl=0)
    about = reader.resolve("/about/")
    assert body(s3, about.key) == SITE["about/index.html"].encode()
    assert old.release not in releases.store.release_ids()


def test_a_stale_lock_is_reported_with_its_age_and_owner_and_a_flag_breaks_it(releases, s3, site):
    stale = site_lock(owner="ci@runner-7", ttl=timedelta(minutes=15))
    stale.acquire("publish", now=datetime.now(UTC) - timedelta(hours=2))
    # The expiry is the table's TTL attribute too: DynamoDB clears an abandoned lock eventually.
    item = stale.client.get_item(TableName=LOCK_TABLE, Key=stale.key)["Item"]
    assert int(item[TTL_ATTRIBUTE]["N"]) == int(stale.holder().expires.timestamp())
    assert item[PARTITION_KEY]["S"] == LOCK_PARTITION and item[SORT_KEY]["S"] == BUCKET

    with pytest.raises(PublishError, match=r"stale.*ci@runner-7.*2 h.*--break-lock"):
        releases.publish(site)
    result = releases.publish(site, PublishOptions(break_lock=True))
    assert releases.live() == result.release
    assert stale.holder() is None  # released after use


def test_per_key_delete_failures_are_reported(releases, s3, tmp_path, monkeypatch):
    for version in range(3):
        files = {**SITE, "index.html": f"<h1>version {version}</h1>"}
        releases.publish(write_site(tmp_path / f"v{version}", files))
    real = s3.delete_objects

    def refuse_one(**kwargs):
        keys = kwargs["Delete"]["Objects"]
        answer = {}
        if keys[1:]:
            answer = real(**{**kwargs, "Delete": {**kwargs["Delete"], "Objects": keys[1:]}})
        failed = {"Key": keys[0]["Key"], "Code": "AccessDenied", "Message": "Access Denied"}
        return {**answer, "Errors": [failed]}

    monkeypatch.setattr(s3, "delete_objects", refuse_one)
    with pytest.raises(PublishError, match=r"could not delete 1 of .*AccessDenied"):
        releases.prune(keep=1, gc_grace=timedelta(0))


def test_the_delete_guard_is_relative_as_well_as_absolute(releases, tmp_path, writes):
    small = {f"posts/{n}/index.html": f"post {n}" for n in range(10)}
    releases.publish(write_site(tmp_path / "v1", {"index.html": "home", **small}))
    half_built = {"index.html": "home", **dict(list(small.items())[:4])}
    writes.reset()

    with pytest.raises(PublishError, match=r"remove 6 of the 11 live files.*more than half"):
        releases.publish(write_site(tmp_path / "v2", half_built))
    assert writes.total == 0
    allowed = releases.publish(
        write_site(tmp_path / "v3", half_built), PublishOptions(max_delete_fraction=0.6)
    )
    assert len(allowed.plan.removed) == 6


def test_the_hash_cache_skips_unchanged_files_and_rehashes_touched_ones(tmp_path):
    site = write_site(tmp_path / "site", {"index.html": "home", "a.css": "body {}"})
    cache = tmp_path / "hashes.json"
    first = manifests.scan(site, cache=cache)
    recorded = json.loads(cache.read_text())
    recorded["a.css"][2] = "f" * 64  # a recorded hash is trusted while size and mtime match
    cache.write_text(json.dumps(recorded))
    assert manifests.scan(site, cache=cache)["a.css"]["hash"] == "f" * 64
    (site / "a.css").write_text("body {}")  # same bytes, new mtime: read again
    os.utime(site / "a.css", ns=(1, 1))
    assert manifests.scan(site, cache=cache) == first
