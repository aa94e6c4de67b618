"""The widgets plugin, tested through real Pelican builds of the repository's site."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from cloudfolio_widgets.markup import PLACEHOLDER, render_counter
from cloudfolio_widgets.settings import WidgetSettingsError
from pelican import Pelican
from pelican.settings import read_settings

from cloudfolio import paths

SITE_URL = "https://site.example"
API_URL = "https://api.site.example"
PAGES = ("index.html", "about/index.html", "resume/index.html", "archives/index.html")
NUMBER_ATTRIBUTES = ("data-cf-views", "data-cf-page-views", "data-cf-visitors")


def build_site(output: Path, **overrides) -> Path:
    settings = read_settings(
        str(paths.PELICAN_DEV_SETTINGS),
        override={"OUTPUT_PATH": str(output), "SITEURL": SITE_URL, **overrides},
    )
    Pelican(settings).run()
    return output


class Elements(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None], str]] = []
        self._stack: list[int] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs), ""))
        self._stack.append(len(self.found) - 1)

    def handle_data(self, data):
        if self._stack:
            tag, attrs, text = self.found[self._stack[-1]]
            self.found[self._stack[-1]] = (tag, attrs, text + data)

    def handle_endtag(self, tag):
        while self._stack:
            if self.found[self._stack.pop()][0] == tag:
                break

    def with_attribute(self, name: str) -> list[tuple[str, dict[str, str | None], str]]:
        return [element for element in self.found if name in element[1]]

    def scripts(self) -> list[str]:
        return [attrs["src"] for tag, attrs, _ in self.found if tag == "script" and "src" in attrs]


def parse(site: Path, relative: str) -> Elements:
    return Elements((site / relative).read_text(encoding="utf-8"))


def main_css(site: Path, page: Elements) -> str:
    [stylesheet] = [
        a["href"]
        for t, a, _ in page.found
        if t == "link" and a.get("rel") == "stylesheet" and not a.get("media")
    ]
    return (site / stylesheet.lstrip("/")).read_text()


def article_pages(site: Path) -> list[str]:
    return [p.relative_to(site).as_posix() for p in sorted((site / "posts").glob("*/index.html"))]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(
        tmp_path_factory.mktemp("widgets"),
        CLOUDFOLIO_API_URL=API_URL,
        CLOUDFOLIO_WIDGETS={"counter": True, "resume_download": True},
    )


def test_counter_is_server_rendered_on_every_page_type(site: Path) -> None:
    for relative in (*PAGES, *article_pages(site)):
        page = parse(site, relative)
        [(_, root, _)] = page.with_attribute("data-cf-counter")
        assert root["data-cf-state"] == "static", relative
        assert root["data-cf-api"] == API_URL, relative
        assert root["aria-live"] == "polite", relative
        for attribute in NUMBER_ATTRIBUTES:
            [(_, _, text)] = page.with_attribute(attribute)
            assert text == PLACEHOLDER, (relative, attribute)
        assert [(t, a) for t, a, _ in page.found if "data-cf-status" in a], relative


def test_counter_script_is_loaded_deferred_from_the_site(site: Path) -> None:
    home = parse(site, "index.html")
    [counter_js] = [src for src in home.scripts() if "/counter." in src]
    assert counter_js.startswith("/theme/js/counter.")
    [(_, attrs, _)] = [e for e in home.found if e[0] == "script" and e[1].get("src") == counter_js]
    assert "defer" in attrs
    script = (site / counter_js.lstrip("/")).read_text()
    for contract in (
        "data-cf-api",
        "/visits",
        "data-cf-state",
        "offline",
        "ready",
        *NUMBER_ATTRIBUTES,
    ):
        assert contract in script, contract


def test_counter_reserves_its_space(site: Path) -> None:
    css = main_css(site, parse(site, "index.html"))
    value_rule = css.split(".cf-counter__value {", 1)[1].split("}", 1)[0]
    assert "height:" in value_rule and "tabular-nums" in value_rule
    status_rule = css.split(".cf-counter__status {", 1)[1].split("}", 1)[0]
    assert "height:" in status_rule


def test_resume_page_links_the_download_to_the_api(site: Path) -> None:
    [(tag, attrs, text)] = parse(site, "resume/index.html").with_attribute(
        "data-cf-resume-download"
    )
    assert tag == "a"
    assert attrs["href"] == f"{API_URL}/resume"
    assert "Download resume" in text
    for relative in ("index.html", "about/index.html", *article_pages(site)):
        assert parse(site, relative).with_attribute("data-cf-resume-download") == [], relative


def test_resume_download_is_a_named_link_with_a_reserved_count_line(site: Path) -> None:
    page = parse(site, "resume/index.html")
    [(_, root, _)] = page.with_attribute("data-cf-resume")
    assert root["data-cf-state"] == "static" and root["data-cf-api"] == API_URL
    [(_, _, text)] = page.with_attribute("data-cf-resume-download")
    assert text.strip() == "Download resume (PDF)"  # the accessible name says what and which format
    [(tag, attrs, count)] = page.with_attribute("data-cf-downloads")
    assert (tag, attrs["aria-live"], count) == ("p", "polite", "")
    scripts = page.scripts()
    assert [s for s in scripts if "/resume." in s], scripts
    for relative in ("index.html", "about/index.html", *article_pages(site)):
        assert not any("/resume." in s for s in parse(site, relative).scripts()), relative
    rule = main_css(site, page).split(".cf-resume__count {", 1)[1].split("}", 1)[0]
    assert "height:" in rule and "overflow: hidden" in rule


def test_disabling_the_counter_removes_markup_and_script(tmp_path: Path) -> None:
    site = build_site(
        tmp_path,
        CLOUDFOLIO_API_URL=API_URL,
        CLOUDFOLIO_WIDGETS={"counter": False, "resume_download": True},
    )
    for relative in (*PAGES, *article_pages(site)):
        page = parse(site, relative)
        assert page.with_attribute("data-cf-counter") == [], relative
        assert not any("/counter." in src for src in page.scripts()), relative
    assert parse(site, "resume/index.html").with_attribute("data-cf-resume-download")


def test_disabling_the_resume_download_removes_the_link(tmp_path: Path) -> None:
    site = build_site(
        tmp_path,
        CLOUDFOLIO_API_URL=API_URL,
        CLOUDFOLIO_WIDGETS={"counter": True, "resume_download": False},
    )
    assert parse(site, "resume/index.html").with_attribute("data-cf-resume-download") == []
    assert not any("/resume." in s for s in parse(site, "resume/index.html").scripts())
    assert parse(site, "resume/index.html").with_attribute("data-cf-counter")


def test_api_url_comes_from_settings(tmp_path: Path) -> None:
    site = build_site(tmp_path, CLOUDFOLIO_API_URL="http://127.0.0.1:9123")
    [(_, root, _)] = parse(site, "index.html").with_attribute("data-cf-counter")
    assert root["data-cf-api"] == "http://127.0.0.1:9123"


def test_unknown_widget_name_stops_the_build(tmp_path: Path) -> None:
    with pytest.raises(WidgetSettingsError, match="countr"):
        build_site(tmp_path, CLOUDFOLIO_API_URL=API_URL, CLOUDFOLIO_WIDGETS={"countr": True})


@pytest.mark.parametrize("base", ["api.site.example", "//api.site.example", ""])
def test_widgets_need_a_site_path_or_an_http_api_url(tmp_path: Path, base: str) -> None:
    with pytest.raises(WidgetSettingsError, match="CLOUDFOLIO_API_URL"):
        build_site(tmp_path, CLOUDFOLIO_API_URL=base)


def test_the_api_can_be_the_sites_own_origin(tmp_path: Path) -> None:
    site = build_site(tmp_path, CLOUDFOLIO_API_URL="/api")
    [(_, root, _)] = parse(site, "index.html").with_attribute("data-cf-counter")
    assert root["data-cf-api"] == "/api"


def test_api_url_is_escaped_in_the_markup() -> None:
    markup = str(render_counter('https://api.example/"><script>'))
    assert "<script>" not in markup
    assert 'data-cf-api="https://api.example/&#34;&gt;&lt;script&gt;"' in markup


def test_not_found_page_records_no_visit(site: Path) -> None:
    page = parse(site, "404.html")
    assert page.with_attribute("data-cf-counter") == []
    assert not any("/counter." in src for src in page.scripts())
