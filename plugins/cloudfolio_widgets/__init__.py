"""Live widgets, switched on and configured from settings; the author never edits HTML.

Settings:
    CLOUDFOLIO_API_URL   base of the cloudfolio API the widgets talk to: "/api" (the site's own
                         origin, as CloudFront serves it) or an http(s) URL
    CLOUDFOLIO_WIDGETS   {"counter": bool, "resume_download": bool, "demo": bool}
    CLOUDFOLIO_DEMO_TURNSTILE_SITE_KEY    Cloudflare Turnstile site key: the demo widget shows the
                         human check and sends its token ("" or unset: off, no third-party code)
    CLOUDFOLIO_DEMO_TURNSTILE_SCRIPT_URL  where Turnstile's script comes from (Cloudflare's)

The theme places ``{{ cloudfolio_widget("counter") }}`` where a widget may appear and asks
``cloudfolio_widget_enabled("counter")`` before loading that widget's script. The demo widget goes
wherever the author writes ``[[deploy-live-demo]]`` as a paragraph of its own in Markdown; such
pages get ``cloudfolio_demo = True`` so the theme loads the demo script there only.
"""

from markupsafe import Markup
from pelican import signals

from .markup import DEMO_MARKER, WIDGETS, render_demo, render_widget
from .settings import enabled_widgets, turnstile

__all__ = ["WIDGETS", "register"]


def check_settings(pelican) -> None:
    # Validates early, so a typo in CLOUDFOLIO_WIDGETS stops the build instead of hiding a widget.
    enabled_widgets(pelican.settings)
    turnstile(pelican.settings)


def widget_markup(name: str, settings) -> Markup:
    api_url = settings.get("CLOUDFOLIO_API_URL", "")
    if name == "demo":
        return render_demo(api_url, turnstile(settings))
    return render_widget(name, api_url)


def add_template_globals(generator) -> None:
    settings = generator.settings
    enabled = enabled_widgets(settings)

    def cloudfolio_widget(name: str) -> str:
        return widget_markup(name, settings) if name in enabled else ""

    def cloudfolio_widget_enabled(name: str) -> bool:
        return name in enabled

    generator.env.globals.update(
        cloudfolio_widget=cloudfolio_widget,
        cloudfolio_widget_enabled=cloudfolio_widget_enabled,
    )


def place_demo(content) -> None:
    """Swap the marker paragraph for the demo widget (or drop it when the widget is off)."""
    raw = getattr(content, "_content", None)
    marker = f"<p>{DEMO_MARKER}</p>"
    if not raw or marker not in raw:
        return
    settings = content.settings
    enabled = "demo" in enabled_widgets(settings)
    widget = widget_markup("demo", settings) if enabled else ""
    content._content = raw.replace(marker, str(widget))
    content.cloudfolio_demo = enabled


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.generator_init.connect(add_template_globals)
    signals.content_object_init.connect(place_demo)
