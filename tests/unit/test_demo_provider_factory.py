"""The provider chosen by settings, with tokens read by secret name and masked from then on."""

from __future__ import annotations

import subprocess
import sys

import boto3
import pytest
from common import settings
from demo import masking
from demo.providers.base import ProviderError
from demo.providers.command import CommandProvider
from demo.providers.factory import powertools_secret, provider_from_env, secret_source
from demo.providers.github import GitHubActionsProvider
from demo.providers.gitlab import GitLabProvider
from demo.providers.local import LocalProvider
from demo.providers.process import BACKEND_DIR
from moto import mock_aws

SECRETS = {
    "cloudfolio/demo/gitlab-trigger": "glptt-" + "0f" * 20,
    "cloudfolio/demo/gitlab-read": "plain-read-token-value-1",
    "cloudfolio/demo/github": "plain-github-token-value-2",
}


@pytest.fixture(autouse=True)
def clean_masking():
    masking.forget_known_secrets()
    yield
    masking.forget_known_secrets()


def fake_store(reads: list[str]):
    def get(name: str) -> str:
        reads.append(name)
        return SECRETS[name]

    return get


def test_local_is_the_default_and_needs_the_emulator(tmp_path):
    provider = provider_from_env(
        {settings.AWS_ENDPOINT_URL: "http://127.0.0.1:8002", settings.DEMO_STATE_DIR: str(tmp_path)}
    )
    assert isinstance(provider, LocalProvider) and provider.name == "local"
    assert provider.environment_url("dep-1") == (
        "http://127.0.0.1:8002/cloudfolio-demo-dep-1/index.html"
    )
    with pytest.raises(ProviderError) as caught:
        provider_from_env({})
    assert caught.value.code == "misconfigured" and "AWS_ENDPOINT_URL" in caught.value.message


def test_gitlab_reads_its_tokens_by_name_only_when_a_call_needs_them():
    reads: list[str] = []
    env = {
        settings.DEMO_PROVIDER: "gitlab",
        settings.DEMO_GITLAB_PROJECT: "author/demo",
        settings.DEMO_GITLAB_TRIGGER_TOKEN_SECRET: "cloudfolio/demo/gitlab-trigger",
        settings.DEMO_GITLAB_READ_TOKEN_SECRET: "cloudfolio/demo/gitlab-read",
    }
    provider = provider_from_env(env, get_secret=fake_store(reads))
    assert isinstance(provider, GitLabProvider) and provider.cancel_token is None
    assert reads == []
    assert provider.read_token() == SECRETS["cloudfolio/demo/gitlab-read"]
    assert reads == ["cloudfolio/demo/gitlab-read"]
    # Once read, a token is masked in any log, even where no pattern would find it.
    log = f"curl -H 'X: {SECRETS['cloudfolio/demo/gitlab-read']}'"
    assert masking.mask_secrets(log) == "curl -H 'X: [MASKED]'"


def test_github_and_command_are_chosen_by_name(tmp_path):
    github = provider_from_env(
        {
            settings.DEMO_PROVIDER: "github",
            settings.DEMO_GITHUB_REPOSITORY: "author/demo",
            settings.DEMO_GITHUB_WORKFLOW: "demo.yml",
            settings.DEMO_GITHUB_TOKEN_SECRET: "cloudfolio/demo/github",
        },
        get_secret=fake_store([]),
    )
    assert isinstance(github, GitHubActionsProvider)
    command = provider_from_env(
        {
            settings.DEMO_PROVIDER: "command",
            settings.DEMO_COMMAND_DEPLOY: "make demo",
            settings.DEMO_COMMAND_DESTROY: "make demo-destroy",
            settings.DEMO_STATE_DIR: str(tmp_path),
        }
    )
    assert isinstance(command, CommandProvider)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({settings.DEMO_PROVIDER: "gitlab"}, settings.DEMO_GITLAB_PROJECT),
        ({settings.DEMO_PROVIDER: "github"}, settings.DEMO_GITHUB_TOKEN_SECRET),
        ({settings.DEMO_PROVIDER: "command"}, settings.DEMO_COMMAND_DEPLOY),
        ({settings.DEMO_PROVIDER: "jenkins"}, "jenkins"),
    ],
)
def test_a_missing_setting_is_named(env, named):
    with pytest.raises(ProviderError) as caught:
        provider_from_env(env)
    assert caught.value.code == "misconfigured" and named in caught.value.message


def test_an_unreadable_secret_is_an_error_without_its_value():
    def broken(name: str) -> str:
        raise RuntimeError("AccessDeniedException")

    with pytest.raises(ProviderError) as caught:
        secret_source("cloudfolio/demo/github", broken)()
    assert caught.value.code == "secret_unavailable" and caught.value.retryable
    assert "cloudfolio/demo/github" in caught.value.message


def test_powertools_reads_secrets_manager_and_caches(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with mock_aws():
        client = boto3.client("secretsmanager", region_name="us-east-1")
        client.create_secret(Name="cloudfolio/demo/github", SecretString="first-value-123")
        assert powertools_secret("cloudfolio/demo/github") == "first-value-123"
        client.put_secret_value(SecretId="cloudfolio/demo/github", SecretString="rotated-456")
        # Within the cache's max age the rotation is not seen: no call per request.
        assert powertools_secret("cloudfolio/demo/github") == "first-value-123"


def test_loading_the_demo_modules_pulls_no_heavy_dependency():
    """Cold starts: requests, Powertools Parameters and botocore load when a call needs them."""
    code = (
        "import sys; import demo.masking, demo.turnstile, demo.providers.factory; "
        "heavy = [m for m in ('requests', 'botocore', 'aws_lambda_powertools.utilities.parameters')"
        " if m in sys.modules]; print(','.join(heavy))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BACKEND_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert completed.stdout.strip() == ""
