"""The resume plugin: real Pelican builds of the resume page, checked on its three outputs."""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
import weasyprint
from cloudfolio_resume import MANIFEST_NAME, PDF_NAME, ResumeSourceError, private_dir
from cloudfolio_resume.json_resume import SCHEMA_PATH
from cloudfolio_resume.settings import ResumeSettingsError
from pelican import Pelican
from pelican.settings import read_settings
from pypdf import PdfReader

from cloudfolio import paths

SITE_URL = "https://site.example"
API_URL = "https://api.site.example"
SOURCE = paths.CONTENT / "pages" / "resume.md"
RECALL_FLOOR = 0.99


def tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} is missing: install Debian's poppler-utils (bootstrap.py does)")
    return found


def run_tool(*command: str) -> str:
    return subprocess.run(
        [tool(command[0]), *command[1:]], capture_output=True, text=True, check=True
    ).stdout


def make_content(root: Path, resume_text: str | None = None) -> Path:
    content = root / "content"
    (content / "pages").mkdir(parents=True)
    (content / "pages" / "resume.md").write_text(resume_text or SOURCE.read_text())
    return content


def build(root: Path, content: Path | None = None, **overrides) -> Path:
    content = content or make_content(root)
    output = root / "output"
    settings = read_settings(
        str(paths.PELICAN_DEV_SETTINGS),
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "SITEURL": SITE_URL,
            "FEED_DOMAIN": SITE_URL,
            "CLOUDFOLIO_API_URL": API_URL,
            "CLOUDFOLIO_RESUME_CACHE": str(root / "cache"),
            **overrides,
        },
    )
    Pelican(settings).run()
    return output


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("resume-site"))


@pytest.fixture(scope="module")
def pdf(site: Path) -> Path:
    return private_dir(site) / PDF_NAME


class JsonLd(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._in = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self._in = tag == "script" and ("type", "application/ld+json") in attrs

    def handle_data(self, data):
        if self._in:
            self.blocks.append(data)

    def handle_endtag(self, tag):
        self._in = False


# ---- the page


def test_resume_page_describes_the_person_as_json_ld(site: Path) -> None:
    html = (site / "resume" / "index.html").read_text()
    [block] = JsonLd(html).blocks
    data = json.loads(block)
    assert data["@type"] == "Person"
    assert data["name"] == "Alex Morgan"
    assert data["jobTitle"] == "Senior Cloud Engineer"
    assert data["email"] == "mailto:alex@example.com"
    assert data["url"] == f"{SITE_URL}/resume/"
    assert "https://github.com/example" in data["sameAs"]
    assert data["worksFor"]["name"] == "Northwind Logistics"
    assert "<h1>Alex Morgan</h1>" in html
    assert 'href="mailto:alex@example.com"' in html


# ---- resume.json


def test_resume_json_is_valid_json_resume_1_2_1(site: Path) -> None:
    document = json.loads((site / "resume.json").read_text())
    schema = json.loads(SCHEMA_PATH.read_text())
    validator = jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(document), key=str)
    assert not errors, [e.message for e in errors]
    for section in ("basics", "work", "education", "skills", "projects", "certificates"):
        assert document[section], section
    assert document["languages"][0] == {"language": "Portuguese", "fluency": "native"}
    assert document["work"][0]["startDate"] == "2022-01"
    assert "endDate" not in document["work"][0]  # "present"
    assert document["work"][1]["endDate"] == "2021-12"
    assert document["education"][0] == {
        "institution": "University of Porto",
        "studyType": "BSc",
        "area": "Computer Science",
        "startDate": "2013",
        "endDate": "2016",
    }
    assert document["certificates"][0]["issuer"] == "Amazon Web Services"
    assert document["certificates"][0]["date"] == "2023"
    assert document["projects"][0]["url"] == "https://github.com/example/cloudfolio"


def test_the_schema_is_vendored_with_its_licence() -> None:
    assert json.loads(SCHEMA_PATH.read_text())["definitions"]["iso8601"]
    assert "MIT License" in (SCHEMA_PATH.parent / "LICENSE.md").read_text()


# ---- resume.pdf


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def markdown_text(source: str) -> tuple[str, list[str]]:
    """The source's words as a reader sees them, and its headings and bullets in order."""
    meta, _, body = source.partition("\n\n")
    fields = dict(line.split(": ", 1) for line in meta.splitlines() if ": " in line)
    body = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", body)
    body = re.sub(r"[*`]", "", body)
    items: list[str] = []
    for block in re.split(r"\n(?=#|- )|\n\n", body):
        block = block.strip()
        if block.startswith(("#", "- ")):
            items.append(block.lstrip("#- ").strip())
    return f"{fields['Name']} {fields['Headline']} {body}", items


