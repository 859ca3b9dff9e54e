"""File-level operations behind the commands: locate, read, analyse, write, cache.

The CLI calls one function here per command; these functions do the I/O around the pure core
(`ingest`, `index`, `answer`) so that the core stays testable on plain data.
"""

from __future__ import annotations

import hashlib
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gpu_brief.errors import ClaimsFileError, InputError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from gpu_brief.answer import Answer, Answerer, Citation
    from gpu_brief.export import Cited, Problem
    from gpu_brief.index import ClaimRecord, SearchIndex
    from gpu_brief.ingest import IngestResult
    from gpu_brief.models import ClaimsFile, Figure, Mention
    from gpu_brief.units import Unit

PIPELINE_VERSION = 5  # bump when segmentation, entities or figures change what ingest writes


def _default_folder(output: Path, previous: Corpus | None) -> Path:
    from gpu_brief.store import sources_root

    if previous is not None:
        return sources_root(output, previous.header["root"])
    if Path("seeds").is_dir():
        return Path("seeds")
    raise InputError("no folder given and ./seeds does not exist: `gpu-brief ingest FOLDER`")


def _gazetteer_paths(
    output: Path, given: list[Path], previous: Corpus | None
) -> tuple[list[Path], list[str]]:
    """Gazetteers to use (given ones, else those recorded) and how to record them."""
    from gpu_brief.store import relative_root, sources_root

    if given:
        return given, [relative_root(output, p) for p in given]
    if previous is not None and previous.header["gazetteers"]:
        recorded = [str(g) for g in previous.header["gazetteers"]]
        return [sources_root(output, g) for g in recorded], recorded
    return [], []


def build(
    output: Path,
    folder: Path | None,
    gazetteers: list[Path],
    *,
    pattern: str,
    max_bytes: int,
    domains: list[str] | None = None,
    jobs: int = 1,
    reuse: bool = True,
    progress: bool | None = False,
) -> tuple[IngestResult, Corpus | None]:
    """Analyse the folder into units for a claims file at `output` (nothing written)."""
    from gpu_brief.ingest import ingest_folder
    from gpu_brief.render import progress_bar, warning_line

    previous: Corpus | None = None
    if output.exists():
        try:
            previous = load_corpus(output, validate=False)
        except ClaimsFileError as exc:
            # A broken or foreign file is rebuilt from the folder, never a reason to refuse to ingest.
            warning_line(f"not reusing {exc}")
    source_folder = folder if folder is not None else _default_folder(output, previous)
    from gpu_brief.gazetteers import choose_domains, load_entities, pipeline_fingerprint

    paths, recorded = _gazetteer_paths(output, gazetteers, previous)
    packs = choose_domains(domains or [], folder, output, previous.header if previous else None)
    entities = load_entities(paths, packs)
    fingerprint = pipeline_fingerprint(paths, packs)
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
            pattern=pattern,
            max_bytes=max_bytes,
            previous=reusable,
            jobs=jobs,
            progress=advance,
            on_start=on_start,
            pipeline=fingerprint,
        )
    return result, previous


def run_ingest(
    output: Path,
    folder: Path | None,
    gazetteers: list[Path],
    *,
    pattern: str,
    max_bytes: int,
    jobs: int,
    reuse: bool,
    progress: bool | None,
    force: bool = False,
    domains: list[str] | None = None,
) -> IngestResult:
    """Ingest and atomically replace the claims file, under a lock; then cache what the next
    ingest and the first question need, so neither has to parse the YAML again."""
    from gpu_brief.store import atomic_write, claims_file_lines, exclusive

    if output.exists() and output.is_dir():
        raise InputError(f"{output}: is a folder; give the claims file to write with -o")
    if output.exists() and not force and not _is_claims_file(output):
        raise InputError(f"{output}: exists and is not a gpu-brief claims file (use --force to replace it)")
    with exclusive(output):
        result, _ = build(
            output,
            folder,
            gazetteers,
            pattern=pattern,
            max_bytes=max_bytes,
            domains=domains,
            jobs=jobs,
            reuse=reuse,
            progress=progress,
        )
        _refuse_overwriting_a_source(output, result)
        atomic_write(output, claims_file_lines(result.header, result.units, result.catalog))
    cache_corpus(output, Corpus(result.header, result.catalog, result.units))
    return result


def _is_claims_file(path: Path) -> bool:
    """A cheap look at the first lines: does this file say it is a gpu-brief claims file?"""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return b"\ngpu_brief: " in b"\n" + head


