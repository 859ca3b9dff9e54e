"""The Typer layer: parse options, call one core function, render, map errors to exit codes.

Heavy modules (pydantic, yaml, numpy, rank_bm25, Stemmer, rich) are imported inside the commands
that need them, so `gpu-brief --help` starts fast.
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
from gpu_brief.errors import ExitCode, GpuBriefError, StaleError

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


def _resolve_claims(option: Path | None) -> Path:
    """The claims file to read; when that is the bundled corpus while the current folder holds
    a claims file, say so: "Not in the corpus" would otherwise read as about the user's own."""
    from gpu_brief.store import bundled_claims_path, claims_files_here, resolve_claims_path

    path = resolve_claims_path(option)
    if path == bundled_claims_path() and (here := claims_files_here()):
        import shlex

        from gpu_brief.render import warning_line

        # several claims files here: name them all, the first is no likelier the user's than the others
        named = (
            f"{here[0]} here is a claims file: pass --claims {shlex.quote(str(here[0]))}"
            if len(here) == 1
            else f"{len(here)} claims files here ({', '.join(str(p) for p in here[:5])}"
            f"{', ...' if len(here) > 5 else ''}): pass --claims with the one to ask"
        )
        warning_line(
            f"using the bundled corpus (no --claims, $GPU_BRIEF_CLAIMS or ./data/claims.yaml); {named}"
        )
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
def _terminate_as_interrupt() -> Iterator[None]:
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


# --- ingest ----------------------------------------------------------------------------------


