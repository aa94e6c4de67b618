"""Aligned Markdown table columns, under a Content-Security-Policy without 'unsafe-inline'.

Python-Markdown writes ``|:---:|`` alignment as ``style="text-align: center;"`` on every cell,
which style-src 'self' blocks. This plugin turns it into ``class="align-center"`` at build time;
the theme's stylesheet aligns those classes.
"""

from __future__ import annotations

import re

from markdown import Extension
from markdown.treeprocessors import Treeprocessor
from pelican import signals

__all__ = ["ALIGNMENTS", "alignment_class", "register"]

ALIGNMENTS = ("left", "center", "right")
TEXT_ALIGN = re.compile(r"^\s*text-align:\s*(left|center|right)\s*;?\s*$")


def alignment_class(alignment: str) -> str:
    return f"align-{alignment}"


class TableAlignTreeprocessor(Treeprocessor):
    def run(self, root) -> None:
        for cell in (e for e in root.iter() if e.tag in ("th", "td")):
            # The style attribute by default, the align attribute with use_align_attribute.
            match = TEXT_ALIGN.match(cell.get("style", ""))
            alignment = match.group(1) if match else cell.get("align")
            if alignment not in ALIGNMENTS:
                continue
            cell.attrib.pop("style" if match else "align")
            classes = [*cell.get("class", "").split(), alignment_class(alignment)]
            cell.set("class", " ".join(classes))


class TableAlignExtension(Extension):
    def extendMarkdown(self, md) -> None:
        # Tables are built by a block processor, so every cell exists when tree processors run.
        md.treeprocessors.register(TableAlignTreeprocessor(md), "cloudfolio_tables", 7)


def install_extension(pelican) -> None:
    markdown = dict(pelican.settings["MARKDOWN"])
    # A copy: publishconf.py shares pelicanconf.py's dict, and a rebuild must not stack extensions.
    kept = [e for e in markdown.get("extensions", []) if not isinstance(e, TableAlignExtension)]
    markdown["extensions"] = [*kept, TableAlignExtension()]
    pelican.settings["MARKDOWN"] = markdown


def register() -> None:
    signals.initialized.connect(install_extension)
