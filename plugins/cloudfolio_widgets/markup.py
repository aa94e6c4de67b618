"""Server-rendered widget markup: complete without JavaScript, enhanced by the theme's scripts.

The resume download's: root ``data-cf-resume`` + ``data-cf-state`` + ``data-cf-api``, the link
``data-cf-resume-download`` and the count line ``data-cf-downloads``.

The counter's attributes are the contract with the widget script and the end-to-end tests:
root ``data-cf-counter`` + ``data-cf-state`` (static|loading|ready|offline) + ``data-cf-api``;
numbers in ``data-cf-views``, ``data-cf-page-views`` and ``data-cf-visitors``.
The demo's: root ``data-cf-demo`` + ``data-cf-state`` (static, offline, or the API's state);
``data-cf-demo-deploy``/``-destroy`` buttons, ``-link``, ``-status``, ``-time``, ``-logs``/``-log``;
with the human check on, the challenge's box ``data-cf-demo-check`` (carrying
``data-cf-turnstile-sitekey`` and ``data-cf-turnstile-script``) and its message ``-check-message``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

if TYPE_CHECKING:
    from .settings import TurnstileSettings

PLACEHOLDER = "\u2014"  # an em dash until the numbers arrive, or for good without JavaScript


def render_counter(api_url: str) -> Markup:
    stats = "".join(
        f'<div class="cf-counter__stat"><dt>{label}</dt>'
        f'<dd class="cf-counter__value" {attribute}>{PLACEHOLDER}</dd></div>'
        for label, attribute in (
            ("Views", "data-cf-views"),
            ("This page", "data-cf-page-views"),
            ("Visitors", "data-cf-visitors"),
        )
    )
    return Markup(
        '<section class="cf-counter" data-cf-counter data-cf-state="static"'
        f' data-cf-api="{escape(api_url)}" aria-labelledby="cf-counter-title" aria-live="polite">'
        '<h2 class="cf-counter__title" id="cf-counter-title">Visitor counter</h2>'
        f'<dl class="cf-counter__stats">{stats}</dl>'
        '<p class="cf-counter__status" data-cf-status></p>'
        "</section>"
    )


def render_resume_download(api_url: str) -> Markup:
    """A plain link to GET /resume (which counts and redirects to the PDF), so it works without
    JavaScript; resume.js fills the reserved count line from GET /resume/stats."""
    return Markup(
        '<div class="cf-resume" data-cf-resume data-cf-state="static"'
        f' data-cf-api="{escape(api_url)}">'
        f'<a class="cf-resume__link" data-cf-resume-download href="{escape(api_url)}/resume">'
        "Download resume (PDF)</a>"
        '<p class="cf-resume__count" data-cf-downloads aria-live="polite"></p>'
        "</div>"
    )


# Where the author wants the demo widget, a paragraph of its own holding exactly this marker.
DEMO_MARKER = "[[deploy-live-demo]]"


def render_demo(api_url: str, turnstile: TurnstileSettings | None = None) -> Markup:
    """The "Deploy live demo" widget: every element it will ever show is rendered here, with its
    size reserved, so the script only fills text and toggles states (no layout shift).

    With `turnstile`, a box the size of Cloudflare's challenge sits next to the Deploy button and
    a message line below the buttons; the script loads Turnstile into the box when needed."""
    check, check_message = "", ""
    if turnstile is not None:
        check = (
            '<div class="cf-demo__check" data-cf-demo-check'
            f' data-cf-turnstile-sitekey="{escape(turnstile.site_key)}"'
            f' data-cf-turnstile-script="{escape(turnstile.script_url)}"></div>'
        )
        check_message = (
            '<p class="cf-demo__check-message" data-cf-demo-check-message aria-live="polite"></p>'
        )
    return Markup(
        '<section class="cf-demo" data-cf-demo data-cf-state="static"'
        f' data-cf-api="{escape(api_url)}" aria-labelledby="cf-demo-title">'
        '<h2 class="cf-demo__title" id="cf-demo-title">Live demo</h2>'
        '<p class="cf-demo__intro">Start a real environment of this project, built by a CI '
        "pipeline running Terraform. It is destroyed automatically after a while.</p>"
        '<div class="cf-demo__actions">'
        '<button type="button" class="cf-demo__button" data-cf-demo-deploy disabled>'
        "Deploy live demo</button>"
        f"{check}"
        '<button type="button" class="cf-demo__button cf-demo__button--secondary"'
        " data-cf-demo-destroy disabled>Destroy</button>"
        '<a class="cf-demo__link" data-cf-demo-link href="#" aria-hidden="true" tabindex="-1">'
        "Open the demo</a>"
        "</div>"
        f"{check_message}"
        '<p class="cf-demo__status" data-cf-demo-status role="status" aria-live="polite">'
        "The live demo needs JavaScript.</p>"
        '<p class="cf-demo__time" data-cf-demo-time></p>'
        '<details class="cf-demo__logs" data-cf-demo-logs>'
        "<summary>Pipeline logs</summary>"
        '<pre class="cf-demo__log" data-cf-demo-log tabindex="0">No logs yet.</pre>'
        "</details>"
        "</section>"
    )


WIDGETS: dict[str, Callable[[str], Markup]] = {
    "counter": render_counter,
    "resume_download": render_resume_download,
    "demo": render_demo,
}


def render_widget(name: str, api_url: str) -> Markup:
    return WIDGETS[name](api_url)
