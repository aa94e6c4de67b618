"""Runs one on-machine pipeline: `python -m demo.providers.runner PIPELINE_DIR`.

Jobs run in order, each one's stdout and stderr streamed into its log file as they come. The first
failure skips the jobs after it. SIGTERM (a cancel) stops the current command and records the
pipeline as canceled.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from demo.providers.base import Status
from demo.providers.process import PIPELINE_FILE, now_iso, write_json_atomic


class Canceled(Exception):
    pass


def _raise_canceled(signum: int, frame: Any) -> None:
    raise Canceled


def run(directory: Path) -> int:
    path = directory / PIPELINE_FILE
    record = json.loads(path.read_text())

    def save() -> None:
        write_json_atomic(path, record)

    signal.signal(signal.SIGTERM, _raise_canceled)
    record.update(status=Status.RUNNING.value, started_at=now_iso())
    save()
    outcome = Status.SUCCESS
    child: subprocess.Popen[bytes] | None = None
    try:
        for job in record["jobs"]:
            if outcome is not Status.SUCCESS:
                job["status"] = Status.SKIPPED.value
                continue
            job.update(status=Status.RUNNING.value, started_at=now_iso())
            save()
            with open(directory / f"job-{job['id']}.log", "ab", buffering=0) as log:
                log.write(f"$ {' '.join(job['argv'])}\n".encode())
                try:
                    child = subprocess.Popen(
                        job["argv"],
                        cwd=job["cwd"],
                        env={**os.environ, **job["env"]},
                        stdin=subprocess.DEVNULL,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                    code = child.wait()
                except OSError as error:
                    log.write(f"cannot run {job['argv'][0]}: {error}\n".encode())
                    code = 127
                child = None
                log.write(f"exit code {code}\n".encode())
            job.update(exit_code=code, finished_at=now_iso())
            job["status"] = (Status.SUCCESS if code == 0 else Status.FAILED).value
            if code != 0:
                outcome = Status.FAILED
            save()
    except Canceled:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if child is not None and child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        outcome = Status.CANCELED
        for job in record["jobs"]:
            if not Status(job["status"]).is_finished:
                job["status"] = Status.CANCELED.value
                job["finished_at"] = job["finished_at"] or now_iso()
    record.update(status=outcome.value, finished_at=now_iso())
    save()
    return 0 if outcome is Status.SUCCESS else 1


if __name__ == "__main__":
    sys.exit(run(Path(sys.argv[1])))
