"""Content-hashed asset names: the mapping, its application to the output, and site paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from cloudfolio_assets import FINGERPRINT_PATTERN, build_manifest
from cloudfolio_assets.fingerprint import FingerprintError, fingerprint_output, fingerprinted
from cloudfolio_assets.links import site_path


def make_theme(root: Path, files: dict[str, bytes]) -> dict:
    for relative, data in files.items():
        target = root / "theme" / "static" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return {
        "THEME": str(root / "theme"),
        "THEME_STATIC_PATHS": ["static"],
        "THEME_STATIC_DIR": "theme",
    }


def copy_to_output(root: Path, settings: dict) -> Path:
    output = root / "output"
    for file in (root / "theme" / "static").rglob("*"):
        if file.is_file():
            target = output / "theme" / file.relative_to(root / "theme" / "static")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.read_bytes())
    return output


def test_names_change_with_content_and_only_with_content() -> None:
    first = fingerprinted("css/main.css", b"body{}")
    assert first == fingerprinted("css/main.css", b"body{}")
    assert first != fingerprinted("css/main.css", b"body{color:red}")
    assert first.startswith("css/main.") and first.endswith(".css")
    assert FINGERPRINT_PATTERN.search(first)
    assert not FINGERPRINT_PATTERN.search("css/main.css")
    assert not FINGERPRINT_PATTERN.search("posts/released-20240101/index.html")


def test_manifest_covers_browser_assets_only(tmp_path: Path) -> None:
    settings = make_theme(
        tmp_path,
        {"css/main.css": b"a{}", "js/app.js": b"1", "img/i.svg": b"<svg/>", "notes.txt": b"x"},
    )
    manifest = build_manifest(settings)
    assert set(manifest) == {"css/main.css", "js/app.js", "img/i.svg"}
    assert manifest["js/app.js"] == fingerprinted("js/app.js", b"1")


def test_output_files_are_renamed_and_stale_hashes_removed(tmp_path: Path) -> None:
    settings = make_theme(tmp_path, {"css/main.css": b"a{}", "js/app.js": b"1"})
    output = copy_to_output(tmp_path, settings)
    stale = output / "theme" / fingerprinted("css/main.css", b"old{}")
    stale.write_text("old{}")
    unrelated = output / "theme" / "css" / "vendor-notes.txt"
    unrelated.write_text("kept")

    fingerprint_output(settings, output)

    manifest = build_manifest(settings)
    for plain, hashed in manifest.items():
        assert (output / "theme" / hashed).is_file()
        assert not (output / "theme" / plain).exists()
    assert not stale.exists()
    assert unrelated.exists()


def test_a_second_run_on_an_already_renamed_output_is_harmless(tmp_path: Path) -> None:
    settings = make_theme(tmp_path, {"css/main.css": b"a{}"})
    output = copy_to_output(tmp_path, settings)
    fingerprint_output(settings, output)
    fingerprint_output(settings, output)
    assert (output / "theme" / build_manifest(settings)["css/main.css"]).is_file()


def test_missing_asset_in_output_fails_loudly(tmp_path: Path) -> None:
    settings = make_theme(tmp_path, {"css/main.css": b"a{}"})
    (tmp_path / "output" / "theme").mkdir(parents=True)
    with pytest.raises(FingerprintError, match=r"css/main\.css"):
        fingerprint_output(settings, tmp_path / "output")


def test_asset_edited_during_the_build_fails_loudly(tmp_path: Path) -> None:
    settings = make_theme(tmp_path, {"css/main.css": b"a{}"})
    output = copy_to_output(tmp_path, settings)
    (output / "theme" / "css" / "main.css").write_bytes(b"b{}")
    with pytest.raises(FingerprintError, match="changed during the build"):
        fingerprint_output(settings, output)


@pytest.mark.parametrize(
    ("site_url", "path", "expected"),
    [
        ("http://127.0.0.1:8000", "", "/"),
        ("http://127.0.0.1:8000", "posts/x/", "/posts/x/"),
        ("https://www.example.com/", "/about/", "/about/"),
        ("https://example.github.io/blog", "theme/css/main.css", "/blog/theme/css/main.css"),
        ("https://example.github.io/blog/", "", "/blog/"),
    ],
)
def test_site_paths_are_root_relative(site_url: str, path: str, expected: str) -> None:
    assert site_path(site_url, path) == expected
