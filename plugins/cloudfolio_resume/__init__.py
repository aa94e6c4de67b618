"""The resume: one Markdown page in, the themed page, resume.json and resume.pdf out.

The page whose `Template` is `resume` is the source. Its metadata and sections are read into a
Resume (see source.py; errors name the file and line), which gives
- the page's schema.org Person (`page.person`, rendered as JSON-LD by the theme);
- `resume.json` in the JSON Resume schema 1.2.1, beside the site's pages;
- `resume.pdf`, printed by WeasyPrint from `resume_pdf.html` + `pdf/resume.css` + `fonts/` of
  the theme. It is private: it is written next to the output directory (see private_dir), where
  `invoke publish` and `invoke up` take it for the download bucket, and into the site only with
  CLOUDFOLIO_RESUME_PUBLIC_PDF.

Settings (all optional):
    CLOUDFOLIO_RESUME_PAPER       "A4" (default) or "Letter"
    CLOUDFOLIO_RESUME_MAX_PAGES   warn when the PDF is longer (default None: as long as needed)
    CLOUDFOLIO_RESUME_PUBLIC_PDF  also publish /resume.pdf as a static file (default False)
    CLOUDFOLIO_RESUME_CACHE       rendered PDFs by input hash (default build/resume-cache beside
                                  the content folder)
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path
from typing import Any

from pelican import signals

from . import pdf
from .json_resume import json_resume
from .settings import ResumeSettings
from .source import ResumeSourceError, read_resume
from .structured_data import person

__all__ = ["MANIFEST_NAME", "PDF_NAME", "ResumeSourceError", "private_dir", "register"]

TEMPLATE = "resume"
PRINT_TEMPLATE = "resume_pdf"
JSON_NAME = "resume.json"
PDF_NAME = "resume.pdf"
MANIFEST_NAME = "resume-pdf.json"

logger = logging.getLogger(__name__)


def private_dir(output_path: Path | str) -> Path:
    """Where the private PDF of a build goes: beside the output directory, never inside it."""
    output = Path(output_path).resolve()
    return output.parent / f"{output.name}-private"


def _resume_pages(generators: list[Any]) -> list[Any]:
    pages = []
    for generator in generators:
        for name in ("pages", "hidden_pages"):
            pages += [p for p in getattr(generator, name, []) if p.template == TEMPLATE]
    return pages


def _pages_generator(generators: list[Any]) -> Any:
    return next(g for g in generators if hasattr(g, "hidden_pages"))


def _print_html(generator: Any, resume: Any, page: Any, site_url: str, lang: str) -> str:
    template = generator.get_template(PRINT_TEMPLATE)
    return template.render(resume=resume, content=page.get_content(site_url), lang=lang)


def _copy_photo(content_root: Path, output: Path, relative: str) -> None:
    destination = output / relative.lstrip("/")
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(content_root / relative.lstrip("/"), destination)


def build_outputs(generators: list[Any]) -> None:
    pages = _resume_pages(generators)
    if not pages:
        return
    generator = _pages_generator(generators)
    settings = generator.settings
    if len(pages) > 1:
        names = ", ".join(p.relative_source_path for p in pages)
        raise ResumeSourceError(pages[1].source_path, 1, f"more than one resume page: {names}")
    page = pages[0]
    options = ResumeSettings.from_pelican(settings)
    content_root = Path(settings["PATH"])
    resume = read_resume(
        Path(page.source_path),
        content_root=content_root,
        display=os.path.relpath(page.source_path, content_root.parent),
    )
    site_url = settings.get("SITEURL", "").rstrip("/")
    page_url = f"{site_url}/{page.url}"
    output = Path(settings["OUTPUT_PATH"])
    output.mkdir(parents=True, exist_ok=True)
    photo_url = None
    if resume.photo:
        if "://" in resume.photo:
            photo_url = resume.photo
        else:  # a file under the content folder: published at the same path
            _copy_photo(content_root, output, resume.photo)
            photo_url = f"{site_url}/{resume.photo.lstrip('/')}"
    page.person = person(resume, page_url, photo_url)
    page.resume = resume
    document = json_resume(resume, page_url, photo_url)
    (output / JSON_NAME).write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")

    theme = Path(settings["THEME"])
    html = _print_html(generator, resume, page, site_url, settings.get("DEFAULT_LANG", "en"))
    rendered = pdf.render(
        html,
        base_url=page_url,
        stylesheet=theme / "pdf" / "resume.css",
        fonts_dir=theme / "fonts",
        paper=options.paper,
        cache_dir=options.cache_dir,
    )
    private = private_dir(output)
    pdf.copy_to(rendered, private / PDF_NAME)
    (private / MANIFEST_NAME).write_text(
        json.dumps(
            {"file": PDF_NAME, "download_name": resume.download_name, "pages": rendered.pages},
            indent=2,
        )
        + "\n"
    )
    if options.public_pdf:
        pdf.copy_to(rendered, output / PDF_NAME)
    logger.info(
        "resume.pdf: %d page(s), %s", rendered.pages, "reused" if rendered.reused else "rendered"
    )
    if options.max_pages and rendered.pages > options.max_pages:
        logger.warning(
            "resume.pdf has %d pages, more than CLOUDFOLIO_RESUME_MAX_PAGES = %d: "
            "shorten %s or raise the setting",
            rendered.pages,
            options.max_pages,
            resume.source,
        )


def check_settings(pelican: Any) -> None:
    ResumeSettings.from_pelican(pelican.settings)


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.all_generators_finalized.connect(build_outputs)