def _refuse_overwriting_a_source(output: Path, result: IngestResult) -> None:
    from gpu_brief.store import sources_root

    root = sources_root(output, result.header["root"])
    target = output.resolve()
    for unit in result.units:
        if (root / unit.file).resolve() == target:
            raise InputError(f"{output}: is one of the articles being ingested; choose another -o")


def check_claims(
    output: Path,
    folder: Path | None,
    gazetteers: list[Path],
    pattern: str,
    max_bytes: int,
    domains: list[str] | None = None,
) -> list[str]:
    """Why the claims file is stale (empty when a rebuild would give identical bytes)."""
    from gpu_brief.store import claims_file_lines

    if not output.is_file():
        raise InputError(f"{output}: no claims file to check (run `gpu-brief ingest` to make it)")
    result, previous = build(
        output,
        folder,
        gazetteers,
        pattern=pattern,
        max_bytes=max_bytes,
        domains=domains,
        reuse=False,
        progress=False,
    )
    fresh = hashlib.sha256()
    for piece in claims_file_lines(result.header, result.units, result.catalog):
        fresh.update(piece.encode("utf-8"))
    current = hashlib.sha256(output.read_bytes())
    if fresh.digest() == current.digest():
        return []
    reasons: list[str] = []
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
    return reasons


# --- the analysed corpus, the search index and their caches ----------------------------------

ENV_CACHE = "GPU_BRIEF_CACHE_DIR"


@dataclass
class Corpus:
    """A claims file's content as units: what ingest reuses and what the index is built from."""

    header: dict[str, Any]  # pipeline, root, gazetteers, domains
    catalog: list[dict[str, Any]]
    units: list[Unit]


def cache_dir() -> Path:
    """$GPU_BRIEF_CACHE_DIR, else $XDG_CACHE_HOME/gpu-brief, else ~/.cache/gpu-brief."""
    import os

    env = os.environ.get(ENV_CACHE)
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "gpu-brief"


def _resources() -> list[Path]:
    base = Path(__file__).resolve().parent / "resources"
    return [base / "domains" / "ai-news" / "gazetteer.yaml", base / "lexicon.yaml"]


def _cache_path(claims_path: Path, suffix: str, version: str) -> Path:
    """One cache file per claims file state: its path, size, mtime, and the versions that matter."""
    from gpu_brief.text import ANALYZER_VERSION

    real = claims_path.resolve()
    st = real.stat()
    digest = hashlib.sha256()
    digest.update(f"{real}|{st.st_size}|{st.st_mtime_ns}|{st.st_ino}|{version}|{ANALYZER_VERSION}".encode())
    for resource in _resources():
        digest.update(resource.read_bytes())
    place = hashlib.sha256(str(real).encode()).hexdigest()[:12]
    return cache_dir() / f"{place}-{digest.hexdigest()[:16]}{suffix}"


def _units_cache_path(claims_path: Path) -> Path:
    from gpu_brief.units import UNITS_VERSION

    return _cache_path(claims_path, ".units", f"units{UNITS_VERSION}")


def index_cache_path(claims_path: Path) -> Path:
    from gpu_brief.index import INDEX_VERSION

    return _cache_path(claims_path, ".idx", f"index{INDEX_VERSION}")


def _write_cache(path: Path, data: bytes | Iterable[str] | Iterable[bytes]) -> None:
    """Replace older caches of the same claims file; a read-only home only costs speed."""
    from gpu_brief.store import atomic_write

    try:
        place = path.name.split("-")[0]
        for stale in path.parent.glob(f"{place}-*{path.suffix}"):
            stale.unlink(missing_ok=True)
        atomic_write(path, data)
    except (OSError, InputError):
        pass


def cache_corpus(claims_path: Path, corpus: Corpus) -> SearchIndex:
    """Cache the units (for the next ingest) and the index (for the first question)."""
    import itertools
    import json

    header = json.dumps({"header": corpus.header, "catalog": corpus.catalog}, ensure_ascii=False)
    lines = itertools.chain([header + "\n"], (unit.to_json() + "\n" for unit in corpus.units))
    _write_cache(_units_cache_path(claims_path), lines)
    index = _index_from(corpus, claims_path)
    _write_cache(index_cache_path(claims_path), index.save())
    return index


