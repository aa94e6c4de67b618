"""pelicanconf and publishconf: URLs from the environment, local and production defaults."""

from __future__ import annotations

import pytest
from pelican.settings import read_settings

from cloudfolio import paths
from cloudfolio.site import API_URL_ENV, SITE_URL_ENV


@pytest.fixture
def clean_env(monkeypatch):
    monkeypatch.delenv(API_URL_ENV, raising=False)
    monkeypatch.delenv(SITE_URL_ENV, raising=False)
    return monkeypatch


def test_development_defaults_point_at_the_local_stack(clean_env) -> None:
    settings = read_settings(str(paths.PELICAN_DEV_SETTINGS))
    assert settings["SITEURL"] == "http://127.0.0.1:8000"
    assert settings["CLOUDFOLIO_API_URL"] == "/api"
    assert settings["OUTPUT_PATH"] == str(paths.OUTPUT)
    assert settings["CLOUDFOLIO_WIDGETS"]["counter"] is True


@pytest.mark.parametrize(
    "settings_file", [paths.PELICAN_DEV_SETTINGS, paths.PELICAN_PUBLISH_SETTINGS]
)
def test_environment_overrides_both_urls(clean_env, settings_file) -> None:
    clean_env.setenv(API_URL_ENV, "https://api.staging.example/")
    clean_env.setenv(SITE_URL_ENV, "https://staging.example/")
    settings = read_settings(str(settings_file))
    assert settings["CLOUDFOLIO_API_URL"] == "https://api.staging.example"
    assert settings["SITEURL"] == "https://staging.example"
    assert settings["FEED_DOMAIN"] == "https://staging.example"


def test_publish_settings_use_production_urls_and_a_clean_output(clean_env) -> None:
    settings = read_settings(str(paths.PELICAN_PUBLISH_SETTINGS))
    assert settings["SITEURL"].startswith("https://")
    assert settings["CLOUDFOLIO_API_URL"] == "/api"  # the site's own origin, via CloudFront
    assert settings["DELETE_OUTPUT_DIRECTORY"] is True
    assert settings["RELATIVE_URLS"] is False
