"""A Pelican generator that writes the crawler files once every page is known."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

SITEMAP_NAME = "sitemap.xml"
ROBOTS_NAME = "robots.txt"


def _lastmod(content: Any) -> datetime | None:
    return getattr(content, "modified", None) or getattr(content, "date", None)


def _w3c_date(moment: datetime | None) -> str | None:
    return moment.date().isoformat() if moment else None


def sitemap_xml(entries: list[tuple[str, str | None]]) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for location, lastmod in entries:
        lines.append("  <url>")
        lines.append(f"    <loc>{escape(location)}</loc>")
        if lastmod:
            lines.append(f"    <lastmod>{lastmod}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(site_url: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {site_url}/{SITEMAP_NAME}\n"


class SitemapGenerator:
    def __init__(self, context, settings, path, theme, output_path, **_ignored):
        self.context = context
        self.settings = settings
        self.output_path = Path(output_path)

    def entries(self) -> list[tuple[str, str | None]]:
        site_url = self.settings["SITEURL"]
        articles = list(self.context.get("articles", []))
        pages = list(self.context.get("pages", []))
        newest = max((_lastmod(a) for a in articles if _lastmod(a)), default=None)
        entries: list[tuple[str, str | None]] = [(f"{site_url}/", _w3c_date(newest))]
        archives_url = self.settings.get("ARCHIVES_URL")
        if "archives" in self.settings.get("DIRECT_TEMPLATES", []) and archives_url:
            entries.append((f"{site_url}/{archives_url}", _w3c_date(newest)))
        for content in articles + pages:
            entries.append((f"{site_url}/{content.url}", _w3c_date(_lastmod(content))))
        return entries

    def generate_output(self, writer) -> None:
        self.output_path.mkdir(parents=True, exist_ok=True)
        (self.output_path / SITEMAP_NAME).write_text(sitemap_xml(self.entries()), encoding="utf-8")
        (self.output_path / ROBOTS_NAME).write_text(
            robots_txt(self.settings["SITEURL"]), encoding="utf-8"
        )
