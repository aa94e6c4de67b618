"""Markdown images through a real Pelican build: markup, files, metadata, errors and the cache."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from cloudfolio_assets import FINGERPRINT_PATTERN
from cloudfolio_images import ImageError
from cloudfolio_images.encoding import modern_encodings
from cloudfolio_images.renditions import widths_for
from cloudfolio_images.settings import DEFAULT_SIZES, ImageSettingsError, image_settings
from cloudfolio_images.svg import SvgSizeError, svg_size
from PIL import ExifTags, Image
from test_site_build import Page, build_site
from writing_samples import (
    GPS,
    SVG,
    XMP_MARKER,
    diagram_png,
    photo_with_gps,
    post,
    sample_content,
    write,
)

from cloudfolio import site
from cloudfolio.publish.headers import IMMUTABLE, cache_control, content_type

RASTER_SUFFIXES = {".jpg", ".png", ".webp", ".avif"}


def build(root: Path, content: Path, output: str = "site", cache: str = "cache") -> Path:
    return build_site(root / output, PATH=str(content), CLOUDFOLIO_IMAGE_CACHE=str(root / cache))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("images")
    content = sample_content(root)
    return content, build(root, content)


def pictures(site: Path) -> Page:
    return Page((site / "posts" / "pictures" / "index.html").read_text(encoding="utf-8"))


def parse_srcset(value: str) -> list[tuple[str, int]]:
    return [(url, int(width.rstrip("w"))) for url, width in (c.split() for c in value.split(", "))]


def test_a_raster_image_becomes_a_picture_with_modern_sources_and_a_fallback(built) -> None:
    _, site = built
    parsed = pictures(site)
    [photo, diagram, decorative, logo] = parsed.elements_named("img")
    sources = parsed.elements_named("source")
    # Two raster images on the page, each with one <source> per modern format, best first.
    assert [s["type"] for s in sources] == [e.mime for e in modern_encodings()] * 3
    assert "image/avif" in {s["type"] for s in sources}, "this Pillow writes AVIF"
    for source in sources:
        assert source["sizes"] == DEFAULT_SIZES
        suffix = {"image/avif": ".avif", "image/webp": ".webp"}[source["type"]]
        assert all(url.endswith(suffix) for url, _ in parse_srcset(source["srcset"]))
    # The 1700 px photo: every default width, none wider than 1600; the JPEG fallback.
    assert [w for _, w in parse_srcset(photo["srcset"])] == [480, 800, 1200, 1600]
    assert all(url.endswith(".jpg") for url, _ in parse_srcset(photo["srcset"]))
    assert (photo["width"], photo["height"]) == ("1600", "1200")
    assert photo["alt"] == "A photo of an orange disc"
    assert photo["sizes"] == DEFAULT_SIZES
    # The 1000 px diagram: never upscaled, so its own width is the widest; PNG stays PNG.
    assert [w for _, w in parse_srcset(diagram["srcset"])] == [480, 800, 1000]
    assert (diagram["width"], diagram["height"]) == ("1000", "500")
    assert diagram["title"] == "Framed"
    assert diagram["src"].endswith(".png")
    assert decorative["alt"] == "" and "decorative" not in decorative
    assert (logo["width"], logo["height"]) == ("320", "120")


def test_every_file_on_offer_exists_with_the_size_it_claims(built) -> None:
    _, site = built
    parsed = pictures(site)
    for attrs in parsed.elements_named("source") + parsed.elements_named("img")[:3]:
        for url, width in parse_srcset(attrs["srcset"]):
            with Image.open(site / url.lstrip("/")) as image:
                assert image.width == width, url
                assert content_type(url).startswith(Image.MIME[image.format]), url


def test_only_the_first_image_of_a_page_is_fetched_eagerly(built) -> None:
    _, site = built
    [first, *rest] = pictures(site).elements_named("img")
    assert first.get("fetchpriority") == "high"
    assert "loading" not in first and "decoding" not in first
    for image in rest:
        assert (image.get("loading"), image.get("decoding")) == ("lazy", "async"), image
        assert "fetchpriority" not in image


def test_svg_is_published_unchanged_with_its_size_from_the_file(built) -> None:
    _, site = built
    logo = pictures(site).elements_named("img")[-1]
    assert "srcset" not in logo and logo["src"].endswith(".svg")
    assert (site / logo["src"].lstrip("/")).read_text() == SVG


def test_published_images_have_fingerprinted_names_served_as_immutable(built) -> None:
    _, site = built
    files = sorted((site / "images").rglob("*.*"))
    assert len(files) > 10
    for file in files:
        relative = file.relative_to(site).as_posix()
        assert FINGERPRINT_PATTERN.search(relative), relative
        assert cache_control(relative) == IMMUTABLE, relative


def test_no_published_image_keeps_exif_gps_xmp_or_comments(built) -> None:
    content, site = built
    with Image.open(content / "posts" / "images" / "photo.jpg") as original:
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo), "the sample carries GPS"
    published = [f for f in site.rglob("*") if f.suffix in RASTER_SUFFIXES]
    assert {f.suffix for f in published} == RASTER_SUFFIXES
    for file in published:
        data = file.read_bytes()
        with Image.open(io.BytesIO(data)) as image:
            assert not image.getexif(), file
            assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo), file
            assert not {"exif", "xmp", "comment", "icc_profile"} & set(image.info), file
        assert b"Exif\x00\x00" not in data and XMP_MARKER not in data, file
        assert b"SamplePhone" not in data and b"taken at home" not in data, file


def test_the_original_files_are_not_published(built) -> None:
    _, site = built
    assert not [f for f in site.rglob("*") if f.name in ("photo.jpg", "diagram.png", "logo.svg")]


def test_an_upright_photo_is_rotated_by_its_exif_orientation(tmp_path: Path) -> None:
    content = tmp_path / "content"
    image = Image.new("RGB", (900, 600), "white")
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # taken with the phone on its side
    exif[ExifTags.IFD.GPSInfo] = GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    write(content, "posts/images/side.jpg", out.getvalue())
    write(content, "posts/side.md", post("Side", "![A tall photo](images/side.jpg)", slug="side"))
    site = build(tmp_path, content)
    [img] = Page((site / "posts/side/index.html").read_text()).elements_named("img")
    assert (img["width"], img["height"]) == ("600", "900")
    with Image.open(site / img["src"].lstrip("/")) as published:
        assert published.size == (600, 900)


@pytest.mark.parametrize(
    "markdown",
    ["![](images/photo.jpg)", "![ ](images/photo.jpg)"],
    ids=["empty", "blank"],
)
def test_an_image_without_alt_text_fails_the_build_naming_file_and_line(
    tmp_path: Path, markdown: str
) -> None:
    content = tmp_path / "content"
    write(content, "posts/images/photo.jpg", photo_with_gps((400, 300)))
    write(content, "posts/no-alt.md", post("No alt", f"Intro.\n\n{markdown}\n", slug="no-alt"))
    with pytest.raises(ImageError) as failure:
        build(tmp_path, content)
    message = str(failure.value)
    # Four metadata lines, a blank line, "Intro.", a blank line: the image is on line 8.
    assert re.search(r"posts/no-alt\.md:8: image 'images/photo\.jpg' has no alt text", message)
    assert "{decorative}" in message


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    content = tmp_path / "content"
    body = (
        "![](a.png)\n\n![Missing](images/missing.png)\n\n![Remote](https://cdn.example/x.png)\n\n"
        '<p><img src="raw.png" alt="Typed as HTML"></p>\n'
    )
    write(content, "posts/broken.md", post("Broken", body, slug="broken"))
    with pytest.raises(ImageError) as failure:
        build(tmp_path, content)
    lines = str(failure.value).splitlines()[1:]
    assert len(lines) == 4
    assert "broken.md:12: image 'raw.png' is written as HTML" in lines[0]
    assert "broken.md:6: image 'a.png' has no alt text" in lines[1]
    assert "broken.md:8: image 'images/missing.png': not found" in lines[2]
    assert "content/posts/images/missing.png" in lines[2]
    assert "content/images/missing.png" in lines[2]
    assert "broken.md:10:" in lines[3] and "Content-Security-Policy" in lines[3]


def test_a_second_build_reuses_every_encoding_and_card_from_the_cache(
    built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content, first = built
    cache = first.parent / "cache"
    before = {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}
    assert before

    def no_encoding(*args, **kwargs):
        raise AssertionError("a cached build encoded an image or drew a card")

    monkeypatch.setattr(Image.Image, "save", no_encoding)
    second = build_site(tmp_path / "second", PATH=str(content), CLOUDFOLIO_IMAGE_CACHE=str(cache))
    assert {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()} == before
    published = sorted(p.relative_to(first).as_posix() for p in (first / "images").rglob("*.*"))
    assert published == sorted(
        p.relative_to(second).as_posix() for p in (second / "images").rglob("*.*")
    )


def test_widths_never_exceed_the_source_or_the_setting() -> None:
    assert widths_for(3000, (480, 800, 1200, 1600)) == [480, 800, 1200, 1600]
    assert widths_for(1600, (480, 800, 1200, 1600)) == [480, 800, 1200, 1600]
    assert widths_for(1000, (480, 800, 1200, 1600)) == [480, 800, 1000]
    assert widths_for(300, (480, 800, 1200, 1600)) == [300]


def published_images(output: Path) -> dict[str, bytes]:
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("images/*.*")}


def test_incremental_rebuilds_publish_the_images_of_cached_posts_and_see_changed_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(site, "CACHE_ROOT", tmp_path / "pelican-cache")
    content = tmp_path / "content"
    write(content, "images/diagram.png", diagram_png((600, 300)))
    write(content, "posts/a.md", post("A", "![A framed diagram](/images/diagram.png)", slug="a"))
    write(content, "posts/b.md", post("B", "No pictures.", slug="b"))
    site.build(tmp_path / "warm", content, incremental=True)
    # The picture changes, its post does not: Pelican's cache would serve the old HTML.
    write(content, "images/diagram.png", diagram_png((500, 250)))
    incremental = site.build(tmp_path / "incremental", content, incremental=True)
    clean = site.build(tmp_path / "clean", content)
    assert published_images(incremental) == published_images(clean)
    html = (incremental / "posts/a/index.html").read_text()
    assert 'width="500"' in html
    assert html == (clean / "posts/a/index.html").read_text()


@pytest.mark.parametrize(
    ("attributes", "size"),
    [
        ('width="320" height="120"', (320, 120)),
        ('width="320px" height="120px" viewBox="0 0 64 24"', (320, 120)),
        ('viewBox="0 0 640 240"', (640, 240)),
        ('width="320" viewBox="0 0 640 240"', (320, 120)),
        ('width="100%" viewBox="0,0,640,240"', (640, 240)),
    ],
)
def test_svg_size_comes_from_its_attributes_or_its_view_box(attributes: str, size) -> None:
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" {attributes}></svg>'.encode()
    assert svg_size(svg) == size


def test_an_svg_without_any_size_is_refused() -> None:
    with pytest.raises(SvgSizeError, match="width and height"):
        svg_size(b'<svg xmlns="http://www.w3.org/2000/svg" width="50%"></svg>')


@pytest.mark.parametrize("widths", [[], [0, 800], ["800"], 800, [True]])
def test_unusable_width_settings_stop_the_build(widths) -> None:
    with pytest.raises(ImageSettingsError, match="CLOUDFOLIO_IMAGE_WIDTHS"):
        image_settings({"CLOUDFOLIO_IMAGE_WIDTHS": widths})
