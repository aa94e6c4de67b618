"""Live reload for `invoke up`: an open page reloads itself after each rebuild.

The local static server adds one same-origin script to the HTML it serves (so the strict CSP
stays as it is: `script-src 'self'`). The script long-polls the server for the build generation
and reloads the page when it changes. Published builds never contain it: it exists only in the
local server's answers.
"""

from __future__ import annotations

import json
import threading

SCRIPT_PATH = "/__cloudfolio/livereload.js"
EVENTS_PATH = "/__cloudfolio/livereload"
# A poll is held open this long at most, then answered with the unchanged generation.
HOLD_SECONDS = 25.0
TAG = f'<script src="{SCRIPT_PATH}" defer></script>'.encode()

SCRIPT = f"""// cloudfolio live reload (local server only): reload this page after a rebuild.
(() => {{
  let known = null;
  let delay = 250;
  const poll = () => {{
    const url = "{EVENTS_PATH}" + (known === null ? "" : "?since=" + known);
    fetch(url, {{ cache: "no-store" }})
      .then((response) => response.json())
      .then((answer) => {{
        if (known !== null && answer.generation !== known) {{
          location.reload();
          return;
        }}
        known = answer.generation;
        delay = 250;
        poll();
      }})
      .catch(() => {{
        delay = Math.min(delay * 2, 5000);
        setTimeout(poll, delay);
      }});
  }};
  poll();
}})();
""".encode()


class BuildGeneration:
    """A counter of finished builds that pollers can wait on."""

    def __init__(self) -> None:
        self._value = 0
        self._changed = threading.Condition()

    @property
    def value(self) -> int:
        return self._value

    def bump(self) -> None:
        with self._changed:
            self._value += 1
            self._changed.notify_all()

    def wait_past(self, seen: int | None, timeout: float = HOLD_SECONDS) -> int:
        """The generation once it differs from `seen` (at once when `seen` is None)."""
        with self._changed:
            if seen is not None:
                self._changed.wait_for(lambda: self._value != seen, timeout=timeout)
            return self._value

    def answer(self, seen: int | None) -> bytes:
        return json.dumps({"generation": self.wait_past(seen)}).encode()


def inject(html: bytes) -> bytes:
    """The page with the reload script added at the end of its body."""
    at = html.rfind(b"</body>")
    return html + TAG if at < 0 else html[:at] + TAG + html[at:]