def load_corpus(claims_path: Path, *, validate: bool = True) -> Corpus:
    """The units of a claims file: from the cache ingest left, else by reading the YAML.

    Reading the YAML validates every field; with `validate`, every claim is also checked
    against its source (offsets inside the file, text equal to the slice, sha256 unchanged).
    """
    import json

    from gpu_brief.units import Unit

    try:
        with _units_cache_path(claims_path).open(encoding="utf-8") as handle:
            first = json.loads(handle.readline())
            return Corpus(first["header"], first["catalog"], [Unit.from_json(line) for line in handle])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    from gpu_brief.store import read_claims

    cf = read_claims(claims_path)
    if validate:
        validate_against_sources(cf, claims_path)
    return corpus_from_claims_file(cf)


def corpus_from_claims_file(cf: ClaimsFile, *, headings: bool = True) -> Corpus:
    """Units from a validated claims file (a fresh clone, or a file edited by hand).

    `headings=False` leaves heading words out of the claims' index terms (for evaluation)."""
    from collections import Counter

    from gpu_brief.text import Analyzer
    from gpu_brief.units import make_unit, record_found

    analyzer = Analyzer()
    gazetteer = {e.name for e in cf.entities if not e.ner}
    by_source: dict[str, list[dict[str, Any]]] = {s.file: [] for s in cf.sources}
    for claim in cf.claims:
        by_source[claim.source].append(claim.model_dump())
    units = []
    for source in cf.sources:
        dumped = source.model_dump()
        unit = make_unit(dumped, by_source[source.file], analyzer, headings=headings, searchable=gazetteer)
        record_found(unit, dumped, by_source[source.file])
        unit.meta["report"] = {
            "headings": len(source.headings),
            "skipped": dict(Counter(k.reason for k in source.skipped)),
        }
        units.append(unit)
    header = {
        "pipeline": cf.pipeline,
        "root": cf.root,
        "gazetteers": list(cf.gazetteers),
        "domains": list(cf.domains),
    }
    return Corpus(header, [e.model_dump() for e in cf.entities], units)


def validate_against_sources(cf: ClaimsFile, claims_path: Path) -> Path:
    """Every claim must still slice its source exactly; returns the sources folder.

    A changed or missing source, an offset outside the file, or a text that differs is a
    one-line error naming the file and the claim.
    """
    from gpu_brief.errors import StaleError
    from gpu_brief.store import sources_root

    root = sources_root(claims_path, cf.root)
    texts: dict[str, str] = {}
    for source in cf.sources:
        path = root / source.file
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise StaleError(
                f"{claims_path}: source {source.file} cannot be read ({exc.strerror}) in {root}"
            ) from None
        if hashlib.sha256(data).hexdigest() != source.sha256:
            raise StaleError(
                f"{claims_path}: source {source.file} changed since ingest (sha256 differs); "
                f"{reingest_command(claims_path)} to rebuild the claims"
            )
        texts[source.file] = data.decode("utf-8", errors="replace")
    for claim in cf.claims:
        text = texts[claim.source]
        if claim.end > len(text):
            raise ClaimsFileError(
                f"{claims_path}: claim {claim.id}: offsets {claim.start}:{claim.end} are outside "
                f"{claim.source} ({len(text)} characters)"
            )
        if text[claim.start : claim.end] != claim.text:
            raise ClaimsFileError(
                f"{claims_path}: claim {claim.id}: text does not match {claim.source}"
                f"[{claim.start}:{claim.end}]"
            )
        items: list[Mention | Figure] = [*claim.entities, *claim.figures]
        for ref in claim.antecedents:
            if text[ref.start : ref.end] != ref.text:
                raise ClaimsFileError(
                    f"{claims_path}: claim {claim.id}: antecedent {ref.text!r} at {ref.start}:{ref.end} "
                    "does not match the source"
                )
        for item in items:
            if (
                not (claim.start <= item.start <= item.end <= claim.end)
                or text[item.start : item.end] != item.text
            ):
                raise ClaimsFileError(
                    f"{claims_path}: claim {claim.id}: {item.text!r} at {item.start}:{item.end} "
                    "does not match the source"
                )
    return root


def _index_from(corpus: Corpus, claims_path: Path, params: dict[str, Any] | None = None) -> SearchIndex:
    import json

    import yaml

    from gpu_brief.index import build
    from gpu_brief.question import compile_lexicon
    from gpu_brief.store import sources_root
    from gpu_brief.text import Analyzer

    lexicon = compile_lexicon(yaml.safe_load(_resources()[1].read_text(encoding="utf-8")), Analyzer())
    gazetteers = [e for e in corpus.catalog if not e.get("ner")]
    found = [e for e in corpus.catalog if e.get("ner")]
    index = build(corpus.units, gazetteers, sources_root(claims_path, corpus.header["root"]), lexicon, params)
    index.header["claims"] = str(claims_path.resolve())
    # NER's entries (100,000 on a large corpus) stay JSON bytes until browsing decodes them
    # (`browse.catalog`); a question needs only the gazetteers' (any other name is NER's).
    index.found_entities = json.dumps(found, ensure_ascii=False).encode("utf-8")
    return index


