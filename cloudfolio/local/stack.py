"""`invoke up`: build the site, start the emulator, apply infra/envs/local to it, serve everything.

The emulator's resources come from the same Terraform as production. The gateway then takes its
function environment from the Terraform outputs, so handlers run against exactly those resources.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from cloudfolio import api_description, packaging, paths, site, site_settings
from cloudfolio.analytics import local as analytics
from cloudfolio.local import contract
from cloudfolio.local.contract import EMULATOR_ENV, StackInfo, stack_file
from cloudfolio.local.emulator import Emulator, free_port, running_emulator
from cloudfolio.local.gateway import Gateway
from cloudfolio.local.livereload import BuildGeneration
from cloudfolio.local.replay import RECORDED_APPLY, apply_or_replay
from cloudfolio.local.static_server import ApiProxy, StaticServer
from cloudfolio.publish import serving
from cloudfolio.publish.edge import ReleaseReader
from cloudfolio.security_headers import security_headers

# Besides the content folder, edits to these rebuild the site.
WATCHED = ("theme", "plugins", "pelicanconf.py")


@dataclass(frozen=True)
class StackConfig:
    host: str = contract.HOST
    site_port: int = contract.SITE_PORT
    api_port: int = contract.API_PORT
    aws_port: int = contract.AWS_PORT
    output: Path = paths.OUTPUT
    content: Path = paths.CONTENT
    state_dir: Path = paths.LOCAL_STATE
    watch: bool = True
    access_log: bool = True  # one line per request on stderr (no client addresses)
    replay: bool = True  # False: apply with Terraform even when a recording fits

    @property
    def site_url(self) -> str:
        return contract.url(self.site_port, self.host)

    @property
    def api_url(self) -> str:
        return contract.url(self.api_port, self.host)

    def on_free_ports(self) -> StackConfig:
        """The same stack on ports nothing else uses (for tools and tests beside `invoke up`)."""
        return replace(self, site_port=free_port(), api_port=free_port(), aws_port=free_port())


def apply_local_infra(
    config: StackConfig,
    aws_endpoint: str,
    recordings: Path | None = None,
    search: tuple[Path, ...] = (RECORDED_APPLY,),
) -> tuple[dict, bool]:
    """Resources from infra/envs/local: replayed when these inputs were applied before.

    Returns Terraform's outputs and whether the fast path (a replay) was taken.
    """
    from cloudfolio.environments import LOCAL_ROOT
    from cloudfolio.terraform import Terraform

    state = config.state_dir / "terraform.tfstate"
    state.unlink(missing_ok=True)  # the emulator starts empty, so must the state
    root = Terraform(LOCAL_ROOT, data_dir=config.state_dir / "terraform", state_path=state)
    variables = contract.terraform_variables(aws_endpoint, config.site_url)

    def apply() -> dict:
        root.init()
        root.apply(variables)
        return root.output()

    artifacts = [paths.LAMBDA_ARTIFACTS / name for name in packaging.artifact_names()]
    return apply_or_replay(
        aws_endpoint,
        variables,
        artifacts,
        apply,
        recordings=recordings or config.state_dir / "applies",
        search=search,
        replay=config.replay,
    )


def record_local_apply(say: Callable[[str], None] = print) -> None:
    """Apply infra/envs/local as a default `invoke up` does, into the repository's recording."""
    import tempfile

    packaging.build_all()
    with tempfile.TemporaryDirectory() as workdir, running_emulator() as emulator:
        config = StackConfig(state_dir=Path(workdir), output=Path(workdir) / "output")
        _, replayed = apply_local_infra(config, emulator.url, RECORDED_APPLY, search=())
    where = RECORDED_APPLY.relative_to(paths.ROOT)
    say(f"{where} is up to date" if replayed else f"recorded the local apply into {where}")


def _emulator_env(aws_endpoint: str) -> dict[str, str]:
    # boto3 honours AWS_ENDPOINT_URL, so handlers find the emulator through configuration alone.
    return {**EMULATOR_ENV, "AWS_ENDPOINT_URL": aws_endpoint}


def origin_secret(environments: dict[str, dict[str, str]]) -> str | None:
    """The value of the origin secret Terraform created, read from the emulator as CloudFront
    would be configured with it; None when the functions expect none."""
    api_description.backend_on_path()
    from common.settings import ORIGIN_SECRET_ID

    secret_ids = {env.get(ORIGIN_SECRET_ID, "") for env in environments.values()} - {""}
    if not secret_ids:
        return None
    if len(secret_ids) > 1:
        raise ValueError(f"functions disagree on the origin secret: {sorted(secret_ids)}")
    import botocore.session

    client = botocore.session.get_session().create_client("secretsmanager")
    return client.get_secret_value(SecretId=secret_ids.pop())["SecretString"]


