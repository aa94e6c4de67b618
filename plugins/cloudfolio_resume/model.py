"""The resume as data: what the Markdown source says, independent of any output format."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .dates import PartialDate


@dataclass(frozen=True)
class Profile:
    network: str
    username: str
    url: str


@dataclass(frozen=True)
class Entry:
    """A role, a project or a degree: a `###` heading, its date line, its text and bullets."""

    title: str
    organisation: str
    url: str | None
    start: PartialDate | None
    end: PartialDate | None  # None with `start` set means "present"
    location: str | None
    description: str
    bullets: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class LabelledList:
    """`- **Label:** text`: a skill area with its keywords, or a language with its fluency."""

    label: str
    text: str


@dataclass(frozen=True)
class Certificate:
    name: str
    issuer: str | None
    date: PartialDate | None
    url: str | None


@dataclass(frozen=True)
class Resume:
    source: str
    name: str
    headline: str
    location: str
    email: str
    phone: str | None
    website: str | None
    profiles: tuple[Profile, ...]
    photo: str | None
    summary: str
    experience: tuple[Entry, ...] = ()
    projects: tuple[Entry, ...] = ()
    skills: tuple[LabelledList, ...] = ()
    education: tuple[Entry, ...] = ()
    certifications: tuple[Certificate, ...] = ()
    languages: tuple[LabelledList, ...] = ()
    sections: tuple[str, ...] = field(default=())

    @property
    def download_name(self) -> str:
        """`<Name>-Resume.pdf` in plain ASCII, safe in a Content-Disposition header."""
        folded = unicodedata.normalize("NFKD", self.name).encode("ascii", "ignore").decode()
        stem = re.sub(r"[^A-Za-z0-9]+", "-", folded).strip("-") or "Resume"
        return f"{stem}-Resume.pdf"

    @property
    def keywords(self) -> tuple[str, ...]:
        found = [self.headline]
        for skill in self.skills:
            found += [k.strip() for k in skill.text.split(",") if k.strip()]
        return tuple(dict.fromkeys(found))
