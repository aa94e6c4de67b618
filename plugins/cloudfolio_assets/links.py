"""Root-relative links, so a built site works on whatever host serves it."""

from urllib.parse import urlsplit


def site_path(site_url: str, path: str = "") -> str:
    """The path of `path` below the site root, e.g. ``/blog/posts/x/`` for SITEURL ``…/blog``.

    Absolute URLs stay for canonical links, feeds and the sitemap; navigation and assets use
    paths, so opening the local build under localhost instead of 127.0.0.1 does not jump hosts.
    """
    root = urlsplit(site_url).path.rstrip("/")
    path = path.lstrip("/")
    return f"{root}/{path}" if path else f"{root}/"
