"""The one base class of every failure a user can fix.

Each concern subclasses it (BuildError, DeployError, PublishError, ...). `tasks.py` catches this
class alone, in one place, and turns it into one sentence and a non-zero exit: anything else is a
bug and keeps its traceback.
"""


class CloudfolioError(Exception):
    """A failure with a message that tells the user what to do."""