@app.command()
@handle_errors
def ingest(
    folder: Annotated[
        Path | None,
        typer.Argument(
            help="Folder of articles (UTF-8 text) (default: ./seeds; never a folder taken from "
            "an existing claims file)."
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Claims file to write (default: $GPU_BRIEF_CLAIMS, the file the other commands "
            "read, else ./data/claims.yaml).",
            dir_okay=False,
            envvar="GPU_BRIEF_CLAIMS",
            show_envvar=False,
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Write nothing; exit 1 if the claims file is stale against its sources (for CI)."
        ),
    ] = False,
    gazetteer: Annotated[
        list[Path] | None,
        typer.Option(
            "--gazetteer",
            help="Your gazetteer YAML (names, aliases, types, roles), applied on top of NER; "
            "repeatable; recorded in the claims file.",
        ),
    ] = None,
    domain: Annotated[
        list[str] | None,
        typer.Option(
            "--domain",
            help="A bundled domain pack's gazetteer to apply (ai-news); repeatable; recorded. "
            "Default: ai-news for ./seeds, none for your own folder; `none` for none.",
        ),
    ] = None,
    lexicon: Annotated[
        list[Path] | None,
        typer.Option(
            "--lexicon",
            help="Your lexicon YAML (en_fr translations, fr_synonyms), added to the bundled ones for "
            "questions on this corpus; repeatable; kept in the claims file.",
        ),
    ] = None,
    suggest_gazetteer: Annotated[
        Path | None,
        typer.Option(
            "--suggest-gazetteer",
            help="Also write a gazetteer stub to edit: the entities found and, commented out, "
            "the candidate names.",
            dir_okay=False,
        ),
    ] = None,
    all_candidates: Annotated[
        bool, typer.Option("--all-candidates", help="List every candidate name, not the first 15.")
    ] = False,
    pattern: Annotated[
        list[str] | None,
        typer.Option(
            "--pattern",
            help="Which files are articles (a glob; repeatable: any of them). Default: the patterns "
            "the claims file was made with, else *.txt.",
        ),
    ] = None,
    max_size: Annotated[
        float,
        typer.Option(
            "--max-size", min=0.000001, max=1e6, help="Skip (with a warning) files larger than this, in MB."
        ),
    ] = 2.0,
    jobs: Annotated[int, typer.Option("-j", "--jobs", min=0, help="Worker processes; 0 = one per CPU.")] = 0,
    full: Annotated[bool, typer.Option("--full", help="Re-analyse every file, even unchanged ones.")] = False,
    progress: Annotated[
        bool | None,
        typer.Option("--progress/--no-progress", help="Progress bar (default: when on a terminal)."),
    ] = None,
    output_format: Annotated[TextFormat, typer.Option("--format", help="Summary format.")] = TextFormat.text,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace the -o file even if it is not a claims file, or one made from another folder.",
        ),
    ] = False,
    follow_links: Annotated[
        bool,
        typer.Option(
            "--follow-links", help="Also read symlinks that lead out of the folder (skipped by default)."
        ),
    ] = False,
) -> None:
    """Split articles into sourced claims (one per sentence) and write the claims file.

    A bad file among good ones (not UTF-8, empty, binary, too large, unreadable) is skipped with
    a warning and the rest is ingested (exit 0); a missing or empty folder, or one where no file
    is usable, is an error (exit 2). The claims file is replaced atomically: an interrupted run
    leaves the previous one intact. Unchanged files are reused from the previous claims file.
    """
    from gpu_brief import service

    if max_size != max_size:  # NaN passes the range check: no comparison holds for it
        raise fail("invalid value for '--max-size': nan is not a size in MB")
    out = output if output is not None else Path("data") / "claims.yaml"
    if check:
        stale, options = service.check_claims(
            out,
            folder,
            gazetteer or [],
            pattern,
            int(max_size * 1e6),
            follow_links=follow_links,
            domains=domain,
            lexicons=lexicon,
        )
        import shlex

        from gpu_brief.render import print_check

        named = f" {shlex.quote(str(folder))}" if folder is not None else ""
        default = output is None and folder is None
        print_check(
            out,
            stale,
            "gpu-brief ingest" if default else f"gpu-brief ingest{named} -o {shlex.quote(str(out))}{options}",
        )
        raise typer.Exit(int(ExitCode.NOTHING_FOUND if stale else ExitCode.OK))
    with _terminate_as_interrupt():
        result = service.run_ingest(
            out,
            folder,
            gazetteer or [],
            patterns=pattern,
            max_bytes=int(max_size * 1e6),
            jobs=jobs or (os.cpu_count() or 1),
            reuse=not full,
            progress=progress,
            force=force,
            follow_links=follow_links,
            domains=domain,
            lexicons=lexicon,
        )
    if suggest_gazetteer is not None:
        from gpu_brief.gazetteers import write_stub

        write_stub(suggest_gazetteer, result, out)
    from gpu_brief.render import print_ingest

    print_ingest(result, out, output_format.value, all_candidates=all_candidates)


# --- ask -------------------------------------------------------------------------------------


