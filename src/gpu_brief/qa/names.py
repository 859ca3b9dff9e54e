"""What the question's names and a passage's figures are, read against the corpus.

A plain corpus has no gazetteer: the names of a question are linked to the entities NER found in
the retrieved claims, the words of one name ("Moussa", "Diakité") made one idea. A figure that
counts something ("un million de GPU") is marked with whether the question names what it counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import pairwise
from typing import Any

from gpu_brief.qa.candidates import Words
from gpu_brief.qa.features import Counted
from gpu_brief.qa.groups import alternative
from gpu_brief.qa.query import Query, QueryGroup
from gpu_brief.text import fold

NAME_WORDS = 5  # the most words of one name the question may write as several ideas


def link_names(
    query: Query, mentions: Iterable[tuple[str, str]], particles: frozenset[str] = frozenset()
) -> bool:
    """A name of the question that a retrieved claim writes the same way (`mentions`: text as
    written, entity name), as one of the entities NER found there ("Brodeur", "Moussa Diakité"),
    is that entity: what the question is about. True when the words of a name of several words
    became one idea (the question's weights must be computed again). The words of a name may
    be joined by `particles` ("Racing Club de Castelbourg": "de")."""
    # names, and a capitalised first word (not taken for a name: "Moussa Diakité rejoint-il ...")
    anchors = [
        g for g in query.groups if not g.entity and (g.anchor or query.text[g.start : g.start + 1].isupper())
    ]
    if not anchors:
        return False
    written: dict[str, str] = {}
    for text, entity in mentions:
        written.setdefault(fold(text), entity)
    merged = False
    i = 0
    while i < len(anchors):
        for j in range(min(len(anchors), i + NAME_WORDS), i, -1):
            run = anchors[i:j]
            if not all(_joins(query.text[a.end : b.start], particles) for a, b in pairwise(run)):
                continue  # not next to each other: two names
            name = written.get(fold(query.text[run[0].start : run[-1].end]))
            if name is None:
                continue
            if len(run) > 1:
                _merge(query, run)
                merged = True
            run[0].name_entity(name)
            query.entities.append(name)
            i = j
            break
        else:
            i += 1
    for cached in ("terms", "choice_terms", "bound"):
        query.__dict__.pop(cached, None)
    return merged


def _joins(gap: str, particles: frozenset[str]) -> bool:
    """Is what lies between two words one name's: spaces, a hyphen, particles ("de", "de l'")."""
    gap = fold(gap).replace("’", "'").strip(" -")
    return not gap or gap in particles


def _merge(query: Query, run: list[QueryGroup]) -> None:
    """The words of one name ("Moussa", "Diakité") as one idea: said by all its words together."""
    first = run[0]
    first.label = query.text[first.start : run[-1].end]
    first.end = run[-1].end
    first.alternatives = [alternative(tuple(t for g in run for t in g.own))]
    first.choice = any(g.choice for g in run)
    first.__dict__.pop("terms", None)
    first.__dict__.pop("own", None)
    query.groups = [g for g in query.groups if g is first or all(g is not r for r in run)]
    if any(query.focus is r for r in run):
        query.focus = first


def counted(
    figures: list[dict[str, Any]],
    words: Words,
    word_terms: list[frozenset[str]],
    base: int,
    asked: frozenset[str],
    units: frozenset[str] = frozenset(),
    analyse: Callable[[str], Iterable[str]] | None = None,
) -> list[Counted]:
    """(first word, last word, does the question say what it counts, does it say each of its
    words) of each figure that counts something ("un million de GPU") or is measured in a unit
    written out ("62 000 tonnes", "douze jours"): a count of other things answers another
    question ("Combien de tonnes ... ?" is not answered in days), and "900 emplois indirects"
    another than "340 emplois directs". `units`: those the question asks a measure in ("quelle
    distance": m, km), a figure in one of them is what it asks for. A table cell is what the
    question asks for when it says what tells its column from the others ("2025" of "Tonnage
    2025" beside "Tonnage 2024"; `analyse` gives a header's terms)."""
    out = _by_column(figures, words, base, asked, analyse) if analyse is not None else []
    placed = {c.first for c in out}
    for f in figures:
        counts = f.get("counts") or _unit_word(f)
        if not counts:
            continue
        first, last = words.index_at(f["start"] - base), words.index_at(f["end"] - base - 1)
        nouns = set(fold(str(counts)).split())
        each = [word_terms[i] for i in range(first, last + 1) if words.items[i].folded in nouns]
        terms = frozenset().union(*each)
        after = last + 1
        # a lowercase content word right after the noun qualifies it: "340 emplois directs"
        qualifies = after < len(words.items) and not words.classes[after] and word_terms[after]
        if each and qualifies and words.items[after].text[:1].islower():
            each.append(word_terms[after])
        whole = bool(each) and all(t & asked for t in each if t)
        # and the complement right after it: "340 évacuations de foyers" counts homes too
        if (
            after + 1 < len(words.items)
            and words.items[after].folded in words.pack.complements
            and not words.classes[after + 1]
        ):
            terms |= word_terms[after + 1]
        if first not in placed:
            out.append(Counted(first, last, bool(terms & asked) or f.get("unit") in units, whole))
    return out


def _by_column(
    figures: list[dict[str, Any]],
    words: Words,
    base: int,
    asked: frozenset[str],
    analyse: Callable[[str], Iterable[str]],
) -> list[Counted]:
    """The cells of a table row, when the question says what tells one column from the others."""
    columns = {str(f["column"]) for f in figures if f.get("column")}
    if len(columns) < 2:
        return []
    terms = {c: frozenset(analyse(c)) for c in columns}
    common = frozenset.intersection(*terms.values())
    said = {c for c in columns if (terms[c] - common) & asked}
    if not said or said == columns:
        return []
    out = []
    for f in figures:
        if f.get("column"):
            first, last = words.index_at(f["start"] - base), words.index_at(f["end"] - base - 1)
            inside = str(f["column"]) in said
            out.append(Counted(first, last, inside, inside))
    return out


# the kinds of figure measured in a unit that the text may write as a word
_MEASURED = frozenset({"quantity", "duration", "power", "energy"})


def _unit_word(figure: dict[str, Any]) -> str | None:
    """The unit a figure is written in, when its last word is one ("62 000 tonnes", "douze
    jours"), not a symbol ("38 ha" is one too; "25 km/h" is not)."""
    if figure.get("kind") not in _MEASURED or not figure.get("unit"):
        return None
    last = str(figure.get("text", "")).split()[-1:]
    return last[0] if last and last[0].isalpha() else None
