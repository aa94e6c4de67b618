"""Server-rendered widget markup: complete without JavaScript, enhanced by the theme's scripts.

The resume download's: root ``data-cf-resume`` + ``data-cf-state`` + ``data-cf-api``, the link
``data-cf-resume-download`` and the count line ``data-cf-downloads``.

The counter's attributes are the contract with the widget script and the end-to-end tests:
root ``data-cf-counter`` + ``data-cf-state`` (static|loading|ready|offline) + ``data-cf-api``;
numbers in ``data-cf-views``, ``data-cf-page-views`` and ``data-cf-visitors``.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup, escape

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


WIDGETS: dict[str, Callable[[str], Markup]] = {
    "counter": render_counter,
    "resume_download": render_resume_download,
}


def render_widget(name: str, api_url: str) -> Markup:
    return WIDGETS[name](api_url)
