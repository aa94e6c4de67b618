"""Benchmark: `invoke publish` releases against `aws s3 sync --delete` on a 1000-post site.

Both tools run as fresh processes against one moto server, each into its own bucket, side by
side in one run. The site is generated as Markdown and built by Pelican with the repository's
publishconf and theme. Steps: first publish, no-change publish, then one post edited and the
site rebuilt (Pelican rewrites every file, as a real rebuild does) and published again.

The table gives wall-time ratios and objects written; the last line is one JSON object.
Run: .venv/bin/python bench/publish.py [--posts 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cloudfolio import paths  # noqa: E402
from cloudfolio.local.emulator import running_emulator  # noqa: E402

AWSCLI = "awscli==1.46.3"  # run through uvx: its exact botocore pin would fight the project's
TAGS = [f"topic{n}" for n in range(20)]
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
    shutil.copytree(paths.CONTENT / "pages", content / "pages")
    (content / "posts").mkdir(parents=True)
    for number in range(posts):
        (content / "posts" / f"post-{number}.md").write_text(post_markdown(number))


def build(content: Path, output: Path, site_url: str) -> float:
    started = time.perf_counter()
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            str(content),
            "-s",
            str(paths.PELICAN_PUBLISH_SETTINGS),
            "-o",
            str(output),
            "--fatal",
            "errors",
            "-q",
        ],
        cwd=ROOT,
        env={**os.environ, "CLOUDFOLIO_SITE_URL": site_url},
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise SystemExit(f"the Pelican build failed:\n{completed.stderr[-2000:]}")
    return time.perf_counter() - started


def publish_once(site: str, endpoint: str, bucket: str) -> None:
    """Child-process mode: one publish, then a JSON line with the plan and the writes made."""
    import boto3

    from cloudfolio.publish.metering import WriteCounter
    from cloudfolio.publish.releases import Releases
    from cloudfolio.publish.store import S3Pointer, SiteStore

    s3 = boto3.client("s3", endpoint_url=endpoint)
    writes = WriteCounter(s3)
    result = Releases(SiteStore(s3, bucket), S3Pointer(s3, bucket)).publish(Path(site))
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
        [sys.executable, __file__, "--publish-once", str(site), endpoint, bucket], env
    )
    return elapsed, json.loads(out.strip().splitlines()[-1])


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
    parser.add_argument("--publish-once", nargs=3, metavar=("SITE", "ENDPOINT", "BUCKET"))
    args = parser.parse_args()
    if args.publish_once:
        publish_once(*args.publish_once)
        return

    uvx = shutil.which("uvx") or str(Path(sys.executable).with_name("uvx"))
    aws = [uvx, "--quiet", "--from", AWSCLI, "aws"]
    env = {**os.environ, **CREDENTIALS, "PYTHONPATH": str(ROOT)}
    env.pop("AWS_ENDPOINT_URL", None)
    subprocess.run([*aws, "--version"], env=env, check=True, capture_output=True)  # warm cache

    with running_emulator() as emulator:
        endpoint = emulator.url
        work = Path(tempfile.mkdtemp(prefix="cloudfolio-bench-"))
        try:
            import boto3

            s3 = boto3.client(
                "s3",
                endpoint_url=endpoint,
                region_name="us-east-1",
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
            )
            for bucket in ("releases", "synced"):
                s3.create_bucket(Bucket=bucket)
            content, site = work / "content", work / "output"
            write_content(content, args.posts)
            build_seconds = build(content, site, "https://bench.example.org")
            rows = []

            first_cf, first = cloudfolio_publish(site, endpoint, "releases", env)
            first_aws, first_aws_writes = aws_sync(aws, site, endpoint, "synced", env)
            rows.append(("first publish", first_cf, first["writes"], first_aws, first_aws_writes))

            same_cf, same = cloudfolio_publish(site, endpoint, "releases", env)
            same_aws, same_aws_writes = aws_sync(aws, site, endpoint, "synced", env)
            rows.append(("no-change publish", same_cf, same["writes"], same_aws, same_aws_writes))

            # A post from the middle of the site: its page, its listing pages and tag pages change.
            edited_post = args.posts // 2
            (content / "posts" / f"post-{edited_post}.md").write_text(
                post_markdown(edited_post, edited=True)
            )
            rebuild_seconds = build(content, site, "https://bench.example.org")
            edit_cf, edit = cloudfolio_publish(site, endpoint, "releases", env)
            edit_aws, edit_aws_writes = aws_sync(aws, site, endpoint, "synced", env)
            rows.append(("one-post edit", edit_cf, edit["writes"], edit_aws, edit_aws_writes))
        finally:
            shutil.rmtree(work, ignore_errors=True)

    print(
        f"site: {args.posts} posts, {first['files']} files; "
        f"build {build_seconds:.1f}s, rebuild {rebuild_seconds:.1f}s (not in the times below)"
    )
    print(f"one-post edit changed {edit['changed_files']} files")
    header = f"{'step':<20}{'publish s':>10}{'writes':>8}{'s3 sync s':>11}{'writes':>8}"
    print(header + f"{'speed-up':>10}")
    print("-" * (len(header) + 10))
    for step, ours, our_writes, theirs, their_writes in rows:
        print(
            f"{step:<20}{ours:>10.2f}{our_writes:>8}{theirs:>11.2f}{their_writes:>8}"
            f"{theirs / ours:>9.1f}x"
        )
    print(
        json.dumps(
            {
                "wall_ratio_vs_aws_s3_sync": round(edit_aws / edit_cf, 2),
                "objects_written_edit": edit["writes"],
                "changed_files_edit": edit["changed_files"],
                "objects_written_nochange": same["writes"],
            }
        )
    )


if __name__ == "__main__":
    main()
