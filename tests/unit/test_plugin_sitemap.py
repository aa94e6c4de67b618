"""The crawler files: sitemap XML and robots.txt, from the generator's own helpers."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from cloudfolio_sitemap.generator import robots_txt, sitemap_xml

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_sitemap_is_valid_xml_with_escaped_locations() -> None:
    text = sitemap_xml(
        [("https://site.example/", "2026-01-02"), ("https://site.example/q?a=1&b=2", None)]
    )
    root = ElementTree.fromstring(text)
    assert root.tag == f"{SITEMAP}urlset"
    urls = root.findall(f"{SITEMAP}url")
    assert [u.find(f"{SITEMAP}loc").text for u in urls] == [
        "https://site.example/",
        "https://site.example/q?a=1&b=2",
    ]
    assert urls[0].find(f"{SITEMAP}lastmod").text == "2026-01-02"
    assert urls[1].find(f"{SITEMAP}lastmod") is None


def test_robots_points_at_the_absolute_sitemap() -> None:
    assert robots_txt("https://site.example").splitlines() == [
        "User-agent: *",
        "Allow: /",
        "",
        "Sitemap: https://site.example/sitemap.xml",
    ]
