"""Answers as they come: printed one by one, or as a document's pieces for `-o`."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from gpu_brief.render.answers import answer_dict, print_answer
from gpu_brief.render.markdown import answers_markdown
from gpu_brief.render.terminal import console, inert_json, write

if TYPE_CHECKING:
    from pathlib import Path

    from gpu_brief.index import SearchIndex
    from gpu_brief.qa.result import Answer


def answer_pieces(
    answers: Iterable[Answer],
    fmt: str,
    *,
    batch: bool,
    index: SearchIndex | None = None,
    claims_path: Path | None = None,
    document: Path | None = None,
) -> Iterator[str]:
    """Answers as a document for -o, piece by piece: JSON (one object, or JSON Lines for a batch)
    and text are written as the answers come; Markdown needs them all for its metadata."""
    if fmt == "markdown":
        if index is None or claims_path is None:
            raise ValueError("Markdown answers need the index and the claims file they came from")
        yield answers_markdown(index, claims_path, list(answers), document)
        return
    if fmt == "json":
        for a in answers:
            yield inert_json(answer_dict(a)) + "\n" if batch else inert_json(answer_dict(a), indent=2) + "\n"
        return
    import io

    from rich.console import Console

    for a in answers:
        capture = Console(
            file=io.StringIO(), width=100, highlight=False, markup=False, emoji=False, soft_wrap=True
        )
        print_answer(a, out=capture)
        capture.print()
        yield str(capture.file.getvalue())  # type: ignore[attr-defined]


def stream_answers(
    answers: Iterable[Answer],
    fmt: str,
    *,
    batch: bool,
    show_scores: bool = False,
    index: SearchIndex | None = None,
    claims_path: Path | None = None,
) -> None:
    """Print each answer as soon as it is ready (a batch of 100,000 starts printing at once)."""
    if fmt == "markdown":
        if index is None or claims_path is None:
            raise ValueError("Markdown answers need the index and the claims file they came from")
        write(answers_markdown(index, claims_path, list(answers)))
        return
    for i, a in enumerate(answers):
        if fmt == "json":
            sys.stdout.write(
                inert_json(answer_dict(a)) + "\n" if batch else inert_json(answer_dict(a), indent=2) + "\n"
            )
        else:
            if i:
                console().print()
            print_answer(a, show_scores=show_scores)
        sys.stdout.flush()
