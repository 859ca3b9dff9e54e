"""Browse claims: by entity (any alias), source, pattern and figures; entity and source tables.

Entity names match ignoring case, accents, apostrophe style and punctuation, and resolve aliases
to the canonical entity: `altman`, `Sam Altman` and `sam altman` are one query, `GPT-4o` also
finds the corpus's `GPT-40`. Role mentions ("le PDG d'OpenAI" for Sam Altman) count when the
gazetteer records the role.
"""

from __future__ import annotations

import contextlib
import difflib
import re
import signal
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gpu_brief.errors import InputError
from gpu_brief.text import fold, fold_with_map, span_from_folded

if TYPE_CHECKING:
    from gpu_brief.index import ClaimRecord, SearchIndex


def catalog(index: SearchIndex) -> list[dict[str, Any]]:
    """Every entity of the corpus: the gazetteers' entries, then those NER found."""
    import json

    return [*index.header["catalog"], *json.loads(bytes(index.found_entities))]


def key(name: str) -> str:
    """Comparison key of a name: folded, letters and digits only (`GPT-4o` -> `gpt4o`)."""
    return "".join(c for c in fold(name) if c.isalnum())


@dataclass(frozen=True)
class EntityInfo:
    name: str
    type: str
    aliases: list[str]
    roles: list[str]
    claims: int
    sources: int


def entity_table(index: SearchIndex, type_: str | None = None) -> list[EntityInfo]:
    """Every entity of the corpus with how many claims and sources mention it."""
    claims: dict[str, int] = {}
    sources: dict[str, set[str]] = {}
    for record in index.records():
        for name in mentioned(record):  # as `claims --entity` finds them
            claims[name] = claims.get(name, 0) + 1
            sources.setdefault(name, set()).add(record.source)
    for name, files in headed(index).items():
        sources.setdefault(name, set()).update(files)
    rows = [
        EntityInfo(
            e["name"],
            e["type"],
            list(e["aliases"]),
            list(e.get("roles", [])),
            claims.get(e["name"], 0),
            len(sources.get(e["name"], ())),
        )
        for e in catalog(index)
        if type_ is None or e["type"] == type_
    ]
    rows.sort(key=lambda r: (-r.claims, r.name.lower()))
    return rows


def mentioned(record: ClaimRecord) -> set[str]:
    """The entities a claim mentions: by name, alias or role, or as the antecedent of "il" or
    "ce dernier" (what `entities` counts and `claims --entity` finds)."""
    return {e["name"] for e in record.entities} | {a["name"] for a in record.antecedents}


def headed(index: SearchIndex) -> dict[str, list[str]]:
    """Entity name -> the sources whose title or headings name it (headings are not claims)."""
    out: dict[str, list[str]] = {}
    for s in index.sources:
        for name in s.get("heading_entities", ()):
            out.setdefault(name, []).append(s["file"])
    return out


def only_in_headings(index: SearchIndex, query: str, source: str | None = None) -> str | None:
    """Why `claims --entity` found nothing when the name is in headings only: where it is."""
    where = headed(index)
    files = sorted({f for name in resolve_names(index, query) for f in where.get(name, ())})
    files = [f for f in files if source is None or f == source]
    if not files:
        return None
    shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
    return (
        f"{query} is named only in the title or headings of {shown} (claims are its sentences: "
        f"`claims --source {files[0]}` lists them)"
    )


def resolve_names(index: SearchIndex, query: str) -> set[str]:
    """Every entity `query` may designate: the one `resolve_entity` gives, and any other whose
    name or alias is spelled the same ("Brodeur" in one article, "Martin Brodeur" in another)."""
    first = resolve_entity(index, query)
    wanted = key(query)
    names = {first}
    for entry in catalog(index):
        if any(key(n) == wanted for n in [entry["name"], *entry["aliases"]]):
            names.add(str(entry["name"]))
    return names


def _is_acronym(name: str) -> bool:
    return 2 <= len(name) <= 8 and name.isupper() and " " not in name


def _spaced(name: str) -> str:
    """A name's words, folded, between single spaces: "Jean-Pierre Morel" -> "jean pierre morel"."""
    return " ".join("".join(c if c.isalnum() else " " for c in fold(name)).split())


