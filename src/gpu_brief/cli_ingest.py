"""`gpu-brief ingest`: articles -> claims file (the Typer layer; the work is `service.build`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from gpu_brief.cli import (
    TextFormat,
    app,
    fail,
    handle_errors,
    terminate_as_interrupt,
)
from gpu_brief.errors import ClaimsFileError, ExitCode


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
            help="Which files are articles: a glob on the file name at any depth ('*.md'), or with "
            "'/' on its path in the folder ('**/*.md', 'lavande/*.txt'); repeatable: any of them. "
            "Default: the patterns the claims file was made with, else *.txt.",
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
    with terminate_as_interrupt():
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
    from gpu_brief.store import resolve_claims_path

    # a claims file `ask` and the others will not find by themselves: the summary says how
    try:
        by_default = resolve_claims_path(None).resolve() == out.resolve()
    except ClaimsFileError:  # $GPU_BRIEF_CLAIMS names a folder: the other commands will say so
        by_default = False
    print_ingest(result, out, output_format.value, all_candidates=all_candidates, read_by_default=by_default)
