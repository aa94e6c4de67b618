"""Job logs as the widget shows them: masked, without terminal escapes or CI markers, bounded."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from demo.providers.base import JobLog

MAX_LOG_BYTES = 64 * 1024
# CSI and OSC sequences, and the bare ESC+char forms terminals also accept.
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
# GitLab: "section_start:1700000000:name[collapsed=true]\r" (the ANSI clear follows, removed above).
_GITLAB_SECTION = re.compile(r"section_(?:start|end):\d+:[A-Za-z0-9_.\-]+(?:\[[^\]\r\n]*\])?\r?")
# GitHub Actions workflow commands that only fold the log view.
_GITHUB_GROUP = re.compile(r"^##\[(?:group|endgroup)\]", re.MULTILINE)
_TIMESTAMP_CR = re.compile(r"\r(?!\n)")


def _default_mask(text: str) -> str:
    from demo.masking import mask_secrets

    return mask_secrets(text)


def strip_markup(text: str) -> str:
    text = _ANSI.sub("", text)
    text = _GITLAB_SECTION.sub("", text)
    text = _GITHUB_GROUP.sub("", text)
    # A bare carriage return redraws a terminal line; in a text view it only splits lines oddly.
    return _TIMESTAMP_CR.sub("\n", text)


def tail(text: str, limit: int = MAX_LOG_BYTES) -> tuple[str, bool]:
    """The last `limit` bytes, starting at a line boundary; True when anything was cut."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text, False
    cut = data[-limit:]
    newline = cut.find(b"\n")
    if 0 <= newline < len(cut) - 1:
        cut = cut[newline + 1 :]
    return cut.decode("utf-8", errors="ignore"), True


def present(
    logs: Iterable[JobLog], mask: Callable[[str], str] | None = None
) -> list[dict[str, Any]]:
    """One entry per job, in job order (newest last). Masking runs on the whole text before it
    is cut, so a secret is never split into a half that no rule recognises."""
    mask = mask or _default_mask
    entries = []
    for log in logs:
        text, truncated = tail(mask(strip_markup(log.text)))
        entries.append(
            {"job_id": log.job_id, "name": log.name, "text": text, "truncated": truncated}
        )
    return entries
