"""The environments a site runs in, declared once: their names and their Terraform roots.

`local` is the emulator that `invoke up` runs, applied from `infra/envs/local`. `staging` and
`prod` share one root, `infra/envs/aws`, told apart by a committed variables file
(`<env>.tfvars`), an optional uncommitted one with the author's own values
(`<env>.account.tfvars`), their own S3 backend settings and their own Terraform data directory.
"""

from __future__ import annotations

from pathlib import Path

from cloudfolio import paths
from cloudfolio.errors import CloudfolioError

LOCAL = "local"
REMOTE = ("staging", "prod")
ENVIRONMENTS = (LOCAL, *REMOTE)
ENVS = paths.INFRA / "envs"
LOCAL_ROOT = ENVS / "local"
AWS_ROOT = ENVS / "aws"
# One data directory per remote environment: each keeps its own initialised backend.
REMOTE_DATA_DIRS = paths.BUILD / "terraform"


class UnknownEnvironmentError(CloudfolioError):
    """An environment name that is not one of ENVIRONMENTS."""


def check(env: str) -> str:
    if env not in ENVIRONMENTS:
        raise UnknownEnvironmentError(
            f"unknown environment {env!r}; choose one of {', '.join(ENVIRONMENTS)}"
        )
    return env


def terraform_root(env: str) -> Path:
    return LOCAL_ROOT if check(env) == LOCAL else AWS_ROOT


def var_files(env: str) -> tuple[Path, ...]:
    """The variables files of a remote environment: the committed one, then the author's."""
    if check(env) == LOCAL:
        return ()
    own = AWS_ROOT / f"{env}.account.tfvars"
    return (AWS_ROOT / f"{env}.tfvars", *((own,) if own.exists() else ()))


def backend_file(env: str) -> Path:
    """Where an author may keep a remote environment's S3 backend settings (not committed)."""
    return AWS_ROOT / f"{check(env)}.backend.hcl"


def remote_data_dir(env: str) -> Path:
    return REMOTE_DATA_DIRS / check(env)
