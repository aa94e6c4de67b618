"""How publishing fails: one error class for every publish, rollback, promote and prune."""

from cloudfolio.errors import CloudfolioError


class PublishError(CloudfolioError):
    """A publish operation cannot go on; the message says why and what to do."""
