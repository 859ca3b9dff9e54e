"""One error hierarchy, mapped to exit codes by the CLI in a single place."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Documented exit codes; scripts rely on them (README, "Exit codes")."""

    OK = 0
    NOTHING_FOUND = 1  # abstained, nothing matched, or `--check` found the claims stale
    BAD_INPUT = 2  # bad input, bad usage, unreadable or invalid file
    INTERNAL = 70  # a bug (EX_SOFTWARE): reported on one line
    IO_ERROR = 74  # the output could not be written (EX_IOERR): a full disk, `> /dev/full`
    INTERRUPTED = 130  # Ctrl-C: the conventional 128 + SIGINT


class GpuBriefError(Exception):
    """An expected failure: the CLI prints `str(error)` on one line and exits with `code`."""

    code: ExitCode = ExitCode.BAD_INPUT


class InputError(GpuBriefError):
    """A file, folder, option or question the user gave is unusable."""


class ClaimsFileError(GpuBriefError):
    """A claims file is missing, malformed, or disagrees with its sources."""


class NewerFormatError(ClaimsFileError):
    """A claims file written by a newer gpu-brief: read it with that one, never rewrite it."""


class StaleError(ClaimsFileError):
    """A source changed after ingest: answering would quote text that is no longer there."""
