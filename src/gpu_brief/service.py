"""File-level operations behind the commands: locate, read, analyse, write, cache.

The CLI calls one function here per command; these functions do the I/O around the pure core
(`ingest`, `index`, `answer`) so that the core stays testable on plain data.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gpu_brief import hashing
from gpu_brief.errors import ClaimsFileError, InputError, NewerFormatError
from gpu_brief.sources import (
    _shown,
    verify_records,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from gpu_brief.index import SearchIndex
    from gpu_brief.ingest import IngestResult
    from gpu_brief.qa import Answer, Citation, Engine

from gpu_brief.corpus import (
    Corpus,
    build_index,
    cache_corpus,
    corpus_domains,
    corpus_from_claims_file,
    load_corpus,
    open_index,
)
from gpu_brief.documents import append_answers, verify_document
from gpu_brief.ingest_guards import default_folder, refuse_another_folder, refuse_overwriting_a_source

__all__ = [
    "Corpus",
    "append_answers",
    "build_index",
    "cache_corpus",
    "claim_texts",
    "corpus_domains",
    "corpus_from_claims_file",
    "load_corpus",
    "open_index",
    "verify_document",
]

PIPELINE_VERSION = 34  # bump when segmentation, entities or figures change what ingest writes


def _gazetteer_paths(
    output: Path, given: list[Path], previous: Corpus | None
) -> tuple[list[Path], list[str]]:
    """Gazetteers to use and how to record them: only those given on the command line. Those a
    previous claims file records are not read again (a shared file could name any file); a
    warning says how to keep them."""
    from gpu_brief.render import warning_line
    from gpu_brief.store import relative_root, sources_root

    if given:
        return given, [relative_root(output, p) for p in given]
    if previous is not None and previous.header["gazetteers"]:
        recorded = [shlex.quote(_shown(sources_root(output, str(g)))) for g in previous.header["gazetteers"]]
        warning_line(
            f"{output} was made with gazetteers it records ({', '.join(recorded)}); ingest reads only "
            f"those on its command line: add {' '.join('--gazetteer ' + g for g in recorded)} to keep them"
        )
    return [], []


def build(
    output: Path,
    folder: Path | None,
    gazetteers: list[Path],
    *,
    patterns: list[str] | None,
    max_bytes: int,
    domains: list[str] | None = None,
    lexicons: list[Path] | None = None,
    jobs: int = 1,
    reuse: bool = True,
    progress: bool | None = False,
    follow_links: bool = False,
    force: bool = False,
    check: bool = False,
) -> tuple[IngestResult, Corpus | None]:
    """Analyse the folder into units for a claims file at `output` (nothing written)."""
    from gpu_brief.folder import DEFAULT_PATTERN
    from gpu_brief.ingest import ingest_folder
    from gpu_brief.render import progress_bar, warning_line

    previous: Corpus | None = None
    if output.exists():
        try:
            previous = load_corpus(output, validate=False)
        except NewerFormatError as exc:
            if not force:  # rewriting it in the older format would lose what the newer one keeps
                raise InputError(f"{exc}; or pass --force to replace it") from None
            warning_line(f"not reusing {exc}")
        except ClaimsFileError as exc:
            # A broken or foreign file is rebuilt from the folder, never a reason to refuse to ingest.
            warning_line(f"not reusing {exc}")
    if folder is not None and previous is not None and not force:
        refuse_another_folder(output, folder, previous)
    source_folder = folder if folder is not None else default_folder(output, previous, check)
    from gpu_brief.gazetteers import choose_domains, load_entities, pipeline_fingerprint

    paths, recorded = _gazetteer_paths(output, gazetteers, previous)
    packs = choose_domains(domains or [], folder, output, previous.header if previous else None)
    entities = load_entities(paths, packs)
    fingerprint = pipeline_fingerprint(paths, packs)
    lexicon = _user_lexicon(lexicons or [], previous, folder)
    if not patterns:
        # a re-ingest without --pattern reads the files the claims file was made from: its
        # recorded patterns, not the default (which would drop every .md article)
        patterns = (previous.header.get("patterns") if previous is not None and not force else None) or [
            DEFAULT_PATTERN
        ]
    reusable = None
    if reuse and previous is not None and previous.header["pipeline"] == fingerprint:
        reusable = {unit.file: unit for unit in previous.units}
    with progress_bar(progress) as (on_start, advance):
        result = ingest_folder(
            source_folder,
            output,
            entities,
            recorded,
            domains=packs,
            lexicon=lexicon,
            patterns=patterns,
            max_bytes=max_bytes,
            previous=reusable,
            jobs=jobs,
            progress=advance,
            on_start=on_start,
            pipeline=fingerprint,
            follow_links=follow_links,
        )
    if previous is not None:
        kept = {unit.file for unit in result.units}
        result.removed = [unit.file for unit in previous.units if unit.file not in kept]
    return result, previous


def _user_lexicon(paths: list[Path], previous: Corpus | None, folder: Path | None) -> dict[str, Any] | None:
    """The user's lexicons merged, to keep in the claims file (data, not a path: a shared claims
    file reads no file of its own choosing). Without --lexicon, a re-ingest keeps the one the
    claims file holds."""
    from gpu_brief.lexicons import merge_lexicons, read_lexicons

    if paths:
        return merge_lexicons(read_lexicons(paths), [str(p) for p in paths])
    if previous is not None:
        return previous.header.get("lexicon") or None
    return None


def run_ingest(
    output: Path,
    folder: Path | None,
    gazetteers: list[Path],
    *,
    patterns: list[str] | None,
    max_bytes: int,
    jobs: int,
    reuse: bool,
    progress: bool | None,
    force: bool = False,
    follow_links: bool = False,
    domains: list[str] | None = None,
    lexicons: list[Path] | None = None,
) -> IngestResult:
    """Ingest and atomically replace the claims file, under a lock; then cache what the next
    ingest and the first question need, so neither has to parse the YAML again."""
    from gpu_brief.store import atomic_write, check_output_path, claims_file_lines, exclusive, is_claims_file

    if output.exists() and output.is_dir():
        raise InputError(f"{output}: is a folder; give the claims file to write with -o")
    check_output_path(output)
    if output.exists() and not force and not is_claims_file(output):
        raise InputError(f"{output}: exists and is not a gpu-brief claims file (use --force to replace it)")
    with exclusive(output):
        result, _ = build(
            output,
            folder,
            gazetteers,
            patterns=patterns,
            max_bytes=max_bytes,
            domains=domains,
            lexicons=lexicons,
            jobs=jobs,
            reuse=reuse,
            progress=progress,
            follow_links=follow_links,
            force=force,
        )
        refuse_overwriting_a_source(output, result)
        digest = hashing.sha256()

        def hashed() -> Iterator[bytes]:
            for piece in claims_file_lines(result.header, result.units, result.catalog):
                data = piece.encode("utf-8")
                digest.update(data)
                yield data

        atomic_write(output, hashed())
    cache_corpus(output, Corpus(result.header, result.catalog, result.units), digest.hexdigest())
    return result


def check_claims(
    output: Path,
    folder: Path | None,
    gazetteers: list[Path],
    patterns: list[str] | None,
    max_bytes: int,
    follow_links: bool = False,
    domains: list[str] | None = None,
    lexicons: list[Path] | None = None,
) -> tuple[list[str], str]:
    """Why the claims file is stale (empty when a rebuild would give identical bytes), and the
    `--gazetteer` options of the gazetteers it records when none were given (the command to
    rebuild it must name them: ingest never reads a gazetteer from the claims file)."""
    from gpu_brief.sources import gazetteer_options
    from gpu_brief.store import claims_file_lines

    if not output.is_file():
        raise InputError(f"{output}: no claims file to check (run `gpu-brief ingest` to make it)")
    result, previous = build(
        output,
        folder,
        gazetteers,
        patterns=patterns,
        max_bytes=max_bytes,
        domains=domains,
        lexicons=lexicons,
        reuse=False,
        progress=False,
        follow_links=follow_links,
        check=True,
    )
    fresh = hashing.sha256()
    for piece in claims_file_lines(result.header, result.units, result.catalog):
        fresh.update(piece.encode("utf-8"))
    from gpu_brief.store import read_regular

    try:
        current = hashing.sha256(read_regular(output))
    except OSError as exc:
        raise InputError(f"{output}: cannot read claims file: {exc.strerror}") from None
    recorded = previous.header["gazetteers"] if previous is not None and not gazetteers else []
    options = gazetteer_options(output, recorded)
    if fresh.digest() == current.digest():
        return [], options
    reasons: list[str] = []
    if recorded:
        reasons.append(f"made with gazetteers this check was not given: add{options}")
    old = {u.file: u.meta["sha256"] for u in previous.units} if previous else {}
    new = {u.file: u.meta["sha256"] for u in result.units}
    reasons += [f"{f}: new source" for f in sorted(new.keys() - old.keys())]
    reasons += [f"{f}: source removed" for f in sorted(old.keys() - new.keys())]
    reasons += [f"{f}: source changed" for f in sorted(new.keys() & old.keys()) if new[f] != old[f]]
    if not reasons:
        reasons.append(
            "claims differ from a fresh ingest of unchanged sources (edited by hand, or made by "
            f"another version: sha256 {current.hexdigest()[:12]} vs {fresh.hexdigest()[:12]})"
        )
    return reasons, options


def verify_citations(index: SearchIndex, answers: Iterable[Answer]) -> None:
    """Re-read every cited source; a changed file or a quote that no longer matches is an error.

    Runs before anything is printed, so a stale claims file never produces a wrong quote.
    """
    verify_records(index, [cite.record for answer in answers for cite in _all_citations(answer)])


def _all_citations(answer: Answer) -> Iterator[Citation]:
    for cite in answer.citations:
        yield cite
        yield from cite.also_in
        for other, _ in cite.conflicts:
            yield other


def answerer_for(claims_path: Path, warn: Callable[[str], None] | None = None) -> Engine:
    """The engine of a claims file, without the sources changed since ingest (each named through
    `warn`, with the command that re-ingests them): their claims are never cited."""
    from gpu_brief.errors import StaleError
    from gpu_brief.qa import Engine
    from gpu_brief.sources import reingest_hint, stale_sources

    index = open_index(claims_path)
    stale = stale_sources(index)
    if stale and len(stale) == len(index.sources):
        file, why = stale[0]  # nothing left to answer from: the error names the first
        raise StaleError(f"{file} {why}: {reingest_hint(index)}")
    for file, why in stale:
        if warn is not None:
            warn(f"{file} {why}: left out of the answers; {reingest_hint(index)}")
    engine = Engine(index)
    engine.why_left_out = dict(stale)
    return engine


def text_of(answerer: Engine, source: str) -> str | None:
    """A source's text as ingest read it (sha256 checked), None when the claims file has no
    such source."""
    from gpu_brief.sources import source_text

    if source not in {s["file"] for s in answerer.index.sources}:
        return None
    return source_text(answerer.index, source)


def claim_texts(answerer: Engine, source: str) -> list[tuple[str, list[str]]]:
    """The texts of a source's claims, in order, each with the names its pronoun stands for
    (none for a source the claims file lacks)."""
    found = answerer.source_range(source)
    if found is None:
        return []
    records = (answerer.index.record(i) for i in range(*found))
    return [(r.text, [str(a["name"]) for a in r.antecedents]) for r in records]


def check_source(answerer: Engine, source: str | None, option: str = "--source") -> None:
    if source is None:
        return
    names = [s["file"] for s in answerer.index.sources]
    if source in answerer.left_out:
        from gpu_brief.errors import StaleError
        from gpu_brief.sources import reingest_hint

        raise StaleError(
            f"{option} {source}: changed since ingest or unreadable; {reingest_hint(answerer.index)}"
        )
    if source in names:
        return
    from gpu_brief.sources import close_sources

    close = close_sources(source, names)
    hint = (
        f" (did you mean {', '.join(close)}?)"
        if close
        else f" (known: {len(names)} sources, see `gpu-brief sources`)"
    )
    raise InputError(f"{option} {source}: no such source in the claims file{hint}")


def write_output(
    path: Path, content: str | Iterable[str], force: bool, index: SearchIndex, claims_path: Path
) -> None:
    """Write a result file atomically; never over a source or the claims file, never into the
    sources folder, nor silently over anything."""
    from gpu_brief.sources import check_output_target
    from gpu_brief.store import atomic_write, check_output_path

    check_output_target(path, index, claims_path)
    check_output_path(path)
    if path.exists() and not force:
        raise InputError(f"{path}: already exists (use --force to overwrite it)")
    atomic_write(path, content)


@dataclass
class Tally:
    """How a batch went: the exit code depends on whether anything was answered."""

    answered: int = 0
    abstained: int = 0


def answer_each(
    answerer: Engine,
    questions: Iterable[str],
    *,
    top: int,
    source: str | None,
    tally: Tally,
    explain: bool = False,
) -> Iterator[Answer]:
    """Answer questions one by one, each re-checked against its sources before it is yielded:
    a batch streams (the first answer prints at once) and holds one answer at a time."""
    seen: dict[str, tuple[list[int], str]] = {}
    for question in questions:
        answer = answerer.ask(question, top=top, source=source, explain=explain)
        verify_records(answerer.index, [c.record for c in _all_citations(answer)], seen)
        if answer.abstained:
            tally.abstained += 1
        else:
            tally.answered += 1
        yield answer


def generated_at() -> str:
    """Now, in UTC; SOURCE_DATE_EPOCH (the reproducible-builds convention) pins it."""
    import os
    from datetime import UTC, datetime

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else datetime.now(UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")
