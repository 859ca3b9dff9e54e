"""Passage -> candidate answers: typed spans proposed by general machinery; proposers never decide.

Entities and figures come from ingest (with their types and kinds); dates, names, quotations and
clauses (cause, purpose, consequence, reported speech, "not known") are found here with the cue
words of the language pack; phrases are the word spans between punctuation that do not end on a
function word. The scoring model (features.py, model.py) chooses among them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from gpu_brief.qa.finders import clauses, dates, details, names, numbers_in_words
from gpu_brief.qa.kinds import SpanKind
from gpu_brief.qa.language import LanguagePack
from gpu_brief.text import GROUP_SPACES, fold

MAX_PHRASE = 8  # words in a phrase candidate (longer answers come as clauses)
# Characters of a claim whose spans are proposed. A longer one (a page without a full stop: the
# longest claim of the bundled corpus has 283 characters, of PIAF's 944) is its own only
# candidate: its spans, compared with one another, would take seconds to propose.
MAX_CLAIM = 2_000
# Kinds that say what an answer is (a phrase, a clause or the sentence say only where it is)
UNTYPED = frozenset({SpanKind.PHRASE, SpanKind.CLAUSE, SpanKind.SENTENCE})
TYPED = frozenset(SpanKind) - UNTYPED
_UNTYPED_KINDS = UNTYPED - {SpanKind.SENTENCE}  # need a content word

ENTITY_KINDS = {
    "person": SpanKind.PERSON,
    "organisation": SpanKind.ORGANISATION,
    "place": SpanKind.PLACE,
    "product": SpanKind.PRODUCT,
    "media": SpanKind.MEDIA,
}
FIGURE_KINDS = {
    "money": SpanKind.MONEY,
    "percent": SpanKind.PERCENT,
    "count": SpanKind.COUNT,
    "year": SpanKind.YEAR,
    "duration": SpanKind.DURATION,
    "power": SpanKind.POWER,
    "energy": SpanKind.POWER,  # a measure of the same kind of answer ("89 TWh")
    "quantity": SpanKind.QUANTITY,
}
_FIGURES = frozenset(FIGURE_KINDS.values()) | {SpanKind.NUMBER}
# a word; "d'" before one; a hyphenated compound, even with an elision ("Côtes-d'Armor")
_TOKEN = re.compile(
    r"[^\W\d_]+['’](?=\w)|\d+[^\W\d_]+\w*|\d+(?:[.,]\d+)*|[^\W_]+(?:[-.](?:[^\W\d_]+['’])?[^\W_]+)*|[^\w\s]"
)
_QUOTES = re.compile(r"«\s*([^«»]{2,400}?)\s*»|“([^“”]{2,400})”|\"([^\"]{2,400})\"")
_SENTENCE_END = ".!?…"


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    folded: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Candidate:
    """A span of a claim's text (offsets relative to the claim) and what it is."""

    start: int
    end: int
    kinds: frozenset[SpanKind]
    first: int  # index of its first word
    last: int  # index of its last word (inclusive)
    inner: frozenset[SpanKind] = (
        frozenset()
    )  # typed kinds of the spans it overlaps ("75 $" of "75 $ par million")
    cuts: bool = False  # it cuts a typed span in two ("30 603" of "30 603 $ l'unité", "Christophe" of a name)
    refers: int | None = None  # a pronoun standing for the claim's antecedent of this index


@dataclass
class Words:
    """A claim's words with offsets, their folded forms and classes."""

    text: str
    items: list[Word]
    pack: LanguagePack

    @cached_property
    def classes(self) -> list[tuple[str, ...]]:
        out: list[tuple[str, ...]] = []
        for w in self.items:
            if not any(c.isalnum() for c in w.text):
                out.append(("punct",))
            else:
                out.append(self.pack.word_classes(w.folded))
        return out

    @cached_property
    def ends(self) -> list[int]:
        return [w.end for w in self.items]

    @cached_property
    def meaningful(self) -> list[int]:
        """Running count of words that carry meaning (no function word class, or a digit): a
        span's is two lookups."""
        out = [0]
        for w, classes in zip(self.items, self.classes, strict=True):
            out.append(out[-1] + (not classes or any(c.isdigit() for c in w.text)))
        return out

    @cached_property
    def neighbours(self) -> tuple[list[int | None], list[int | None]]:
        """For each word, the nearest content word before it and after it within its piece
        between punctuation (None when punctuation or the edge comes first)."""
        n = len(self.items)
        before: list[int | None] = [None] * n
        after: list[int | None] = [None] * n
        last: int | None = None
        for i in range(n):
            before[i] = last
            classes = self.classes[i]
            last = None if "punct" in classes else (i if not classes else last)
        last = None
        for i in range(n - 1, -1, -1):
            after[i] = last
            classes = self.classes[i]
            last = None if "punct" in classes else (i if not classes else last)
        return before, after

    @cached_property
    def capitals(self) -> list[int]:
        """Running count of capitalised words (a candidate's is two lookups)."""
        out = [0]
        for w in self.items:
            out.append(out[-1] + w.text[:1].isupper())
        return out

    @cached_property
    def digits(self) -> list[int]:
        """Running count of digit characters of the text."""
        out = [0]
        for ch in self.text:
            out.append(out[-1] + ch.isdigit())
        return out

    def index_at(self, offset: int) -> int:
        """The word that covers (or follows) a character offset."""
        return min(bisect_right(self.ends, offset), len(self.items) - 1)


