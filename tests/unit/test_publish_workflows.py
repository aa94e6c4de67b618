"""The GitHub Actions workflows: they lint clean, and every invoke task they call exists."""

from __future__ import annotations

import ast
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from cloudfolio import paths

WORKFLOWS = paths.ROOT / ".github" / "workflows"
WORKFLOW_FILES = sorted(WORKFLOWS.glob("*.yml"))
TOOLS = Path(sys.executable).parent
INVOKE_CALL = re.compile(r"(?:^|[\s;&|(])(?:\S*/)?invoke\s+([^\n;&|]+)")
PINNED_ACTION = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def tool(name: str) -> str:
    found = TOOLS / name
    assert found.exists(), f"{name} is missing from .venv (it is in the dev dependency group)"
    return str(found)


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def invoke_calls() -> list[list[str]]:
    calls = []
    for path in WORKFLOW_FILES:
        for step in steps(load(path)):
            for match in INVOKE_CALL.finditer(step.get("run", "")):
                calls.append(shlex.split(match.group(1).split(">")[0]))
    return calls


def defined_tasks() -> dict[str, set[str]]:
    """Task name -> its parameter names, for every function in tasks.py decorated with @task."""
    tree = ast.parse((paths.ROOT / "tasks.py").read_text())
    tasks = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if isinstance(target, ast.Name) and target.id == "task":
                arguments = node.args.args + node.args.kwonlyargs
                tasks[node.name] = {argument.arg for argument in arguments[1:]}
    return tasks


def test_both_workflows_exist():
    assert {path.name for path in WORKFLOW_FILES} >= {"ci.yml", "deploy.yml"}


def test_actionlint_passes():
    completed = subprocess.run(
        [tool("actionlint"), *map(str, WORKFLOW_FILES)],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_zizmor_reports_nothing():
    completed = subprocess.run(
        [tool("zizmor"), "--offline", "--format", "json", str(WORKFLOWS)],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    findings = json.loads(completed.stdout or "null")
    assert findings == [], completed.stdout
    assert completed.returncode == 0, completed.stderr


def test_every_action_is_pinned_to_a_commit():
    for path in WORKFLOW_FILES:
        for step in steps(load(path)):
            if "uses" in step:
                assert PINNED_ACTION.match(step["uses"]), f"{path.name}: {step['uses']}"


def test_the_workflows_call_invoke_at_all():
    called = {call[0] for call in invoke_calls()}
    assert {"deploy", "publish", "rollback"} <= called


@pytest.mark.parametrize("call", invoke_calls(), ids=lambda call: " ".join(call))
def test_every_invoke_task_and_flag_the_workflows_use_exists(call):
    tasks = defined_tasks()
    name, *arguments = call
    assert name in tasks, f"tasks.py has no @task {name!r} (it has {sorted(tasks)})"
    for argument in arguments:
        if argument.startswith("--"):
            flag = argument[2:].split("=")[0].replace("-", "_")
            assert flag in tasks[name], f"invoke {name} has no --{argument[2:]} option"


def test_ci_runs_the_readme_test_command_on_push_and_pull_request():
    ci = load(WORKFLOWS / "ci.yml")
    triggers = ci.get("on", ci.get(True))
    assert "push" in triggers and "pull_request" in triggers
    assert any(step.get("run") == "python3 bootstrap.py test" for step in steps(ci))


def test_production_waits_for_staging_behind_a_protected_environment_and_rolls_back():
    deploy = load(WORKFLOWS / "deploy.yml")
    staging, production = deploy["jobs"]["staging"], deploy["jobs"]["production"]
    assert production["needs"] == "staging"
    assert production["environment"]["name"] == "production"
    for job in (staging, production):
        assert job["permissions"]["id-token"] == "write"
        assert any("configure-aws-credentials" in step.get("uses", "") for step in job["steps"])
    assert not any("aws-access-key-id" in json.dumps(step) for step in steps(deploy))
    e2e = [step["run"] for step in staging["steps"] if "tests/e2e" in step.get("run", "")]
    assert e2e and "--base-url" in e2e[0]
    rollback = [step for step in production["steps"] if "invoke rollback" in step.get("run", "")]
    assert len(rollback) == 1 and "failure()" in rollback[0]["if"]
    names = [step.get("name", "") for step in production["steps"]]
    assert names.index("smoke test") < names.index("roll back when the smoke test fails")
