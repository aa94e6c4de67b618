"""Upload feedback: a redrawn bar on a terminal, plain lines in CI."""

from __future__ import annotations

import io

from cloudfolio.publish.progress import LOG_EVERY_FILE_UP_TO, Progress


def run(progress: Progress, files: int) -> str:
    progress.start(files, files * 1000)
    for number in range(files):
        progress.advance(1000, f"posts/p{number}/index.html")
    progress.finish()
    return progress.stream.getvalue()


def test_a_terminal_gets_one_bar_redrawn_in_place():
    out = run(Progress(io.StringIO(), interactive=True), 4)
    frames = out.split("\r")[1:]
    assert len(frames) == 5  # one per upload, and the final one
    assert frames[0].startswith("[" + "#" * 7 + "." * 23 + "] 1/4 files")
    assert frames[-1].startswith("[" + "#" * 30 + "] 4/4 files 3.9 KB/3.9 KB")
    assert out.endswith("\n") and out.count("\n") == 1


def test_ci_gets_plain_lines_for_every_small_upload():
    lines = run(Progress(io.StringIO(), interactive=False), 3).splitlines()
    assert lines[0] == "uploading 3 objects (2.9 KB)"
    assert lines[1:] == [f"uploaded {n + 1}/3 posts/p{n}/index.html" for n in range(3)]
    assert "\r" not in "".join(lines)


def test_ci_logs_large_uploads_in_steps_not_per_file():
    files = LOG_EVERY_FILE_UP_TO * 20
    lines = run(Progress(io.StringIO(), interactive=False), files).splitlines()
    assert len(lines) == 1 + 20
    assert lines[-1].startswith(f"uploaded {files}/{files} ")
