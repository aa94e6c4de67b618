"""The provider chosen by configuration: `provider_from_env()`.

Settings name secrets, never hold them: tokens are read from Secrets Manager through Powertools
Parameters (cached for SECRET_MAX_AGE_S, so a rotation lands within minutes) when a call needs
them, and every value read is registered with the masking, so it cannot surface in a log.
Provider modules are imported only when chosen: a cold start pays for one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from common import settings

from demo.masking import register_known_secret
from demo.providers.base import PipelineProvider, ProviderError

SECRET_MAX_AGE_S = 300
DEFAULT_PROVIDER = "local"
PROVIDERS = ("local", "gitlab", "github", "command")

SecretGetter = Callable[[str], str]


def powertools_secret(name: str) -> str:
    from aws_lambda_powertools.utilities import parameters

    value = parameters.get_secret(name, max_age=SECRET_MAX_AGE_S)
    return value if isinstance(value, str) else value.decode()


def secret_source(name: str, get_secret: SecretGetter = powertools_secret) -> Callable[[], str]:
    """A callable that returns the secret's current value, registered with the masking."""

    def read() -> str:
        try:
            value = get_secret(name)
        except Exception as error:  # any failure of the store reads the same to the caller
            raise ProviderError(
                "secret_unavailable",
                f"The secret {name!r} could not be read ({type(error).__name__}).",
                retryable=True,
            ) from error
        if not value:
            raise ProviderError("secret_unavailable", f"The secret {name!r} is empty.")
        register_known_secret(value)
        return value

    return read


def _required(env: Mapping[str, str], *names: str) -> list[str]:
    missing = [name for name in names if not env.get(name)]
    if missing:
        raise ProviderError(
            "misconfigured",
            f"The {env.get(settings.DEMO_PROVIDER) or DEFAULT_PROVIDER} provider needs "
            f"{', '.join(missing)}.",
        )
    return [env[name] for name in names]


def state_dir(env: Mapping[str, str], default: Path) -> Path:
    configured = env.get(settings.DEMO_STATE_DIR)
    return Path(configured) if configured else default


def provider_from_env(
    environ: Mapping[str, str] | None = None, *, get_secret: SecretGetter = powertools_secret
) -> PipelineProvider:
    env = os.environ if environ is None else environ
    choice = (env.get(settings.DEMO_PROVIDER) or DEFAULT_PROVIDER).strip().lower()
    if choice == "local":
        from demo.providers.local import LOCAL_STATE_DIR, LocalProvider

        (endpoint,) = _required(env, settings.AWS_ENDPOINT_URL)
        return LocalProvider(state_dir(env, LOCAL_STATE_DIR), endpoint)
    if choice == "gitlab":
        from demo.providers.gitlab import GitLabProvider

        project, trigger, read = _required(
            env,
            settings.DEMO_GITLAB_PROJECT,
            settings.DEMO_GITLAB_TRIGGER_TOKEN_SECRET,
            settings.DEMO_GITLAB_READ_TOKEN_SECRET,
        )
        cancel = env.get(settings.DEMO_GITLAB_CANCEL_TOKEN_SECRET)
        return GitLabProvider(
            project,
            trigger_token=secret_source(trigger, get_secret),
            read_token=secret_source(read, get_secret),
            cancel_token=secret_source(cancel, get_secret) if cancel else None,
            ref=env.get(settings.DEMO_GITLAB_REF) or "main",
            base_url=env.get(settings.DEMO_GITLAB_URL) or "https://gitlab.com",
        )
    if choice == "github":
        from demo.providers.github import GitHubActionsProvider

        repository, workflow, token = _required(
            env,
            settings.DEMO_GITHUB_REPOSITORY,
            settings.DEMO_GITHUB_WORKFLOW,
            settings.DEMO_GITHUB_TOKEN_SECRET,
        )
        return GitHubActionsProvider(
            repository,
            workflow,
            token=secret_source(token, get_secret),
            ref=env.get(settings.DEMO_GITHUB_REF) or "main",
            api_url=env.get(settings.DEMO_GITHUB_API_URL) or "https://api.github.com",
        )
    if choice == "command":
        from demo.providers.command import CommandProvider

        deploy, destroy = _required(
            env, settings.DEMO_COMMAND_DEPLOY, settings.DEMO_COMMAND_DESTROY
        )
        return CommandProvider(
            state_dir(env, Path(tempfile.gettempdir()) / "cloudfolio-demo-command"),
            {"deploy": deploy, "destroy": destroy},
            cwd=env.get(settings.DEMO_COMMAND_CWD) or None,
            environment_url=env.get(settings.DEMO_COMMAND_ENVIRONMENT_URL) or None,
        )
    raise ProviderError(
        "misconfigured",
        f"{settings.DEMO_PROVIDER}={choice!r} is not a provider (one of: {', '.join(PROVIDERS)}).",
    )
