"""Publishing: atomic, content-addressed releases of the built site with instant rollback.

Layout in the site bucket (declared in backend/edge/release_mapping.py):
- `objects/<sha256>`: every file's bytes, stored once and never changed;
- `releases/<release-id>.json`: a manifest mapping each site path to its hash and headers;
- `releases/LIVE` (and the CloudFront KeyValueStore key `live`): the release readers get;
- `previews/<token>` (and the key `preview:<token>`): the release a preview link opens;

One publish or prune at a time holds the site lock, an item of the stack's ephemeral table
(lock.py): the bucket gets no write for it.
"""

from typing import Any

from cloudfolio.publish.errors import PublishError

# The commands load the build, Terraform and every client; modules that only publish a built
# site (the local stack, the benchmark) import what they use without paying for them.
_COMMANDS = (
    "preview",
    "preview_url",
    "promote",
    "prune",
    "publish",
    "releases",
    "retract",
    "rollback",
)


def __getattr__(name: str) -> Any:
    if name in _COMMANDS:
        from cloudfolio.publish import commands

        return getattr(commands, name)
    raise AttributeError(name)


__all__ = ["PublishError", *_COMMANDS]
