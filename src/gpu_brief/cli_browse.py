"""`claims`, `entities`, `sources`, `show`: browsing a corpus's claims (Typer layer)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from gpu_brief.cli import (
    ClaimsOption,
    ListFormat,
    app,
    handle_errors,
    resolve_claims,
)
from gpu_brief.errors import ExitCode, StaleError


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

    index = service.open_index(resolve_claims(claims_file))
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
        message = "no claim matches " + browse.describe_filters(entity or [], source, grep, figures)
        if entity and len(entity) == 1 and not grep and not figures:
            where = browse.only_in_headings(index, entity[0], source)
            message += f": {where}" if where else ""
        render.error_line(message)
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

    index = service.open_index(resolve_claims(claims_file))
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

    index = service.open_index(resolve_claims(claims_file))
    stale = dict(stale_sources(index, missing_ok=True))
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

    index = service.open_index(resolve_claims(claims_file))
    record = browse.find_claim(index, claim_id)
    text = files.source_text(index, record.source)
    files.verify_records(index, [record])
    start, end = browse.paragraph_of(text, record)
    render.print_show(record, text[start:end], start, output_format.value)
