"""The fast path of `invoke up`: replay a recorded `terraform apply` into a fresh emulator.

The first start applies infra/envs/local with Terraform while moto's recorder logs every request
it receives. Later starts with the same inputs (the Terraform code, the API description, the
Lambda zips, the variables and the emulator version) send those requests again instead, which
takes a fraction of the time. Seeding the emulator's ID generator before both makes the replay
create the same IDs: while it records, the emulator handles one request at a time, so IDs are
drawn in the order the recording keeps, however many requests Terraform sends at once.
tests/infra proves a replayed emulator holds the same resources as an applied one.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import moto

from cloudfolio import paths

ID_SEED = 1337
# The endpoint only says where the emulator listens; it does not change what gets created.
IGNORED_VARIABLES = ("aws_endpoint",)
RECORDED_INPUTS = (paths.INFRA, paths.BACKEND / "openapi.json")
SKIPPED_DIRS = {".terraform"}
# What Terraform reads; docs and state files do not change what gets created.
INPUT_SUFFIXES = {".tf", ".json", ".hcl", ".tftpl", ".js", ".py"}


def _input_files() -> list[Path]:
    files: list[Path] = []
    for source in RECORDED_INPUTS:
        candidates = [source] if source.is_file() else sorted(source.rglob("*"))
        files += [
            f
            for f in candidates
            if f.is_file() and not SKIPPED_DIRS.intersection(f.parts) and f.suffix in INPUT_SUFFIXES
        ]
    return files


def recording_key(variables: dict[str, Any], artifacts: list[Path]) -> str:
    digest = hashlib.sha256(f"moto {moto.__version__}\n".encode())
    for file in [*_input_files(), *sorted(artifacts)]:
        name = file.relative_to(paths.ROOT) if file.is_relative_to(paths.ROOT) else file.name
        digest.update(f"{name}\n".encode())
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    kept = {k: v for k, v in sorted(variables.items()) if k not in IGNORED_VARIABLES}
    digest.update(json.dumps(kept, sort_keys=True).encode())
    return digest.hexdigest()[:24]


RECORDER_API = "/moto-api/recorder/"


class OrderedWhileRecording:
    """WSGI wrapper of moto's app: between start- and stop-recording, one request at a time.

    moto records a request when it starts handling it; with concurrent handling, a later
    recorded request can draw an ID first, and the replay would then hand out different IDs.
    """

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app
        self.recording = False
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        if path == f"{RECORDER_API}start-recording":
            self.recording = True
        if not self.recording:
            return self.app(environ, start_response)
        with self.lock:
            if path == f"{RECORDER_API}stop-recording":
                self.recording = False
            # The body is produced inside the lock: moto may build it lazily.
            return list(self.app(environ, start_response))


def record_in_processing_order() -> None:
    """In the emulator's process, before moto's server starts: wrap its app."""
    import moto.server

    dispatcher = moto.server.DomainDispatcherApplication

    class OrderedDispatcher(dispatcher):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.ordered = OrderedWhileRecording(super().__call__)

        def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
            return self.ordered(environ, start_response)

    moto.server.DomainDispatcherApplication = OrderedDispatcher


def _moto_api(endpoint: str, action: str, data: bytes | None = None) -> bytes:
    request = urllib.request.Request(
        f"{endpoint}/moto-api/{action}",
        data=data,
        method="POST",
        # Without a content type the body is parsed as a form and the upload arrives empty.
        headers={"Content-Type": "application/octet-stream"},
    )
    with urllib.request.urlopen(request, timeout=300) as response:
        return response.read()


def apply_or_replay(
    endpoint: str,
    variables: dict[str, Any],
    artifacts: list[Path],
    apply: Callable[[], dict[str, Any]],
    recordings: Path,
) -> tuple[dict[str, Any], bool]:
    """Return Terraform's outputs and whether they came from a replay."""
    key = recording_key(variables, artifacts)
    recording, outputs_file = recordings / f"{key}.jsonl", recordings / f"{key}.outputs.json"
    _moto_api(endpoint, f"seed?a={ID_SEED}")
    if recording.exists() and outputs_file.exists():
        _moto_api(endpoint, "recorder/upload-recording", recording.read_bytes())
        _moto_api(endpoint, "recorder/replay-recording")
        return json.loads(outputs_file.read_text()), True
    _moto_api(endpoint, "recorder/reset-recording")
    _moto_api(endpoint, "recorder/start-recording")
    try:
        outputs = apply()
    finally:
        _moto_api(endpoint, "recorder/stop-recording")
    captured = _moto_api(endpoint, "recorder/download-recording")
    recordings.mkdir(parents=True, exist_ok=True)
    for stale in recordings.glob("*"):
        stale.unlink()  # only the newest inputs are worth keeping
    # Written outputs-last, each atomically: a half-written pair is never taken for a recording.
    for file, data in ((recording, captured), (outputs_file, json.dumps(outputs).encode())):
        tmp = file.with_suffix(".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, file)
    return outputs, False
