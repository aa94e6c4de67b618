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


def test_readme_tables_are_generated_from_the_code():
    from cloudfolio import module_docs

    stale = [str(m.relative_to(terraform.INFRA)) for m in module_docs.stale()]
    assert not stale, f"stale README tables in {stale}: run python -m cloudfolio.module_docs"


def test_a_new_variable_makes_the_readme_stale(tmp_path):
    from cloudfolio import module_docs

    module = tmp_path / "demo"
    module.mkdir()
    (module / "outputs.tf").write_text('output "x" {\n  description = "The x."\n  value = 1\n}\n')
    (module / "variables.tf").write_text(
        'variable "size" {\n  description = <<-EOT\n    How big.\n    Really.\n  EOT\n'
        "  type        = number\n  default     = 3\n}\n"
    )
    (module / "README.md").write_text("# demo\n")
    readme = module_docs.rendered(module)
    assert "| `size` | `number` | `3` | How big. Really. |" in readme
    assert "| `x` | The x. |" in readme
    (module / "README.md").write_text(readme)
    assert module_docs.rendered(module) == readme  # idempotent
    with (module / "variables.tf").open("a") as handle:
        handle.write('variable "name" {\n  description = "A name."\n  type        = string\n}\n')
    assert "| `name` | `string` | required | A name. |" in module_docs.rendered(module)
