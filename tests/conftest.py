"""Fixtures shared by the integration and e2e suites: the local stack and the browser."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cloudfolio import paths
from cloudfolio.local.contract import StackInfo, stack_file
from cloudfolio.local.emulator import free_port

CHROMIUM = Path(os.environ.get("CLOUDFOLIO_CHROMIUM", "/usr/bin/chromium"))
# Chromium reaches for Google services at start-up unless told not to; there is no network here.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# A first start applies the Terraform (about a minute alone, several on a loaded machine).
STACK_START_TIMEOUT = 300


class RunningStack:
    """A `python -m cloudfolio.local` child process on free loopback ports."""

    def __init__(self, workdir: Path, content: Path = paths.CONTENT, watch: bool = False) -> None:
        self.workdir = workdir
        self.state_dir = workdir / "state"
        self.log_path = workdir / "stack.log"
        self.ports = {"site": free_port(), "api": free_port(), "aws": free_port()}
        command = [
            sys.executable, "-m", "cloudfolio.local",
            "--site-port", str(self.ports["site"]),
            "--api-port", str(self.ports["api"]),
            "--aws-port", str(self.ports["aws"]),
            "--output", str(workdir / "output"),
            "--content", str(content),
            "--state-dir", str(self.state_dir),
        ]  # fmt: skip
        if not watch:
            command.append("--no-watch")
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            command, cwd=paths.ROOT, stdout=self.log, stderr=subprocess.STDOUT
        )

    def wait(self) -> StackInfo:
        deadline = time.monotonic() + STACK_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"local stack exited early:\n{self.log_text()[-4000:]}")
            if stack_file(self.state_dir).exists():
                return StackInfo.read(self.state_dir)
            time.sleep(0.1)
        self.stop()
        pytest.fail(f"local stack not ready in {STACK_START_TIMEOUT}s:\n{self.log_text()[-4000:]}")

    def log_text(self) -> str:
        if not self.log.closed:
            self.log.flush()
        text = self.log_path.read_text(errors="replace")
        moto_log = self.state_dir / "moto.log"
        if moto_log.exists():
            text += moto_log.read_text(errors="replace")
        return text

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


@pytest.fixture(scope="session")
def running_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    stack = RunningStack(tmp_path_factory.mktemp("stack"))
    stack.info = stack.wait()
    yield stack
    stack.stop()


@pytest.fixture(scope="session")
def local_stack(running_stack: RunningStack) -> StackInfo:
    return running_stack.info


@pytest.fixture(scope="session")
def base_url(request: pytest.FixtureRequest) -> str:
    """`--base-url` when given (e.g. staging), else the local stack started for this session."""
    given = request.config.getoption("base_url", default=None)
    if given:
        return given.rstrip("/")
    return request.getfixturevalue("local_stack").site_url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (bootstrap.py test does)")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session", autouse=True)
def _verify_url() -> None:
    """pytest-base-url would resolve base_url for every session, starting the stack for unit runs.

    The browser tests open base_url themselves and fail clearly if it does not answer.
    """