def build_index(claims_path: Path, params: dict[str, Any] | None = None) -> SearchIndex:
    """Read, validate and index a claims file (the slow path, once per claims file state)."""
    return _index_from(load_corpus(claims_path), claims_path, params)


def open_index(claims_path: Path, *, use_cache: bool = True) -> SearchIndex:
    """The search index of a claims file: from the cache when the file is unchanged."""
    from gpu_brief.index import SearchIndex

    if not claims_path.exists():
        raise ClaimsFileError(
            f"{claims_path}: claims file not found (run `gpu-brief ingest` first, or pass --claims)"
        )
    if claims_path.is_dir():
        raise ClaimsFileError(f"{claims_path}: is a folder, not a claims file")
    cached = index_cache_path(claims_path)
    if use_cache:
        try:
            return SearchIndex.load(cached.read_bytes())
        except (OSError, ValueError, KeyError):
            pass
    index = build_index(claims_path)
    if use_cache:
        _write_cache(cached, index.save())
    return index


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


def read_questions(path: str) -> list[str]:
    """Questions from a file, one per line (`-` for stdin); blank lines and `#` comments skipped."""
    import sys

    if path == "-":
        text = sys.stdin.read()
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            hint = ""
            if " " in path.strip() or path.rstrip().endswith("?"):  # a question, not a file name
                hint = " (a question? pipe it in and give `-`: echo 'QUESTION' | gpu-brief export -)"
            raise InputError(f"{path}: no such questions file{hint}") from None
        except IsADirectoryError:
            raise InputError(f"{path}: is a folder, not a questions file") from None
        except UnicodeDecodeError:
            raise InputError(f"{path}: not UTF-8 text") from None
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    if "\x00" in text:
        raise InputError(f"{path}: a binary file, not questions (one per line, UTF-8 text)")
    questions = [line.strip() for line in text.splitlines()]
    questions = [q for q in questions if q and not q.startswith("#")]
    if not questions:
        raise InputError(f"{path}: no questions in it (one question per line)")
    return questions


def check_question(question: str) -> str:
    cleaned = question.strip()
    if not cleaned:
        raise InputError("the question is empty")
    if not any(ch.isalnum() for ch in cleaned):
        raise InputError(f"the question has no words: {cleaned!r}")
    if len(cleaned) > 1000:
        raise InputError(f"the question is {len(cleaned)} characters long; keep it under 1000")
    return cleaned


def answerer_for(claims_path: Path) -> Answerer:
    from gpu_brief.answer import Answerer

    index = open_index(claims_path)
    check_sources_unchanged(index)
    return Answerer(index)


def check_sources_unchanged(index: SearchIndex) -> None:
    """Before any answer: every source whose size or mtime moved since the index was built is
    hashed, and one whose sha256 differs from ingest is an error. Stat is cheap; hashing is
    done only for files that look touched (and for every cited file, in `verify_citations`)."""
    import os

    from gpu_brief.errors import StaleError

    root = Path(index.header["root"])
    for source in index.sources:
        path = root / source["file"]
        try:
            st = os.stat(path)
        except OSError as exc:
            raise StaleError(
                f"{path}: source cannot be read ({exc.strerror}); {reingest_hint(index)}"
            ) from None
        if [st.st_size, st.st_mtime_ns] == source.get("stat"):
            continue
        if hashlib.sha256(path.read_bytes()).hexdigest() != source["sha256"]:
            raise StaleError(
                f"{source['file']} changed since ingest (sha256 differs): {reingest_hint(index)}"
            )


def check_source(answerer: Answerer, source: str | None) -> None:
    if source is None:
        return
    names = [s["file"] for s in answerer.index.sources]
    if source in names:
        return
    import difflib

    close = difflib.get_close_matches(source, names, n=3, cutoff=0.4)
    hint = (
        f" (did you mean {', '.join(close)}?)"
        if close
        else f" (known: {len(names)} sources, see `gpu-brief sources`)"
    )
    raise InputError(f"--source {source}: no such source in the claims file{hint}")