def words_of(text: str, pack: LanguagePack) -> Words:
    items = []
    for m in _TOKEN.finditer(text):
        raw = m.group()
        items.append(Word(raw, fold(raw).replace("’", "'"), m.start(), m.end()))
    return Words(text, items, pack)


@dataclass
class Proposals:
    """Candidates by span: kinds of one span proposed twice are merged."""

    words: Words
    spans: dict[tuple[int, int], set[SpanKind]] = field(default_factory=dict)
    refers: dict[tuple[int, int], int] = field(default_factory=dict)

    def add(self, start: int, end: int, kind: SpanKind) -> None:
        text = self.words.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
            end -= 1
        if end > start:
            self.spans.setdefault((start, end), set()).add(kind)

    def has_content(self, first: int, last: int) -> bool:
        """Does a word of the span carry meaning (no function word class, or a digit)?"""
        meaningful = self.words.meaningful
        return meaningful[last + 1] > meaningful[first]

    def splits_a_number(self, a: int, b: int, figures: list[tuple[int, int]]) -> bool:
        """Does the span start or end between two digit groups of one figure ("210 | 000")?"""
        text = self.words.text

        def between_groups(i: int) -> bool:
            before = 1 <= i < len(text) - 1 and text[i - 1].isdigit() and text[i] in GROUP_SPACES
            after = 2 <= i < len(text) and text[i - 2].isdigit() and text[i - 1] in GROUP_SPACES
            return (before and text[i + 1].isdigit()) or (after and text[i].isdigit())

        return any(between_groups(i) for i in (a, b) if any(x < i < y for x, y in figures))

    def stops_inside_a_figure(self, a: int, b: int, figures: list[tuple[int, int]]) -> bool:
        """Does a phrase or name end inside a figure? "l'objectif de 75" of "l'objectif de 75 %",
        "Pontivy Communauté 6" of "Pontivy Communauté 6 %" run into one; "4,1 M" of "4,1 M€" and
        "60 km" of "60 km/h" cut one in its unit. Only the number alone may stop there ("340" of
        "340 évacuations" answers "combien"); one may start inside a figure and run past it
        ("centaines de millions de dollars de ressources", of "des centaines de millions de
        dollars", leaves out only the determiner)."""
        inside = [x for x, y in figures if x < b < y]
        return bool(inside) and (
            any(a < x for x in inside) or not _BARE_NUMBER.fullmatch(self.words.text[a:b])
        )

    def candidates(self) -> list[Candidate]:
        typed = [(a, b, k) for (a, b), kinds in self.spans.items() for k in kinds if k in TYPED]
        typed_spans = [(x, y) for x, y, _ in typed]
        figures = [(x, y) for x, y, k in typed if k in _FIGURES]
        out = []
        for (a, b), kinds in sorted(self.spans.items()):
            first = self.words.index_at(a)
            last = max(first, self.words.index_at(b - 1))
            if kinds <= _UNTYPED_KINDS and not self.has_content(first, last):
                continue  # only function words ("d'", "de ces"): no answer to anything
            if figures and self.splits_a_number(a, b, figures):
                continue  # "210" of "210 000 hectolitres": a piece of a number is none
            if not kinds & _FIGURES and self.stops_inside_a_figure(a, b, figures):
                continue
            inner = frozenset(k for x, y, k in typed if x < b and a < y)
            cuts = _cuts(a, b, typed_spans)
            out.append(Candidate(a, b, frozenset(kinds), first, last, inner, cuts, self.refers.get((a, b))))
        return out


_BARE_NUMBER = re.compile(r"[\d\s.,\u00a0\u202f]*\d")  # "340" of "340 évacuations": the count alone


