"""A real Pelican build of the site, with assertions on what readers and crawlers receive."""

from __future__ import annotations

import gzip
import json
import re
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from cloudfolio_assets import FINGERPRINT_PATTERN
from pelican import Pelican
from pelican.settings import read_settings

from cloudfolio import paths

SITE_URL = "https://site.example"
API_URL = "https://api.site.example"
JS_BUDGET_GZIP = 2 * 1024
# The live demo's script loads only on the page the author placed the demo on; it carries the
# optional human check's few lines (Turnstile itself loads only when that check is on).
DEMO_JS_BUDGET_GZIP = 3 * 1024
CSS_BUDGET_GZIP = 10 * 1024
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def build_site(output: Path, settings_file: Path = paths.PELICAN_DEV_SETTINGS, **overrides):
    settings = read_settings(
        str(settings_file),
        override={
            "OUTPUT_PATH": str(output),
            "SITEURL": SITE_URL,
            "FEED_DOMAIN": SITE_URL,
            "CLOUDFOLIO_API_URL": API_URL,
            **overrides,
        },
    )
    Pelican(settings).run()
    return output


class Page(HTMLParser):
    """The parts of a generated HTML file the assertions look at."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.title = ""
        self._open: str | None = None
        self._text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag in ("script", "title", "h1"):
            self._open, self._text = tag, []

    def handle_data(self, data):
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag != self._open:
            return
        text = "".join(self._text)
        if tag == "script":
            self.scripts.append((self.elements_named("script")[-1], text))
        elif tag == "title":
            self.title = text
        self._open = None

    def elements_named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.elements if name == tag]

    def meta(self, key: str) -> str | None:
        for attrs in self.elements_named("meta"):
            if key in (attrs.get("name"), attrs.get("property")):
                return attrs.get("content")
        return None

    def link(self, rel: str) -> dict[str, str | None] | None:
        return next((a for a in self.elements_named("link") if a.get("rel") == rel), None)

    def json_ld(self) -> list[dict]:
        return [
            json.loads(text)
            for attrs, text in self.scripts
            if attrs.get("type") == "application/ld+json"
        ]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("site"))


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def page(site: Path, relative: str) -> Page:
    return Page((site / relative).read_text(encoding="utf-8"))


def post_dirs(site: Path) -> list[Path]:
    return sorted(p.parent for p in (site / "posts").glob("*/index.html"))


def test_every_page_type_is_built(site: Path) -> None:
    for relative in ("index.html", "about/index.html", "resume/index.html", "404.html"):
        assert (site / relative).is_file(), relative
    assert (site / "archives" / "index.html").is_file()
    assert len(post_dirs(site)) >= 3


def test_no_inline_script_style_or_event_handlers(site: Path) -> None:
    # The site is served with script-src 'self' and style-src 'self'; any of these would break.
    offences = []
    for file in html_files(site):
        parsed = page(site, str(file.relative_to(site)))
        for tag, attrs in parsed.elements:
            where = f"{file.relative_to(site)}: <{tag}>"
            if tag == "style":
                offences.append(f"{where} inline style element")
            if "style" in attrs:
                offences.append(f"{where} style attribute")
            offences.extend(f"{where} {name}" for name in attrs if name.startswith("on"))
            if tag == "a" and (attrs.get("href") or "").lower().startswith("javascript:"):
                offences.append(f"{where} javascript: URL")
        for attrs, text in parsed.scripts:
            is_data = attrs.get("type") == "application/ld+json"
            if not is_data and (not attrs.get("src") or text.strip()):
                offences.append(f"{file.relative_to(site)}: inline <script>")
    assert offences == []


def referenced_assets(site: Path) -> set[str]:
    assets = set()
    for file in html_files(site):
        for tag, attrs in page(site, str(file.relative_to(site))).elements:
            url = attrs.get("src") if tag == "script" else attrs.get("href")
            if tag in ("link", "script") and url and urlsplit(url).path.startswith("/theme/"):
                assets.add(urlsplit(url).path)
    return assets


def test_theme_assets_are_referenced_by_content_hashed_names(site: Path) -> None:
    assets = referenced_assets(site)
    suffixes = {Path(a).suffix for a in assets}
    assert {".css", ".js", ".svg"} <= suffixes
    for asset in assets:
        assert FINGERPRINT_PATTERN.search(asset), asset
        assert (site / asset.lstrip("/")).is_file(), asset
    shipped = {
        f"/{p.relative_to(site).as_posix()}"
        for p in (site / "theme").rglob("*")
        if p.suffix in (".css", ".js", ".svg")
    }
    assert shipped == assets, "every shipped theme file is hashed and referenced"


def gzipped_size(files: list[Path]) -> int:
    return sum(len(gzip.compress(f.read_bytes(), compresslevel=9)) for f in files)


def test_widget_javascript_fits_its_budget(site: Path) -> None:
    """Per page: the scripts it loads, the demo's counted against its own allowance."""
    checked = 0
    for html in site.rglob("*.html"):
        text = html.read_text()
        sources = re.findall(r"<script[^>]* src=\"([^\"]+)\"", text)
        loaded = [site / urlsplit(src).path.lstrip("/") for src in sources]
        loaded = [path for path in loaded if path.is_file()]
        if not loaded:
            continue
        demo = [path for path in loaded if path.name.startswith("demo.")]
        others = [path for path in loaded if path not in demo]
        assert gzipped_size(others) <= JS_BUDGET_GZIP, html
        assert gzipped_size(demo) <= DEMO_JS_BUDGET_GZIP, html
        checked += 1
    assert checked


