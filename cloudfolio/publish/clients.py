"""AWS clients for a target, with retries and clear errors when credentials are missing."""

from __future__ import annotations

import os
from typing import Any

import boto3
from botocore.config import Config

from cloudfolio.publish.store import (
    KeyValueStorePointer,
    MirroredPointer,
    PointerStore,
    PublishError,
    S3Pointer,
)
from cloudfolio.publish.targets import DEFAULT_REGION, EMULATOR_CREDENTIALS, Target


def client_config(workers: int) -> Config:
    # Standard retry mode backs off exponentially with jitter on throttling and 5xx answers.
    return Config(
        retries={"max_attempts": 8, "mode": "standard"},
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
