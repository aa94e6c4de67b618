"""Saved plans for the infra tests: applying envs/local to a fresh emulator many times is slow.

A plan made against an empty state is valid for any empty state, so a fresh emulator with unchanged
code, variables and artifacts only pays for the apply. Only the tests use this; `invoke up` has
its own fast path (cloudfolio/local/replay.py).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cloudfolio import paths, terraform

# What a saved plan for an empty state depends on besides the variables: the Terraform code and the
# files it reads (the API description and the edge code). The Lambda zips come in through `inputs`.
PLAN_INPUTS = (paths.INFRA, paths.BACKEND / "openapi.json", paths.BACKEND / "edge")
SKIPPED_PLAN_INPUT_PARTS = {".terraform", "__pycache__"}


def _hash_tree(digest: Any, path: Path, *, recursive: bool = True) -> None:
    """Names and bytes of every file under path (top level only when not recursive)."""
    if path.is_file():
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        return
    if not path.is_dir():
        digest.update(f"missing:{path}".encode())
        return
    files = path.rglob("*") if recursive else path.iterdir()
    for file in sorted(f for f in files if f.is_file()):
        relative = file.relative_to(path)
        if SKIPPED_PLAN_INPUT_PARTS.intersection(relative.parts) or file.suffix in (".tfstate",):
            continue
        digest.update(relative.as_posix().encode() + b"\0" + file.read_bytes() + b"\0")


def plan_fingerprint(
    runner: terraform.Terraform, variables: Mapping[str, Any] | None, inputs: tuple[Path, ...] = ()
) -> str:
    digest = hashlib.sha256()
    binary = Path(terraform.terraform_binary())
    stat = binary.stat()
    digest.update(f"{binary}:{stat.st_size}:{stat.st_mtime_ns}:{runner.plugin_dir}".encode())
    digest.update(json.dumps(dict(variables or {}), sort_keys=True).encode())
    roots = (*PLAN_INPUTS, runner.root) if paths.INFRA not in runner.root.parents else PLAN_INPUTS
    for path in roots:
        _hash_tree(digest, path)
    for path in inputs:
        # Artifact directories hold build caches below the top level; only the zips matter.
        _hash_tree(digest, Path(path), recursive=False)
    return digest.hexdigest()[:32]


def apply_fresh(
    runner: terraform.Terraform,
    variables: Mapping[str, Any] | None = None,
    *,
    inputs: tuple[Path, ...] = (),
) -> bool:
    """Apply to an empty state, reusing the saved plan of an earlier run with equal inputs.

    Planning costs several provider start-ups; a plan made against an empty state is valid
    for any empty state, so a fresh emulator with unchanged code, variables and artifacts only
    pays for the apply. Returns True when a saved plan was reused.
    """
    if not runner.state_path:
        raise terraform.TerraformError(
            "apply_fresh needs a state_path: it always starts from no state"
        )
    state = Path(runner.state_path)
    for stale in (state, state.with_name(state.name + ".backup")):
        stale.unlink(missing_ok=True)
    state.parent.mkdir(parents=True, exist_ok=True)
    plans = runner.effective_data_dir / "plans"
    plans.mkdir(parents=True, exist_ok=True)
    plan = plans / f"{plan_fingerprint(runner, variables, inputs)}.tfplan"
    reused = plan.exists()
    if not reused:
        for old in plans.glob("*.tfplan"):
            old.unlink()
        partial = plan.with_suffix(".partial")
        runner.run(
            "plan",
            "-input=false",
            "-no-color",
            f"-out={partial.resolve()}",
            *runner.state_args(),
            *runner.variable_args(variables),
        )
        os.replace(partial, plan)
    try:
        runner.apply(plan_file=plan)
    except terraform.TerraformError as error:
        plan.unlink(missing_ok=True)  # never reuse a plan that failed once
        if reused and "stale" in str(error).lower():
            # Terraform refused the saved plan itself (not the emulator): plan afresh, once.
            apply_fresh(runner, variables, inputs=inputs)
            return False
        raise
    return reused
