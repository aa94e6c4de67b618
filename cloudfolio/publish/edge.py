"""The release layout and mapping, loaded from the edge code so both sides share one definition.

The edge package lives in backend/edge/ because it ships to Lambda@Edge. The tooling imports it
from there instead of keeping a copy that could drift.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

from cloudfolio import paths

EDGE_DIR = paths.BACKEND / "edge"


def _load_edge_package() -> None:
    if "edge" in sys.modules:
        return
    # The edge maps URLs with common/site_paths.py, the module it shares with the counter.
    if str(paths.BACKEND) not in sys.path:
        sys.path.append(str(paths.BACKEND))
    spec = importlib.util.spec_from_file_location(
        "edge", EDGE_DIR / "__init__.py", submodule_search_locations=[str(EDGE_DIR)]
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load the edge package from {EDGE_DIR}")
    module = importlib.util.module_from_spec(spec)
    sys.modules["edge"] = module
    spec.loader.exec_module(module)


_load_edge_package()
release_mapping = importlib.import_module("edge.release_mapping")
origin_request = importlib.import_module("edge.origin_request")

INDEX_DOCUMENT: str = release_mapping.INDEX_DOCUMENT
LIVE_POINTER_KEY: str = release_mapping.LIVE_POINTER_KEY
MANIFEST_FORMAT: int = release_mapping.MANIFEST_FORMAT
OBJECTS_PREFIX: str = release_mapping.OBJECTS_PREFIX
PREVIEW_PARAMETER: str = release_mapping.PREVIEW_PARAMETER
PREVIEW_KEY_PREFIX: str = release_mapping.PREVIEW_KEY_PREFIX
PREVIEWS_PREFIX: str = release_mapping.PREVIEWS_PREFIX
RELEASES_PREFIX: str = release_mapping.RELEASES_PREFIX
MANIFEST_SUFFIX: str = release_mapping.MANIFEST_SUFFIX
ReleaseReader = release_mapping.ReleaseReader
Resolution = release_mapping.Resolution
Selection = release_mapping.Selection
is_release_id = release_mapping.is_release_id
is_preview_token = release_mapping.is_preview_token
preview_object_key = release_mapping.preview_object_key
manifest_key = release_mapping.manifest_key
object_key = release_mapping.object_key
resolve = release_mapping.resolve
select_release = release_mapping.select_release