@app.command()
@handle_errors
def ask(
    question: Annotated[str | None, typer.Argument(help="The question, in French or English.")] = None,
    questions: Annotated[
        str | None,
        typer.Option(
            "--questions",
            help="File of questions, one per line (`-` for stdin); with "
            "--format json, prints one JSON object per line.",
        ),
    ] = None,
    top: Annotated[int, typer.Option("--top", min=1, max=50, help="Citations to show.")] = 5,
    source: Annotated[
        str | None, typer.Option("--source", help="Only cite this source file (name as ingested).")
    ] = None,
    claims: ClaimsOption = None,
    output_format: Annotated[TextFormat, typer.Option("--format", help="Output format.")] = TextFormat.text,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Write to this file instead of stdout (refuses to "
            "overwrite an existing file without --force).",
            dir_okay=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the -o file if it exists.")] = False,
    scores: Annotated[bool, typer.Option("--scores", help="Show BM25 scores in text output.")] = False,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain", help="Show why: the features and weights behind the answer or the abstention."
        ),
    ] = False,
) -> None:
    """Answer a question from the corpus, with citations (exit 1 when the corpus has no answer).

    The answer is a verbatim span of the best passage; every citation is re-checked against its
    source file before printing. Questions may be French or English.
    """
    from gpu_brief import render, service
    from gpu_brief.questions import QuestionsFile, check_question

    if (question is None) == (questions is None):
        raise fail("give one question, or --questions FILE")
    batch = QuestionsFile(questions) if questions else None
    asked = iter(batch) if batch else iter([check_question(question or "")])
    claims_path = _resolve_claims(claims)
    answerer = service.answerer_for(claims_path, warn=render.warning_line)
    service.check_source(answerer, source)
    tally = service.Tally()
    answers = service.answer_each(answerer, asked, top=top, source=source, tally=tally, explain=explain)
    if batch is not None:
        answers = _numbered(answers, batch)
    fmt, index, many = output_format.value, answerer.index, batch is not None
    if output is not None:
        pieces = render.answer_pieces(
            answers, fmt, batch=many, index=index, claims_path=claims_path, document=output
        )
        service.write_output(output, pieces, force, index, claims_path)
        count = tally.answered + tally.abstained
        render.console(stderr=True).print(
            f"wrote {render.inert(str(output))}: {render.plural(count, 'answer')}"
        )
    else:
        render.stream_answers(
            answers, fmt, batch=many, show_scores=scores, index=index, claims_path=claims_path
        )
    from gpu_brief.store import bundled_claims_path

    if not tally.answered and claims is None and claims_path == bundled_claims_path():
        # a script that lost its GPU_BRIEF_CLAIMS asks the bundled corpus: an abstention must not
        # read as one about the user's own articles
        render.warning_line(
            f"searched the bundled corpus ({render.plural(len(index.sources), 'article')} on OpenAI and AI "
            "chips); for your own, pass --claims FILE or set GPU_BRIEF_CLAIMS"
        )
    raise typer.Exit(_batch_code(batch, tally))


def _numbered(answers: Iterator[Any], batch: Any) -> Iterator[Any]:
    """Each answer with its line in the questions file: skipped lines and list markers taken off
    would otherwise leave a script unable to pair answers with its questions."""
    for answer in answers:
        answer.line = batch.line
        yield answer


def _batch_code(batch: Any, tally: Any) -> int:
    """Report the lines of a questions file that were skipped or changed; the exit code: 2 when a
    line was skipped, 1 when every question was abstained, else 0."""
    from gpu_brief.render import console, inert, warning_line

    if batch is not None:
        warnings, notes = batch.notes()
        for line in warnings:
            warning_line(line)
        for line in notes:
            console(stderr=True).print(inert(line, keep_newlines=False))
        if batch.skipped:
            return int(ExitCode.BAD_INPUT)
    return int(ExitCode.NOTHING_FOUND if not tally.answered else ExitCode.OK)


# --- eval ------------------------------------------------------------------------------------


@app.command("eval")
@handle_errors
def eval_command(
    questions_file: Annotated[
        Path,
        typer.Argument(help="Question set (YAML: id, lang, question, expect, answer; README, Evaluation)."),
    ],
    claims: ClaimsOption = None,
    top: Annotated[int, typer.Option("--top", min=3, max=50, help="Citations per answer.")] = 5,
    details: Annotated[bool, typer.Option("--details", help="List every question that missed.")] = False,
    output_format: Annotated[TextFormat, typer.Option("--format", help="Output format.")] = TextFormat.text,
) -> None:
    """Measure R@1, R@3, MRR, abstention and answer spans on a question set, per language."""
    from gpu_brief import render, service
    from gpu_brief.evaluate import check_expectations, evaluate, read_question_set

    question_set = read_question_set(questions_file)
    answerer = service.answerer_for(_resolve_claims(claims), warn=render.warning_line)
    check_expectations(questions_file, question_set, lambda source: service.text_of(answerer, source))
    report = evaluate(question_set, lambda q: render.answer_dict(answerer.ask(q, top=top)))
    render.print_eval(report, output_format.value, details=details)


