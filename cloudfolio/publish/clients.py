"""AWS clients for a target, with retries and clear errors when credentials are missing."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from typing import Any

from botocore.exceptions import (
    ClientError,
    EndpointConnectionError,
    MissingDependencyException,
    NoCredentialsError,
    PartialCredentialsError,
)

from cloudfolio.local.contract import EMULATOR_CREDENTIALS
from cloudfolio.publish.lock import SiteLock
from cloudfolio.publish.store import (
    KeyValueStorePointer,
    MirroredPointer,
    PointerStore,
    PublishError,
    S3Pointer,
)
from cloudfolio.publish.targets import DEFAULT_REGION, Target


def client_config(workers: int) -> Any:
    from botocore.config import Config  # after session_for has decided about awscrt

    # Standard retry mode backs off exponentially with jitter on throttling and 5xx answers.
    return Config(
        retries={"max_attempts": 5, "mode": "standard"},
        max_pool_connections=max(10, workers * 2),
        connect_timeout=10,
        read_timeout=60,
        # Objects are named by their sha256, checked before upload; a second checksum per
        # request only costs CPU the uploads compete for (S3 still gets one where it requires it).
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )


def _direct_loader(session: Any) -> Any:
    """botocore's model loader, except that it checks a service name by looking for that
    service's models instead of listing every service it ships: that listing reads over 400
    directories, twice per client, and was a tenth of a publish's start-up."""
    from botocore.exceptions import DataNotFoundError
    from botocore.loaders import Loader, create_loader

    class ServiceNames(Sequence):
        """The service names, listed only when someone reads the list rather than asks for one."""

        def __init__(self, loader: Loader, type_name: str) -> None:
            self.loader, self.type_name = loader, type_name

        def __contains__(self, name: object) -> bool:
            try:
                return bool(self.loader.list_api_versions(name, self.type_name))
            except DataNotFoundError:
                return False

        @cached_property
        def listed(self) -> list[str]:
            return Loader.list_available_services(self.loader, self.type_name)

        def __getitem__(self, index: Any) -> Any:
            return self.listed[index]

        def __len__(self) -> int:
            return len(self.listed)

    class DirectLoader(Loader):
        def list_available_services(self, type_name: str) -> Any:
            return ServiceNames(self, type_name)

    paths = create_loader(session.get_config_variable("data_path")).search_paths
    return DirectLoader(extra_search_paths=paths, include_default_search_paths=False)


class Session:
    """A botocore session with its region: publishing needs clients, not boto3's resources,
    and botocore alone starts in a fraction of boto3's import time."""

    def __init__(self, botocore_session: Any, region: str) -> None:
        self.botocore_session, self.region = botocore_session, region

    def get_credentials(self) -> Any:
        return self.botocore_session.get_credentials()

    def client(self, service: str, **kwargs: Any) -> Any:
        return self.botocore_session.create_client(service, region_name=self.region, **kwargs)


def session_for(target: Target) -> Session:
    if not target.kvs_arn and "botocore.compat" not in sys.modules:
        # awscrt (SigV4A) is only needed for the KeyValueStore, but botocore imports it whenever
        # it is installed, and that import is a tenth of a second of every publish. Without a
        # store, this process never needs it: mark it absent before botocore looks.
        sys.modules.setdefault("awscrt", None)
    from botocore.session import get_session

    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or DEFAULT_REGION
    session = get_session()
    session.register_component("data_loader", _direct_loader(session))
    if session.get_credentials() is None:
        if not target.emulated:
            raise PublishError(
                f"no AWS credentials found for {target.env}: configure a profile (AWS_PROFILE), "
                "export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run in CI with the deploy role"
            )
        session.set_credentials(
            EMULATOR_CREDENTIALS["aws_access_key_id"], EMULATOR_CREDENTIALS["aws_secret_access_key"]
        )
    return Session(session, region)


def s3_client(target: Target, workers: int = 8, session: Session | None = None) -> Any:
    return (session or session_for(target)).client(
        "s3", endpoint_url=target.endpoint_url, config=client_config(workers)
    )


def site_lock(target: Target, session: Session | None = None) -> SiteLock:
    """The target's site lock; its DynamoDB client is made (from `session`) on first use."""
    if not target.lock_table:
        raise PublishError(f"no table for the site lock of {target.env}")

    def connect() -> Any:
        return (session or session_for(target)).client(
            "dynamodb", endpoint_url=target.endpoint_url, config=client_config(1)
        )

    return SiteLock(connect, target.lock_table, target.bucket)


def pointer_for(target: Target, s3: Any, bucket: str | None = None) -> PointerStore:
    """The KeyValueStore the edge reads (when the target has one) mirrored by the bucket copy."""
    bucket_pointer = S3Pointer(s3, bucket or target.bucket)
    if not target.kvs_arn:
        return bucket_pointer
    kvs = session_for(target).client("cloudfront-keyvaluestore", config=client_config(1))
    return MirroredPointer([KeyValueStorePointer(kvs, target.kvs_arn), bucket_pointer])


LOCK_OPERATIONS = {"GetItem", "PutItem", "DeleteItem"}
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
        if code == "ResourceNotFoundException" and operation in LOCK_OPERATIONS:
            raise PublishError(
                f"the table {target.lock_table}, which holds the site lock, does not exist: "
                f"run invoke deploy --env {target.env} (invoke up for local)"
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
