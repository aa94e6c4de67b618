"""The AWS emulator (moto server) as a child process bound to loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cloudfolio.errors import CloudfolioError
from cloudfolio.local.contract import AWS_PORT, EMULATOR_ENV, HOST


class EmulatorError(CloudfolioError):
    """The emulator did not start or stopped answering."""


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """Nothing listens on the port."""
    with socket.socket() as sock:
        return sock.connect_ex((host, port)) != 0


def is_up(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/moto-api/data.json", timeout=0.5) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


class Emulator:
    def __init__(self, host: str = HOST, port: int = AWS_PORT, log: Path | None = None) -> None:
        self.host, self.port, self.log = host, port, log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> None:
        if is_up(self.url):
            raise EmulatorError(f"something already answers on {self.url}; pick another --aws-port")
        output = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115
        # The recorder (see replay.py) writes beside the log, not into the current directory.
        workdir = self.log.parent if self.log else Path(tempfile.gettempdir())
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cloudfolio.local.emulator_process",
                "-H",
                self.host,
                "-p",
                str(self.port),
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
            env={
                **os.environ,
                **EMULATOR_ENV,
                "MOTO_RECORDER_FILEPATH": str(workdir / f"moto-recording-{self.port}.jsonl"),
            },
        )

    def wait_ready(self, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process and self.process.poll() is not None:
                raise EmulatorError(f"moto server exited with code {self.process.returncode}")
            if is_up(self.url):
                return
            time.sleep(0.05)
        raise EmulatorError(f"moto server not ready on {self.url} after {timeout:.0f}s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def running_emulator(log: Path | None = None) -> Iterator[Emulator]:
    """A fresh emulator on a free loopback port, stopped on exit (tests and benchmarks)."""
    emulator = Emulator(port=free_port(), log=log)
    emulator.start()
    try:
        emulator.wait_ready()
        yield emulator
    finally:
        emulator.stop()
