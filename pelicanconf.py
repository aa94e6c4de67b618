"""Development settings: the site as the local stack serves it.

publishconf.py imports everything from here and overrides only what production changes.
"""

import logging
import os

AUTHOR = "Alex Morgan"
SITENAME = "Alex Morgan"
SITESUBTITLE = "Cloud and serverless engineer"
SITE_DESCRIPTION = (
    "Alex Morgan builds small, reliable serverless systems on AWS and writes about "
    "DynamoDB, Lambda, privacy-friendly analytics and the craft of operating them."
)
# Open Graph / Twitter cards fall back to this when a page has no image of its own.
SOCIAL_PROFILES = {
    "GitHub": "https://github.com/example",
    "LinkedIn": "https://www.linkedin.com/in/example",
}

# Both URLs come from the environment so one build command serves every environment;
# `invoke up` sets the site URL to the port it actually bound. The API is served from the
# site's own origin under /api (CloudFront in production, the static server locally).
SITEURL = os.environ.get("CLOUDFOLIO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CLOUDFOLIO_API_URL = os.environ.get("CLOUDFOLIO_API_URL", "/api").rstrip("/")

# Widgets the cloudfolio_widgets plugin renders into the theme's slots.
CLOUDFOLIO_WIDGETS = {
    "counter": True,
    # Links to the API's GET /resume, which counts the download and redirects to the PDF.
    "resume_download": True,
    # Where the author writes [[deploy-live-demo]]; `invoke up` runs it with the local provider.
    "demo": True,
}
# The demo's optional human check: a Cloudflare Turnstile site key shows the challenge next to the
# Deploy button (the server side is switched on apart, see docs/demo.md). Empty: off, and the site
# loads no third-party code.
CLOUDFOLIO_DEMO_TURNSTILE_SITE_KEY = ""

# The resume PDF (plugins/cloudfolio_resume): paper "A4" or "Letter"; a warning when it runs
# longer than CLOUDFOLIO_RESUME_MAX_PAGES (None: as long as needed). The PDF stays private, served
# through the counted download; True also publishes /resume.pdf as a static file.
CLOUDFOLIO_RESUME_PAPER = "A4"
CLOUDFOLIO_RESUME_MAX_PAGES = None
CLOUDFOLIO_RESUME_PUBLIC_PDF = False
# Rendered PDFs by input hash, so an unchanged resume is not printed again.
CLOUDFOLIO_RESUME_CACHE = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "build", "resume-cache"
)

PATH = "content"
OUTPUT_PATH = "output/"
ARTICLE_PATHS = ["posts"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = []
READERS = {"rst": None, "htm": None, "html": None}

TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%-d %B %Y"

THEME = "theme"
THEME_STATIC_DIR = "theme"
THEME_STATIC_PATHS = ["static"]

PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    "cloudfolio_incremental",
    "cloudfolio_assets",
    "cloudfolio_widgets",
    "cloudfolio_sitemap",
    "cloudfolio_images",
    "cloudfolio_tables",
    "cloudfolio_cards",
    "cloudfolio_resume",
]
# Encoded images and social cards are kept here between builds (see docs/authoring.md).
CLOUDFOLIO_IMAGE_CACHE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "build", "cache")
# cloudfolio_images fails the build on a missing alt text, so an empty one that is left marks a
# decorative image on purpose; Pelican's own warning about it would only be noise.
LOG_FILTER = [(logging.WARNING, "Empty alt attribute for image %s in %s")]

# Clean URLs: every page is a directory index, so links never show .html.
ARTICLE_URL = "posts/{slug}/"
ARTICLE_SAVE_AS = "posts/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
DIRECT_TEMPLATES = ["index", "archives"]
INDEX_URL = ""
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
# One author and no categories: their listing pages would only repeat the archive.
CATEGORY_SAVE_AS = ""
CATEGORY_URL = ""
AUTHOR_SAVE_AS = ""
AUTHOR_URL = ""
DEFAULT_PAGINATION = 10
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
FEED_MAX_ITEMS = 20

MARKDOWN = {
    "extension_configs": {
        # Class-based highlighting: inline styles would break the site's strict CSP.
        "markdown.extensions.codehilite": {"css_class": "highlight", "guess_lang": False},
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
    },
    "output_format": "html5",
}

RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = False