class LocalStack:
    def __init__(self, config: StackConfig, say: Callable[[str], None] = print) -> None:
        self.config = config
        self.say = say
        self.emulator = Emulator(config.host, config.aws_port, log=config.state_dir / "moto.log")
        self.servers: list[StaticServer | Gateway] = []
        self.stopping = threading.Event()
        self.info: StackInfo | None = None
        self.site_bucket: str | None = None
        self.lock_table: str | None = None
        # Open pages reload after each rebuild; only while the stack watches for edits.
        self.builds = BuildGeneration() if config.watch else None
        self.resume_object: tuple[str | None, str | None] = (None, None)
        self.reader: ReleaseReader | None = None

    def start(self) -> StackInfo:
        started = time.perf_counter()
        cfg = self.config
        cfg.state_dir.mkdir(parents=True, exist_ok=True)
        stack_file(cfg.state_dir).unlink(missing_ok=True)
        self.emulator.start()
        with ThreadPoolExecutor(max_workers=2) as pool:
            building = pool.submit(self._build)
            packaged = pool.submit(packaging.build_all)
            self.emulator.wait_ready()
            packaged.result()
            outputs, replayed = apply_local_infra(cfg, self.emulator.url)
            os.environ.update(_emulator_env(self.emulator.url))
            for environment in outputs["function_environments"].values():
                os.environ.update(environment)
            gateway = Gateway((cfg.host, cfg.api_port), access_log=cfg.access_log)
            building.result()
        self.site_bucket = outputs.get("site_bucket")
        self.lock_table = outputs.get("ephemeral_table_name")
        self.resume_object = (outputs.get("resume_bucket"), outputs.get("resume_key"))
        analytics.start_relay(outputs, self.emulator.url, cfg.state_dir, self.stopping)
        self._publish()
        self.reader = (
            serving.release_reader(self.emulator.url, self.site_bucket)
            if self.site_bucket
            else None
        )
        static = StaticServer(
            (cfg.host, cfg.site_port),
            cfg.output,
            reader=self.reader,
            access_log=cfg.access_log,
            api=ApiProxy(cfg.api_url, origin_secret(outputs["function_environments"])),
            live_reload=self.builds,
            # The policy of the site as built, as CloudFront is given it (cloudfolio.deploy).
            headers=security_headers(site_settings.read(paths.PELICAN_DEV_SETTINGS).csp_sources),
        )
        self.servers = [static, gateway]
        for server in self.servers:
            threading.Thread(target=server.serve_forever, daemon=True).start()
        self.info = StackInfo(
            site_url=cfg.site_url,
            api_url=cfg.api_url,
            aws_endpoint=self.emulator.url,
            table_name=outputs["table_name"],
            site_bucket=self.site_bucket,
            ready_seconds=round(time.perf_counter() - started, 2),
            infra="replayed" if replayed else "applied",
            resume_bucket=outputs.get("resume_bucket"),
            resume_key=outputs.get("resume_key"),
            function_environments=outputs["function_environments"],
            ephemeral_table_name=outputs.get("ephemeral_table_name"),
        )
        self.info.write(cfg.state_dir)
        return self.info

    def _build(self, incremental: bool = False) -> None:
        cfg = self.config
        # The widgets call the site's own origin (/api), which the static server proxies.
        site.build(cfg.output, cfg.content, site_url=cfg.site_url, incremental=incremental)

    def _publish(self) -> None:
        """Each build becomes a release in the emulator's site bucket, as `invoke publish` does."""
        if self.site_bucket:
            serving.publish_site(
                self.emulator.url, self.site_bucket, self.config.output, lock_table=self.lock_table
            )
        bucket, key = self.resume_object
        if bucket and key:
            serving.publish_resume_pdf(self.emulator.url, bucket, key, self.config.output)
        if self.reader is not None:
            # A page reloaded the moment the build is announced must get the new release.
            self.reader.forget_pointers()

    def rebuild_on_change(self) -> None:
        """Rebuild the site when content, theme or plugins change, until stop()."""
        from watchfiles import watch

        watched = [self.config.content]
        watched += [paths.ROOT / name for name in WATCHED if (paths.ROOT / name).exists()]
        for changes in watch(*watched, stop_event=self.stopping, debounce=300):
            names = sorted({Path(p).name for _, p in changes})
            # Pelican's content cache knows when a post changed, not when a template or plugin
            # did: only content edits may reuse it.
            content = self.config.content.resolve()
            only_content = all(Path(p).resolve().is_relative_to(content) for _, p in changes)
            try:
                self._build(incremental=only_content)
                self._publish()
                if self.builds is not None:
                    self.builds.bump()
                self.say(f"rebuilt site ({', '.join(names[:3])}{'...' if len(names) > 3 else ''})")
            except site.BuildError as error:
                self.say(f"rebuild failed, still serving the previous build:\n{error}")

    def stop(self) -> None:
        self.stopping.set()
        for server in self.servers:
            server.shutdown()
            server.server_close()
        self.emulator.stop()
        analytics.stop(self.config.state_dir)
        stack_file(self.config.state_dir).unlink(missing_ok=True)


def run(config: StackConfig, say: Callable[[str], None] = print) -> None:
    """Start the stack, print its URLs, rebuild on edits, stop cleanly on Ctrl-C or SIGTERM."""
    import signal

    stack = LocalStack(config, say)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        info = stack.start()
        say(f"site: {info.site_url}")
        say(f"api: {info.api_url}")
        say(f"aws: {info.aws_endpoint}")
        say(f"ready in {info.ready_seconds:.1f}s, infra {info.infra} (Ctrl-C stops everything)")
        if config.watch:
            stack.rebuild_on_change()
        else:
            stack.stopping.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()
        say("stopped")
