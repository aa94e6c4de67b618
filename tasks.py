"""invoke tasks: argument parsing only; the work lives in the cloudfolio package."""

from pathlib import Path

from invoke import Exit

from cloudfolio.cli import task


@task(
    help={
        "site_port": "port of the static site server (default 8000)",
        "api_port": "port of the local API gateway (default 8001)",
        "aws_port": "port of the AWS emulator (default 8002)",
        "no_watch": "do not rebuild the site when content, theme or plugins change",
    }
)
def up(c, site_port=8000, api_port=8001, aws_port=8002, no_watch=False):
    """Build the site and run the whole stack locally: emulator, API gateway, static server."""
    from cloudfolio.local.stack import StackConfig, run

    run(StackConfig(site_port=site_port, api_port=api_port, aws_port=aws_port, watch=not no_watch))


@task
def record_local_apply(c):
    """Re-record the local Terraform apply that `invoke up` replays (after changing infra/)."""
    from cloudfolio.local.stack import record_local_apply as record

    record()


@task(
    help={
        "output": "output directory (default output/)",
        "prod": "build with publishconf.py instead of pelicanconf.py",
    }
)
def build(c, output="output", prod=False):
    """Build the site with Pelican into output/."""
    from cloudfolio import paths, site

    settings = paths.PELICAN_PUBLISH_SETTINGS if prod else paths.PELICAN_DEV_SETTINGS
    built = site.build(Path(output).resolve(), settings=settings)
    print(f"built {built}")


@task(
    help={"pytest": "extra arguments for pytest, e.g. --pytest='-k counter -x'"},
)
def test(c, pytest=""):
    """Run the full test suite (unit, integration, e2e, infra); fails if no test ran."""
    import shlex

    from cloudfolio.testing import run_suite

    code = run_suite(shlex.split(pytest))
    if code:
        raise Exit(code=code)


@task
def package(c):
    """Build the reproducible Lambda zips into build/lambda/."""
    from cloudfolio import packaging

    for artifact in packaging.build_all():
        print(f"{artifact.function}: {artifact.path} ({artifact.size} bytes)")
        print(f"  sha256 {artifact.sha256_base64}")


@task(
    help={
        "url": "site to audit (default: the running `invoke up` stack, else a temporary one)",
        "json": "print JSON instead of a table",
    }
)
def lighthouse(c, url="", json=False):
    """Lighthouse scores, CLS, LCP and bytes for the home page, an article and the resume."""
    from cloudfolio import lighthouse as lh

    audits = lh.audit_local_or(url or None)
    print(lh.as_json(audits) if json else lh.table(audits))
    shortfalls = [s for a in audits for s in a.shortfalls()]
    if shortfalls:
        raise Exit("below target: " + "; ".join(shortfalls), code=1)


@task(
    help={
        "env": "local (default), staging or prod",
        "dry_run": "show the plan, write nothing",
        "yes": "publish to staging/prod without asking",
        "json": "print a JSON summary on stdout",
        "preview": "upload the release without making it live; prints its preview link",
        "force": "skip the delete guard (--max-deletes and --max-delete-fraction)",
        "max_deletes": "refuse to remove more than this many files (default 256)",
        "max_delete_fraction": "refuse to remove more than this share of the live files (0.5)",
        "break_lock": "break the site lock another publish or prune left behind",
        "verbose": "on failure, print the whole error text (e.g. Terraform's)",
    }
)
def publish(
    c,
    env="local",
    dry_run=False,
    yes=False,
    json=False,
    preview=False,
    force=False,
    max_deletes=256,
    max_delete_fraction=0.5,
    break_lock=False,
    verbose=False,
):
    """Build with publishconf and publish an atomic, incremental release."""
    from cloudfolio import publish as releases_

    releases_.publish(
        env=env,
        dry_run=dry_run,
        yes=yes,
        json_output=json,
        preview=preview,
        force=force,
        max_deletes=int(max_deletes),
        max_delete_fraction=float(max_delete_fraction),
        break_lock=break_lock,
    )


@task(
    help={
        "env": "local (default), staging or prod",
        "to": "release id to go back to",
        "retract": "also make the release left behind unreachable by any link",
    }
)
def rollback(c, env="local", to="", retract=False):
    """Switch back to the previous release (or --to RELEASE); no uploads."""
    from cloudfolio import publish as releases_

    releases_.rollback(env, to or None, retract=retract)


@task(help={"release": "release id (see `invoke releases`)", "env": "local, staging or prod"})
def preview(c, release, env="local"):
    """Print a new preview link (an unguessable token) for an existing release."""
    from cloudfolio import publish as releases_

    releases_.preview(env, release)


@task(help={"release": "release id (see `invoke releases`)", "env": "local, staging or prod"})
def retract(c, release, env="local"):
    """Make a release unreachable by any link at once (rolls back first if it is live)."""
    from cloudfolio import publish as releases_

    releases_.retract(env, release)


@task(help={"env": "local (default), staging or prod", "json": "print JSON"})
def releases(c, env="local", json=False):
    """List releases: time, git commit, files, size; * marks the live one."""
    from cloudfolio import publish as releases_

    releases_.releases(env, json_output=json)


@task(help={"release": "release id (see `invoke releases`)", "env": "local, staging or prod"})
def promote(c, release, env="local"):
    """Make a release (e.g. a preview) live."""
    from cloudfolio import publish as releases_

    releases_.promote(env, release)


@task(
    help={
        "env": "local, staging or prod",
        "keep": "releases to keep (default from settings)",
        "break_lock": "break the site lock another publish or prune left behind",
    }
)
def prune(c, env="local", keep=0, break_lock=False):
    """Delete old releases (never the live one or its predecessor) and unreferenced objects."""
    from cloudfolio import publish as releases_

    releases_.prune(env, keep or None, break_lock=break_lock)


@task(
    help={
        "env": "local (the running emulator of `invoke up`), staging or prod",
        "plan_only": "stop after the plan",
        "verbose": "on failure, print Terraform's whole output, not just its error line",
    }
)
def deploy(c, env="local", plan_only=False, verbose=False):
    """Package the functions and run terraform init/plan/apply for an environment."""
    from cloudfolio import deploy as deployment

    deployment.deploy(env, plan_only=plan_only)


@task(help={"env": "only local: the emulator of `invoke up`"})
def destroy(c, env="local"):
    """Tear down what `invoke deploy --env local` created."""
    from cloudfolio import deploy as deployment

    deployment.destroy(env)


@task(
    help={
        "env": "local (default: the running invoke up), staging or prod",
        "since": "first day, YYYY-MM-DD (default: 29 days before --until)",
        "until": "last day, YYYY-MM-DD (default: today, UTC)",
        "out": "also write a self-contained HTML report to this file",
        "json": "print the report as JSON instead of the summary",
        "engine": "duckdb (default: a local copy of the lake) or athena",
    }
)
def analytics(c, env="local", since="", until="", out="", json=False, engine="duckdb"):
    """Visitors, pages, referrers, campaigns, countries and devices from the visit lake."""
    from cloudfolio.analytics.commands import analytics as report

    report(env, since or None, until or None, out or None, json, engine)


@task(
    help={
        "action": "sweep (default: expired, stuck, failed demos), force (anything up) or expire",
        "deployment_id": "with --action expire: the deployment whose time is up",
    }
)
def demo_cleanup(c, action="sweep", deployment_id=""):
    """Run the live demo's scheduled cleanup against the running local stack."""
    import json

    from cloudfolio import demo_cleanup as cleanup

    print(json.dumps(cleanup.run(action, deployment_id or None), indent=2))