def test_stylesheets_fit_their_budget(site: Path) -> None:
    stylesheets = sorted((site / "theme").rglob("*.css"))
    assert stylesheets
    assert gzipped_size(stylesheets) <= CSS_BUDGET_GZIP


def test_styles_cover_dark_mode_and_print(site: Path) -> None:
    home = page(site, "index.html")
    stylesheets = {
        a.get("media"): a["href"]
        for a in home.elements_named("link")
        if a.get("rel") == "stylesheet"
    }
    assert set(stylesheets) == {None, "print"}
    main_css = (site / stylesheets[None].lstrip("/")).read_text()
    assert "prefers-color-scheme: dark" in main_css
    assert ":focus-visible" in main_css
    assert "@import" not in main_css and "url(" not in main_css, "no external fonts or images"


def internal_links(parsed: Page) -> list[str]:
    links = []
    for tag, attrs in parsed.elements:
        url = attrs.get("href") or attrs.get("src")
        if tag in ("a", "link", "script", "img") and url:
            parts = urlsplit(url)
            if parts.scheme in ("mailto", "tel"):
                continue
            if not parts.netloc or f"{parts.scheme}://{parts.netloc}" == SITE_URL:
                links.append(parts.path)
    return links


def test_internal_links_resolve_to_built_files(site: Path) -> None:
    broken = []
    for file in html_files(site):
        for path in internal_links(page(site, str(file.relative_to(site)))):
            if not path:
                continue  # a fragment on the same page
            target = site / path.lstrip("/")
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.append(f"{file.relative_to(site)} -> {path}")
    assert broken == []


def test_pages_have_landmarks_a_skip_link_and_one_h1(site: Path) -> None:
    for file in html_files(site):
        parsed = page(site, str(file.relative_to(site)))
        tags = [tag for tag, _ in parsed.elements]
        html_attrs = parsed.elements_named("html")[0]
        assert html_attrs.get("lang") == "en", file
        assert tags.count("h1") == 1, file
        for landmark in ("header", "nav", "main", "footer"):
            assert landmark in tags, (file, landmark)
        first_link = parsed.elements_named("a")[0]
        assert first_link.get("href") == "#main", file
        assert parsed.elements_named("main")[0].get("id") == "main", file
        assert parsed.elements_named("nav")[0].get("aria-label"), file


def indexable_pages(site: Path) -> list[str]:
    pages = ["index.html", "about/index.html", "resume/index.html", "archives/index.html"]
    pages += [f"{d.relative_to(site).as_posix()}/index.html" for d in post_dirs(site)]
    return pages


