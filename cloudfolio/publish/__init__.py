"""Publishing: atomic, content-addressed releases of the built site with instant rollback.

Layout in the site bucket (declared in backend/edge/release_mapping.py):
- `objects/<sha256>`: every file's bytes, stored once and never changed;
- `releases/<release-id>.json`: a manifest mapping each site path to its hash and headers;
- `releases/LIVE` (and the CloudFront KeyValueStore key `live`): the release readers get;
- `previews/<token>` (and the key `preview:<token>`): the release a preview link opens;
- `locks/site.json`: the lock one publish or prune holds at a time.
"""

from cloudfolio.publish.commands import (
    preview,
    preview_url,
    promote,
    prune,
    publish,
    releases,
    retract,
    rollback,
)
from cloudfolio.publish.errors import PublishError

__all__ = [
    "PublishError",
    "preview",
    "preview_url",
    "promote",
    "prune",
    "publish",
    "releases",
    "retract",
    "rollback",
]
