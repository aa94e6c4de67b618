"""resume.json in the JSON Resume schema 1.2.1 (the schema file and its licence sit in schema/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .model import Entry, Resume

SCHEMA_VERSION = "1.2.1"
SCHEMA_PATH = Path(__file__).parent / "schema" / f"jsonresume-{SCHEMA_VERSION}.schema.json"
SCHEMA_URL = (
    f"https://raw.githubusercontent.com/jsonresume/resume-schema/v{SCHEMA_VERSION}/schema.json"
)


def _dates(entry: Entry) -> dict[str, str]:
    dates = {}
    if entry.start:
        dates["startDate"] = entry.start.iso()
    if entry.end:
        dates["endDate"] = entry.end.iso()
    return dates


def _drop_empty(item: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in item.items() if value not in (None, "", [], {})}


def _degree(title: str) -> dict[str, str]:
    """ "BSc in Computer Science" -> study type "BSc", area "Computer Science"."""
    study_type, separator, area = title.partition(" in ")
    return {"studyType": study_type, "area": area} if separator else {"studyType": title}


def json_resume(
    resume: Resume, page_url: str | None = None, photo_url: str | None = None
) -> dict[str, Any]:
    basics = _drop_empty(
        {
            "name": resume.name,
            "label": resume.headline,
            "image": photo_url or resume.photo,
            "email": resume.email,
            "phone": resume.phone,
            "url": resume.website or page_url,
            "summary": resume.summary,
            "location": {"address": resume.location},
            "profiles": [
                {"network": p.network, "username": p.username, "url": p.url}
                for p in resume.profiles
            ],
        }
    )
    return _drop_empty(
        {
            "$schema": SCHEMA_URL,
            "basics": basics,
            "work": [
                _drop_empty(
                    {
                        "name": e.organisation,
                        "position": e.title,
                        "location": e.location,
                        "url": e.url,
                        "summary": e.description,
                        "highlights": list(e.bullets),
                        **_dates(e),
                    }
                )
                for e in resume.experience
            ],
            "projects": [
                _drop_empty(
                    {
                        "name": e.title,
                        "description": e.description,
                        "highlights": list(e.bullets),
                        "url": e.url,
                        "entity": e.organisation,
                        **_dates(e),
                    }
                )
                for e in resume.projects
            ],
            "education": [
                _drop_empty(
                    {"institution": e.organisation, "url": e.url, **_degree(e.title), **_dates(e)}
                )
                for e in resume.education
            ],
            "skills": [
                {"name": s.label, "keywords": [k.strip() for k in s.text.split(",") if k.strip()]}
                for s in resume.skills
            ],
            "certificates": [
                _drop_empty(
                    {
                        "name": c.name,
                        "issuer": c.issuer,
                        "date": c.date.iso() if c.date else None,
                        "url": c.url,
                    }
                )
                for c in resume.certifications
            ],
            "languages": [{"language": x.label, "fluency": x.text} for x in resume.languages],
            "meta": {"version": f"v{SCHEMA_VERSION}", "canonical": page_url},
        }
    )