# --- export, verify, chat --------------------------------------------------------------------


@app.command()
@handle_errors
def export(
    questions_file: Annotated[str, typer.Argument(help="Questions, one per line (`-` for stdin).")],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Markdown file to write (refuses to overwrite without --force) (default: stdout).",
            dir_okay=False,
        ),
    ] = None,
    title: Annotated[str, typer.Option("--title", help="Title of the briefing.")] = "Briefing",
    top: Annotated[int, typer.Option("--top", min=1, max=20, help="Quotes per answer.")] = 3,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the -o file if it exists.")] = False,
    claims: ClaimsOption = None,
) -> None:
    """A Markdown briefing: one section per question, with footnoted quotes, sources and the corpus
    fingerprint. `gpu-brief verify` re-checks it later. Exit 1 when every question was abstained."""
    from gpu_brief import render, service
    from gpu_brief.questions import QuestionsFile

    batch = QuestionsFile(questions_file)
    claims_path = _resolve_claims(claims)
    answerer = service.answerer_for(claims_path, warn=render.warning_line)
    tally = service.Tally()
    answers = list(service.answer_each(answerer, batch, top=top, source=None, tally=tally))
    document = render.briefing_markdown(
        answerer.index, claims_path, answers, title, service.generated_at(), output
    )
    if output is None:
        render.write(document)
    else:
        service.write_output(output, document, force, answerer.index, claims_path)
        render.console(stderr=True).print(
            f"wrote {render.inert(str(output))}: {render.plural(len(answers), 'question')}"
        )
    raise typer.Exit(_batch_code(batch, tally))


@app.command()
@handle_errors
def verify(
    document: Annotated[
        Path, typer.Argument(help="A Markdown file written by `export` or `ask --format markdown`.")
    ],
    claims: ClaimsOption = None,
    output_format: Annotated[TextFormat, typer.Option("--format", help="Output format.")] = TextFormat.text,
) -> None:
    """Re-check every quoted citation of a document against the sources at its offsets.

    Exit 0 when all still match; 1 listing each broken citation (edited source, missing file,
    altered quote); 2 when the file is not a gpu-brief document, or none of its sources is
    where it recorded them (pass --claims).
    """
    from gpu_brief import render, service

    path, cited, problems = service.verify_document(document, claims)
    render.print_verify(path, cited, problems, output_format.value)
    if problems:
        raise typer.Exit(int(ExitCode.NOTHING_FOUND))


@app.command()
@handle_errors
def chat(
    top: Annotated[int, typer.Option("--top", min=1, max=50, help="Citations per answer.")] = 3,
    source: Annotated[str | None, typer.Option("--source", help="Only cite this source file.")] = None,
    claims: ClaimsOption = None,
) -> None:
    """Ask one question after another; the index loads once. Type :help for commands;
    Ctrl-D or :quit leaves."""
    from gpu_brief import chat as chat_module
    from gpu_brief import render, service

    claims_path = _resolve_claims(claims)
    answerer = service.answerer_for(claims_path, warn=render.warning_line)
    service.check_source(answerer, source)
    session = chat_module.ChatSession(answerer, claims_path, top=top, source=source)
    code = chat_module.run(session, render.ChatView())
    raise typer.Exit(code)


# --- browsing --------------------------------------------------------------------------------


class EntityType(StrEnum):
    person = "person"
    organisation = "organisation"
    product = "product"
    place = "place"
    media = "media"
    other = "other"


