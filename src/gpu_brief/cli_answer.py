"""`ask`, `eval`, `export`, `verify`, `chat`: questions in, cited answers out (Typer layer)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from gpu_brief.cli import (
    ClaimsOption,
    TextFormat,
    app,
    fail,
    handle_errors,
    resolve_claims,
)
from gpu_brief.errors import ExitCode


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
    claims_path = resolve_claims(claims)
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
    from gpu_brief.render import note_line, warning_line

    if batch is not None:
        warnings, notes = batch.notes()
        for line in warnings:
            warning_line(line)
        for line in notes:
            note_line(line)
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
    answerer = service.answerer_for(resolve_claims(claims), warn=render.warning_line)
    for warning in check_expectations(
        questions_file,
        question_set,
        lambda source: service.text_of(answerer, source),
        lambda source: service.claim_texts(answerer, source),
        [str(s["file"]) for s in answerer.index.sources],
    ):
        render.warning_line(warning)
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
    claims_path = resolve_claims(claims)
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

    path, cited, problems, edited = service.verify_document(document, claims)
    render.print_verify(path, cited, problems, output_format.value, edited)
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

    claims_path = resolve_claims(claims)
    answerer = service.answerer_for(claims_path, warn=render.warning_line)
    service.check_source(answerer, source)
    session = chat_module.ChatSession(answerer, claims_path, top=top, source=source)
    code = chat_module.run(session, render.ChatView())
    raise typer.Exit(code)