def test_seo_meta_on_every_indexable_page(site: Path) -> None:
    titles = set()
    for relative in indexable_pages(site):
        parsed = page(site, relative)
        expected_url = f"{SITE_URL}/{relative.removesuffix('index.html')}"
        assert parsed.link("canonical")["href"] == expected_url, relative
        assert parsed.meta("og:url") == expected_url, relative
        assert len(parsed.meta("description") or "") >= 50, relative
        for key in ("og:title", "og:description", "og:type", "twitter:card", "twitter:title"):
            assert parsed.meta(key), (relative, key)
        assert parsed.title and parsed.title not in titles, relative
        titles.add(parsed.title)


def test_not_found_page_is_kept_out_of_search_results(site: Path) -> None:
    parsed = page(site, "404.html")
    assert parsed.meta("robots") == "noindex"
    assert parsed.link("canonical") is None
    assert "not found" in parsed.title.lower()


def test_json_ld_describes_posts_the_resume_and_the_site(site: Path) -> None:
    for post in post_dirs(site):
        [data] = page(site, f"{post.relative_to(site).as_posix()}/index.html").json_ld()
        assert data["@type"] == "BlogPosting"
        assert data["url"] == f"{SITE_URL}/{post.relative_to(site).as_posix()}/"
        assert data["headline"] and data["datePublished"] and data["author"]["name"]
    [person] = page(site, "resume/index.html").json_ld()
    assert person["@type"] == "Person"
    assert person["name"] == "Alex Morgan"
    assert person["jobTitle"]
    assert all(url.startswith("https://") for url in person["sameAs"])
    [website] = page(site, "index.html").json_ld()
    assert website["@type"] == "WebSite"
    assert website["url"] == f"{SITE_URL}/"


def test_atom_feed_lists_every_post_with_absolute_links(site: Path) -> None:
    feed = ElementTree.parse(site / "feeds" / "all.atom.xml").getroot()
    links = {e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")}
    expected = {f"{SITE_URL}/{d.relative_to(site).as_posix()}/" for d in post_dirs(site)}
    assert links == expected
    feed_link = page(site, "index.html").link("alternate")
    assert feed_link["type"] == "application/atom+xml"
    assert feed_link["href"] == f"{SITE_URL}/feeds/all.atom.xml"


def test_sitemap_lists_public_pages_and_not_the_404(site: Path) -> None:
    root = ElementTree.parse(site / "sitemap.xml").getroot()
    locations = {url.find(f"{SITEMAP}loc").text for url in root.findall(f"{SITEMAP}url")}
    expected = {f"{SITE_URL}/{r.removesuffix('index.html')}" for r in indexable_pages(site)}
    assert locations == expected
    for url in root.findall(f"{SITEMAP}url"):
        lastmod = url.find(f"{SITEMAP}lastmod")
        if lastmod is not None:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", lastmod.text)


def test_robots_txt_allows_crawling_and_points_at_the_sitemap(site: Path) -> None:
    lines = (site / "robots.txt").read_text().splitlines()
    assert "User-agent: *" in lines
    assert not any(line.strip() == "Disallow: /" for line in lines)
    assert f"Sitemap: {SITE_URL}/sitemap.xml" in lines


def test_publish_settings_build_with_production_urls(tmp_path: Path) -> None:
    output = build_site(
        tmp_path / "site",
        settings_file=paths.PELICAN_PUBLISH_SETTINGS,
        SITEURL="https://www.author.example",
        FEED_DOMAIN="https://www.author.example",
    )
    home = page(output, "index.html")
    assert home.link("canonical")["href"] == "https://www.author.example/"
    assert referenced_assets(output)


def test_paginated_home_pages_link_to_each_other(tmp_path: Path) -> None:
    output = build_site(tmp_path / "site", DEFAULT_PAGINATION=2)
    second = page(output, "page/2/index.html")
    assert second.link("canonical")["href"] == f"{SITE_URL}/page/2/"
    assert {a.get("href") for a in second.elements_named("a") if a.get("rel") == "prev"} == {"/"}
    home = page(output, "index.html")
    assert {a.get("href") for a in home.elements_named("a") if a.get("rel") == "next"} == {
        "/page/2/"
    }
    test_internal_links_resolve_to_built_files(output)
