"""The environment variables the functions read, declared once.

Terraform sets exactly these (a contract test parses infra/ and checks), and the local gateway
copies them from the Terraform outputs, so handlers never branch on "local".
"""

from __future__ import annotations

import os
from dataclasses import dataclass

# Names of the variables, the single source for code, Terraform contract tests and docs.
TABLE_NAME = "TABLE_NAME"
CORS_ALLOWED_ORIGINS = "CORS_ALLOWED_ORIGINS"
SITE_ID = "SITE_ID"

ENV_VARS: tuple[str, ...] = (TABLE_NAME, CORS_ALLOWED_ORIGINS, SITE_ID)


class SettingsError(RuntimeError):
    """A required environment variable is missing or empty."""


@dataclass(frozen=True)
class Settings:
    table_name: str
    cors_allowed_origins: tuple[str, ...]
    site_id: str

    @classmethod
    def from_env(cls, environ: os._Environ[str] | dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        missing = [name for name in (TABLE_NAME, SITE_ID) if not env.get(name)]
        if missing:
            raise SettingsError(f"missing environment variable(s): {', '.join(missing)}")
        return cls(
            table_name=env[TABLE_NAME],
            cors_allowed_origins=allowed_origins_from_env(env),
            site_id=env[SITE_ID],
        )


def allowed_origins_from_env(
    environ: os._Environ[str] | dict[str, str] | None = None,
) -> tuple[str, ...]:
    """The CORS origins alone: resolvers need them when their module loads, before any request
    (and so before the table settings are required)."""
    env = os.environ if environ is None else environ
    return tuple(
        origin.strip().rstrip("/")
        for origin in env.get(CORS_ALLOWED_ORIGINS, "").split(",")
        if origin.strip()
    )
