"""Content-hash names for the theme's static assets, and host-independent links.

Templates call ``asset_url("css/main.css")`` and get ``/theme/css/main.<hash>.css``; once the build
has copied the theme's files, they are renamed to those hashed names. Because a file's name changes
whenever its bytes do, publishing can serve them as immutable.
"""

from pelican import signals

from .fingerprint import FINGERPRINT_PATTERN, build_manifest, fingerprint_output
from .links import site_path

__all__ = ["FINGERPRINT_PATTERN", "build_manifest", "register"]


def add_template_globals(generator) -> None:
    settings = generator.settings
    manifest = build_manifest(settings)
    static_prefix = site_path(settings["SITEURL"], settings["THEME_STATIC_DIR"])

    def asset_url(name: str) -> str:
        try:
            return f"{static_prefix}/{manifest[name]}"
        except KeyError:
            # Fail the build: a missing asset would otherwise ship as a silent 404.
            raise KeyError(f"theme asset {name!r} not found; known: {sorted(manifest)}") from None

    def url_for(path: str = "") -> str:
        return site_path(settings["SITEURL"], path)

    generator.env.globals.update(asset_url=asset_url, url_for=url_for)


def rename_output_assets(pelican) -> None:
    fingerprint_output(pelican.settings, pelican.output_path)


def register() -> None:
    signals.generator_init.connect(add_template_globals)
    signals.finalized.connect(rename_output_assets)
