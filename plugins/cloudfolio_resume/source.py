"""Reading content/pages/resume.md into a Resume, with errors that name the file and the line.

The file is ordinary Pelican Markdown: a metadata block (the front matter), then `##` sections.
Pelican renders the page from the same file; this reader only extracts the structure, so the
page, the PDF and resume.json can never disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .dates import DateError, PartialDate, parse_date, parse_range
from .model import Certificate, Entry, LabelledList, Profile, Resume

REQUIRED_FIELDS = ("name", "headline", "location", "email")
OPTIONAL_FIELDS = ("phone", "website", "profiles", "photo")
# Section headings in the order the docs show them; any other `##` heading is a typo.
SECTIONS = (
    "Summary",
    "Experience",
    "Projects",
    "Skills",
    "Education",
    "Certifications",
    "Languages",
)
ENTRY_SECTIONS = {"Experience", "Projects", "Education"}
# Roles and degrees need a date line; a project may have none.
DATED_SECTIONS = {"Experience", "Education"}
PART_SEPARATOR = " · "

_META = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):\s*(.*)$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()./-]{4,}$")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_LABELLED = re.compile(r"^\*\*(.+?):\*\*\s*(.+)$")
_DATE_LINE = re.compile(r"^[*_](.+)[*_]$")
_KNOWN_NETWORKS = {
    "github.com": "GitHub",
    "gitlab.com": "GitLab",
    "linkedin.com": "LinkedIn",
    "stackoverflow.com": "Stack Overflow",
    "x.com": "X",
    "twitter.com": "Twitter",
    "mastodon.social": "Mastodon",
}


class ResumeSourceError(ValueError):
    """The resume source cannot be used as written; the message says where and why."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = str(path)
        self.line = line
        self.problem = message


def plain(markdown: str) -> str:
    """Inline Markdown as plain text: link texts, no emphasis or code marks."""
    text = _LINK.sub(r"\1", markdown)
    text = re.sub(r"(\*\*|\*|`)", "", text)
    return re.sub(r"\s+", " ", text).strip()


def is_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def profile_for(url: str) -> Profile:
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.")
    network = _KNOWN_NETWORKS.get(host, host)
    username = parts.path.rstrip("/").rsplit("/", 1)[-1]
    return Profile(network=network, username=username, url=url)


@dataclass
class _Block:
    """Lines of one `###` entry or one section without entries, with their line numbers."""

    heading: str
    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)


