"""Which user agents are robots: they see the numbers but are never counted."""

from __future__ import annotations

from functools import cache

from crawlerdetect import CrawlerDetect


@cache
def _detector() -> CrawlerDetect:
    return CrawlerDetect()


def is_bot(user_agent: str) -> bool:
    # Browsers always send a User-Agent; scripts that strip it are not readers.
    if not user_agent.strip():
        return True
    return bool(_detector().is_crawler(user_agent))
