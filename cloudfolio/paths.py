"""Where things live in the repository, declared once."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
BACKEND = ROOT / "backend"
PLUGINS = ROOT / "plugins"
INFRA = ROOT / "infra"
OUTPUT = ROOT / "output"
BUILD = ROOT / "build"
LAMBDA_ARTIFACTS = BUILD / "lambda"
LOCAL_STATE = BUILD / "local"
PELICAN_DEV_SETTINGS = ROOT / "pelicanconf.py"
PELICAN_PUBLISH_SETTINGS = ROOT / "publishconf.py"
LOCK_FILE = ROOT / "uv.lock"
