"""invoke tasks: argument parsing only; the work lives in the cloudfolio package."""

from invoke import task  # noqa: F401
