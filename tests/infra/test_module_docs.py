"""Every module keeps the terraform-aws-modules layout and documents each input and output."""

from __future__ import annotations

import re

import pytest

from cloudfolio import terraform

MODULES = sorted(p for p in (terraform.INFRA / "modules").iterdir() if p.is_dir())
LAYOUT = ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md")
BLOCK = re.compile(r'^(variable|output) "([^"]+)"\s*{', re.MULTILINE)


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_module_layout_and_docs(module):
    missing = [name for name in LAYOUT if not (module / name).exists()]
    assert not missing, f"{module.name} lacks {missing}"
    readme = (module / "README.md").read_text()
    for tf_file in ("variables.tf", "outputs.tf"):
        text = (module / tf_file).read_text()
        for kind, name in BLOCK.findall(text):
            assert f"`{name}`" in readme, f"{module.name}/README.md does not document {kind} {name}"
        # Typed and described: every variable and output says what it is for.
        blocks = re.split(r'^(?=variable "|output ")', text, flags=re.MULTILINE)
        for block in filter(str.strip, blocks):
            assert "description" in block, f"{module.name}/{tf_file}: {block.splitlines()[0]}"
            if block.startswith("variable"):
                assert re.search(r"^\s+type\s+=", block, re.MULTILINE), block.splitlines()[0]
