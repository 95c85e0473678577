"""Errors that end a command with a one-line message instead of a traceback."""


class GovauditError(Exception):
    """Base for errors the CLI turns into one line on stderr and an exit code."""

    exit_code = 2


class UsageError(GovauditError):
    """Bad input: an unparsable URL, an unknown profile or check, an invalid date or config."""

    exit_code = 2


class SiteUnreachable(GovauditError):
    """The start URL could not be fetched, or is not an HTML page."""

    exit_code = 3


class StoreError(GovauditError):
    """The store or the output folder cannot be written (read-only, disk full)."""

    exit_code = 4