def resolve_entity(index: SearchIndex, query: str) -> str:
    """The canonical name `query` designates, or an error that suggests the closest names."""
    wanted = key(query)
    if not wanted:
        raise InputError(f"--entity {query!r}: give a name")
    entries = catalog(index)
    # The entity of that exact name, else one whose name, else one whose alias or role, matches.
    for entry in entries:
        if entry["name"] == query.strip():
            return str(entry["name"])
    for entry in entries:
        if key(entry["name"]) == wanted:
            return str(entry["name"])
    for entry in entries:
        if any(key(n) == wanted for n in [*entry["aliases"], *entry.get("roles", [])]):
            return str(entry["name"])
    # one entity whose name holds those whole words: "Morel" for "Jean-Pierre Morel" when the
    # text never writes the surname alone (several: the error lists them)
    words = f" {_spaced(query)} "
    holding = {str(e["name"]) for e in entries if words in f" {_spaced(str(e['name']))} "}
    if len(holding) == 1:
        return holding.pop()
    if holding:  # the words name several entities: no unknown name, an ambiguous one
        listed = ", ".join(sorted(holding)[:5])
        raise InputError(
            f"{query!r} names {len(holding)} entities in this corpus: {listed}; give one of them"
        )
    known = {key(n): entry["name"] for entry in entries for n in [entry["name"], *entry["aliases"]]}
    close = difflib.get_close_matches(wanted, list(known), n=5, cutoff=0.7)
    partial = [name for k, name in known.items() if wanted in k and len(wanted) >= 3]
    # a misspelt word of a longer name: "Kerbrad" for "Aurélie Kerbrat"
    by_word: dict[str, list[str]] = {}
    for entry in entries:
        for n in [entry["name"], *entry["aliases"]]:
            for w in _spaced(str(n)).split():
                by_word.setdefault(w, []).append(str(entry["name"]))
    near = [
        name
        for w in _spaced(query).split()
        if len(w) >= 4
        for c in difflib.get_close_matches(w, list(by_word), n=3, cutoff=0.8)
        for name in by_word[c]
    ]
    # an acronym for the words typed, or the words for an acronym typed: "FO" for "Force ouvrière"
    from gpu_brief.name_words import initials_spell

    spelt = [
        str(e["name"])
        for e in entries
        if (_is_acronym(str(e["name"])) and initials_spell(str(e["name"]), query))
        or (_is_acronym(query) and initials_spell(query, str(e["name"])))
    ]
    suggestions = list(dict.fromkeys([*partial, *(known[c] for c in close), *spelt, *near]))[:5]
    hint = f" (did you mean {', '.join(suggestions)}?)" if suggestions else " (see `gpu-brief entities`)"
    raise InputError(f"unknown entity {query!r} in this corpus{hint}")


def strip_accents(pattern: str) -> str:
    """Accents off, case kept: folding a regex must not turn `\\S` into `\\s`."""
    out = []
    for ch in pattern:
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append({"œ": "oe", "Œ": "OE", "æ": "ae", "’": "'"}.get(ch, base or ch))
    return "".join(out)


GREP_SECONDS = 2.0  # longest time one claim may take to match --grep


