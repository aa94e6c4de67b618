"""Production settings: everything from pelicanconf.py, pointed at the public URLs."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: F403

# The author's public addresses; `invoke publish` can still override both from the environment.
# The site's CloudFront serves the API under /api on the site's own domain.
PRODUCTION_SITE_URL = "https://www.example.com"
PRODUCTION_API_URL = "/api"

SITEURL = os.environ.get("CLOUDFOLIO_SITE_URL", PRODUCTION_SITE_URL).rstrip("/")
CLOUDFOLIO_API_URL = os.environ.get("CLOUDFOLIO_API_URL", PRODUCTION_API_URL).rstrip("/")
FEED_DOMAIN = SITEURL

RELATIVE_URLS = False
# A release must contain exactly what this build produced, nothing left from earlier builds.
DELETE_OUTPUT_DIRECTORY = True
