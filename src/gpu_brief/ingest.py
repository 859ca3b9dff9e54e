"""Files -> sources + claims. Pure: reads sources, returns models; the CLI writes the claims file.

A bad file among good ones is skipped with a warning (the rest is ingested); a folder with no
usable article at all is an error. Claim ids are `<tag>-<n>`: `tag` comes from the file's name
and `n` counts sentences in that file, so editing one file never renames another file's claims.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gpu_brief.entities import EntityDef, EntityMatcher, candidate_names
from gpu_brief.errors import InputError
from gpu_brief.figures import find_figures
from gpu_brief.segment import segment
from gpu_brief.text import iter_words

if TYPE_CHECKING:
    from gpu_brief.models import GazetteerEntry
    from gpu_brief.units import Unit

DEFAULT_MAX_BYTES = 2_000_000
DEFAULT_PATTERN = "*.txt"
TAG_LENGTH = 6


class SourceProblem(Exception):
    """One file cannot be ingested; the message names the file and says why."""


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

    @property
    def warnings(self) -> list[str]:
        return [f.problem for f in self.files if f.problem]

    @property
    def n_claims(self) -> int:
        return sum(len(unit.records) for unit in self.units)


# --- finding and reading files ---------------------------------------------------------------


def discover(
    folder: Path, pattern: str = DEFAULT_PATTERN, *, follow_links: bool = False
) -> tuple[list[tuple[str, Path]], list[tuple[str, str]]]:
    """(name relative to folder, path) of every matching file, sorted, and (name, why) of each
    entry left out: symlinks that leave the folder (unless `follow_links`: `ln -s /etc/passwd
    p.txt` must not copy the password file into a claims file), and anything that is not a
    regular file (a FIFO would hang the read, /dev/zero would fill memory). Symlink loops and a
    folder reached twice are skipped silently."""
    if not folder.exists():
        raise InputError(f"{folder}: no such folder")
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder (give the folder that holds the articles)")
    top = folder.resolve()
    found: list[tuple[str, Path]] = []
    skipped: list[tuple[str, str]] = []
    seen_dirs: set[tuple[int, int]] = set()

    def outside(path: Path) -> bool:
        return not follow_links and path.is_symlink() and not path.resolve().is_relative_to(top)

    for dirpath, dirnames, filenames in os.walk(folder, followlinks=True, onerror=None):
        try:
            st = os.stat(dirpath)
        except OSError:
            dirnames[:] = []
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:  # a symlink loop, or the same folder reached twice
            dirnames[:] = []
            continue
        seen_dirs.add(key)
        kept = []
        for d in sorted(d for d in dirnames if not d.startswith(".")):
            if outside(Path(dirpath) / d):
                name = (Path(dirpath) / d).relative_to(folder).as_posix()
                skipped.append((name + "/", _LEAVES))
            else:
                kept.append(d)
        dirnames[:] = kept
        for name in filenames:
            if name.startswith(".") or not Path(name).match(pattern):
                continue
            path = Path(dirpath) / name
            rel = path.relative_to(folder).as_posix()
            if outside(path):
                skipped.append((rel, _LEAVES))
                continue
            try:
                mode = os.stat(path).st_mode
            except OSError as exc:
                skipped.append((rel, f"cannot read: {exc.strerror}"))
                continue
            if not stat.S_ISREG(mode):
                skipped.append((rel, "not a regular file (a device, FIFO or socket)"))
                continue
            found.append((rel, path))
    found.sort(key=lambda item: item[0])
    skipped.sort()
    return found, skipped


_LEAVES = "a symlink that leaves the folder (--follow-links to read it)"


def read_source(path: Path, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes, str]:
    """Bytes and text of one article; raises SourceProblem with a one-line reason. Only a regular
    file is read, and never more than `max_bytes` of it, whatever its size said before."""
    from gpu_brief.store import read_regular

    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SourceProblem(f"{name}: cannot read: {exc.strerror}") from None
    if size > max_bytes:
        raise SourceProblem(
            f"{name}: {size / 1e6:.1f} MB is larger than the {max_bytes / 1e6:g} MB limit "
            "(not an article? raise it with --max-size)"
        )
    try:
        data = read_regular(path, max_bytes)
    except OSError as exc:
        raise SourceProblem(f"{name}: cannot read: {exc.strerror}") from None
    if not data.strip():
        raise SourceProblem(f"{name}: empty file")
    if b"\x00" in data:
        raise SourceProblem(f"{name}: binary file (contains NUL bytes), not a text article")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceProblem(f"{name}: {_not_utf8(data, exc)}") from None
    return data, text


def _not_utf8(data: bytes, exc: UnicodeDecodeError) -> str:
    guess = "an unknown encoding"
    for encoding, label in (("utf-16", "UTF-16"), ("cp1252", "Windows-1252 (Latin-1)")):
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        guess = label
        break
    source_encoding = "CP1252" if guess.startswith("Windows") else "UTF-16" if guess == "UTF-16" else "..."
    return (
        f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}; looks like {guess}); "
        f"convert it first, e.g. `iconv -f {source_encoding} -t UTF-8`"
    )


# --- one file --------------------------------------------------------------------------------


def file_tag(name: str, length: int = TAG_LENGTH) -> str:
    """Short, stable tag of a source name, the first part of its claim ids."""
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:length]


def analyse_text(
    name: str, data: bytes, text: str, matcher: EntityMatcher, tag: str
) -> tuple[dict[str, Any], list[dict[str, Any]], list[tuple[str, int, int]], set[str]]:
    """Source record, claim records, name candidates and lowercase words of one article.

    Returns plain dicts (cheap to pass between processes); `build` turns them into models.
    """
    seg = segment(text)
    headings = [
        {
            "start": h.start,
            "end": h.end,
            "line": h.line,
            "text": text[h.start : h.end],
            "entities": [
                {
                    "start": h.start + f.start,
                    "end": h.start + f.end,
                    "name": f.name,
                    "type": f.type,
                    "text": text[h.start + f.start : h.start + f.end],
                    "role": f.role,
                }
                for f in matcher.find(text[h.start : h.end])
            ],
        }
        for h in seg.headings
    ]
    skipped = [
        {"start": k.start, "end": k.end, "line": k.line, "reason": k.reason, "text": text[k.start : k.end]}
        for k in seg.skipped
    ]
    claims: list[dict[str, Any]] = []
    candidates: list[tuple[str, int, int]] = []
    lowercase: set[str] = set()
    for n, span in enumerate(seg.sentences, start=1):
        sentence = text[span.start : span.end]
        mentions: list[dict[str, Any]] = [
            {
                "start": span.start + f.start,
                "end": span.start + f.end,
                "name": f.name,
                "type": f.type,
                "text": sentence[f.start : f.end],
                "role": f.role,
            }
            for f in matcher.find(sentence)
        ]
        figures = [
            {
                "start": span.start + f.start,
                "end": span.start + f.end,
                "text": f.text,
                "kind": f.kind,
                "value": f.value,
                "value_max": f.value_max,
                "unit": f.unit,
                "counts": f.counts,
                "per": f.per,
                "qualifier": f.qualifier,
            }
            for f in find_figures(sentence)
        ]
        claims.append(
            {
                "id": f"{tag}-{n}",
                "source": name,
                "line": span.line,
                "start": span.start,
                "end": span.end,
                "text": sentence,
                "entities": mentions,
                "figures": figures,
            }
        )
        known = [(m["start"] - span.start, m["end"] - span.start) for m in mentions if not m["role"]]
        for cand, a, b in candidate_names(sentence, known, set()):
            candidates.append((cand, span.start + a, span.start + b))
        lowercase.update(w.lower() for w, _, _ in iter_words(sentence) if w[:1].islower())
    source = {
        "file": name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "title": text[seg.title.start : seg.title.end] if seg.title else None,
        "url": seg.url,
        "chars": len(text),
        "lines": text.count("\n") + (0 if text.endswith("\n") else 1),
        "claims": len(claims),
        "headings": headings,
        "skipped": skipped,
    }
    return source, claims, candidates, lowercase


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


def _worker_init(entities: list[EntityDef]) -> None:
    global _WORKER
    from gpu_brief.text import Analyzer

    _WORKER = (EntityMatcher(entities), Analyzer())


_WORKER: tuple[EntityMatcher, Any] | None = None


def _worker(job: tuple[str, str, str, int]) -> tuple[str, Any]:
    """Read and analyse one file (in a worker process): a unit, or why the file was skipped."""
    from gpu_brief.units import make_unit

    name, path, tag, max_bytes = job
    assert _WORKER is not None
    matcher, analyzer = _WORKER
    try:
        data, text = read_source(Path(path), name, max_bytes)
    except SourceProblem as exc:
        return "problem", str(exc)
    source, claims, candidates, lowercase = analyse_text(name, data, text, matcher, tag)
    unit = make_unit(source, claims, analyzer)
    unit.meta["report"] = {
        "headings": len(source["headings"]),
        "skipped": dict(Counter(k["reason"] for k in source["skipped"])),
    }
    return "ok", (unit, [c for c, _, _ in candidates], lowercase)


def ingest_folder(
    folder: Path,
    output: Path,
    entities: list[EntityDef],
    gazetteers: list[str],
    *,
    pattern: str = DEFAULT_PATTERN,
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

    files, left_out = discover(folder, pattern, follow_links=follow_links)
    if not files:
        why = "".join(f"; {name}: {reason}" for name, reason in left_out)
        raise InputError(f"{folder}: no articles matching {pattern!r} in this folder{why}")
    if on_start is not None:
        on_start(len(files))
    previous = previous or {}
    prev_tags = {name: tag for name, unit in previous.items() if (tag := unit.tag)}
    tags = assign_tags([name for name, _ in files], prev_tags)
    reports = {name: FileReport(name) for name, _ in files}
    skipped_reports = [FileReport(name, problem=f"{name}: {reason}") for name, reason in left_out]
    units: dict[str, Unit] = {}
    candidates: list[tuple[str, str]] = []
    lowercase: set[str] = set()
    todo: list[tuple[str, str, str, int]] = []
    for name, path in files:
        old = previous.get(name)
        if old is not None and tags[name] == old.tag and _reusable(path, old, max_bytes):
            units[name] = old
            reports[name].reused = True
            if progress:
                progress(1)
            continue
        todo.append((name, str(path), tags[name], max_bytes))

    def collect(name: str, status: str, payload: Any) -> None:
        if status == "problem":
            reports[name].problem = payload
            return
        unit, cands, lower = payload
        units[name] = unit
        candidates.extend((c, name) for c in cands)
        lowercase.update(lower)

    if jobs > 1 and len(todo) > 64:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init, initargs=(entities,)) as pool:
            for job, (status, payload) in zip(todo, pool.map(_worker, todo, chunksize=32), strict=True):
                collect(job[0], status, payload)
                if progress:
                    progress(1)
    else:
        _worker_init(entities)
        for job in todo:
            status, payload = _worker(job)
            collect(job[0], status, payload)
            if progress:
                progress(1)

    if not units:
        problems = "; ".join(r.problem or "" for r in reports.values())
        raise InputError(f"{folder}: no usable article ({problems})")

    ordered = [units[name] for name, _ in files if name in units]
    for unit in ordered:
        report = reports[unit.file]
        report.claims = int(unit.meta["claims"])
        report.headings = int(unit.meta["report"]["headings"])
        report.skipped = Counter(unit.meta["report"]["skipped"])
    used = {name for unit in ordered for name in unit.entities}
    catalog = [
        {"name": e.name, "type": e.type, "aliases": list(e.aliases), "roles": list(e.roles)}
        for e in sorted(entities, key=lambda e: e.name.lower())
        if e.name in used
    ]
    header = {"pipeline": pipeline, "root": relative_root(output, folder), "gazetteers": gazetteers}
    from gpu_brief.entities import count_candidates

    names = [(n, s) for n, s in candidates if n.split()[0].lower() not in lowercase]
    reported = [reports[n] for n, _ in files] + skipped_reports
    return IngestResult(ordered, catalog, header, reported, count_candidates(names))


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
