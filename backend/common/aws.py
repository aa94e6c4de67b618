"""AWS clients, created once per container and only when first needed.

botocore reads AWS_ENDPOINT_URL itself, which is how the emulator is reached locally: the code
has no notion of "local". The clients are botocore's (what boto3.client returns too): boto3
would only add s3transfer and its imports to every cold start.
"""

from __future__ import annotations

from typing import Any

import botocore.session
from botocore.config import Config

# Lambda has seconds, not minutes: fail fast and let the standard retry mode absorb blips.
CLIENT_CONFIG = Config(
    connect_timeout=2,
    read_timeout=3,
    retries={"mode": "standard", "max_attempts": 3},
)


def dynamodb_client() -> Any:
    return botocore.session.get_session().create_client("dynamodb", config=CLIENT_CONFIG)


def secrets_client() -> Any:
    return botocore.session.get_session().create_client("secretsmanager", config=CLIENT_CONFIG)


def s3_client() -> Any:
    return botocore.session.get_session().create_client("s3", config=CLIENT_CONFIG)
