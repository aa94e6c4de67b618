"""The one error path of the tasks: a user-fixable failure is one sentence and exit code 1."""

from __future__ import annotations

import subprocess
import sys

import pytest
from invoke import Exit

from cloudfolio import cli, paths
from cloudfolio.errors import CloudfolioError
from cloudfolio.terraform import TerraformError


def test_a_cloudfolio_error_becomes_one_sentence_and_exit_1():
    @cli.task
    def failing(c):
        raise TerraformError("terraform plan failed in infra/envs/aws: bad thing\nwall\nof text")

    with pytest.raises(Exit) as caught:
        failing.body(None)
    assert caught.value.code == 1
    assert caught.value.message.startswith("terraform plan failed in infra/envs/aws: bad thing")
    assert "wall" not in caught.value.message and "--verbose" in caught.value.message


def test_verbose_keeps_the_whole_text():
    @cli.task(help={"verbose": "whole text"})
    def failing(c, verbose=False):
        raise CloudfolioError("first line\nsecond line")

    with pytest.raises(Exit) as caught:
        failing.body(None, verbose=True)
    assert caught.value.message == "first line\nsecond line"


def test_a_bug_keeps_its_traceback():
    @cli.task
    def buggy(c):
        raise KeyError("bug")

    with pytest.raises(KeyError):
        buggy.body(None)


def test_every_task_goes_through_the_one_error_path():
    """From the command line: an unknown environment is one line on stderr, no traceback."""
    invoke = paths.ROOT / ".venv" / "bin" / "invoke"
    command = [str(invoke)] if invoke.exists() else [sys.executable, "-m", "invoke"]
    for task in ("deploy", "publish", "releases", "rollback", "prune"):
        result = subprocess.run(
            [*command, task, "--env", "nowhere"],
            cwd=paths.ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert result.returncode == 1, (task, result.stderr)
        assert "Traceback" not in result.stderr, (task, result.stderr)
        assert result.stderr.strip() == (
            "unknown environment 'nowhere'; choose one of local, staging, prod"
        ), task
