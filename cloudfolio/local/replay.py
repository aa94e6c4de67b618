"""The fast path of `invoke up`: replay a recorded `terraform apply` into a fresh emulator.

The first start applies infra/envs/local with Terraform while moto's recorder logs every request
it receives. Later starts with the same inputs (the Terraform code, the API description, the
functions, the variables and the emulator version) send those requests again instead, which
takes a fraction of the time. The emulator's URL and the site's origin are kept as placeholders
and filled in at replay, so a stack on other ports replays the same recording. Seeding the
emulator's ID generator before both makes the replay create the same IDs: while it records,
the emulator handles one request at a time, so IDs are drawn in the order the recording keeps,
however many requests Terraform sends at once.

A recording keeps each function's code as the name of its zip, and a replay sends the zip as it
is now: Terraform would send the same requests with the new code, so a code change needs no new
apply. The repository carries a recording (RECORDED_APPLY), so the first start of a fresh clone,
and every test stack, replays too; `invoke record-local-apply` refreshes it after an
infra change, and a test fails while it is stale. tests/integration proves a replayed emulator
holds the same resources as an applied one.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import threading
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import moto

from cloudfolio import paths

ID_SEED = 1337
# Where the zips lie changes nothing that gets created.
IGNORED_VARIABLES = ("artifacts_dir",)
# Kept as {name} in a recording and its outputs, and filled in at replay: the emulator's URL
# (queue URLs name it) and the site's origin (the API's CORS and the functions' settings).
PLACEHOLDER_VARIABLES = ("aws_endpoint", "site_origin")
RECORDED_INPUTS = (paths.INFRA, paths.BACKEND / "openapi.json")
RECORDED_APPLY = paths.INFRA / "envs" / "local" / "recorded-apply"
SKIPPED_DIRS = {".terraform", RECORDED_APPLY.name}
# What Terraform reads; docs and state files do not change what gets created.
INPUT_SUFFIXES = {".tf", ".json", ".hcl", ".tftpl", ".js", ".py"}
CREATE_FUNCTION_PATH = "/2015-03-31/functions"
ARTIFACT_REFERENCE = "cloudfolio-artifact:"


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
    for file in _input_files():
        digest.update(f"{file.relative_to(paths.ROOT)}\n".encode())
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    # Which functions exist, not their code: a replay sends the code as it is now.
    digest.update(json.dumps(sorted(a.name for a in artifacts)).encode())
    ignored = (*IGNORED_VARIABLES, *PLACEHOLDER_VARIABLES)
    kept = {k: v for k, v in sorted(variables.items()) if k not in ignored}
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


def _is_create_function(entry: dict[str, Any]) -> bool:
    path = entry["url"].split("://", 1)[-1].split("/", 1)[-1].split("?", 1)[0]
    return entry["method"] == "POST" and f"/{path}" == CREATE_FUNCTION_PATH


def _rewrite(recording: bytes, rewrite: Callable[[dict[str, Any], str], str]) -> bytes:
    """The recording with each text body passed through rewrite(entry, body)."""
    lines = []
    for line in recording.splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        body = entry.get("body") or ""
        try:
            text = base64.b64decode(body).decode() if entry.get("body_encoded") else body
        except UnicodeDecodeError:
            text = None  # a binary body holds no JSON to rewrite
        if text is not None and (rewritten := rewrite(entry, text)) != text:
            data = rewritten.encode()
            entry["body"], entry["body_encoded"] = base64.b64encode(data).decode(), True
            entry["headers"]["Content-Length"] = str(len(data))
        lines.append(json.dumps(entry))
    return ("\n".join(lines) + "\n").encode()


def _with_zip(text: str, zip_file: Callable[[str, str], str]) -> str:
    body = json.loads(text)
    body["Code"]["ZipFile"] = zip_file(body["FunctionName"], body["Code"]["ZipFile"])
    return json.dumps(body)


def _generalized(text: str, variables: dict[str, Any]) -> str:
    for name in PLACEHOLDER_VARIABLES:
        text = text.replace(variables[name], f"{{{name}}}")
    return text


def _specialized(text: str, variables: dict[str, Any]) -> str:
    for name in PLACEHOLDER_VARIABLES:
        text = text.replace(f"{{{name}}}", variables[name])
    return text


def _stored(recording: bytes, artifacts: list[Path], variables: dict[str, Any]) -> bytes:
    """What is kept: zips by name, and the placeholder variables as {name}."""

    def reference(function_name: str, zip_base64: str) -> str:
        sent = base64.b64decode(zip_base64)
        same = [a for a in artifacts if a.read_bytes() == sent]
        # Functions may share identical zips; the one named like the function is its own.
        named = [a for a in same if function_name.endswith(f"-{a.stem}")]
        if not (named or same):
            raise ValueError(f"{function_name}: its code is none of the packaged zips")
        return f"{ARTIFACT_REFERENCE}{(named or same)[0].name}"

    def rewrite(entry: dict[str, Any], text: str) -> str:
        if _is_create_function(entry):
            text = _with_zip(text, reference)
        text = _generalized(text, variables)
        for name in PLACEHOLDER_VARIABLES:
            # A value the replay cannot fill in (say, URL-encoded in a form) must not be kept.
            if urllib.parse.quote(variables[name], safe="") in text:
                raise ValueError(f"a request carries {name} in a form a replay cannot fill in")
        return text

    return _rewrite(recording, rewrite)


def _replayable(stored: bytes, artifacts: list[Path], variables: dict[str, Any]) -> bytes:
    by_name = {a.name: a for a in artifacts}

    def code(_function_name: str, reference: str) -> str:
        artifact = by_name[reference.removeprefix(ARTIFACT_REFERENCE)]
        return base64.b64encode(artifact.read_bytes()).decode()

    def rewrite(entry: dict[str, Any], text: str) -> str:
        text = _specialized(text, variables)
        return _with_zip(text, code) if _is_create_function(entry) else text

    return _rewrite(stored, rewrite)


def _write_atomically(file: Path, data: bytes) -> None:
    tmp = file.with_suffix(".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, file)


def _find(key: str, places: list[Path]) -> tuple[Path, Path] | None:
    for place in places:
        recording, outputs = place / f"{key}.jsonl.gz", place / f"{key}.outputs.json"
        if recording.exists() and outputs.exists():
            return recording, outputs
    return None


def apply_or_replay(
    endpoint: str,
    variables: dict[str, Any],
    artifacts: list[Path],
    apply: Callable[[], dict[str, Any]],
    recordings: Path,
    search: tuple[Path, ...] = (RECORDED_APPLY,),
    replay: bool = True,
) -> tuple[dict[str, Any], bool]:
    """Return Terraform's outputs and whether they came from a replay.

    A recording is looked for in `recordings`, then in `search` (unless `replay` is False); a new
    one goes to `recordings`.
    """
    key = recording_key(variables, artifacts)
    _moto_api(endpoint, f"seed?a={ID_SEED}")
    found = _find(key, [recordings, *search]) if replay else None
    if found:
        recording, outputs_file = found
        stored = gzip.decompress(recording.read_bytes())
        _moto_api(endpoint, "recorder/upload-recording", _replayable(stored, artifacts, variables))
        _moto_api(endpoint, "recorder/replay-recording")
        return json.loads(_specialized(outputs_file.read_text(), variables)), True
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
    stored_outputs = _generalized(json.dumps(outputs, indent=1, sort_keys=True), variables)
    # Written outputs-last, each atomically: a half-written pair is never taken for a recording.
    stored = _stored(captured, artifacts, variables)
    _write_atomically(recordings / f"{key}.jsonl.gz", gzip.compress(stored, mtime=0))
    _write_atomically(recordings / f"{key}.outputs.json", (stored_outputs + "\n").encode())
    return outputs, False