def _cuts(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
    """Does the span [a, b) hold part of one of these spans, neither inside it nor holding it?"""
    return any(x < b and a < y and not (a <= x and y <= b) and not (x <= a and b <= y) for x, y in spans)


def propose(
    words: Words,
    base: int,
    entities: list[dict[str, object]],
    figures: list[dict[str, object]],
    matched: list[int],
    anaphors: list[tuple[int, int, str, int]] = (),  # type: ignore[assignment]
) -> list[Candidate]:
    """Every candidate answer of one claim (`base`: the claim's offset in its source; `matched`:
    the positions of the question's words in it, around which clauses are proposed; `anaphors`:
    (start, end, entity type, antecedent index) of a pronoun whose antecedent ingest recorded,
    a candidate for that entity)."""
    found = Proposals(words)
    if len(words.text) <= MAX_CLAIM:
        _spans(found, base, entities, figures, matched, anaphors)
    found.add(0, len(words.text.rstrip().rstrip(_SENTENCE_END)), SpanKind.SENTENCE)
    return found.candidates()


def _spans(
    found: Proposals,
    base: int,
    entities: list[dict[str, object]],
    figures: list[dict[str, object]],
    matched: list[int],
    anaphors: list[tuple[int, int, str, int]],
) -> None:
    """Every span of a claim that may answer, besides the claim itself."""
    words = found.words
    text, pack = words.text, words.pack
    for a, b, kind, ref in anaphors:
        found.add(a, b, ENTITY_KINDS.get(kind, SpanKind.ENTITY))
        found.refers[(a, b)] = ref
    for m in entities:
        kind = ENTITY_KINDS.get(str(m.get("type")), SpanKind.ENTITY)
        found.add(int(str(m["start"])) - base, int(str(m["end"])) - base, kind)
    for f in figures:
        found.add(
            int(str(f["start"])) - base,
            int(str(f["end"])) - base,
            FIGURE_KINDS.get(str(f["kind"]), SpanKind.NUMBER),
        )
    for a, b in dates(words, pack):
        found.add(a, b, SpanKind.DATE)
    for a, b, kind in numbers_in_words(words, pack):
        found.add(a, b, kind)
    for a, b in names(words):
        found.add(a, b, SpanKind.NAME)
    for q in _QUOTES.finditer(text):
        found.add(q.start(), q.end(), SpanKind.QUOTE)
        inner = next(i for i in (1, 2, 3) if q.group(i) is not None)
        found.add(q.start(inner), q.end(inner), SpanKind.QUOTE)
    for kind, a, b in clauses(text, pack):
        found.add(a, b, kind)
    for a, b in _phrases(words):
        found.add(a, b, SpanKind.PHRASE)
    for a, b in _around(words, matched):
        found.add(a, b, SpanKind.CLAUSE)
    for a, b in details(text):
        found.add(a, b, SpanKind.DETAIL)
    _lists(found)
    _extend(found)
    _pronouns_alone(found, anaphors)


_UNTYPED_RUNS = frozenset({SpanKind.PHRASE, SpanKind.CLAUSE})


def _pronouns_alone(found: Proposals, anaphors: list[tuple[int, int, str, int]]) -> None:
    """ "Il a également annoncé ...": ingest knows who "Il" is, so the pronoun alone is the
    candidate (answered with that name); a phrase or clause running on from it is no answer."""
    for a, b, _, _ in anaphors:
        runs = [s for s, kinds in found.spans.items() if s[0] == a and s[1] > b and kinds <= _UNTYPED_RUNS]
        for span in runs:
            del found.spans[span]


def _extend(found: Proposals) -> None:
    """Each typed candidate also with what belongs to it: the qualifier before it ("environ 13
    millions", "en 2027") and a gloss in brackets after it ("3 GW (gigawatts)")."""
    text, pack = found.words.text, found.words.pack
    folded = fold(text).replace("’", "'")
    for (a, b), kinds in list(found.spans.items()):
        # every typed kind of the span, in a fixed order: one taken from the set was a different
        # one in each process (str hashes are salted), and so was the answer
        typed = sorted(kinds & TYPED)
        if not typed:
            continue
        start = a
        q = pack.qualifier_pattern.search(folded, 0, a)
        if q is not None:
            start = q.start()
            for kind in typed:
                found.add(start, b, kind)
        gloss = re.match(r"\s*\([^()]{1,60}\)", text[b:])
        if gloss is not None:
            for s in {a, start}:
                for kind in typed:
                    found.add(s, b + gloss.end(), kind)


_LIST_MEMBERS = frozenset(TYPED) - {SpanKind.CAUSE, SpanKind.PURPOSE, SpanKind.CONSEQUENCE, SpanKind.REPORTED,
                                    SpanKind.UNKNOWN, SpanKind.QUOTE, SpanKind.LIST, SpanKind.DETAIL}  # fmt: skip


def _lists(found: Proposals) -> None:
    """Names or figures of one kind in a row, joined by commas and a coordinator of the language
    pack ("Microsoft, Amazon et Google", "Nvidia et AMD"): the list is a candidate too, of the
    kinds its items share."""
    text, pack = found.words.text, found.words.pack
    spans = sorted(
        ((a, b, frozenset(k & _LIST_MEMBERS)) for (a, b), k in found.spans.items() if k & _LIST_MEMBERS),
        key=lambda s: (s[0], -s[1]),
    )
    coordinators = set(pack.coordinators)
    items: list[tuple[int, int, frozenset[SpanKind]]] = []
    for a, b, kinds in spans:  # the outermost typed spans, left to right
        if kinds == {SpanKind.NAME} and coordinators & set(fold(text[a:b]).split()):
            continue  # "Amazon et Google": capitalised words a coordinator joins are two items
        if items and a < items[-1][1]:
            continue
        items.append((a, b, kinds))
    run: list[tuple[int, int, frozenset[SpanKind]]] = []
    joined = False  # a coordinator links two items of the run
    for item in items:
        between = fold(text[run[-1][1] : item[0]]).strip() if run else None
        coordinated = between is not None and between.lstrip(", ") in coordinators
        if (between == "," or coordinated) and run[0][2] & item[2]:
            run.append(item)
            joined = joined or coordinated
            continue
        _add_list(found, run, joined)
        run, joined = [item], False
    _add_list(found, run, joined)


def _add_list(found: Proposals, run: list[tuple[int, int, frozenset[SpanKind]]], joined: bool) -> None:
    """Two items or more that a coordinator joins are a list, of the kinds they share."""
    if len(run) < 2 or not joined:
        return
    found.add(run[0][0], run[-1][1], SpanKind.LIST)
    for kind in sorted(frozenset.intersection(*(k for _, _, k in run))):
        found.add(run[0][0], run[-1][1], kind)


def _around(words: Words, matched: list[int]) -> Iterator[tuple[int, int]]:
    """What the sentence says next to the question's words: from the word after a run of them to
    the end of its clause, and from the start of their clause to the word before them."""
    items, classes = words.items, words.classes
    n = len(items)
    taken = set(matched)
    for i in sorted(taken):
        if i + 1 < n and i + 1 not in taken and "punct" not in classes[i + 1]:
            j = i + 1
            while j + 1 < n and "punct" not in classes[j + 1] and j + 1 not in taken:
                j += 1
            yield items[i + 1].start, items[j].end
        if i > 0 and i - 1 not in taken and "punct" not in classes[i - 1]:
            j = i - 1
            while j > 0 and "punct" not in classes[j - 1] and j - 1 not in taken:
                j -= 1
            yield items[j].start, items[i - 1].end


def kinds_present(
    words: Words, base: int, entities: list[dict[str, object]], figures: list[dict[str, object]]
) -> set[SpanKind]:
    """The typed kinds of answer a claim holds (entities, figures, dates, names, quotations,
    clauses), without proposing every span: cheap enough for every retrieved passage."""
    kinds = {ENTITY_KINDS.get(str(m.get("type")), SpanKind.ENTITY) for m in entities}
    kinds |= {FIGURE_KINDS.get(str(f["kind"]), SpanKind.NUMBER) for f in figures}
    if next(dates(words, words.pack), None) is not None:
        kinds.add(SpanKind.DATE)
    kinds |= {kind for _, _, kind in numbers_in_words(words, words.pack)}
    if next(names(words), None) is not None:
        kinds.add(SpanKind.NAME)
    if _QUOTES.search(words.text):
        kinds.add(SpanKind.QUOTE)
    kinds |= {kind for kind, _, _ in clauses(words.text, words.pack)}
    return kinds


_STOP_END = frozenset({"determiner", "preposition", "conjunction", "relative", "auxiliary", "pronoun"})
_STOP_START = frozenset({"conjunction", "relative", "auxiliary"})


def _phrases(words: Words) -> Iterator[tuple[int, int]]:
    """Word spans inside a piece between punctuation, up to MAX_PHRASE words, that neither end on
    a function word nor start on a conjunction, relative pronoun or auxiliary."""
    items, classes = words.items, words.classes
    n = len(items)
    for i in range(n):
        if "punct" in classes[i] or _STOP_START & set(classes[i]):
            continue
        for j in range(i, min(n, i + MAX_PHRASE)):
            if "punct" in classes[j]:
                if items[j].text in _UNIT_SIGNS:
                    yield items[i].start, items[j].end
                    continue
                break
            if not _STOP_END & set(classes[j]):
                yield items[i].start, items[j].end


_UNIT_SIGNS = "%$€£¥"
