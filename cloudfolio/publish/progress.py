"""Upload feedback: a redrawn bar on an interactive terminal, plain log lines otherwise."""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

BAR_WIDTH = 30
# In CI, log every upload for small publishes and about every 5 % for large ones.
LOG_EVERY_FILE_UP_TO = 50
LOG_STEPS = 20


def human_size(size: float) -> str:
    """1536 -> "1.5 KB": sizes as people read them, for progress lines and listings."""
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


class Progress:
    def __init__(self, stream: TextIO | None = None, interactive: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty() if interactive is None else interactive
        self._lock = threading.Lock()
        self.total_files = self.total_bytes = self.done_files = self.done_bytes = 0
        self._started = time.monotonic()

    def start(self, total_files: int, total_bytes: int) -> None:
        self.total_files, self.total_bytes = total_files, total_bytes
        self._started = time.monotonic()
        if not self.interactive and total_files:
            self._line(f"uploading {total_files} objects ({human_size(total_bytes)})")

    def advance(self, size: int, label: str) -> None:
        with self._lock:
            self.done_files += 1
            self.done_bytes += size
            if self.interactive:
                self._draw()
            elif self._should_log():
                self._line(f"uploaded {self.done_files}/{self.total_files} {label}")

    def finish(self) -> None:
        if self.interactive and self.total_files:
            self._draw()
            self.stream.write("\n")
            self.stream.flush()

    def _should_log(self) -> bool:
        if self.total_files <= LOG_EVERY_FILE_UP_TO or self.done_files == self.total_files:
            return True
        step = max(1, self.total_files // LOG_STEPS)
        return self.done_files % step == 0

    def _draw(self) -> None:
        fraction = self.done_bytes / self.total_bytes if self.total_bytes else 1.0
        filled = int(BAR_WIDTH * fraction)
        elapsed = max(time.monotonic() - self._started, 1e-6)
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] "
            f"{self.done_files}/{self.total_files} files "
            f"{human_size(self.done_bytes)}/{human_size(self.total_bytes)} "
            f"{human_size(self.done_bytes / elapsed)}/s"
        )
        self.stream.flush()

    def _line(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()


class SilentProgress(Progress):
    def __init__(self) -> None:
        super().__init__(stream=sys.stderr, interactive=False)

    def _line(self, text: str) -> None:
        pass
