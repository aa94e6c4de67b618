"""The resume page's schema.org Person, for search engines (rendered as JSON-LD by the theme)."""

from __future__ import annotations

from typing import Any

from .model import Resume


def person(resume: Resume, page_url: str, photo_url: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": resume.name,
        "jobTitle": resume.headline,
        "description": resume.summary.split("\n\n")[0],
        "url": page_url,
        "email": f"mailto:{resume.email}",
        "address": {"@type": "PostalAddress", "addressLocality": resume.location},
        "sameAs": [p.url for p in resume.profiles] + ([resume.website] if resume.website else []),
        "knowsAbout": list(resume.keywords[1:]),
    }
    if resume.phone:
        found["telephone"] = resume.phone
    if photo_url:
        found["image"] = photo_url
    if resume.experience and resume.experience[0].end is None:
        found["worksFor"] = {"@type": "Organization", "name": resume.experience[0].organisation}
    if resume.education:
        found["alumniOf"] = [
            {"@type": "CollegeOrUniversity", "name": e.organisation} for e in resume.education
        ]
    if resume.certifications:
        found["hasCredential"] = [
            {"@type": "EducationalOccupationalCredential", "name": c.name}
            for c in resume.certifications
        ]
    return found