@app.command()
@handle_errors
def claims(
    entity: Annotated[
        list[str] | None,
        typer.Option(
            "-e",
            "--entity",
            help="Claims mentioning this entity, by any alias; repeat for claims mentioning all of them.",
        ),
    ] = None,
    source: Annotated[str | None, typer.Option("--source", help="Only this source file.")] = None,
    grep: Annotated[
        str | None,
        typer.Option(
            "--grep",
            help="Regular expression matched ignoring case and accents (`electricite` finds `électricité`).",
        ),
    ] = None,
    figures: Annotated[
        bool, typer.Option("--figures", help="Only claims that carry figures, shown parsed.")
    ] = False,
    claims_file: ClaimsOption = None,
    output_format: Annotated[ListFormat, typer.Option("--format", help="Output format.")] = ListFormat.text,
) -> None:
    """Grep claims by entity, source, pattern and figures (exit 1 when nothing matches)."""
    from gpu_brief import browse, render, service
    from gpu_brief import sources as files

    index = service.open_index(_resolve_claims(claims_file))
    missing = files.missing_root(index)
    if missing is not None:
        raise StaleError(missing)
    # as `ask` does: a source changed since ingest is left out (its offsets no longer hold), the
    # others are still searched
    stale = dict(files.stale_sources(index))
    if source in stale:
        raise StaleError(f"--source {source}: {stale[source]}; {files.reingest_hint(index)}")
    for file, why in stale.items():
        render.warning_line(f"{file} {why}: left out of the matches; {files.reingest_hint(index)}")
    matches = browse.find_claims(index, entity or [], source, grep, figures)
    matches = [m for m in matches if m.record.source not in stale]
    files.verify_records(index, [m.record for m in matches])
    render.print_claims(matches, output_format.value)
    if not matches:
        render.error_line("no claim matches " + browse.describe_filters(entity or [], source, grep, figures))
        raise typer.Exit(int(ExitCode.NOTHING_FOUND))


@app.command()
@handle_errors
def entities(
    entity_type: Annotated[EntityType | None, typer.Option("--type", help="Only this type.")] = None,
    claims_file: ClaimsOption = None,
    output_format: Annotated[ListFormat, typer.Option("--format", help="Output format.")] = ListFormat.text,
) -> None:
    """The entities of the corpus: name, type, aliases, and how many claims and sources."""
    from gpu_brief import browse, render, service

    index = service.open_index(_resolve_claims(claims_file))
    rows = browse.entity_table(index, entity_type.value if entity_type else None)
    render.print_entities(rows, output_format.value)
    if not rows:
        raise typer.Exit(int(ExitCode.NOTHING_FOUND))


@app.command()
@handle_errors
def sources(
    claims_file: ClaimsOption = None,
    output_format: Annotated[ListFormat, typer.Option("--format", help="Output format.")] = ListFormat.text,
) -> None:
    """The ingested sources: file, title, URL, claims, sha256."""
    from gpu_brief import render, service
    from gpu_brief.sources import missing_root, reingest_hint, stale_sources

    index = service.open_index(_resolve_claims(claims_file))
    stale = dict(stale_sources(index))
    missing = missing_root(index)
    if missing is not None:
        render.warning_line(missing)  # one line, not one per source
    for file, why in stale.items() if missing is None else ():
        render.warning_line(f"{file} {why}: {reingest_hint(index)}")
    render.print_sources(index.sources, output_format.value, str(index.header["root"]), stale)


@app.command()
@handle_errors
def show(
    claim_id: Annotated[str, typer.Argument(help="A claim id, as printed by `ask` and `claims`.")],
    claims_file: ClaimsOption = None,
    output_format: Annotated[ListFormat, typer.Option("--format", help="Output format.")] = ListFormat.text,
) -> None:
    """One claim highlighted inside its paragraph, with file:line."""
    from gpu_brief import browse, render, service
    from gpu_brief import sources as files

    index = service.open_index(_resolve_claims(claims_file))
    record = browse.find_claim(index, claim_id)
    text = files.source_text(index, record.source)
    files.verify_records(index, [record])
    start, end = browse.paragraph_of(text, record)
    render.print_show(record, text[start:end], start, output_format.value)


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

                error_line(f"{exc.format_message()}{where}")
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
