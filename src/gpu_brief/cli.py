"""The Typer layer: parse options, call one core function, render, map errors to exit codes.

This module holds the app, the options and error handling every command shares, and the entry
point; the commands live in `cli_ingest`, `cli_answer` and `cli_browse`, imported below in the
order `--help` lists them. Heavy modules (pydantic, yaml, numpy, rank_bm25, Stemmer, rich) are
imported inside the commands that need them, so `gpu-brief --help` starts fast.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import sys
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from gpu_brief import __version__
from gpu_brief.errors import ExitCode, GpuBriefError

app = typer.Typer(
    name="gpu-brief",
    help=(
        "Answer questions about a corpus of French news articles, with citations you can check.\n\n"
        "Exit codes: 0 success, 1 nothing found / abstained / stale, 2 bad input or usage, "
        "70 internal error (a bug: please report it), 74 output could not be written, 130 interrupted, "
        "141 output pipe closed."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable[..., Any])


class TextFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


class ListFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    yaml = "yaml"


ClaimsOption = Annotated[
    Path | None,
    typer.Option(
        "--claims",
        envvar="GPU_BRIEF_CLAIMS",
        help="Claims file to read (default: ./data/claims.yaml if present, else the bundled corpus).",
    ),
]


def resolve_claims(option: Path | None) -> Path:
    """The claims file to read; when that is the bundled corpus while the current folder holds
    a claims file, or the user has made one (asked from another folder after ingesting their
    own), say so: "Not in the corpus" would otherwise read as about the user's own."""
    from gpu_brief.store import bundled_claims_path, claims_files_here, resolve_claims_path

    path = resolve_claims_path(option)
    if path != bundled_claims_path():
        return path
    import shlex

    if here := claims_files_here():
        # several claims files here: name them all, the first is no likelier the user's than the others
        named = (
            f"{here[0]} here is a claims file: pass --claims {shlex.quote(str(here[0]))}"
            if len(here) == 1
            else f"{len(here)} claims files here ({', '.join(str(p) for p in here[:5])}"
            f"{', ...' if len(here) > 5 else ''}): pass --claims with the one to ask"
        )
    else:
        from gpu_brief.cache import recent_claims_files

        if not (recent := recent_claims_files(path, limit=1)):
            return path
        quoted = shlex.quote(str(recent[0]))
        named = (
            f"your last claims file is {recent[0]}: pass --claims {quoted} "
            f"(or export GPU_BRIEF_CLAIMS={quoted})"
        )
    from gpu_brief.render import warning_line

    warning_line(f"using the bundled corpus (no --claims, $GPU_BRIEF_CLAIMS or ./data/claims.yaml); {named}")
    return path


def fail(message: str, code: int = ExitCode.BAD_INPUT) -> typer.Exit:
    """Print one line on stderr and return the Exit to raise."""
    from gpu_brief.render import error_line

    error_line(message)
    return typer.Exit(int(code))


def handle_errors(func: F) -> F:
    """Turn expected failures into one line on stderr and a documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except GpuBriefError as exc:
            raise fail(str(exc), exc.code) from None
        except KeyboardInterrupt:
            raise fail("interrupted", ExitCode.INTERRUPTED) from None
        except BrokenPipeError:
            # `gpu-brief ... | head`: the reader left; say nothing more.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(int(ExitCode.OK)) from None

    return wrapper  # type: ignore[return-value]


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM unwinds like Ctrl-C, so temporary files are removed and the old file stays."""
    import signal

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread (tests): nothing to install
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"gpu-brief {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """gpu-brief: grounded answers from French news articles."""


# the commands, registered on `app` in the order `--help` lists them
from gpu_brief import cli_ingest, cli_answer, cli_browse  # noqa: E402, F401, I001


def _unwrap_help() -> None:
    """Rich help keeps a docstring's line breaks: join each paragraph into one line so the
    terminal wraps it at its own width."""
    import inspect

    for info in app.registered_commands:
        callback = info.callback
        if callback is not None and callback.__doc__:
            paragraphs = inspect.cleandoc(callback.__doc__).split("\n\n")
            callback.__doc__ = "\n\n".join(" ".join(p.split()) for p in paragraphs)


_unwrap_help()


_WRITE_ERRORS = {errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EFBIG, errno.EROFS}


def _tolerate_narrow_encodings() -> None:
    """Under `PYTHONIOENCODING=ascii` or a C locale, a character the output cannot encode is
    written as a backslash escape (JSON as \\u escapes) instead of ending the run mid-output."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding not in ("utf8", "utf8sig") and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def main() -> None:
    """Console entry point: every failure is one line on stderr, never a traceback.

    Like any Unix filter, gpu-brief dies quietly of SIGPIPE when its reader goes away
    (`gpu-brief claims | head`): exit status 141, no "Broken pipe" message.

    Usage errors (unknown option, bad value) keep their exit code 2; unexpected exceptions are
    bugs, reported on one line with exit code 70 (set GPU_BRIEF_DEBUG=1 for the traceback).
    """
    import signal

    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    _tolerate_narrow_encodings()
    try:
        code = app(standalone_mode=False)
        sys.stdout.flush()
    except SystemExit:
        raise
    except OSError as exc:
        if exc.errno not in _WRITE_ERRORS:
            raise
        # `gpu-brief ask ... > /dev/full`: say so once; the buffered rest must not fail again at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.stderr.write(f"gpu-brief: error: cannot write the output: {exc.strerror}\n")
        raise SystemExit(int(ExitCode.IO_ERROR)) from None
    except KeyboardInterrupt:
        sys.stderr.write("gpu-brief: interrupted\n")
        raise SystemExit(int(ExitCode.INTERRUPTED)) from None
    except Exception as exc:
        usage_code = getattr(exc, "exit_code", None)
        if hasattr(exc, "format_message") and isinstance(usage_code, int):  # click's UsageError
            ctx = getattr(exc, "ctx", None)
            where = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
            if exc.format_message():  # a bare `gpu-brief` has printed its help: nothing to add
                from gpu_brief.render import error_line
                from gpu_brief.wording import usage_message

                error_line(f"{usage_message(exc.format_message())}{where}")
            raise SystemExit(usage_code) from None
        if type(exc).__name__ == "Abort":
            sys.stderr.write("gpu-brief: aborted\n")
            raise SystemExit(int(ExitCode.INTERRUPTED)) from None
        if os.environ.get("GPU_BRIEF_DEBUG"):
            raise
        sys.stderr.write(
            f"gpu-brief: internal error: {type(exc).__name__}: {exc} "
            "(a bug: please report it; GPU_BRIEF_DEBUG=1 shows the traceback)\n"
        )
        raise SystemExit(int(ExitCode.INTERNAL)) from None
    raise SystemExit(code if isinstance(code, int) else 0)
