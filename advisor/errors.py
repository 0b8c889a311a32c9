"""Error types shared by the library and the CLI.

The library raises these; the CLI turns them into one-line messages and exit codes
(``InputError`` -> 2, any other ``AdvisorError`` -> 1), never a traceback.
"""

from __future__ import annotations


class AdvisorError(Exception):
    """A failure the user should see as one clear line (exit code 1)."""

    exit_code = 1


class InputError(AdvisorError):
    """Bad input from the user: a missing or malformed file, an invalid option (exit code 2)."""

    exit_code = 2
