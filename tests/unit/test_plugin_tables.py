"""Aligned Markdown table columns become classes, so the strict CSP needs no style attribute."""

from __future__ import annotations

from pathlib import Path

import markdown
from cloudfolio_tables import TableAlignExtension
from test_site_build import Page, build_site
from writing_samples import post, write

from cloudfolio import paths

TABLE = """
| Name | Count | Note | Plain |
|:-----|------:|:----:|-------|
| a    | 1     | x    | p     |
| b    | 22    | y    | q     |
"""


def cells(html: str) -> list[tuple[str, str | None, str | None]]:
    return [
        (tag, attrs.get("class"), attrs.get("style"))
        for tag, attrs in Page(html).elements
        if tag in ("th", "td")
    ]


def test_alignment_becomes_a_class_on_every_cell_of_the_column() -> None:
    html = markdown.markdown(TABLE, extensions=["tables", TableAlignExtension()])
    rows = [cells(html)[i : i + 4] for i in range(0, 12, 4)]
    for row in rows:
        assert [c[1] for c in row] == ["align-left", "align-right", "align-center", None]
        assert all(c[2] is None for c in row)


def test_the_align_attribute_form_is_converted_too() -> None:
    html = markdown.markdown(
        TABLE,
        extensions=["tables", TableAlignExtension()],
        extension_configs={"tables": {"use_align_attribute": True}},
    )
    assert "align=" not in html
    assert [c[1] for c in cells(html)[:4]] == ["align-left", "align-right", "align-center", None]


def test_a_built_post_has_aligned_columns_and_no_style_attribute(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write(content, "posts/table.md", post("Table", TABLE, slug="table"))
    site = build_site(
        tmp_path / "site", PATH=str(content), CLOUDFOLIO_IMAGE_CACHE=str(tmp_path / "cache")
    )
    html = (site / "posts" / "table" / "index.html").read_text()
    assert "style=" not in html
    assert [c[1] for c in cells(html)[:4]] == ["align-left", "align-right", "align-center", None]
    stylesheet = next((site / "theme" / "css").glob("main.*.css")).read_text()
    for alignment in ("left", "center", "right"):
        assert f".align-{alignment} {{\n  text-align: {alignment};" in stylesheet


def test_the_aligned_table_in_the_authoring_guide_renders_aligned() -> None:
    guide = (paths.ROOT / "docs" / "authoring.md").read_text()
    blocks = guide.split("```markdown\n")[1:]
    [example] = [b.split("```")[0] for b in blocks if "|:---" in b or "|:--" in b]
    html = markdown.markdown(example, extensions=["tables", TableAlignExtension()])
    assert "style=" not in html
    assert {c[1] for c in cells(html)} == {"align-left", "align-center"}
