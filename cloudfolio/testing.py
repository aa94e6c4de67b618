"""Running the test suite, where "no tests ran" counts as a failure."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence

from cloudfolio import paths

PYTEST_NO_TESTS_COLLECTED = 5


def run_suite(pytest_args: Sequence[str] = ()) -> int:
    """Run pytest over tests/ and return an exit code that is non-zero unless tests passed."""
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", *pytest_args], cwd=paths.ROOT, check=False
    )
    if completed.returncode == PYTEST_NO_TESTS_COLLECTED:
        print("no tests ran: that is a failure, not a pass", file=sys.stderr)
        return 1
    return completed.returncode
