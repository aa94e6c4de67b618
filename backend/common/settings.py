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
# Secrets Manager id of CloudFront's origin secret; empty where no CloudFront is in front.
ORIGIN_SECRET_ID = "ORIGIN_SECRET_ID"
# The resume function only: the private bucket and key of the published PDF.
RESUME_BUCKET = "RESUME_BUCKET"
RESUME_KEY = "RESUME_KEY"
# The analytics bus of the visit events; unset or empty sends none.
EVENT_BUS_NAME = "EVENT_BUS_NAME"
# Salts and visitor markers: the table without backups, where TTL and the purge job delete them.
EPHEMERAL_TABLE_NAME = "EPHEMERAL_TABLE_NAME"
# The site bucket, whose live release says which pages exist (and so which paths count).
SITE_BUCKET = "SITE_BUCKET"
# Views of one page one visitor may add per UTC day; more are answered but not counted.
DAILY_PAGE_VIEW_LIMIT = "DAILY_PAGE_VIEW_LIMIT"

ENV_VARS: tuple[str, ...] = (
    TABLE_NAME,
    CORS_ALLOWED_ORIGINS,
    SITE_ID,
    ORIGIN_SECRET_ID,
    EVENT_BUS_NAME,
    EPHEMERAL_TABLE_NAME,
    SITE_BUCKET,
    DAILY_PAGE_VIEW_LIMIT,
)
DEFAULT_DAILY_PAGE_VIEW_LIMIT = 10


class SettingsError(RuntimeError):
    """A required environment variable is missing or empty."""


@dataclass(frozen=True)
class Settings:
    table_name: str
    cors_allowed_origins: tuple[str, ...]
    site_id: str
    event_bus_name: str | None = None
    # Only the counter needs these; it checks them with require().
    ephemeral_table_name: str | None = None
    site_bucket: str | None = None
    daily_page_view_limit: int = DEFAULT_DAILY_PAGE_VIEW_LIMIT

    @classmethod
    def from_env(cls, environ: os._Environ[str] | dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        missing = [name for name in (TABLE_NAME, SITE_ID) if not env.get(name)]
        if missing:
            raise SettingsError(f"missing environment variable(s): {', '.join(missing)}")
        limit = env.get(DAILY_PAGE_VIEW_LIMIT) or str(DEFAULT_DAILY_PAGE_VIEW_LIMIT)
        if not limit.isdigit() or int(limit) < 1:
            raise SettingsError(f"{DAILY_PAGE_VIEW_LIMIT} must be a whole number of at least 1")
        return cls(
            table_name=env[TABLE_NAME],
            cors_allowed_origins=allowed_origins_from_env(env),
            site_id=env[SITE_ID],
            event_bus_name=env.get(EVENT_BUS_NAME) or None,
            ephemeral_table_name=env.get(EPHEMERAL_TABLE_NAME) or None,
            site_bucket=env.get(SITE_BUCKET) or None,
            daily_page_view_limit=int(limit),
        )

    def require(self, *names: str) -> None:
        """Fail clearly when a function that needs optional settings runs without them."""
        missing = [name for name in names if not getattr(self, name.lower())]
        if missing:
            raise SettingsError(f"missing environment variable(s): {', '.join(missing)}")


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


# The demo's pipeline provider and human check (read by demo.providers.factory and
# demo.turnstile). Secrets are given by their Secrets Manager NAME; values never sit in env vars.
DEMO_PROVIDER = "DEMO_PROVIDER"  # local (default) | gitlab | github | command
DEMO_STATE_DIR = "DEMO_STATE_DIR"  # local and command providers: where pipelines are kept
AWS_ENDPOINT_URL = "AWS_ENDPOINT_URL"  # local provider: the emulator the demo stack goes to
DEMO_GITLAB_URL = "DEMO_GITLAB_URL"
DEMO_GITLAB_PROJECT = "DEMO_GITLAB_PROJECT"
DEMO_GITLAB_REF = "DEMO_GITLAB_REF"
DEMO_GITLAB_TRIGGER_TOKEN_SECRET = "DEMO_GITLAB_TRIGGER_TOKEN_SECRET"
DEMO_GITLAB_READ_TOKEN_SECRET = "DEMO_GITLAB_READ_TOKEN_SECRET"
DEMO_GITLAB_CANCEL_TOKEN_SECRET = "DEMO_GITLAB_CANCEL_TOKEN_SECRET"  # optional, api scope
DEMO_GITHUB_API_URL = "DEMO_GITHUB_API_URL"
DEMO_GITHUB_REPOSITORY = "DEMO_GITHUB_REPOSITORY"
DEMO_GITHUB_WORKFLOW = "DEMO_GITHUB_WORKFLOW"
DEMO_GITHUB_REF = "DEMO_GITHUB_REF"
DEMO_GITHUB_TOKEN_SECRET = "DEMO_GITHUB_TOKEN_SECRET"
DEMO_COMMAND_DEPLOY = "DEMO_COMMAND_DEPLOY"
DEMO_COMMAND_DESTROY = "DEMO_COMMAND_DESTROY"
DEMO_COMMAND_CWD = "DEMO_COMMAND_CWD"
DEMO_COMMAND_ENVIRONMENT_URL = "DEMO_COMMAND_ENVIRONMENT_URL"
DEMO_TURNSTILE_SECRET = "DEMO_TURNSTILE_SECRET"  # unset: the human check is off
DEMO_TURNSTILE_VERIFY_URL = "DEMO_TURNSTILE_VERIFY_URL"

DEMO_PROVIDER_ENV_VARS: tuple[str, ...] = (
    DEMO_PROVIDER,
    DEMO_STATE_DIR,
    DEMO_GITLAB_URL,
    DEMO_GITLAB_PROJECT,
    DEMO_GITLAB_REF,
    DEMO_GITLAB_TRIGGER_TOKEN_SECRET,
    DEMO_GITLAB_READ_TOKEN_SECRET,
    DEMO_GITLAB_CANCEL_TOKEN_SECRET,
    DEMO_GITHUB_API_URL,
    DEMO_GITHUB_REPOSITORY,
    DEMO_GITHUB_WORKFLOW,
    DEMO_GITHUB_REF,
    DEMO_GITHUB_TOKEN_SECRET,
    DEMO_COMMAND_DEPLOY,
    DEMO_COMMAND_DESTROY,
    DEMO_COMMAND_CWD,
    DEMO_COMMAND_ENVIRONMENT_URL,
    DEMO_TURNSTILE_SECRET,
    DEMO_TURNSTILE_VERIFY_URL,
)
