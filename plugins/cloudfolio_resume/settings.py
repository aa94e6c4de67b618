"""The resume settings, read and checked once (a typo stops the build instead of being ignored)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .pdf import PAPER_SIZES


class ResumeSettingsError(ValueError):
    """A CLOUDFOLIO_RESUME_* setting cannot be used as written."""


@dataclass(frozen=True)
class ResumeSettings:
    paper: str
    max_pages: int | None
    public_pdf: bool
    cache_dir: Path

    @classmethod
    def from_pelican(cls, settings: dict[str, Any]) -> ResumeSettings:
        paper = settings.get("CLOUDFOLIO_RESUME_PAPER", "A4")
        if paper not in PAPER_SIZES:
            raise ResumeSettingsError(
                f"CLOUDFOLIO_RESUME_PAPER must be one of {', '.join(PAPER_SIZES)}, got {paper!r}"
            )
        max_pages = settings.get("CLOUDFOLIO_RESUME_MAX_PAGES")
        if max_pages is not None and (
            isinstance(max_pages, bool) or not isinstance(max_pages, int) or max_pages < 1
        ):
            raise ResumeSettingsError(
                f"CLOUDFOLIO_RESUME_MAX_PAGES must be a positive integer or None, got {max_pages!r}"
            )
        public_pdf = settings.get("CLOUDFOLIO_RESUME_PUBLIC_PDF", False)
        if not isinstance(public_pdf, bool):
            raise ResumeSettingsError(
                f"CLOUDFOLIO_RESUME_PUBLIC_PDF must be True or False, got {public_pdf!r}"
            )
        default_cache = Path(settings["PATH"]).resolve().parent / "build" / "resume-cache"
        cache_dir = Path(settings.get("CLOUDFOLIO_RESUME_CACHE") or default_cache)
        return cls(paper, max_pages, public_pdf, cache_dir)
