"""Reproducible Lambda zips: the same sources and lock file give the same bytes and hash.

Each zip holds `common/`, the function's own package, the packages it uses as libraries and the
`backend` dependency group, installed for the Lambda platform. Packages the Lambda Python runtime
already ships (boto3 and its dependencies) are left out, which keeps the zips small and the upload
fast.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from cloudfolio import api_description, paths
from cloudfolio.errors import CloudfolioError

LAMBDA_PYTHON = "3.12"
LAMBDA_PLATFORM = "x86_64-manylinux2014"
SHARED_PACKAGES = ("common",)
# Functions that use another function's package as a library (one source for shared rules):
# the resume download identifies visitors and robots exactly as the counter does.
# The counter reads the live release's pages through the edge's release layout.
LIBRARY_PACKAGES: dict[str, tuple[str, ...]] = {
    "resume": ("counter",),
    "demo": ("counter",),
    "counter": ("edge",),
}
# Lambda@Edge: standard library and boto3 only (edge functions take no layers or variables).
EDGE_PACKAGE = "edge"
# The shared modules the edge imports (URL -> file mapping), and nothing else of common/.
EDGE_SHARED_MODULES = ("common/__init__.py", "common/site_paths.py")
# Provided by the Lambda runtime; bundling them would only add megabytes.
RUNTIME_PROVIDED = (
    "boto3",
    "botocore",
    "s3transfer",
    "jmespath",
    "python-dateutil",
    "six",
    "urllib3",
)
# A fixed timestamp (the earliest a zip can store) makes archives independent of checkout time.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
SKIPPED_NAMES = {"__pycache__", ".pytest_cache"}
SKIPPED_SUFFIXES = {".pyc", ".pyo"}


class PackagingError(CloudfolioError):
    """A function could not be packaged."""


@dataclass(frozen=True)
class Artifact:
    function: str
    path: Path
    sha256_base64: str  # what Lambda and Terraform's filebase64sha256 call source_code_hash
    size: int


def function_names() -> list[str]:
    """Functions are the entries of backend/functions.py."""
    return sorted(api_description.functions())


def function_packages(function: str) -> tuple[str, ...]:
    """The backend packages that go into a function's zip."""
    module = api_description.functions().get(function)
    if module is None:
        raise PackagingError(f"no such function: {function} (not in backend/functions.py)")
    package = module.split(".")[0]
    return (*SHARED_PACKAGES, *LIBRARY_PACKAGES.get(package, ()), package)


def _uv_run(what: str, command: list[str]) -> subprocess.CompletedProcess[str]:
    completed = subprocess.run(command, cwd=paths.ROOT, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise PackagingError(f"{what} failed: {completed.stderr.strip()}")
    return completed


def _uv() -> str:
    candidate = Path(sys.executable).with_name("uv")
    found = str(candidate) if candidate.exists() else shutil.which("uv")
    if not found:
        raise PackagingError("uv is needed to install the Lambda dependencies; run bootstrap.py")
    return found


def _dependency_dir() -> Path:
    """Install the backend group once per lock file version, for the Lambda platform."""
    lock_digest = hashlib.sha256(paths.LOCK_FILE.read_bytes()).hexdigest()[:16]
    target = paths.LAMBDA_ARTIFACTS / ".deps" / lock_digest
    if (target / ".complete").exists():
        return target
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    uv = _uv()
    exported = _uv_run(
        "uv export",
        [uv, "export", "--frozen", "--only-group", "backend", "--no-hashes", "--no-emit-project"],
    )
    wanted = [
        line
        for line in exported.stdout.splitlines()
        if line
        and not line.startswith(("#", " "))
        and line.split("==")[0].strip().lower() not in RUNTIME_PROVIDED
    ]
    requirements = target.parent / f"{lock_digest}.txt"
    requirements.write_text("\n".join(wanted) + "\n")
    _uv_run(
        "installing Lambda dependencies",
        [
            uv, "pip", "install", "--quiet", "--no-deps", "--only-binary", ":all:",
            "--python-platform", LAMBDA_PLATFORM, "--python-version", LAMBDA_PYTHON,
            "--target", str(target), "-r", str(requirements),
        ],
    )  # fmt: skip
    (target / ".complete").write_text(lock_digest)
    return target


def _files_under(base: Path, prefix: str = "") -> list[tuple[str, Path]]:
    entries = []
    for path in base.rglob("*"):
        relative = path.relative_to(base)
        if not path.is_file() or path.name == ".complete":
            continue
        if any(part in SKIPPED_NAMES for part in relative.parts) or path.suffix in SKIPPED_SUFFIXES:
            continue
        entries.append((f"{prefix}{relative.as_posix()}", path))
    return entries


def _installer_only(name: str) -> bool:
    """Console-script shebangs (bin/) and the RECORD of their hashes name this checkout's
    interpreter: Lambda uses neither, and keeping them would make the zips machine-specific."""
    return name.startswith("bin/") or name.endswith(".dist-info/RECORD")


def _write_zip(destination: Path, entries: list[tuple[str, Path]]) -> None:
    tmp = destination.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, source in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so the archive does not depend on the build host
            archive.writestr(info, source.read_bytes())
    os.replace(tmp, destination)


def build(function: str, out_dir: Path | None = None) -> Artifact:
    packages = function_packages(function)
    out_dir = out_dir or paths.LAMBDA_ARTIFACTS
    out_dir.mkdir(parents=True, exist_ok=True)
    entries = [e for e in _files_under(_dependency_dir()) if not _installer_only(e[0])]
    for package in packages:
        entries += _files_under(paths.BACKEND / package, prefix=f"{package}/")
    destination = out_dir / f"{function}.zip"
    _write_zip(destination, entries)
    return _artifact(function, destination)


def _artifact(function: str, destination: Path) -> Artifact:
    data = destination.read_bytes()
    digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
    return Artifact(function, destination, digest, len(data))


def build_edge(out_dir: Path | None = None) -> Artifact:
    """The origin-request Lambda@Edge: its Python modules and the URL mapping it shares."""
    out_dir = out_dir or paths.LAMBDA_ARTIFACTS
    out_dir.mkdir(parents=True, exist_ok=True)
    entries = [
        (name, source)
        for name, source in _files_under(paths.BACKEND / EDGE_PACKAGE, prefix=f"{EDGE_PACKAGE}/")
        if source.suffix == ".py"
    ]
    entries += [(name, paths.BACKEND / name) for name in EDGE_SHARED_MODULES]
    destination = out_dir / f"{EDGE_PACKAGE}.zip"
    _write_zip(destination, entries)
    return _artifact(EDGE_PACKAGE, destination)


def artifact_names() -> list[str]:
    """What build_all writes: each function's zip and the edge's."""
    return [*(f"{name}.zip" for name in function_names()), f"{EDGE_PACKAGE}.zip"]


def build_all(out_dir: Path | None = None) -> list[Artifact]:
    return [*(build(name, out_dir) for name in function_names()), build_edge(out_dir)]
