"""The tool's own errors, with codes, apart from what it reports about the input (findings)."""
from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    CLEAN = 0
    FINDINGS = 1
    USAGE = 2


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
