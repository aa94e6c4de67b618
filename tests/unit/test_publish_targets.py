"""Where each environment's site is, and the errors when it cannot be reached."""

from __future__ import annotations

import sys
import types

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError

import cloudfolio
from cloudfolio import deploy
from cloudfolio.errors import CloudfolioError
from cloudfolio.local.contract import StackInfo
from cloudfolio.publish import clients, commands, targets
from cloudfolio.publish.store import KeyValueStorePointer, MirroredPointer, PublishError


@pytest.fixture
def stack_file(tmp_path, monkeypatch):
    monkeypatch.setattr(targets, "LOCAL_STACK_DIR", tmp_path)
    return tmp_path / "stack.json"


@pytest.fixture
def terraform_outputs(monkeypatch):
    outputs: dict = {}
    fake = types.ModuleType("cloudfolio.terraform")

    class FakeTerraform:
        def __init__(self, env):
            self.env = env

        def output(self):
            return outputs if self.env in ("staging", "prod") else {}

    fake.TerraformError = RuntimeError
    monkeypatch.setitem(sys.modules, "cloudfolio.terraform", fake)
    monkeypatch.setattr(cloudfolio, "terraform", fake, raising=False)
    monkeypatch.setattr(deploy, "remote_runner", FakeTerraform)
    return outputs


