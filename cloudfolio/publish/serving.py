"""What a server without CloudFront needs to serve the site from releases, as the edge does.

The local static server reads releases through `release_reader(...)`, answers each GET with
`cloudfolio.local.viewer.respond(...)` and publishes each build with `publish_site(...)`, so
previews, promotion and rollback behave locally exactly as they do behind CloudFront.
"""

from __future__ import annotations

from pathlib import Path

from cloudfolio.publish.clients import client_config, session_for, site_lock
from cloudfolio.publish.edge import ReleaseReader
from cloudfolio.publish.releases import PublishOptions, PublishResult, Releases
from cloudfolio.publish.store import S3Pointer, SiteStore
from cloudfolio.publish.targets import Target


def _s3(endpoint_url: str):
    target = Target("local", "", "", endpoint_url)
    return session_for(target).client("s3", endpoint_url=endpoint_url, config=client_config(8))


def release_reader(endpoint_url: str, bucket: str, pointer_ttl: float = 0.5) -> ReleaseReader:
    """A reader of the emulator's site bucket; a publish shows up within `pointer_ttl` seconds."""
    return ReleaseReader(_s3(endpoint_url), bucket, pointer_ttl=pointer_ttl)


def publish_resume_pdf(endpoint_url: str, bucket: str, key: str, site_dir: Path) -> None:
    """The build's resume PDF into the emulator's private bucket, when it changed."""
    from cloudfolio import resume_pdf

    resume_pdf.upload(_s3(endpoint_url), bucket, key, Path(site_dir))


def publish_site(
    endpoint_url: str,
    bucket: str,
    site_dir: Path,
    preview: bool = False,
    lock_table: str | None = None,
) -> PublishResult:
    """Publish a built directory without output or prompts (no change: nothing is written),
    holding the site lock in `lock_table` (the stack's ephemeral table) when one is given."""
    target = Target("local", bucket, "", endpoint_url, lock_table=lock_table)
    session = session_for(target)
    s3 = session.client("s3", endpoint_url=endpoint_url, config=client_config(8))
    lock = site_lock(target, session) if lock_table else None
    releases = Releases(SiteStore(s3, bucket), S3Pointer(s3, bucket), lock=lock)
    return releases.publish(Path(site_dir), PublishOptions(preview=preview, force=True))
