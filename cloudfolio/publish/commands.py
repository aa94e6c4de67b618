"""The publish commands as invoke tasks call them: resolve the environment, act, report."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from cloudfolio import resume_pdf
from cloudfolio.publish import build, clients, targets
from cloudfolio.publish import manifest as manifests
from cloudfolio.publish.edge import PREVIEW_PARAMETER
from cloudfolio.publish.errors import PublishError
from cloudfolio.publish.manifest import Plan
from cloudfolio.publish.progress import Progress, human_size
from cloudfolio.publish.releases import (
    DEFAULT_KEEP,
    PublishOptions,
    Releases,
)
from cloudfolio.publish.store import SiteStore

KEEP_RELEASES_VARIABLE = "CLOUDFOLIO_KEEP_RELEASES"


def preview_url(site_url: str, token: str) -> str:
    return f"{site_url.rstrip('/')}/?{urlencode({PREVIEW_PARAMETER: token})}"


def _releases_for(env: str, progress: Progress | None = None) -> tuple[targets.Target, Releases]:
    target = targets.target_for(env)
    session = clients.session_for(target)
    s3 = clients.s3_client(target, session=session)
    store = SiteStore(s3, target.bucket)
    with clients.explained_errors(target):
        store.check_bucket()
    pointer = clients.pointer_for(target, s3)
    return target, Releases(store, pointer, progress, clients.site_lock(target, session))


@contextmanager
def _acting(target: targets.Target, releases: Releases) -> Iterator[None]:
    """AWS errors explained, and whatever the command found wrong with the site reported (on
    stderr), also when it then fails."""
    try:
        with clients.explained_errors(target):
            yield
    finally:
        for notice in releases.notices:
            print(f"warning: {notice}", file=sys.stderr, flush=True)


def _say(text: str, json_output: bool) -> None:
    # With --json, stdout carries only the JSON summary; the human log goes to stderr.
    print(text, file=sys.stderr if json_output else sys.stdout, flush=True)


def format_plan(plan: Plan) -> str:
    return "\n".join(
        f"  {label:<10}{count:>6}  ({human_size(size)})"
        for label, count, size in (
            ("new", len(plan.new), plan.new_bytes),
            ("changed", len(plan.changed), plan.changed_bytes),
            ("unchanged", len(plan.unchanged), plan.unchanged_bytes),
            ("removed", len(plan.removed), plan.removed_bytes),
        )
    )


def _confirmer(env: str, yes: bool, json_output: bool):
    if yes or env == "local":
        return None

    def confirm(plan: Plan) -> bool:
        if not sys.stdin.isatty():
            raise PublishError(
                f"publishing to {env} needs confirmation: run interactively or pass --yes"
            )
        answer = input(f"Publish these changes to {env}? [y/N] ")
        return answer.strip().lower() in ("y", "yes")

    return confirm


def publish(
    env: str = "local",
    yes: bool = False,
    json_output: bool = False,
    site_dir: Path | None = None,
    **choices: Any,
) -> dict[str, Any]:
    """Build (unless `site_dir` is given), diff against the live release, upload what is new,
    write the release and switch to it (or only stage it with `preview`).

    `choices` are the PublishOptions a user sets: dry_run, preview, force, max_deletes,
    max_delete_fraction, break_lock (declared, with their defaults, there only)."""
    hash_cache = build.BUILD_ROOT / env / "hashes.json"
    # A built site is hashed while the AWS clients start.
    scanned = manifests.scan_soon(Path(site_dir), cache=hash_cache) if site_dir else None
    target, releases = _releases_for(env, Progress())
    if site_dir is None:
        _say(f"building the site for {target.site_url} ...", json_output)
        site_dir = build.build_site(target.site_url, env)
    options = PublishOptions(
        **choices,
        hash_cache=hash_cache,
        scanned=scanned,
        git_commit=build.git_commit(),
        confirm=_confirmer(env, yes, json_output),
        show_plan=lambda plan, live: _say(
            f"plan for {env} (live: {live or 'nothing yet'}):\n{format_plan(plan)}", json_output
        ),
    )
    with _acting(target, releases):
        result = releases.publish(Path(site_dir), options)
    summary = {"env": env, "bucket": target.bucket, "site_url": target.site_url, **result.summary()}
    if result.token:
        summary["preview_url"] = preview_url(target.site_url, result.token)
    if not result.plan.has_changes and result.live_after != result.live_before:
        _say(f"the live pointer is back on {result.live_after}", json_output)
    elif not result.plan.has_changes:
        _say("nothing changed since the live release; nothing was written", json_output)
    elif options.dry_run:
        _say("dry run: nothing was written", json_output)
    elif result.cancelled:
        _say("cancelled: nothing was written", json_output)
    elif options.preview:
        _say(
            f"preview {result.release} uploaded ({result.objects_written} objects written); "
            f"view it at {summary['preview_url']}",
            json_output,
        )
        _say(f"make it live with: invoke promote {result.release} --env {env}", json_output)
    else:
        _say(
            f"release {result.release} is live at {target.site_url} "
            f"({result.objects_written} objects written)",
            json_output,
        )
    skipped = options.dry_run or options.preview or result.cancelled
    if not skipped and target.resume_bucket and target.resume_key:
        # The PDF is not part of a release: a preview must not replace the live one.
        with clients.explained_errors(target):
            uploaded = resume_pdf.upload(
                clients.s3_client(target), target.resume_bucket, target.resume_key, site_dir
            )
        _say(resume_pdf.describe(uploaded, target.resume_bucket), json_output)
        summary["resume_pdf_uploaded"] = bool(uploaded and uploaded.uploaded)
    if json_output:
        print(json.dumps(summary, sort_keys=True), flush=True)
    return summary


def _report_switch(env: str, before: str | None, after: str) -> None:
    """The one line rollback and promote print about the live pointer."""
    print(
        f"{env}: live release {before} -> {after}"
        if before != after
        else f"{env}: {after} is already live"
    )


def rollback(env: str = "local", to: str | None = None, retract: bool = False) -> dict[str, Any]:
    """Switch the pointer back to `to`, or to the release live before the current one; with
    `retract`, the release left behind becomes unreachable by any link."""
    target, releases = _releases_for(env)
    with _acting(target, releases):
        before, after = releases.rollback(to, retract=retract)
    _report_switch(env, before, after)
    if retract and before and before != after:
        print(f"{env}: {before} is retracted: no link reaches it any more")
    return {"env": env, "live_before": before, "live_after": after, "retracted": retract}


def preview(env: str = "local", release: str = "") -> dict[str, Any]:
    """Open a new preview link (an unguessable token) for an existing release."""
    target, releases = _releases_for(env)
    with _acting(target, releases):
        token = releases.issue_preview(release)
    url = preview_url(target.site_url, token)
    print(f"{env}: preview of {release}: {url}")
    return {"env": env, "release": release, "preview_url": url}


def retract(env: str = "local", release: str = "") -> dict[str, Any]:
    """Make a release unreachable at once: close its preview links and delete its manifest
    (going back to the newest intact release first if it is live)."""
    target, releases = _releases_for(env)
    with _acting(target, releases):
        result = releases.retract(release)
    if result.live_before != result.live_after:
        print(f"{env}: live release {result.live_before} -> {result.live_after}")
    print(f"{env}: {release} is retracted ({result.closed_links} preview links closed)")
    return {
        "env": env,
        "release": release,
        "live_before": result.live_before,
        "live_after": result.live_after,
        "closed_links": result.closed_links,
    }


def promote(env: str = "local", release: str = "") -> dict[str, Any]:
    """Make an existing release (usually a preview) live."""
    target, releases = _releases_for(env)
    with _acting(target, releases):
        before, after = releases.promote(release)
    _report_switch(env, before, after)
    return {"env": env, "live_before": before, "live_after": after}


def releases(env: str = "local", json_output: bool = False) -> list[dict[str, Any]]:
    """List the releases, oldest first, with time, commit, file count, size and which is live."""
    target, found = _releases_for(env)
    with _acting(target, found):
        rows = found.list()
    if json_output:
        print(json.dumps(rows, sort_keys=True))
        return rows
    if not rows:
        print(f"{env}: no releases yet")
    for row in rows:
        marker = "*" if row["live"] else " "
        kind = "preview" if row["preview"] else ""
        commit = (row["git_commit"] or "-")[:12]
        print(
            f"{marker} {row['release']}  {row['created']}  {commit:<12}  "
            f"{row['file_count']:>6} files  {human_size(row['total_bytes'] or 0):>10}  {kind}"
        )
    return rows


def prune(env: str = "local", keep: int | None = None, break_lock: bool = False) -> dict[str, Any]:
    """Delete old releases (keeping the newest `keep`, the live one, its predecessor and those
    with open preview links) and the objects no remaining release references."""
    keep = keep or int(os.environ.get(KEEP_RELEASES_VARIABLE, DEFAULT_KEEP))
    target, found = _releases_for(env)
    with _acting(target, found):
        result = found.prune(keep, break_lock=break_lock)
    print(
        f"{env}: kept {len(result.kept)} releases, deleted {len(result.deleted_releases)} "
        f"releases and {result.deleted_objects} unreferenced objects"
    )
    return {
        "env": env,
        "kept": result.kept,
        "deleted_releases": result.deleted_releases,
        "deleted_objects": result.deleted_objects,
    }