@pytest.fixture
def no_credentials(monkeypatch, tmp_path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", raising=False)
    monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", raising=False)
    monkeypatch.delenv("AWS_WEB_IDENTITY_TOKEN_FILE", raising=False)


def write_stack(directory, bucket):
    site, api, aws = (f"http://127.0.0.1:{port}" for port in (8000, 8001, 8002))
    StackInfo(
        site,
        api,
        aws,
        "cloudfolio-local-data",
        bucket,
        1.0,
        "applied",
        ephemeral_table_name="cloudfolio-local-data-ephemeral",
    ).write(directory)


def test_local_reads_the_stack_file(stack_file):
    write_stack(stack_file.parent, "cloudfolio-local-site")
    target = targets.target_for("local")
    assert target.bucket == "cloudfolio-local-site"
    assert target.endpoint_url == "http://127.0.0.1:8002"
    assert target.lock_table == "cloudfolio-local-data-ephemeral"
    assert target.emulated


def test_local_without_a_running_stack_says_how_to_start_it(stack_file):
    with pytest.raises(CloudfolioError, match="invoke up"):
        targets.target_for("local")


def test_staging_reads_terraform_outputs_in_either_shape(terraform_outputs):
    terraform_outputs.update(
        {
            "site_bucket": {"value": "cf-staging-site", "type": "string", "sensitive": False},
            "site_url": "https://staging.example.org",
            "site_kvs_arn": {"value": "arn:aws:cloudfront::123456789012:key-value-store/abc"},
            "ephemeral_table_name": {"value": "cf-staging-data-ephemeral", "type": "string"},
        }
    )
    target = targets.target_for("staging")
    assert (target.bucket, target.site_url) == ("cf-staging-site", "https://staging.example.org")
    assert target.kvs_arn.endswith("key-value-store/abc")
    assert target.lock_table == "cf-staging-data-ephemeral"
    assert not target.emulated


def test_prod_before_deploy_says_to_deploy(terraform_outputs):
    with pytest.raises(PublishError, match="invoke deploy --env prod"):
        targets.target_for("prod")


def test_a_stack_without_the_lock_table_says_to_deploy(terraform_outputs):
    terraform_outputs.update({"site_bucket": "cf-prod-site", "site_url": "https://example.org"})
    with pytest.raises(PublishError, match="ephemeral_table_name: run invoke deploy --env prod"):
        targets.target_for("prod")


def test_unknown_environment_is_refused():
    with pytest.raises(CloudfolioError, match="unknown environment 'qa'"):
        targets.target_for("qa")


def test_missing_credentials_are_reported_before_anything_runs(
    terraform_outputs, no_credentials, tmp_path
):
    terraform_outputs.update(
        {
            "site_bucket": "cf-prod-site",
            "site_url": "https://example.org",
            "ephemeral_table_name": "cf-prod-data-ephemeral",
        }
    )
    with pytest.raises(PublishError, match="no AWS credentials found for prod"):
        commands.publish(env="prod", site_dir=tmp_path, yes=True)


def test_the_emulator_needs_no_credentials(no_credentials):
    target = targets.Target("local", "b", "http://127.0.0.1:8000", "http://127.0.0.1:8002")
    assert clients.session_for(target).get_credentials() is not None


def test_with_a_key_value_store_the_edge_pointer_is_written_first(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    target = targets.Target("prod", "b", "https://example.org", kvs_arn="arn:kvs")
    pointer = clients.pointer_for(target, s3=object())
    assert isinstance(pointer, MirroredPointer)
    assert isinstance(pointer.stores[0], KeyValueStorePointer)


def test_key_value_store_pointer_switches_with_the_current_etag():
    from botocore.session import get_session
    from botocore.stub import Stubber

    client = get_session().create_client(
        "cloudfront-keyvaluestore",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    arn = "arn:aws:cloudfront::123456789012:key-value-store/abc"
    release = "20260101T120000.000Z-0a1b2c3d"
    with Stubber(client) as stub:
        stub.add_response(
            "describe_key_value_store",
            {
                "ItemCount": 1,
                "TotalSizeInBytes": 10,
                "KvsARN": arn,
                "ETag": "etag-1",
                "Created": "2026-01-01T00:00:00Z",
            },
            {"KvsARN": arn},
        )
        stub.add_response(
            "put_key",
            {"ItemCount": 1, "TotalSizeInBytes": 10, "ETag": "etag-2"},
            {"KvsARN": arn, "Key": "live", "Value": release, "IfMatch": "etag-1"},
        )
        stub.add_response(
            "get_key",
            {"Key": "live", "Value": release, "ItemCount": 1, "TotalSizeInBytes": 10},
            {"KvsARN": arn, "Key": "live"},
        )
        pointer = KeyValueStorePointer(client, arn)
        pointer.set(release)
        assert pointer.get() == release
        stub.assert_no_pending_responses()


def test_preview_url_keeps_the_site_url_and_adds_the_selector():
    url = commands.preview_url("https://example.org/", "Zk3xV9qLr2Tn8YwPa5Hc1Ud7Me4Js6Bo")
    assert url == "https://example.org/?__preview=Zk3xV9qLr2Tn8YwPa5Hc1Ud7Me4Js6Bo"


def test_the_terraform_wrapper_offers_what_publish_reads():
    import importlib

    wrapper = importlib.import_module("cloudfolio.terraform")
    assert callable(wrapper.Terraform.output)
    assert callable(deploy.remote_runner)
    assert issubclass(wrapper.TerraformError, Exception)


def _client_error(code: str) -> Exception:
    return ClientError({"Error": {"Code": code, "Message": code}}, "PutObject")


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (NoCredentialsError, "credentials"),
        (
            lambda: EndpointConnectionError(endpoint_url="http://127.0.0.1:9"),
            r"cannot reach http://127.0.0.1:9: is the local stack running",
        ),
        (lambda: _client_error("ExpiredToken"), "rejected the credentials"),
        (lambda: _client_error("AccessDenied"), "PutObject was denied"),
        (
            lambda: ClientError(
                {"Error": {"Code": "ResourceNotFoundException", "Message": "no table"}}, "PutItem"
            ),
            r"the table locks, which holds the site lock, does not exist: run invoke deploy",
        ),
    ],
)
def test_aws_failures_become_sentences(error, expected):
    target = targets.Target(
        "local", "b", "http://127.0.0.1:8000", "http://127.0.0.1:9", lock_table="locks"
    )
    with pytest.raises(PublishError, match=expected), clients.explained_errors(target):
        raise error()


def test_other_aws_failures_pass_through():
    target = targets.Target("local", "b", "http://127.0.0.1:8000", "http://127.0.0.1:9")
    with pytest.raises(Exception, match="SlowDown"), clients.explained_errors(target):
        raise _client_error("SlowDown")


def test_a_local_stack_without_a_site_bucket_is_reported(stack_file):
    write_stack(stack_file.parent, None)
    with pytest.raises(PublishError, match="did not create the site bucket"):
        targets.target_for("local")


def test_clients_find_their_service_without_listing_every_service(monkeypatch):
    from botocore.exceptions import UnknownServiceError
    from botocore.loaders import Loader

    listed = []
    monkeypatch.setattr(
        Loader, "list_available_services", lambda self, kind: listed.append(kind) or ["s3"]
    )
    target = targets.Target("local", "b", "http://127.0.0.1:8000", "http://127.0.0.1:9")
    session = clients.session_for(target)
    assert session.client("s3", endpoint_url=target.endpoint_url).meta.service_model
    assert session.client("dynamodb", endpoint_url=target.endpoint_url).meta.service_model
    assert listed == []
    with pytest.raises(UnknownServiceError, match=r"no-such-service.*Valid service names are: s3"):
        session.client("no-such-service")
