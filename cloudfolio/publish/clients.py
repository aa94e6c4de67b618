"""AWS clients for a target, with retries and clear errors when credentials are missing."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import (
    ClientError,
    EndpointConnectionError,
    MissingDependencyException,
    NoCredentialsError,
    PartialCredentialsError,
)

from cloudfolio.local.contract import EMULATOR_CREDENTIALS
from cloudfolio.publish.store import (
    KeyValueStorePointer,
    MirroredPointer,
    PointerStore,
    PublishError,
    S3Pointer,
)
from cloudfolio.publish.targets import DEFAULT_REGION, Target


def client_config(workers: int) -> Config:
    # Standard retry mode backs off exponentially with jitter on throttling and 5xx answers.
    return Config(
        retries={"max_attempts": 5, "mode": "standard"},
        max_pool_connections=max(10, workers * 2),
        connect_timeout=10,
        read_timeout=60,
    )


def session_for(target: Target) -> boto3.session.Session:
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or DEFAULT_REGION
    session = boto3.session.Session(region_name=region)
    if session.get_credentials() is None:
        if target.emulated:
            return boto3.session.Session(region_name=region, **EMULATOR_CREDENTIALS)
        raise PublishError(
            f"no AWS credentials found for {target.env}: configure a profile (AWS_PROFILE), "
            "export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run in CI with the deploy role"
        )
    return session


def s3_client(target: Target, workers: int = 8) -> Any:
    return session_for(target).client(
        "s3", endpoint_url=target.endpoint_url, config=client_config(workers)
    )


def pointer_for(target: Target, s3: Any, bucket: str | None = None) -> PointerStore:
    """The KeyValueStore the edge reads (when the target has one) mirrored by the bucket copy."""
    bucket_pointer = S3Pointer(s3, bucket or target.bucket)
    if not target.kvs_arn:
        return bucket_pointer
    kvs = session_for(target).client("cloudfront-keyvaluestore", config=client_config(1))
    return MirroredPointer([KeyValueStorePointer(kvs, target.kvs_arn), bucket_pointer])


REJECTED_CREDENTIALS = {
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidAccessKeyId",
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
    "UnrecognizedClientException",
}


@contextmanager
def explained_errors(target: Target) -> Iterator[None]:
    """Turn the AWS failures an author can fix into one sentence that says how."""
    try:
        yield
    except (NoCredentialsError, PartialCredentialsError) as error:
        raise PublishError(
            f"no usable AWS credentials for {target.env} ({error}); configure a profile or "
            "run in CI with the deploy role"
        ) from error
    except EndpointConnectionError as error:
        hint = (
            "is the local stack running? start it with invoke up"
            if target.emulated
            else ("check the network and AWS_ENDPOINT_URL")
        )
        raise PublishError(f"cannot reach {error.kwargs.get('endpoint_url')}: {hint}") from error
    except MissingDependencyException as error:
        raise PublishError(
            "switching the CloudFront KeyValueStore needs awscrt (SigV4A signing); "
            "install the project dependencies with uv sync"
        ) from error
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        operation = error.operation_name
        if code in REJECTED_CREDENTIALS:
            raise PublishError(
                f"AWS rejected the credentials for {target.env} ({code}); refresh them"
            ) from error
        if code == "ResourceNotFoundException" and target.kvs_arn:
            raise PublishError(
                f"the CloudFront KeyValueStore {target.kvs_arn} does not exist: "
                f"run invoke deploy --env {target.env}"
            ) from error
        if code in ("AccessDenied", "AccessDeniedException", "403"):
            raise PublishError(
                f"{operation} was denied for these credentials on {target.env}; the deploy role "
                "needs the publish permissions of the ci module"
            ) from error
        raise
