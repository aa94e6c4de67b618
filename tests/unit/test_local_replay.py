"""Recordings of the local apply: code kept by zip name, the repository's copy current."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path

import pytest

from cloudfolio import packaging, paths
from cloudfolio.local import contract, replay
from cloudfolio.local.stack import StackConfig

VARIABLES = contract.terraform_variables("http://127.0.0.1:8002", "http://127.0.0.1:8000")


def create_function_line(function_name: str, code: bytes, port: int = 8002) -> bytes:
    body = json.dumps({"FunctionName": function_name, "Code": {"ZipFile": code_b64(code)}})
    entry = {
        "headers": {"Content-Length": str(len(body)), "Content-Type": "application/json"},
        "method": "POST",
        "url": f"http://127.0.0.1:{port}/2015-03-31/functions",
        "body": base64.b64encode(body.encode()).decode(),
        "body_encoded": True,
    }
    return json.dumps(entry).encode()


def code_b64(code: bytes) -> str:
    return base64.b64encode(code).decode()


def sent_code(recording: bytes) -> list[tuple[str, str, int]]:
    """(function, ZipFile, Content-Length) of each CreateFunction in a recording."""
    sent = []
    for line in recording.splitlines():
        entry = json.loads(line)
        body = json.loads(base64.b64decode(entry["body"]))
        length = int(entry["headers"]["Content-Length"])
        assert length == len(base64.b64decode(entry["body"]))
        sent.append((body["FunctionName"], body["Code"]["ZipFile"], length))
    return sent


def test_a_stored_recording_names_each_zip_and_a_replay_sends_the_zip_as_it_is_now(
    tmp_path: Path,
) -> None:
    shared = b"PK the demo functions share one zip"
    zips = {"counter.zip": b"PK counter v1", "demo_status.zip": shared, "demo_trigger.zip": shared}
    for name, data in zips.items():
        (tmp_path / name).write_bytes(data)
    artifacts = sorted(tmp_path.glob("*.zip"))
    other = b'{"headers": {}, "method": "GET", "url": "http://127.0.0.1:8002/x", "body": ""}'
    recording = b"\n".join(
        [
            create_function_line("cloudfolio-local-counter", zips["counter.zip"]),
            other,
            create_function_line("cloudfolio-local-demo_trigger", shared),
        ]
    )

    stored = replay._stored(recording, artifacts, VARIABLES)
    lines = stored.splitlines()
    assert [code for _, code, _ in sent_code(b"\n".join([lines[0], lines[2]]))] == [
        "cloudfolio-artifact:counter.zip",
        "cloudfolio-artifact:demo_trigger.zip",
    ]
    assert json.loads(lines[1]) == json.loads(other)

    (tmp_path / "counter.zip").write_bytes(b"PK counter v2, a longer zip than before")
    replayed = replay._replayable(stored, artifacts, VARIABLES)
    replayed_lines = replayed.splitlines()
    assert sent_code(b"\n".join([replayed_lines[0], replayed_lines[2]]))[0][1] == code_b64(
        b"PK counter v2, a longer zip than before"
    )
    assert sent_code(replayed_lines[2])[0][1] == code_b64(shared)


def test_code_that_is_no_packaged_zip_cannot_be_stored(tmp_path: Path) -> None:
    (tmp_path / "counter.zip").write_bytes(b"PK counter")
    line = create_function_line("cloudfolio-local-counter", b"PK something else")
    try:
        replay._stored(line, [tmp_path / "counter.zip"], VARIABLES)
    except ValueError as error:
        assert "cloudfolio-local-counter" in str(error)
    else:
        raise AssertionError("a recording with unknown code was stored")


def test_the_key_ignores_ports_and_where_the_zips_lie_but_not_which_functions_exist() -> None:
    artifacts = [paths.LAMBDA_ARTIFACTS / name for name in packaging.artifact_names()]
    moved = [Path("/elsewhere") / name for name in packaging.artifact_names()]
    one = contract.terraform_variables("http://127.0.0.1:8002", "http://127.0.0.1:8000")
    two = contract.terraform_variables("http://127.0.0.1:9999", "http://127.0.0.1:8010", Path("/x"))
    assert replay.recording_key(one, artifacts) == replay.recording_key(two, moved)
    fewer = artifacts[1:]
    assert replay.recording_key(one, fewer) != replay.recording_key(one, artifacts)


def test_the_site_origin_and_the_endpoint_are_filled_in_at_replay(tmp_path: Path) -> None:
    (tmp_path / "counter.zip").write_bytes(b"PK counter")
    body = json.dumps(
        {"CorsConfiguration": {"AllowOrigins": ["http://127.0.0.1:8000"]},
         "QueueUrl": "http://127.0.0.1:8002/123456789012/q"}
    )  # fmt: skip
    entry = {
        "headers": {"Content-Length": str(len(body))},
        "method": "POST",
        "url": "http://127.0.0.1:8002/v2/apis",
        "body": body,
        "body_encoded": False,
    }
    stored = replay._stored(json.dumps(entry).encode(), [tmp_path / "counter.zip"], VARIABLES)
    elsewhere = contract.terraform_variables("http://127.0.0.1:41000", "http://127.0.0.1:41001")
    replayed = json.loads(replay._replayable(stored, [tmp_path / "counter.zip"], elsewhere))
    sent = base64.b64decode(replayed["body"])
    assert json.loads(sent) == {
        "CorsConfiguration": {"AllowOrigins": ["http://127.0.0.1:41001"]},
        "QueueUrl": "http://127.0.0.1:41000/123456789012/q",
    }
    assert int(replayed["headers"]["Content-Length"]) == len(sent)


def test_an_origin_the_replay_could_not_fill_in_is_refused(tmp_path: Path) -> None:
    body = "Action=SetAttributes&Origin=http%3A%2F%2F127.0.0.1%3A8000"
    entry = {"headers": {}, "method": "POST", "url": "http://127.0.0.1:8002/", "body": body}
    with pytest.raises(ValueError, match="site_origin"):
        replay._stored(json.dumps(entry).encode(), [], VARIABLES)


def test_the_repository_carries_the_recording_of_a_default_invoke_up() -> None:
    """A fresh clone's first `invoke up` replays: infra changes need `invoke record-local-apply`."""
    config = StackConfig()
    variables = contract.terraform_variables(contract.url(config.aws_port), config.site_url)
    artifacts = [paths.LAMBDA_ARTIFACTS / name for name in packaging.artifact_names()]
    key = replay.recording_key(variables, artifacts)
    files = sorted(p.name for p in replay.RECORDED_APPLY.iterdir())
    assert files == [f"{key}.jsonl.gz", f"{key}.outputs.json"], (
        "the recorded local apply is stale: run `invoke record-local-apply` and commit it"
    )
    recording = gzip.decompress((replay.RECORDED_APPLY / f"{key}.jsonl.gz").read_bytes())
    creates = [
        line for line in recording.splitlines() if replay._is_create_function(json.loads(line))
    ]
    codes = {code for _, code, _ in sent_code(b"\n".join(creates))}
    assert codes == {f"cloudfolio-artifact:{f}.zip" for f in packaging.function_names()}
    assert len(recording) < 2_000_000  # code is kept by name, not by its megabytes
