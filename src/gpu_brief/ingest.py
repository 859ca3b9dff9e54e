"""Files -> sources + claims. Pure: reads sources, returns models; the CLI writes the claims file.

A bad file among good ones is skipped with a warning (the rest is ingested); a folder with no
usable article at all is an error. Claim ids are `<tag>-<n>`: `tag` comes from the file's name
and `n` counts sentences in that file, so editing one file never renames another file's claims.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gpu_brief.analysis import Job, analyse_batch, worker_init
from gpu_brief.entities import EntityDef
from gpu_brief.errors import InputError
from gpu_brief.folder import DEFAULT_MAX_BYTES, DEFAULT_PATTERN, discover, pattern_options

if TYPE_CHECKING:
    from concurrent.futures import Future

    from gpu_brief.models import GazetteerEntry
    from gpu_brief.units import Unit

TAG_LENGTH = 6


@dataclass
class FileReport:
    """What `ingest` did with one file (the summary table has one row per file)."""

    file: str
    claims: int = 0
    headings: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    reused: bool = False
    problem: str | None = None


@dataclass
class IngestResult:
    """The analysed corpus (units, entity catalog, header) and what happened to each file."""

    units: list[Unit]
    catalog: list[dict[str, Any]]
    header: dict[str, Any]
    files: list[FileReport]
    candidates: list[tuple[str, int, int]]
    removed: list[str] = field(default_factory=list)  # sources of the previous claims file gone from it
    unmatched: list[str] = field(default_factory=list)  # plain-text files no --pattern matched

    @property
    def warnings(self) -> list[str]:
        return [f.problem for f in self.files if f.problem]

    @property
    def n_claims(self) -> int:
        return sum(len(unit.records) for unit in self.units)


# --- one file --------------------------------------------------------------------------------


def file_tag(name: str, length: int = TAG_LENGTH) -> str:
    """Short, stable tag of a source name, the first part of its claim ids."""
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:length]


# --- a whole folder --------------------------------------------------------------------------


def merge_gazetteers(entries: Iterable[GazetteerEntry]) -> list[EntityDef]:
    """Later entries with an existing name add aliases and roles; new names are appended."""
    merged: dict[str, EntityDef] = {}
    for e in entries:
        old = merged.get(e.name)
        if old is None:
            merged[e.name] = EntityDef(e.name, e.type, tuple(e.aliases), tuple(e.roles))
        else:
            merged[e.name] = EntityDef(
                e.name,
                e.type,
                old.aliases + tuple(a for a in e.aliases if a not in old.aliases),
                old.roles + tuple(r for r in e.roles if r not in old.roles),
            )
    return list(merged.values())


def assign_tags(names: Sequence[str], previous: dict[str, str]) -> dict[str, str]:
    """A tag per file name: previous tags are kept; a rare clash gets a longer tag for the newcomer."""
    tags: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        if name in previous and previous[name] not in used:
            tags[name] = previous[name]
            used.add(previous[name])
    for name in names:
        if name in tags:
            continue
        length = TAG_LENGTH
        tag = file_tag(name, length)
        while tag in used:
            length += 2
            tag = file_tag(name, length)
        tags[name] = tag
        used.add(tag)
    return tags


Progress = Callable[[int], None]
BATCH = 16  # files per task of a worker process: NER runs over a batch's sentences at once


def ingest_folder(
    folder: Path,
    output: Path,
    entities: list[EntityDef],
    gazetteers: list[str],
    *,
    domains: Sequence[str] = (),
    lexicon: dict[str, Any] | None = None,
    use_ner: bool = True,
    patterns: Sequence[str] = (DEFAULT_PATTERN,),
    max_bytes: int = DEFAULT_MAX_BYTES,
    previous: dict[str, Unit] | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    on_start: Callable[[int], None] | None = None,
    pipeline: str = "",
    follow_links: bool = False,
) -> IngestResult:
    """Analyse every article of `folder` into units, for a claims file destined for `output`.

    With `previous` (the units of the current claims file), files whose sha256 did not change
    are reused as they are, so adding ten articles to ten thousand only analyses those ten.
    """
    from gpu_brief.store import relative_root

    for pattern in patterns:
        if _unclosed_bracket(pattern):
            raise InputError(
                f"--pattern {pattern!r}: '[' opens a set of characters that is never closed"
                " ('[abc]'; '[[]' matches a '[' itself)"
            )
    files, left_out, unmatched = discover(folder, patterns, follow_links=follow_links)
    if not files:
        why = "".join(f"; {name}: {reason}" for name, reason in left_out)
        if unmatched:
            why += f"; not matching: {', '.join(unmatched[:5])}{', ...' if len(unmatched) > 5 else ''}"
            why += f" (to ingest them: {pattern_options((), unmatched)})"
        matching = " or ".join(repr(p) for p in patterns)
        raise InputError(f"{folder}: no articles matching {matching} in this folder{why}")
    if on_start is not None:
        on_start(len(files))
    previous = previous or {}
    prev_tags = {name: tag for name, unit in previous.items() if (tag := unit.tag)}
    tags = assign_tags([name for name, _ in files], prev_tags)
    reports = {name: FileReport(name) for name, _ in files}
    skipped_reports = [FileReport(name, problem=f"{name}: {reason}") for name, reason in left_out]
    units: dict[str, Unit] = {}
    todo: list[Job] = []
    for name, path in files:
        old = previous.get(name)
        if old is not None and tags[name] == old.tag and _reusable(path, old, max_bytes):
            units[name] = old
            reports[name].reused = True
            if progress:
                progress(1)
            continue
        todo.append((name, str(path), tags[name], max_bytes))

    batches = [todo[i : i + BATCH] for i in range(0, len(todo), BATCH)]
    if jobs > 1 and len(todo) > 64:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(
            max_workers=jobs, initializer=_pool_init, initargs=(entities, use_ner)
        ) as pool:
            try:
                futures = [pool.submit(analyse_batch, batch) for batch in batches]
                for batch, future in zip(batches, futures, strict=True):
                    _collect(batch, _result(future), units, reports, progress)
            except BaseException:
                # Ctrl-C or SIGTERM: the batches not started are dropped and the running ones
                # stopped (the workers are this command's only child processes), not finished first
                import multiprocessing

                pool.shutdown(wait=False, cancel_futures=True)
                for child in multiprocessing.active_children():
                    child.terminate()
                raise
    else:
        worker_init(entities, use_ner)
        for batch in batches:
            _collect(batch, analyse_batch(batch), units, reports, progress)

    if not units:
        problems = "; ".join(r.problem or "" for r in reports.values())
        raise InputError(f"{folder}: no usable article ({problems})")

    ordered = [units[name] for name, _ in files if name in units]
    for unit in ordered:
        report = reports[unit.file]
        report.claims = int(unit.meta["claims"])
        report.headings = int(unit.meta["report"]["headings"])
        report.skipped = Counter(unit.meta["report"]["skipped"])
    catalog = build_catalog(ordered, entities)
    header = {
        "pipeline": pipeline,
        "root": relative_root(output, folder),
        "gazetteers": gazetteers,
        "domains": list(domains),
        "lexicon": lexicon,
        "patterns": [] if list(patterns) == [DEFAULT_PATTERN] else list(patterns),
    }
    reported = [reports[n] for n, _ in files] + skipped_reports
    return IngestResult(
        ordered, catalog, header, reported, corpus_candidates(ordered, catalog), unmatched=unmatched
    )


def _result(future: Future[list[tuple[str, Any]]]) -> list[tuple[str, Any]]:
    """A batch's results, waited for in short steps: an untimed wait is deaf to SIGTERM (its
    handler ran only once the batch was done, seconds later)."""
    while True:
        try:
            return future.result(timeout=0.2)
        except TimeoutError:
            continue


def _pool_init(entities: Sequence[EntityDef], use_ner: bool) -> None:
    """A worker dies on Ctrl-C, which the terminal sends to every process of the command, and
    on SIGTERM (the command's own handler, inherited, would make it KeyboardInterrupt): it
    would otherwise catch either as its batch's error and go on to the next batch."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    worker_init(list(entities), use_ner)


def _collect(
    batch: Sequence[Job],
    results: list[tuple[str, Any]],
    units: dict[str, Unit],
    reports: dict[str, FileReport],
    progress: Progress | None,
) -> None:
    for job, (status, payload) in zip(batch, results, strict=True):
        if status == "problem":
            reports[job[0]].problem = payload
        else:
            units[job[0]] = payload
        if progress:
            progress(1)


def _unclosed_bracket(pattern: str) -> bool:
    """Does a glob pattern open a "[" set it never closes? fnmatch then reads the "[" as itself,
    so "[" matched no file and the error blamed the folder."""
    i = 0
    while i < len(pattern):
        if pattern[i] == "[":
            j = i + 1
            if j < len(pattern) and pattern[j] in "!^":
                j += 1
            if j < len(pattern) and pattern[j] == "]":
                j += 1
            close = pattern.find("]", j)
            if close < 0:
                return True
            i = close
        i += 1
    return False


def build_catalog(units: Sequence[Unit], entities: Sequence[EntityDef]) -> list[dict[str, Any]]:
    """Every entity the corpus mentions: a gazetteer's entry as written; one NER found, with the
    type the text's own words give it (else the one most of its mentions got) and the ways the
    corpus writes it as aliases."""
    known = {e.name: e for e in entities}
    kinds: dict[str, Counter[str]] = {}
    said: dict[str, Counter[str]] = {}
    texts: dict[str, Counter[str]] = {}
    for unit in units:
        for name, kind, count, written, *told in unit.found:
            kinds.setdefault(name, Counter())[kind] += max(int(count), 1)
            said.setdefault(name, Counter()).update(told[0] if told else {})
            texts.setdefault(name, Counter()).update({t: 1 for t in written})
    catalog: list[dict[str, Any]] = []
    for name in sorted(kinds, key=lambda n: (n.lower(), n)):
        entry = known.get(name)
        if entry is not None:
            catalog.append(
                {"name": name, "type": entry.type, "aliases": list(entry.aliases), "roles": list(entry.roles)}
            )
            continue
        order = ["person", "organisation", "place", "product", "media", "other"]
        votes = said[name] or kinds[name]  # "le groupe X" in one article outweighs NER's guesses
        kind = max(votes.items(), key=lambda kv: (kv[1], -order.index(kv[0]) if kv[0] in order else -9))[0]
        aliases = [t for t, _ in sorted(texts[name].items(), key=lambda kv: (-kv[1], kv[0]))]
        catalog.append({"name": name, "type": kind, "aliases": aliases, "roles": [], "ner": True})
    _short_names(catalog, said)
    return catalog


def _short_names(catalog: list[dict[str, Any]], said: dict[str, Counter[str]]) -> None:
    """A name one article writes short ("Nordfiber") and another whole ("Nordfiber Packaging",
    which it then also writes short): the short name takes the whole one's type, unless its own
    words say one. NER guessed it alone, without the words that tell."""
    longer: dict[str, set[str]] = {}
    for entry in catalog:
        if entry.get("ner"):
            for alias in entry["aliases"]:
                if len(alias) < len(entry["name"]):
                    longer.setdefault(alias, set()).add(entry["type"])
    for entry in catalog:
        kinds = longer.get(entry["name"], set())
        if entry.get("ner") and not said[entry["name"]] and len(kinds) == 1:
            entry["type"] = next(iter(kinds))


def corpus_candidates(units: Sequence[Unit], catalog: Sequence[dict[str, Any]]) -> list[tuple[str, int, int]]:
    """(name, mentions, files) of the capitalised names nothing recognised, most frequent first:
    not a word the corpus also writes in lowercase, nor a name or alias of a known entity."""
    from gpu_brief.browse import key
    from gpu_brief.entities import count_candidates

    lowercase: set[str] = set()
    for unit in units:
        lowercase.update(unit.lowercase.split())
    named = {key(n) for e in catalog for n in (e["name"], *e["aliases"])}
    found = [
        (c, unit.file)
        for unit in units
        for c in unit.candidates
        if c.split()[0].lower() not in lowercase and key(c) not in named
    ]
    return count_candidates(found)


def _reusable(path: Path, unit: Unit, max_bytes: int) -> bool:
    """Whether a unit of the previous claims file still describes this file: same sha256, and
    every claim, entity and figure still the exact slice of the text at its offsets. A claim
    edited by hand (or a damaged cache) is analysed again, never copied on as "unchanged"."""
    from gpu_brief.store import read_regular

    try:
        data = read_regular(path, max_bytes)
    except OSError:
        return False
    if hashlib.sha256(data).hexdigest() != unit.meta["sha256"]:
        return False
    try:
        text = data.decode("utf-8")
        for record in unit.records:
            _, start, end, _, claim, _, entities, figures, *_ = json.loads(record)
            if text[start:end] != claim:
                return False
            for item in (*entities, *figures):
                if not start <= item["start"] <= item["end"] <= end:
                    return False
                if text[item["start"] : item["end"]] != item["text"]:
                    return False
    except (ValueError, TypeError, KeyError):
        return False
    return True
