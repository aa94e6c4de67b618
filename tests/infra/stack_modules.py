"""What the stack module deploys, read from its Terraform: resource types and trusted services."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

import hcl2

from cloudfolio import terraform

STACK = terraform.INFRA / "modules" / "stack"


def plain(value):
    """python-hcl2 keeps the quotes of string literals and block labels."""
    if isinstance(value, str):
        return value.strip('"')
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    return value


@functools.cache
def _parsed(module: Path) -> tuple[dict, ...]:
    return tuple(plain(hcl2.loads(path.read_text())) for path in sorted(module.glob("*.tf")))


def modules(root: Path = STACK) -> list[Path]:
    """The root module and every local module it calls, transitively."""
    found, pending = [], [root.resolve()]
    while pending:
        module = pending.pop()
        if module in found:
            continue
        found.append(module)
        for parsed in _parsed(module):
            for block in parsed.get("module", []):
                for call in block.values():
                    if call["source"].startswith("."):
                        pending.append((module / call["source"]).resolve())
    return found


def _blocks(kind: str, root: Path) -> Iterator[tuple[Path, str, str, dict]]:
    for module in modules(root):
        for parsed in _parsed(module):
            for block in parsed.get(kind, []):
                for type_, named in block.items():
                    for name, body in named.items():
                        yield module, type_, name, body


def resource_types(root: Path = STACK) -> set[str]:
    return {type_ for _, type_, _, _ in _blocks("resource", root)}


def role_trusted_services(root: Path = STACK) -> set[str]:
    """Service principals the stack's roles trust: the services the deploy role passes them to."""
    documents = {
        (module, name): body
        for module, type_, name, body in _blocks("data", root)
        if type_ == "aws_iam_policy_document"
    }
    services = set()
    for module, type_, _, body in _blocks("resource", root):
        if type_ != "aws_iam_role":
            continue
        reference = body["assume_role_policy"]  # ${data.aws_iam_policy_document.<name>.json}
        name = reference.removeprefix("${data.aws_iam_policy_document.").removesuffix(".json}")
        for statement in documents[(module, name)]["statement"]:
            for principal in statement.get("principals", []):
                if principal["type"] == "Service":
                    services.update(principal["identifiers"])
    return services


def module_calls(root: Path = STACK) -> Iterator[tuple[str, dict, Path]]:
    """Each module call of the root module: its name, its arguments and the module it calls."""
    for parsed in _parsed(root):
        for block in parsed.get("module", []):
            for name, call in block.items():
                yield name, call, (root / call["source"]).resolve()


def variables(module: Path) -> set[str]:
    return {
        name for parsed in _parsed(module) for block in parsed.get("variable", []) for name in block
    }
