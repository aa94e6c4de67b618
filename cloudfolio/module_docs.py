"""The Inputs and Outputs tables of each Terraform module's README, generated from its code.

A README cannot drift from `variables.tf` and `outputs.tf`: the tables between the markers are
rewritten from them, and a test fails when a committed README differs from what this makes.

    python -m cloudfolio.module_docs          # rewrite the tables of every module README
    python -m cloudfolio.module_docs --check  # exit 1 if one is stale
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from cloudfolio import paths

MODULES = paths.INFRA / "modules"
BEGIN = "<!-- BEGIN GENERATED: python -m cloudfolio.module_docs -->"
END = "<!-- END GENERATED -->"
_BLOCK = re.compile(r'^(variable|output) "([^"]+)"\s*\{', re.MULTILINE)
_ATTRIBUTE = re.compile(r"^  (\w+)\s*=\s*", re.MULTILINE)
# Longer type or default expressions are summarised; variables.tf has the whole text.
MAX_CELL = 60


@dataclass(frozen=True)
class Entry:
    name: str
    description: str
    type: str | None = None
    default: str | None = None  # None: required


_HEREDOC = re.compile(r"<<-?(\w+)\n")


def _expression(text: str, start: int) -> str:
    """The HCL expression starting at `start`, up to the end of its line or its last bracket."""
    heredoc = _HEREDOC.match(text, start)
    if heredoc:
        end = re.compile(rf"^\s*{heredoc.group(1)}\s*$", re.MULTILINE).search(text, heredoc.end())
        body = text[heredoc.end() : end.start() if end else len(text)]
        return '"' + " ".join(body.split()).replace('"', '\\"') + '"'
    depth, quoted, i = 0, False, start
    while i < len(text):
        char = text[i]
        if quoted:
            if char == "\\":
                i += 1
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "\n" and depth <= 0:
            break
        i += 1
    return text[start:i].strip()


def _blocks(text: str, kind: str) -> list[tuple[str, str]]:
    found = [(m.group(2), m.start()) for m in _BLOCK.finditer(text) if m.group(1) == kind]
    bounds = [m.start() for m in _BLOCK.finditer(text)] + [len(text)]
    return [(name, text[start : min(b for b in bounds if b > start)]) for name, start in found]


def _attributes(block: str) -> dict[str, str]:
    return {m.group(1): _expression(block, m.end()) for m in _ATTRIBUTE.finditer(block)}


def _unquote(value: str) -> str:
    if value.startswith('"') and value.endswith('"'):
        return value[1:-1].replace('\\"', '"')
    return " ".join(value.split())


def entries(module: Path, kind: str) -> list[Entry]:
    source = module / ("variables.tf" if kind == "variable" else "outputs.tf")
    result = []
    for name, block in _blocks(source.read_text(), kind):
        attributes = _attributes(block)
        result.append(
            Entry(
                name,
                _unquote(attributes.get("description", '""')),
                " ".join(attributes["type"].split()) if "type" in attributes else None,
                " ".join(attributes["default"].split()) if "default" in attributes else None,
            )
        )
    return result


def _cell(value: str | None, fallback: str) -> str:
    if value is None:
        return fallback
    if len(value) > MAX_CELL:
        # map(object({...})) reads as map(object); a long default is left to the code.
        value = re.sub(r"\(\{.*\}\)", "", value)
    if len(value) > MAX_CELL:
        return "see variables.tf"
    return f"`{value}`".replace("|", "\\|")


def tables(module: Path) -> str:
    lines = [BEGIN, "## Inputs", "", "| Name | Type | Default | Description |", "|---|---|---|---|"]
    for entry in entries(module, "variable"):
        default = _cell(entry.default, "required")
        kind = _cell(entry.type, "any")
        lines.append(f"| `{entry.name}` | {kind} | {default} | {entry.description} |")
    lines += ["", "## Outputs", "", "| Name | Description |", "|---|---|"]
    lines += [f"| `{e.name}` | {e.description} |" for e in entries(module, "output")]
    lines.append(END)
    return "\n".join(lines) + "\n"


def rendered(module: Path) -> str:
    """The README with its generated tables in place of the old ones (or appended)."""
    readme = (module / "README.md").read_text() if (module / "README.md").exists() else ""
    if BEGIN in readme and END in readme:
        head, rest = readme.split(BEGIN, 1)
        tail = rest.split(END, 1)[1].lstrip("\n")
    else:
        # First generation: the hand-written tables start at "## Inputs" and end at the next
        # heading after "## Outputs".
        start = readme.find("## Inputs")
        head = readme[:start] if start >= 0 else readme.rstrip() + "\n\n"
        after = readme[start:] if start >= 0 else ""
        outputs = after.find("## Outputs")
        following = re.search(r"^## ", after[outputs + 1 :], re.MULTILINE) if outputs >= 0 else None
        tail = after[outputs + 1 + following.start() :] if following else ""
    return head + tables(module) + ("\n" + tail if tail else "")


def modules() -> list[Path]:
    return sorted(p for p in MODULES.iterdir() if (p / "variables.tf").exists())


def stale() -> list[Path]:
    return [m for m in modules() if (m / "README.md").read_text() != rendered(m)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cloudfolio.module_docs")
    parser.add_argument("--check", action="store_true", help="fail if a README is out of date")
    if parser.parse_args(argv).check:
        behind = stale()
        for module in behind:
            print(f"{module.relative_to(paths.ROOT)}/README.md is stale", file=sys.stderr)
        if behind:
            print("run python -m cloudfolio.module_docs", file=sys.stderr)
        return 1 if behind else 0
    for module in modules():
        (module / "README.md").write_text(rendered(module))
    print(f"wrote the tables of {len(modules())} module READMEs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