class _GrepTimeout(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[Callable[[], None]]:
    """Bound the time spent matching one claim: Python's `re` backtracks, and `(a+)+$` against
    forty `a` and a `b` runs for minutes. A timer signal checks every quarter second whether the
    current claim (restarted with the callable yielded) has taken longer than `seconds`; `re`
    lets the signal handler run between steps. Outside the main thread nothing is bounded."""
    started = [time.monotonic()]

    def restart() -> None:
        started[0] = time.monotonic()

    def check(signum: int, frame: object) -> None:
        if time.monotonic() - started[0] > seconds:
            raise _GrepTimeout

    try:
        previous = signal.signal(signal.SIGALRM, check)
    except (ValueError, AttributeError):  # not the main thread, or no SIGALRM
        yield restart
        return
    signal.setitimer(signal.ITIMER_REAL, 0.25, 0.25)
    try:
        yield restart
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def compile_grep(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(strip_accents(pattern), re.IGNORECASE)
    except re.error as exc:
        raise InputError(f"--grep {pattern!r}: invalid pattern: {exc}") from None


@dataclass
class Match:
    """A claim that passed the filters, with what to highlight (offsets into the source)."""

    record: ClaimRecord
    highlights: list[tuple[int, int]]


def find_claims(
    index: SearchIndex,
    entities: list[str],
    source: str | None = None,
    pattern: str | None = None,
    figures: bool = False,
) -> list[Match]:
    """Claims mentioning every given entity, from `source`, matching `pattern`, in file order."""
    wanted = [resolve_names(index, e) for e in entities]
    grep = compile_grep(pattern) if pattern else None
    if source is not None and source not in {s["file"] for s in index.sources}:
        from gpu_brief.sources import close_sources

        close = close_sources(source, [s["file"] for s in index.sources])
        hint = f" (did you mean {', '.join(close)}?)" if close else " (see `gpu-brief sources`)"
        raise InputError(f"--source {source}: no such source{hint}")
    out: list[Match] = []
    with _time_limit(GREP_SECONDS) as restart:
        for record in index.records():
            if source is not None and record.source != source:
                continue
            restart()
            try:
                match = _filter(record, wanted, grep, figures)
            except _GrepTimeout:
                raise InputError(
                    f"--grep {pattern!r}: gave up after {GREP_SECONDS:g} s on claim {record.id} "
                    "(nested repetition such as (a+)+ backtracks without end); simplify the pattern"
                ) from None
            if match is not None:
                out.append(match)
    return out


def _filter(
    record: ClaimRecord, wanted: list[set[str]], grep: re.Pattern[str] | None, figures: bool
) -> Match | None:
    """The claim as a match of the filters, with what to highlight; None when it fails one. An
    entity is mentioned by name, alias or role, or as the antecedent of "il", "ce dernier"."""
    if figures and not record.figures:
        return None
    names_here = mentioned(record)
    if any(not (one & names_here) for one in wanted):
        return None
    names = set().union(*wanted) if wanted else set()
    marks = [(e["start"], e["end"]) for e in record.entities if e["name"] in names]
    if grep is not None:
        folded, mapping = fold_with_map(record.text)
        hits = list(grep.finditer(folded))
        if not hits:
            return None
        marks += [
            tuple(record.start + x for x in span_from_folded(mapping, h.start(), h.end()))  # type: ignore[misc]
            for h in hits
            if h.end() > h.start()
        ]
    if figures:
        marks += [(f["start"], f["end"]) for f in record.figures]
    return Match(record, sorted(marks))


def describe_filters(entities: list[str], source: str | None, pattern: str | None, figures: bool) -> str:
    """ "entity Nvidia and pattern 'GPU'": what a query that matched nothing asked for."""
    what = [f"entity {n}" for n in entities]
    if source:
        what.append(f"source {source}")
    if pattern:
        what.append(f"pattern {pattern!r}")
    if figures:
        what.append("figures")
    return " and ".join(what) or "these filters"


def claim_dict(record: ClaimRecord) -> dict[str, Any]:
    """The `claims --format json` element (a contract): id, source, start, end, line, text,
    entities, figures; and antecedents (what "il" or "ce dernier" opening it refers to)."""
    return {
        "id": record.id,
        "source": record.source,
        "start": record.start,
        "end": record.end,
        "line": record.line,
        "text": record.text,
        "entities": [
            {
                "name": e["name"],
                "type": e["type"],
                "start": e["start"],
                "end": e["end"],
                "text": e["text"],
                "role": bool(e.get("role", False)),
            }
            for e in record.entities
        ],
        "figures": [dict(f) for f in record.figures],
        "antecedents": [dict(a) for a in record.antecedents],
    }


def find_claim(index: SearchIndex, claim_id: str) -> ClaimRecord:
    """One claim by id, or an error suggesting close ids."""
    wanted = claim_id.strip().lower()
    ids = []
    for record in index.records():
        if record.id == wanted:
            return record
        ids.append(record.id)
    close = difflib.get_close_matches(wanted, ids, n=3, cutoff=0.6)
    hint = (
        f" (did you mean {', '.join(close)}?)"
        if close
        else f" (ids look like {ids[0]}; see `gpu-brief claims`)"
        if ids
        else ""
    )
    raise InputError(f"no claim with id {claim_id!r}{hint}")


def paragraph_of(text: str, record: ClaimRecord) -> tuple[int, int]:
    """Offsets of the paragraph that holds a claim: its line, or in a hard-wrapped file the lines
    ingest read as one paragraph (a claim may cross them). The text is the one ingest read (its
    sha256 checked), so one paragraph holds the claim; else the claim alone is shown."""
    from gpu_brief.segment import paragraphs

    for _, start, content in paragraphs(text):
        if start <= record.start and record.end <= start + len(content):
            return start, start + len(content)
    return record.start, record.end
