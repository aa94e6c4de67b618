"""A Powertools Tracer that costs nothing where tracing is off.

Powertools' Tracer builds the X-Ray SDK recorder even when disabled (outside Lambda, or with
POWERTOOLS_TRACE_DISABLED), and that recorder creates a botocore session at import: about a
third of a cold start. Where tracing is off, the Tracer gets a provider that does nothing.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import Any

from aws_lambda_powertools import Tracer
from aws_lambda_powertools.shared import constants
from aws_lambda_powertools.shared.functions import resolve_truthy_env_var_choice
from aws_lambda_powertools.tracing.base import BaseProvider


class _NoSegment:
    """Accepts whatever a Tracer records on a (sub)segment, and keeps nothing."""

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: None


class _NoTracing(BaseProvider):
    @contextlib.contextmanager
    def in_subsegment(self, name: str | None = None, **kwargs: Any) -> Iterator[Any]:
        yield _NoSegment()

    @contextlib.asynccontextmanager
    async def in_subsegment_async(
        self, name: str | None = None, **kwargs: Any
    ) -> AsyncIterator[Any]:
        yield _NoSegment()

    def put_annotation(self, key: str, value: Any) -> None:
        return None

    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None:
        return None

    def patch(self, modules: Sequence[str]) -> None:
        return None

    def patch_all(self) -> None:
        return None


def tracing_disabled(environ: Mapping[str, str] | None = None) -> bool:
    """Powertools' own rule, from its public settings: off when POWERTOOLS_TRACE_DISABLED says
    so, outside Lambda (no LAMBDA_TASK_ROOT), and under SAM or Chalice local, where no X-Ray
    daemon listens."""
    env = os.environ if environ is None else environ
    if resolve_truthy_env_var_choice(env=env.get(constants.TRACER_DISABLED_ENV, "false")):
        return True
    in_lambda = bool(env.get(constants.LAMBDA_TASK_ROOT_ENV))
    emulated = bool(env.get(constants.SAM_LOCAL_ENV) or env.get(constants.CHALICE_LOCAL_ENV))
    return not in_lambda or emulated


def make_tracer(service: str) -> Tracer:
    if tracing_disabled():
        return Tracer(service=service, disabled=True, auto_patch=False, provider=_NoTracing())
    return Tracer(service=service)