def protected_paths(index: SearchIndex, claims_path: Path) -> set[Path]:
    """Files an output option must never replace: the claims file and every source."""
    root = Path(index.header["root"])
    return {claims_path.resolve(), *((root / s["file"]).resolve() for s in index.sources)}


def write_output(path: Path, content: str, force: bool, protected: set[Path]) -> None:
    """Write a result file atomically; never over a source or the claims file, nor silently."""
    from gpu_brief.store import atomic_write

    if path.resolve() in protected:
        raise InputError(f"{path}: is the claims file or one of its sources; choose another output file")
    if path.exists() and path.is_dir():
        raise InputError(f"{path}: is a folder")
    if path.exists() and not force:
        raise InputError(f"{path}: already exists (use --force to overwrite it)")
    atomic_write(path, content)


def reingest_hint(index: SearchIndex) -> str:
    """The command that rebuilds this index's claims file from its (recorded) sources folder."""
    return reingest_command(index.header.get("claims"))


def reingest_command(claims: object) -> str:
    """ "run `gpu-brief ingest -o FILE`": ingest rebuilds FILE from the folder it records."""
    return f"run `gpu-brief ingest -o {shlex.quote(str(claims))}`" if claims else "run `gpu-brief ingest`"


def source_text(index: SearchIndex, source: str) -> str:
    """A source's text, checked against the sha256 recorded at ingest."""
    from gpu_brief.errors import StaleError

    root = Path(index.header["root"])
    expected = {s["file"]: s["sha256"] for s in index.sources}
    path = root / source
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StaleError(f"{path}: source cannot be read ({exc.strerror}); {reingest_hint(index)}") from None
    if hashlib.sha256(data).hexdigest() != expected.get(source):
        raise StaleError(f"{source} changed since ingest (sha256 differs): {reingest_hint(index)}")
    return data.decode("utf-8")


def verify_records(index: SearchIndex, records: Iterable[ClaimRecord]) -> None:
    """Every record about to be printed must still be its source's exact slice."""
    from gpu_brief.errors import StaleError

    texts: dict[str, str] = {}
    for record in records:
        if record.source not in texts:
            texts[record.source] = source_text(index, record.source)
        if texts[record.source][record.start : record.end] != record.text:
            raise StaleError(f"claim {record.id} no longer matches {record.source}: {reingest_hint(index)}")


def generated_at() -> str:
    """Now, in UTC; SOURCE_DATE_EPOCH (the reproducible-builds convention) pins it."""
    import os
    from datetime import UTC, datetime

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else datetime.now(UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def verify_document(document: Path, claims: Path | None) -> tuple[Path, list[Cited], list[Problem]]:
    """Parse a gpu-brief Markdown document and re-check its citations."""
    from gpu_brief.export import parse, verify

    try:
        markdown = document.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{document}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{document}: is a folder") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{document}: cannot read: {exc}") from None
    cited, meta = parse(markdown)
    if not cited:
        raise InputError(f"{document}: no gpu-brief citations in it (expected quotes with footnotes)")
    if claims is not None:
        from gpu_brief.store import read_claims, sources_root

        cf = read_claims(claims)
        root = sources_root(claims, cf.root)
        recorded = {s.file: s.sha256 for s in cf.sources}
    elif meta is not None:
        root = Path(meta["root"])
        recorded = {str(k): str(v) for k, v in meta.get("sources", {}).items()}
    else:
        raise InputError(f"{document}: no gpu-brief metadata; pass --claims to say where the sources are")
    return document, cited, verify(cited, root, recorded)


def append_answers(path: Path, index: SearchIndex, claims_path: Path, answers: list[Answer]) -> None:
    """Append answers to a Markdown file, atomically (old content + new, then rename)."""
    from gpu_brief import render
    from gpu_brief.store import atomic_write

    if path.exists() and path.is_dir():
        raise InputError(f"{path}: is a folder")
    if path.resolve() in protected_paths(index, claims_path):
        raise InputError(f"{path}: is the claims file or one of its sources; choose another file")
    try:
        old = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read it to append: {exc}") from None
    start = old.count("\n[^") + 1  # keep footnote labels unique across appends
    parts = [render.answer_markdown(a, label=f"s{start}-{i}-") for i, a in enumerate(answers, start=1)]
    from gpu_brief.export import metadata_comment

    block = "\n".join(parts) + "\n" + metadata_comment(index, claims_path, answers) + "\n"
    atomic_write(path, (old + ("\n" if old and not old.endswith("\n") else "") + block))