def in_order_recall(expected: list[str], found: list[str]) -> float:
    """Share of the expected words that appear in the same order (longest common subsequence)."""
    previous = [0] * (len(found) + 1)
    for word in expected:
        current = [0]
        for j, other in enumerate(found):
            current.append(previous[j] + 1 if word == other else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1] / len(expected)


def test_pdf_text_extracts_in_reading_order(pdf: Path) -> None:
    extracted = words(run_tool("pdftotext", str(pdf), "-"))
    text, items = markdown_text(SOURCE.read_text())
    recall = in_order_recall(words(text), extracted)
    print(f"in-order word recall: {recall:.4f}")
    assert recall >= RECALL_FLOOR
    position = 0
    joined = " ".join(extracted)
    for item in items:
        needle = " ".join(words(item))
        found = joined.find(needle, position)
        assert found >= 0, f"missing or out of order in the PDF: {item!r}"
        position = found + len(needle)


def test_pdf_is_tagged_pdf_ua_with_metadata(pdf: Path) -> None:
    info = run_tool("pdfinfo", str(pdf))
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(r"^Title:\s+Resume of Alex Morgan$", info, re.M)
    assert re.search(r"^Author:\s+Alex Morgan$", info, re.M)
    assert re.search(r"^Subject:\s+Senior Cloud Engineer, Lisbon, Portugal$", info, re.M)
    assert re.search(r"^Keywords:\s+Senior Cloud Engineer, AWS Lambda, .*Terraform", info, re.M)
    assert re.search(r"^Page size:.*\(A4\)$", info, re.M)
    reader = PdfReader(pdf)
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en"
    assert catalog["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in catalog
    assert "pdfuaid:part" in run_tool("pdfinfo", "-meta", str(pdf))


def test_pdf_embeds_subsets_of_the_theme_fonts(pdf: Path) -> None:
    rows = run_tool("pdffonts", str(pdf)).splitlines()[2:]
    assert rows
    for row in rows:
        name, *_, emb, sub, _uni, _obj, _gen = row.split()
        assert re.match(r"^[A-Z]{6}\+Inter", name), row  # a subset of the shipped Inter
        assert (emb, sub) == ("yes", "yes"), row
    assert "SIL OPEN FONT LICENSE" in (paths.ROOT / "theme" / "fonts" / "OFL.txt").read_text()


def test_pdf_links_are_clickable(pdf: Path) -> None:
    links = run_tool("pdfinfo", "-url", str(pdf))
    for url in (
        "mailto:alex@example.com",
        "https://www.example.com",
        "https://github.com/example",
        "https://www.linkedin.com/in/example",
        "https://github.com/example/cloudfolio",
    ):
        assert f" {url}\n" in links, url


def test_pdf_stays_private_unless_asked(site: Path, tmp_path: Path) -> None:
    assert not (site / PDF_NAME).exists()
    manifest = json.loads((private_dir(site) / MANIFEST_NAME).read_text())
    assert manifest["download_name"] == "Alex-Morgan-Resume.pdf"
    assert manifest["pages"] >= 1
    public = build(tmp_path, CLOUDFOLIO_RESUME_PUBLIC_PDF=True)
    assert (public / PDF_NAME).read_bytes()[:5] == b"%PDF-"


def test_letter_paper_and_a_page_limit_warning(tmp_path: Path, caplog) -> None:
    caplog.set_level(logging.INFO)
    output = build(tmp_path, CLOUDFOLIO_RESUME_PAPER="Letter", CLOUDFOLIO_RESUME_MAX_PAGES=1)
    info = run_tool("pdfinfo", str(private_dir(output) / PDF_NAME))
    assert re.search(r"^Page size:.*\(letter\)$", info, re.M)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("more than CLOUDFOLIO_RESUME_MAX_PAGES = 1" in w for w in warnings), warnings


def test_unchanged_inputs_reuse_the_cached_pdf(tmp_path: Path, monkeypatch) -> None:
    renders = []
    real_render = weasyprint.HTML.render
    monkeypatch.setattr(
        weasyprint.HTML, "render", lambda *a, **k: renders.append(1) or real_render(*a, **k)
    )
    content = make_content(tmp_path)
    theme = tmp_path / "theme"
    shutil.copytree(paths.ROOT / "theme", theme)
    pdf_file = private_dir(tmp_path / "output") / PDF_NAME

    def rendered() -> bool:
        before = len(renders)
        build(tmp_path, content, THEME=str(theme))
        return len(renders) > before

    assert rendered()
    first = pdf_file.read_bytes()
    assert not rendered()
    assert pdf_file.read_bytes() == first
    css = theme / "pdf" / "resume.css"
    css.write_text(css.read_text() + "\nh3 { color: #222; }\n")
    assert rendered()
    template = theme / "templates" / "resume_pdf.html"
    template.write_text(template.read_text().replace("<main", "<main data-v=2"))
    assert rendered()
    fonts = theme / "fonts"
    shutil.copyfile(fonts / "Inter-Regular.otf", fonts / "Inter-Medium.otf")
    assert rendered()
    resume = content / "pages" / "resume.md"
    resume.write_text(resume.read_text().replace("Mentored four", "Mentored five"))
    assert rendered()
    assert not rendered()
    assert pdf_file.read_bytes() != first


# ---- errors


BROKEN = {
    "missing name": (
        lambda s: s.replace("Name: Alex Morgan\n", ""),
        r'content/pages/resume\.md:\d+: the front matter has no "Name:" field',
    ),
    "malformed date": (
        lambda s: s.replace("*March 2019 \u2013 December 2021", "*Marhc 2019 \u2013 December 2021"),
        r'content/pages/resume\.md:{line}: malformed date: "Marhc 2019" is not a date',
    ),
    "end before start": (
        lambda s: s.replace("*2013 \u2013 2016", "*2016 \u2013 2013"),
        'content/pages/resume\\.md:{line}: malformed date: "2016 \u2013 2013" ends before it',
    ),
    "unknown section": (
        lambda s: s.replace("## Skills", "## Skils"),
        r'content/pages/resume\.md:{line}: unknown section "## Skils"',
    ),
    "bad email": (
        lambda s: s.replace("Email: alex@example.com", "Email: alex.example.com"),
        r'content/pages/resume\.md:{line}: Email "alex\.example\.com" is not an email address',
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_source_stops_the_build_at_its_line(case: str, tmp_path: Path) -> None:
    change, pattern = BROKEN[case]
    text = change(SOURCE.read_text())
    assert text != SOURCE.read_text()
    marker = {
        "malformed date": "Marhc",
        "end before start": "2016 \u2013 2013",
        "unknown section": "## Skils",
        "bad email": "alex.example.com",
    }.get(case)
    line = next((n for n, t in enumerate(text.splitlines(), 1) if marker and marker in t), 0)
    with pytest.raises(ResumeSourceError, match=pattern.format(line=line)):
        build(tmp_path, make_content(tmp_path, text))


def test_a_role_without_dates_is_refused(tmp_path: Path) -> None:
    text = SOURCE.read_text().replace("*September 2016 \u2013 February 2019 · Porto*\n", "")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "Quarry Software" in t)
    with pytest.raises(ResumeSourceError, match=rf":{line}: .* needs a date line right below"):
        build(tmp_path, make_content(tmp_path, text))


def test_resume_settings_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ResumeSettingsError, match="CLOUDFOLIO_RESUME_PAPER"):
        build(tmp_path, CLOUDFOLIO_RESUME_PAPER="A5")


def test_the_build_command_reports_the_line_not_a_traceback(tmp_path: Path) -> None:
    from cloudfolio import site

    text = SOURCE.read_text().replace("Email: alex@example.com\n", "")
    with pytest.raises(site.BuildError) as raised:
        site.build(tmp_path / "output", make_content(tmp_path, text))
    message = str(raised.value)
    assert message.splitlines()[-1].startswith(
        'ResumeSourceError: content/pages/resume.md:10: the front matter has no "Email:" field'
    )
    assert "Traceback" not in message and "File " not in message


def test_the_documented_sample_is_a_valid_resume(tmp_path: Path) -> None:
    from cloudfolio_resume.json_resume import json_resume
    from cloudfolio_resume.source import SECTIONS, read_resume

    guide = (paths.ROOT / "docs" / "authoring.md").read_text()
    section = guide.split("## The resume\n", 1)[1]
    sample = section.split("```markdown\n", 1)[1].split("```\n", 1)[0]
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "alex.jpg").write_bytes(b"\xff\xd8")
    (tmp_path / "resume.md").write_text(sample)
    resume = read_resume(tmp_path / "resume.md", content_root=tmp_path)
    assert resume.sections == SECTIONS  # the sample shows every section, in order
    assert resume.phone and resume.photo
    document = json_resume(resume, f"{SITE_URL}/resume/")
    jsonschema.Draft7Validator(json.loads(SCHEMA_PATH.read_text())).validate(document)


def test_a_photo_under_content_is_published_and_named_in_the_data(tmp_path: Path) -> None:
    text = SOURCE.read_text().replace("Email:", "Photo: images/alex.jpg\nEmail:", 1)
    content = make_content(tmp_path, text)
    (content / "images").mkdir()
    (content / "images" / "alex.jpg").write_bytes(b"\xff\xd8\xff")
    output = build(tmp_path, content)
    assert (output / "images" / "alex.jpg").read_bytes() == b"\xff\xd8\xff"
    [block] = JsonLd((output / "resume" / "index.html").read_text()).blocks
    assert json.loads(block)["image"] == f"{SITE_URL}/images/alex.jpg"
    assert json.loads((output / "resume.json").read_text())["basics"]["image"] == (
        f"{SITE_URL}/images/alex.jpg"
    )
