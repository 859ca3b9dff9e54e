"""Passage -> candidate answers: typed spans proposed by general machinery; proposers never decide.

Entities and figures come from ingest (with their types and kinds); dates, names, quotations and
clauses (cause, purpose, consequence, reported speech, "not known") are found here with the cue
words of the language pack; phrases are the word spans between punctuation that do not end on a
function word. The scoring model (features.py, model.py) chooses among them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from gpu_brief.qa.kinds import SpanKind
from gpu_brief.qa.language import LanguagePack
from gpu_brief.text import fold

MAX_PHRASE = 8  # words in a phrase candidate (longer answers come as clauses)

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
    "quantity": SpanKind.QUANTITY,
}
_TOKEN = re.compile(r"[^\W\d_]+['’](?=\w)|\d+(?:[.,]\d+)*|[^\W_]+(?:[-.][^\W_]+)*|[^\w\s]")
_CLAUSE_END = re.compile(r"[,;:.!?()«»\"“”]|\s[–—-]\s")
_QUOTES = re.compile(r"«\s*([^«»]{2,400}?)\s*»|“([^“”]{2,400})”|\"([^\"]{2,400})\"")
_SENTENCE_END = ".!?…"


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    folded: str
    start: int
    end: int


@dataclass(frozen=True)
class Candidate:
    """A span of a claim's text (offsets relative to the claim) and what it is."""

    start: int
    end: int
    kinds: frozenset[SpanKind]
    first: int  # index of its first word
    last: int  # index of its last word (inclusive)


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

    def index_at(self, offset: int) -> int:
        """The word that covers (or follows) a character offset."""
        for i, w in enumerate(self.items):
            if w.end > offset:
                return i
        return len(self.items) - 1


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

    def add(self, start: int, end: int, kind: SpanKind) -> None:
        text = self.words.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
            end -= 1
        if end > start:
            self.spans.setdefault((start, end), set()).add(kind)

    def candidates(self) -> list[Candidate]:
        out = []
        for (a, b), kinds in sorted(self.spans.items()):
            first = self.words.index_at(a)
            last = max(first, self.words.index_at(b - 1))
            out.append(Candidate(a, b, frozenset(kinds), first, last))
        return out


def propose(
    words: Words,
    base: int,
    entities: list[dict[str, object]],
    figures: list[dict[str, object]],
    matched: list[int],
) -> list[Candidate]:
    """Every candidate answer of one claim (`base`: the claim's offset in its source; `matched`:
    the positions of the question's words in it, around which clauses are proposed)."""
    text, pack = words.text, words.pack
    found = Proposals(words)
    for m in entities:
        kind = ENTITY_KINDS.get(str(m.get("type")), SpanKind.ENTITY)
        found.add(int(str(m["start"])) - base, int(str(m["end"])) - base, kind)
    for f in figures:
        found.add(
            int(str(f["start"])) - base,
            int(str(f["end"])) - base,
            FIGURE_KINDS.get(str(f["kind"]), SpanKind.NUMBER),
        )
    for a, b in _dates(words, pack):
        found.add(a, b, SpanKind.DATE)
    for a, b in _names(words):
        found.add(a, b, SpanKind.NAME)
    for q in _QUOTES.finditer(text):
        found.add(q.start(), q.end(), SpanKind.QUOTE)
        inner = next(i for i in (1, 2, 3) if q.group(i) is not None)
        found.add(q.start(inner), q.end(inner), SpanKind.QUOTE)
    for kind, a, b in _clauses(text, pack):
        found.add(a, b, kind)
    for a, b in _phrases(words):
        found.add(a, b, SpanKind.PHRASE)
    for a, b in _around(words, matched):
        found.add(a, b, SpanKind.CLAUSE)
    found.add(0, len(text.rstrip().rstrip(_SENTENCE_END)), SpanKind.SENTENCE)
    return found.candidates()


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
    if next(_dates(words, words.pack), None) is not None:
        kinds.add(SpanKind.DATE)
    if next(_names(words), None) is not None:
        kinds.add(SpanKind.NAME)
    if _QUOTES.search(words.text):
        kinds.add(SpanKind.QUOTE)
    kinds |= {kind for kind, _, _ in _clauses(words.text, words.pack)}
    return kinds


def _dates(words: Words, pack: LanguagePack) -> Iterator[tuple[int, int]]:
    """A month, with its day before it and its year after it when there are ("12 mars 2024")."""
    items = words.items
    for i, w in enumerate(items):
        if w.folded.rstrip(".") not in pack.months:
            continue
        a, b = i, i
        if i > 0 and items[i - 1].folded.rstrip("er").isdigit():
            a = i - 1
        if i + 1 < len(items) and items[i + 1].folded.isdigit() and len(items[i + 1].folded) == 4:
            b = i + 1
        yield items[a].start, items[b].end


def _is_capital(word: Word) -> bool:
    return word.text[:1].isupper() and any(c.isalpha() for c in word.text)


def _names(words: Words) -> Iterator[tuple[int, int]]:
    """Runs of capitalised words ("Jean-Christophe Boullion", "William M. Jennings"), with up to
    two lowercase function words between two of them ("Ministère des Sports"); not a sentence's
    first word when it is a function word."""
    items, classes = words.items, words.classes

    def joins(k: int) -> bool:
        """Word k may sit inside a name: a particle, or the full stop of an initial ("M.")."""
        if items[k].text == ".":
            return len(items[k - 1].text) == 1 and _is_capital(items[k - 1])
        return bool(classes[k]) and "punct" not in classes[k] and not _is_capital(items[k])

    i = 0
    while i < len(items):
        if not _is_capital(items[i]) or (i == 0 and classes[0]):
            i += 1
            continue
        j = i
        while True:
            k = j + 1
            while k < len(items) and k - j <= 2 and joins(k):
                k += 1
            if k < len(items) and _is_capital(items[k]):
                j = k
                continue
            if k == j + 1 and k < len(items) and items[k].folded.isdigit() and len(items[k].folded) <= 3:
                j = k  # "Lola 13", "GPT 4"
            break
        yield items[i].start, items[j].end
        i = j + 1


def _clauses(text: str, pack: LanguagePack) -> Iterator[tuple[SpanKind, int, int]]:
    """From each clause marker to the end of its clause; the marker included and not."""
    folded = fold(text).replace("’", "'")
    for kind, pattern in pack.marker_patterns.items():
        span_kind = _CLAUSE_KINDS.get(kind)
        if span_kind is None:
            continue
        for m in pattern.finditer(folded):
            end = _clause_end(text, m.end())
            if end - m.end() < 3:
                continue
            yield span_kind, m.start(), end
            yield span_kind, m.end(), end


_CLAUSE_KINDS = {
    "cause": SpanKind.CAUSE,
    "purpose": SpanKind.PURPOSE,
    "consequence": SpanKind.CONSEQUENCE,
    "reported": SpanKind.REPORTED,
    "unknown": SpanKind.UNKNOWN,
}


def _clause_end(text: str, start: int) -> int:
    m = _CLAUSE_END.search(text, start + 1)
    end = m.start() if m else len(text)
    # a parenthesis, or a decimal comma, does not end a clause: "3 GW (gigawatts)", "2,5 %"
    while m and (text[m.start()] == "(" or (text[m.start()] in ",." and _digit_around(text, m.start()))):
        close = text.find(")", m.start()) if text[m.start()] == "(" else m.start()
        m = _CLAUSE_END.search(text, close + 1) if close >= 0 else None
        end = m.start() if m else len(text)
    return end


def _digit_around(text: str, i: int) -> bool:
    return 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()


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
