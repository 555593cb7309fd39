"""The tool's own errors, with codes, apart from what it reports about the input (findings)."""
from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    CLEAN = 0
    FINDINGS = 1  # a finding at or above --fail-on
    USAGE = 2  # bad usage or input: one line naming what is wrong
    INTERNAL = 3  # a crash, a bug of ours: kept apart so that CI can tell it from bad input
    # a run stopped by a signal exits as a shell reports it, 128 + the signal's number
    INTERRUPTED = 130  # SIGINT
    TERMINATED = 143  # SIGTERM


class CheckerError(Exception):
    """A problem with the user's input or options: printed as one line, exit code 2."""

    code = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"claimcheck: error [{self.code}]: {self.message}"


class InputError(CheckerError):
    code = "E001"


class ConfigError(CheckerError):
    code = "E002"


class ManifestError(CheckerError):
    code = "E003"


class OutputError(CheckerError):
    """An output that would touch an input, or that cannot be written."""

    code = "E004"


class UsageError(CheckerError):
    """The command line itself: an unknown option or command, a value of the wrong type."""

    code = "E005"
