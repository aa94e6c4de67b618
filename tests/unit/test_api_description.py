"""backend/openapi.json is generated from the resolvers, fresh, and describes every route."""

from __future__ import annotations

import json
import subprocess
import sys

from cloudfolio import api_description, paths
from cloudfolio.local.routes import load_routes


def test_the_committed_description_is_fresh() -> None:
    committed = api_description.API_DESCRIPTION.read_text()
    assert committed == api_description.render(api_description.generate()), (
        "backend/openapi.json is stale: run python -m cloudfolio.api_description"
    )


def test_the_check_command_agrees() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cloudfolio.api_description", "--check"],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_every_served_route_is_described_with_its_function() -> None:
    served = set(api_description.served_operations())
    described = set(api_description.operations())
    assert served == described
    assert {("POST", "/visits"), ("GET", "/visits"), ("GET", "/health")} <= {
        (o.method, o.path) for o in described
    }


def test_every_operation_names_a_registered_function() -> None:
    document = json.loads(api_description.API_DESCRIPTION.read_text())
    registered = set(api_description.functions())
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation[api_description.FUNCTION_EXTENSION] in registered, (method, path)
            module = api_description.functions()[operation[api_description.FUNCTION_EXTENSION]]
            assert (paths.BACKEND / (module.replace(".", "/") + ".py")).exists()


def test_payloads_are_described() -> None:
    document = json.loads(api_description.API_DESCRIPTION.read_text())
    assert document["info"]["title"] == api_description.TITLE
    assert document["info"]["version"]
    post = document["paths"]["/visits"]["post"]
    body = post["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["path"]
    assert {"path", "referrer", "utm_source", "utm_medium", "utm_campaign"} <= set(
        body["properties"]
    )
    counts = post["responses"]["200"]["content"]["application/json"]["schema"]
    assert set(counts["required"]) == {"views", "page_views", "visitors"}
    assert {"400", "413"} <= set(post["responses"])
    get = document["paths"]["/visits"]["get"]
    assert [p["name"] for p in get["parameters"]] == ["path"]


def test_the_local_gateway_reads_the_same_operations() -> None:
    gateway = {(r.method, r.path, r.function) for r in load_routes(api_description.API_DESCRIPTION)}
    assert gateway == {tuple(o) for o in api_description.operations()}


def test_the_lambda_runtime_never_imports_pydantic() -> None:
    # pydantic is a dev dependency only: the functions' zips do not contain it.
    code = (
        "import sys; sys.path.insert(0, 'backend'); import functions, importlib\n"
        "for module in functions.FUNCTIONS.values(): importlib.import_module(module)\n"
        "assert 'pydantic' not in sys.modules, 'pydantic imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=paths.ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_every_throttled_operation_documents_its_429():
    """A throttle can refuse any request of its route, so the description says so everywhere."""
    document = json.loads(api_description.API_DESCRIPTION.read_text())
    for path, items in document["paths"].items():
        for method, operation in items.items():
            if method in api_description.HTTP_METHODS:
                assert "429" in operation["responses"], f"{method.upper()} {path}"