class _Reader:
    def __init__(self, path: Path, text: str, content_root: Path | None) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.content_root = content_root

    def fail(self, line: int, message: str) -> ResumeSourceError:
        return ResumeSourceError(self.path, line, message)

    # ---- front matter

    def metadata(self) -> tuple[dict[str, tuple[str, int]], int]:
        found: dict[str, tuple[str, int]] = {}
        last: str | None = None
        for index, line in enumerate(self.lines):
            number = index + 1
            if not line.strip():
                return found, index + 1
            if line[0] in " \t" and last:
                value, start = found[last]
                found[last] = (f"{value} {line.strip()}", start)
                continue
            match = _META.match(line)
            if not match:
                raise self.fail(number, f'"{line.strip()}" is not a "Field: value" line')
            last = match.group(1).lower()
            found[last] = (match.group(2).strip(), number)
        return found, len(self.lines)

    def _first_blank_line(self, metadata: dict[str, tuple[str, int]]) -> int:
        return max((line for _, line in metadata.values()), default=0) + 1

    def basics(self, metadata: dict[str, tuple[str, int]]) -> dict[str, object]:
        end = self._first_blank_line(metadata)
        for name in REQUIRED_FIELDS:
            if not metadata.get(name, ("", 0))[0]:
                raise self.fail(
                    end,
                    f'the front matter has no "{name.title()}:" field; the resume needs '
                    f"{', '.join(f.title() for f in REQUIRED_FIELDS)}",
                )
        email, line = metadata["email"]
        if not _EMAIL.match(email):
            raise self.fail(line, f'Email "{email}" is not an email address')
        phone = metadata.get("phone")
        if phone and phone[0] and not _PHONE.match(phone[0]):
            raise self.fail(phone[1], f'Phone "{phone[0]}" is not a phone number')
        website = metadata.get("website")
        if website and website[0] and not is_url(website[0]):
            raise self.fail(website[1], f'Website "{website[0]}" is not an http(s) URL')
        profiles: list[Profile] = []
        if metadata.get("profiles"):
            value, line = metadata["profiles"]
            for url in (part.strip() for part in value.split(",")):
                if not url:
                    continue
                if not is_url(url):
                    raise self.fail(line, f'profile "{url}" is not an http(s) URL')
                profiles.append(profile_for(url))
        photo = metadata.get("photo")
        if photo and photo[0] and not is_url(photo[0]):
            root = self.content_root or self.path.parent
            if not (root / photo[0].lstrip("/")).is_file():
                raise self.fail(photo[1], f'Photo "{photo[0]}" is not a file under {root}')
        return {
            "name": metadata["name"][0],
            "headline": metadata["headline"][0],
            "location": metadata["location"][0],
            "email": email,
            "phone": phone[0] if phone and phone[0] else None,
            "website": website[0] if website and website[0] else None,
            "profiles": tuple(profiles),
            "photo": photo[0] if photo and photo[0] else None,
        }

    # ---- body

    def sections(self, start: int) -> dict[str, list[_Block]]:
        """`##` section -> its blocks: one per `###` entry, or a single untitled block."""
        found: dict[str, list[_Block]] = {}
        current: list[_Block] | None = None
        for index in range(start, len(self.lines)):
            number, line = index + 1, self.lines[index]
            if line.startswith("## "):
                title = line[3:].strip()
                if title not in SECTIONS:
                    raise self.fail(
                        number,
                        f'unknown section "## {title}"; use any of {", ".join(SECTIONS)}',
                    )
                if title in found:
                    raise self.fail(number, f'section "## {title}" appears twice')
                current = found[title] = [_Block("", number)]
            elif line.startswith("### "):
                if current is None:
                    raise self.fail(number, '"###" entry before the first "##" section')
                current.append(_Block(line[4:].strip(), number))
            elif line.startswith("# "):
                raise self.fail(number, 'use "##" for sections: the name is the only "#" heading')
            elif current is None:
                if line.strip():
                    raise self.fail(number, 'text before the first "##" section')
            else:
                current[-1].lines.append((number, line))
        return found

    def paragraphs_and_bullets(self, block: _Block) -> tuple[list[str], list[tuple[int, str]]]:
        paragraphs: list[list[str]] = [[]]
        bullets: list[tuple[int, str]] = []
        in_bullet = False
        for number, line in block.lines:
            if not line.strip():
                in_bullet = False
                if paragraphs[-1]:
                    paragraphs.append([])
            elif line.startswith(("- ", "* ")):
                bullets.append((number, line[2:].strip()))
                in_bullet = True
            elif in_bullet and line[:1] in " \t":
                bullets[-1] = (bullets[-1][0], f"{bullets[-1][1]} {line.strip()}")
            else:
                in_bullet = False
                paragraphs[-1].append(line.strip())
        return [" ".join(p) for p in paragraphs if p], bullets

    def entry(self, section: str, block: _Block) -> Entry:
        body = list(block.lines)
        first = next(((n, line.strip()) for n, line in body if line.strip()), None)
        start = end = None
        location = None
        date_line = first and _DATE_LINE.match(first[1])
        if date_line:
            parts = date_line.group(1).split(PART_SEPARATOR, 1)
            try:
                start, end = parse_range(parts[0])
            except DateError as error:
                raise self.fail(first[0], f"malformed date: {error}") from None
            location = parts[1].strip() if len(parts) > 1 else None
            body = [(n, line) for n, line in body if n != first[0]]
        elif section in DATED_SECTIONS:
            raise self.fail(
                block.line,
                f'"### {block.heading}" needs a date line right below it, '
                "e.g. *January 2022 \u2013 present · Lisbon*",
            )
        link = _LINK.search(block.heading)
        heading = plain(block.heading)
        title, _, organisation = heading.partition(", ")
        if section != "Projects" and not organisation:
            what = "Role, Company" if section == "Experience" else "Degree, School"
            raise self.fail(block.line, f'"### {block.heading}" should read "### {what}"')
        paragraphs, bullets = self.paragraphs_and_bullets(_Block(block.heading, block.line, body))
        return Entry(
            title=title if organisation else heading,
            organisation=organisation,
            url=link.group(2) if link else None,
            start=start,
            end=end,
            location=location,
            description=" ".join(plain(p) for p in paragraphs),
            bullets=tuple(plain(text) for _, text in bullets),
            line=block.line,
        )

    def labelled(self, section: str, block: _Block) -> tuple[LabelledList, ...]:
        _, bullets = self.paragraphs_and_bullets(block)
        found = []
        for number, text in bullets:
            match = _LABELLED.match(text)
            if not match:
                raise self.fail(
                    number, f'each {section} line reads "- **Label:** text", not "- {text}"'
                )
            found.append(LabelledList(plain(match.group(1)), plain(match.group(2))))
        return tuple(found)

    def certificates(self, block: _Block) -> tuple[Certificate, ...]:
        _, bullets = self.paragraphs_and_bullets(block)
        found = []
        for number, text in bullets:
            parts = [part.strip() for part in text.split(PART_SEPARATOR)]
            date: PartialDate | None = None
            if len(parts) > 1:
                try:
                    date = parse_date(parts[-1])
                    parts.pop()
                except DateError as error:
                    if len(parts) > 2:
                        raise self.fail(number, f"malformed date: {error}") from None
            link = _LINK.search(parts[0])
            found.append(
                Certificate(
                    name=plain(parts[0]),
                    issuer=plain(parts[1]) if len(parts) > 1 else None,
                    date=date,
                    url=link.group(2) if link else None,
                )
            )
        return tuple(found)

    def read(self) -> Resume:
        metadata, body_start = self.metadata()
        basics = self.basics(metadata)
        sections = self.sections(body_start)
        summary = ""
        if "Summary" in sections:
            paragraphs, _ = self.paragraphs_and_bullets(sections["Summary"][0])
            summary = "\n\n".join(plain(p) for p in paragraphs)

        def entries(name: str) -> tuple[Entry, ...]:
            return tuple(self.entry(name, block) for block in sections.get(name, [])[1:])

        return Resume(
            source=str(self.path),
            summary=summary,
            experience=entries("Experience"),
            projects=entries("Projects"),
            education=entries("Education"),
            skills=self.labelled("Skills", sections["Skills"][0]) if "Skills" in sections else (),
            languages=(
                self.labelled("Languages", sections["Languages"][0])
                if "Languages" in sections
                else ()
            ),
            certifications=(
                self.certificates(sections["Certifications"][0])
                if "Certifications" in sections
                else ()
            ),
            sections=tuple(sections),
            **basics,  # type: ignore[arg-type]
        )


def read_resume(path: Path, content_root: Path | None = None, display: str | None = None) -> Resume:
    """Parse the resume source; `display` is how errors name the file (default: the path)."""
    reader = _Reader(Path(display) if display else path, path.read_text("utf-8"), content_root)
    return reader.read()
