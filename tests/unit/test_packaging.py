"""Lambda zips: same inputs give the same bytes; they hold what the runtime lacks, nothing more."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from cloudfolio import packaging, paths


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, packaging.Artifact]:
    return {a.function: a for a in packaging.build_all(tmp_path_factory.mktemp("zips"))}


def names(artifact: packaging.Artifact) -> list[str]:
    with zipfile.ZipFile(artifact.path) as archive:
        return archive.namelist()


def test_every_function_and_the_edge_are_packaged(built) -> None:
    assert set(built) == {*packaging.function_names(), packaging.EDGE_PACKAGE}
    assert "counter" in built


def test_same_inputs_same_bytes_even_after_touching_files(built, tmp_path: Path) -> None:
    for source in (paths.BACKEND / "counter").glob("*.py"):
        os.utime(source)  # a fresh checkout has new mtimes; the archive must not care
    again = {a.function: a for a in packaging.build_all(tmp_path)}
    for name, artifact in built.items():
        assert again[name].path.read_bytes() == artifact.path.read_bytes(), name
        assert again[name].sha256_base64 == artifact.sha256_base64


def test_no_entry_names_the_checkout_so_every_clone_builds_the_same_bytes(built) -> None:
    checkout = str(paths.ROOT).encode()
    for artifact in built.values():
        with zipfile.ZipFile(artifact.path) as archive:
            naming = [n for n in archive.namelist() if checkout in archive.read(n)]
        assert naming == [], f"{artifact.function}: {naming}"
    assert set(packaging.artifact_names()) == {a.path.name for a in built.values()}


def test_changed_code_changes_the_hash(built, tmp_path: Path, monkeypatch) -> None:
    backend = tmp_path / "backend"
    shutil.copytree(paths.BACKEND, backend, ignore=shutil.ignore_patterns("__pycache__"))
    handler = backend / "counter" / "handler.py"
    handler.write_text(handler.read_text() + "\n# changed\n")
    monkeypatch.setattr(paths, "BACKEND", backend)
    changed = packaging.build("counter", tmp_path / "out")
    assert changed.sha256_base64 != built["counter"].sha256_base64


def test_function_zip_holds_its_code_shared_code_and_dependencies(built) -> None:
    entries = names(built["counter"])
    assert "counter/handler.py" in entries
    assert "common/settings.py" in entries
    top_level = {entry.split("/")[0] for entry in entries}
    assert {"aws_lambda_powertools", "crawlerdetect"} <= top_level
    # The Lambda runtime ships these; bundling them would only slow every cold start.
    assert not top_level & {"boto3", "botocore", "s3transfer"}
    assert not [e for e in entries if e.endswith(".pyc") or "__pycache__" in e]


def test_resume_zip_carries_the_counter_as_its_visitor_library(built) -> None:
    entries = names(built["resume"])
    assert {"resume/handler.py", "counter/visitors.py", "counter/bots.py"} <= set(entries)


def test_entries_are_sorted_with_fixed_times_and_modes(built) -> None:
    with zipfile.ZipFile(built["counter"].path) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {packaging.ZIP_EPOCH}
    assert {i.external_attr >> 16 for i in infos} == {0o644}


def test_edge_zip_holds_only_the_edge_modules_and_the_shared_url_mapping(built) -> None:
    entries = names(built[packaging.EDGE_PACKAGE])
    assert "edge/origin_request.py" in entries
    shared = [e for e in entries if not e.startswith("edge/")]
    assert shared == list(packaging.EDGE_SHARED_MODULES)
    assert all(e.endswith(".py") for e in entries)


def test_the_edge_zip_imports_on_its_own(built, tmp_path: Path) -> None:
    with zipfile.ZipFile(built[packaging.EDGE_PACKAGE].path) as archive:
        archive.extractall(tmp_path)
    probe = (
        "import sys; sys.path[:] = ['.', *(p for p in sys.path if 'backend' not in p)]\n"
        "import edge.origin_request, edge.release_mapping as m\n"
        "assert m.file_path('/%78/') == 'x/index.html'\n"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", probe], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_the_counter_zip_carries_the_release_layout_it_reads(built) -> None:
    entries = names(built["counter"])
    assert "edge/release_mapping.py" in entries
    assert "common/site_paths.py" in entries


def test_unknown_function_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(packaging.PackagingError, match="no such function: nope"):
        packaging.build("nope", tmp_path)
