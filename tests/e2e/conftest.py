"""Browser tests run against --base-url: the local stack by default, staging by URL."""

import pytest

# Headless Chromium announces itself as "HeadlessChrome", which bot filters rightly drop;
# the tests play a reader on an ordinary desktop browser.
READER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36 cf-e2e"
)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "user_agent": READER_UA}
