"""The one error path of every task: a CloudfolioError becomes one sentence and exit code 1.

`tasks.py` declares its tasks with this module's `task`, so no task can forget it. Anything else
is a bug and keeps its traceback. Long messages (Terraform's, above all) are cut to their first
line unless the task was run with `--verbose`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from invoke import Exit
from invoke import task as invoke_task

from cloudfolio.errors import CloudfolioError

VERBOSE_HINT = "(run again with --verbose for the full text)"


def one_sentence(error: CloudfolioError, *, verbose: bool = False) -> str:
    text = str(error).strip() or type(error).__name__
    lines = text.splitlines()
    if verbose or len(lines) == 1:
        return text
    return f"{lines[0].rstrip(':')} {VERBOSE_HINT}"


def _one_error_path(body: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(body)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return body(*args, **kwargs)
        except CloudfolioError as error:
            raise Exit(one_sentence(error, verbose=bool(kwargs.get("verbose"))), code=1) from None

    return run


def task(*args: Any, **kwargs: Any) -> Any:
    """invoke's `@task` (bare or with options), wrapped in the one error path."""
    if len(args) == 1 and callable(args[0]) and not kwargs:
        return invoke_task(_one_error_path(args[0]))
    return lambda body: invoke_task(*args, **kwargs)(_one_error_path(body))
