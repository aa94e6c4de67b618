"""The API description (backend/openapi.json), generated from the functions' resolvers.

Terraform creates one API Gateway route per operation and the local gateway routes from the same
file; each operation names its function in `x-cloudfolio-function`. Generation needs pydantic
(a dev dependency); reading the committed file does not, and Lambda never does either.

    python -m cloudfolio.api_description          # rewrite backend/openapi.json
    python -m cloudfolio.api_description --check  # exit 1 if it is stale
"""

from __future__ import annotations

import argparse
import copy
import importlib
import json
import re
import sys
import tomllib
from pathlib import Path
from typing import Any, NamedTuple

from cloudfolio import paths

API_DESCRIPTION = paths.BACKEND / "openapi.json"
FUNCTION_EXTENSION = "x-cloudfolio-function"
TITLE = "cloudfolio API"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
_PATH_PARAMETER = re.compile(r"<(\w+)>")


class Throttle(NamedTuple):
    rate_limit: float  # steady requests per second
    burst_limit: int


class Operation(NamedTuple):
    method: str  # upper case, as API Gateway route keys spell it
    path: str  # OpenAPI template, e.g. /demo/{id}
    function: str


def backend_on_path() -> None:
    backend = str(paths.BACKEND)
    if backend not in sys.path:
        sys.path.insert(0, backend)


def functions() -> dict[str, str]:
    backend_on_path()
    return dict(importlib.import_module("functions").FUNCTIONS)


def handler_module(function: str) -> Any:
    return importlib.import_module(functions()[function])


def openapi_path(resolver_rule: str) -> str:
    """Powertools writes path parameters as <id>; OpenAPI and API Gateway as {id}."""
    return _PATH_PARAMETER.sub(r"{\1}", resolver_rule)


def served_operations() -> list[Operation]:
    """Every (method, path) the resolvers answer, from their public OpenAPI schemas."""
    found = []
    for function in functions():
        module = handler_module(function)
        if not hasattr(module, "app"):  # scheduled functions serve no routes
            continue
        schema = module.app.get_openapi_schema(title=TITLE, version=_version())
        for path, item in (schema.paths or {}).items():
            for method in HTTP_METHODS:
                if getattr(item, method, None) is not None:
                    found.append(Operation(method.upper(), openapi_path(path), function))
    return found


def _version() -> str:
    with (paths.ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


# What API Gateway (and the local gateway) answers when a route's throttle is exceeded.
THROTTLED_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["message"],
    "properties": {"message": {"type": "string", "example": "Too Many Requests"}},
}


def _document_throttling(operation: dict[str, Any]) -> None:
    """Every throttled route can answer 429: derived from its throttle, so never forgotten."""
    responses = operation.setdefault("responses", {})
    own = responses.get("429", {}).get("content", {}).get("application/json", {}).get("schema")
    schema = THROTTLED_SCHEMA if own is None else {"anyOf": [own, THROTTLED_SCHEMA]}
    description = "Too many requests: the route's throttle (x-cloudfolio-throttle) was exceeded."
    if own is not None:
        description = f"{responses['429'].get('description', '').rstrip('.')}; or {description}"
    responses["429"] = {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }


def generate() -> dict[str, Any]:
    document: dict[str, Any] = {}
    for function in functions():
        module = handler_module(function)
        if not hasattr(module, "app"):
            continue
        schema = json.loads(module.app.get_openapi_json_schema(title=TITLE, version=_version()))
        extras = getattr(module, "OPERATION_EXTRAS", {})
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                if method not in HTTP_METHODS:
                    continue
                operation.update(copy.deepcopy(extras.get((method.upper(), path), {})))
                if _throttle_extension() not in operation:
                    raise ValueError(
                        f"{method.upper()} {path} declares no throttle: add "
                        "common.throttle.throttle(rate, burst) to its OPERATION_EXTRAS"
                    )
                _document_throttling(operation)
                operation[FUNCTION_EXTENSION] = function
        if not document:
            document = schema
            continue
        for path, operations in schema.get("paths", {}).items():
            clash = set(operations) & set(document["paths"].get(path, {}))
            if clash:
                raise ValueError(f"{path} {sorted(clash)} is served by two functions")
            document["paths"].setdefault(path, {}).update(operations)
        for name, component in schema.get("components", {}).get("schemas", {}).items():
            document.setdefault("components", {}).setdefault("schemas", {})[name] = component
    _drop_unused_components(document)
    return document


def _referenced(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"].rsplit("/", 1)[-1]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_referenced(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_referenced(value) for value in node))
    return set()


def _drop_unused_components(document: dict[str, Any]) -> None:
    """Powertools always adds its validation-error schemas; these functions never answer them."""
    schemas = document.get("components", {}).get("schemas", {})
    used = _referenced(document.get("paths", {}))
    pending = list(used)
    while pending:  # schemas may refer to other schemas
        for name in _referenced(schemas.get(pending.pop(), {})) - used:
            used.add(name)
            pending.append(name)
    for name in set(schemas) - used:
        del schemas[name]
    if "components" in document and not schemas:
        document["components"].pop("schemas", None)
        if not document["components"]:
            del document["components"]


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def write(destination: Path = API_DESCRIPTION) -> Path:
    destination.write_text(render(generate()))
    return destination


def is_fresh(destination: Path = API_DESCRIPTION) -> bool:
    return destination.exists() and destination.read_text() == render(generate())


def operations(description: Path = API_DESCRIPTION) -> list[Operation]:
    """(method, path, function) of every operation in the committed description.

    For consumers (the local gateway, Terraform contract tests): reads JSON only.
    """
    document = json.loads(description.read_text())
    found = []
    for path, items in document.get("paths", {}).items():
        for method, operation in items.items():
            if method in HTTP_METHODS:
                found.append(Operation(method.upper(), path, operation[FUNCTION_EXTENSION]))
    return found


def _throttle_extension() -> str:
    backend_on_path()
    return str(importlib.import_module("common.throttle").EXTENSION)


def throttles(description: Path = API_DESCRIPTION) -> dict[str, Throttle]:
    """Route key ("POST /visits") -> its declared throttle, from the committed description."""
    document = json.loads(description.read_text())
    extension = _throttle_extension()
    found = {}
    for path, items in document.get("paths", {}).items():
        for method, operation in items.items():
            if method in HTTP_METHODS and extension in operation:
                limits = operation[extension]
                found[f"{method.upper()} {path}"] = Throttle(
                    float(limits["rate_limit"]), int(limits["burst_limit"])
                )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cloudfolio.api_description")
    parser.add_argument(
        "--check", action="store_true", help="fail if backend/openapi.json is out of date"
    )
    args = parser.parse_args(argv)
    if args.check:
        if is_fresh():
            print(f"{API_DESCRIPTION.relative_to(paths.ROOT)} is up to date")
            return 0
        print(
            f"{API_DESCRIPTION.relative_to(paths.ROOT)} is stale: "
            "run python -m cloudfolio.api_description",
            file=sys.stderr,
        )
        return 1
    print(f"wrote {write().relative_to(paths.ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
