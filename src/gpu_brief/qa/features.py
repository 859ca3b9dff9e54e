"""Features: small named functions of (query, passage) and (query, passage, candidate).

Each returns plain numbers under a name; `model.py` holds the learned weight of each name. A
feature says what it measures, never how much it should count: that is fitted from labelled
questions (benchmarks/train.py).
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from gpu_brief.qa.candidates import UNTYPED, Candidate, Words
from gpu_brief.qa.kinds import SpanKind
from gpu_brief.qa.query import Query

Features = dict[str, float]
CURATED = "curated"  # the answerable features of a corpus made with a domain pack (answerable._by_corpus)
# retrieval scored nothing: a corpus of a few sentences sharing every word, whose idf are all zero
# (`scored.bm25_evidence`); the answerable trees, fitted where BM25 says something, are not asked
NO_BM25 = "no_bm25_evidence"


@dataclass
class QueryStats:
    """What every passage's features need of the query: each idea's weight (its rarest term's
    idf; an idea the corpus never uses weighs as much as the rarest word) and what it knows."""

    query: Query
    weights: list[float]
    unknown: list[bool]  # the corpus uses none of the group's terms
    k1: float
    bound_types: list[str | None] = field(default_factory=list)  # each bound entity's type (Query.bound)

    @property
    def total(self) -> float:
        return sum(self.weights) or 1.0

    @cached_property
    def focus_share(self) -> float:
        """The share of the question's weight its focus holds, when the focus names the type
        asked ("quelle date"): once a question, not once a passage."""
        q = self.query
        if not q.focus_types or q.focus is None:
            return 0.0
        return next(w for g, w in zip(q.groups, self.weights, strict=True) if g is q.focus) / self.total

    @cached_property
    def alternatives(self) -> list[list[tuple[float, tuple[str, ...]]]]:
        """Each group's alternatives as (their weight, their terms): what coverage measures a
        passage against, worked out once a question (its groups are final by then)."""
        return [
            [(sum(w for _, w in alt), tuple(t for t, _ in alt)) for alt in g.alternatives]
            for g in self.query.groups
        ]


def query_stats(
    query: Query, idf: dict[str, float], df: dict[str, int], max_idf: float, k1: float
) -> QueryStats:
    weights, unknown = [], []
    for g in query.groups:
        known = [idf[t] for t in g.terms if df.get(t)]
        if not known and query.focus_types and g is query.focus:
            # "Quelle somme ... ?" of a corpus that never writes "somme": the answer says a sum
            # by giving one; the word is no idea the corpus lacks
            weights.append(0.0)
            unknown.append(False)
            continue
        weights.append(max(known) if known else max_idf)
        unknown.append(not known)
    return QueryStats(query, weights, unknown, k1)


@dataclass
class PassageView:
    """A retrieved claim as the features see it: its terms, its context's, its paragraph's."""

    terms: frozenset[str]  # the claim's index terms (words, entity and antecedent names)
    context: frozenset[str]  # the sentence before it in its paragraph, its heading, its antecedents
    paragraph: frozenset[str]
    entity_slugs: frozenset[str]  # entities the claim names itself
    by_name: frozenset[str] = frozenset()  # those it names by name, not by a role ("le PDG d'OpenAI")
    positions: dict[str, list[int]] = field(default_factory=dict)  # term -> its word positions
    mentions: tuple[tuple[int, int, str, str], ...] = ()  # entity mentions: first, last word, slug, type
    n_words: int = 1
    rank: int = 0
    sentence: float = 0.0  # BM25 above the query's constant
    paragraph_score: float = 0.0
    anaphoric: bool = False
    first_in_paragraph: bool = False
    kinds: frozenset[SpanKind] = frozenset()  # the typed answers it holds


def _match(alternatives: list[tuple[float, tuple[str, ...]]], terms: frozenset[str]) -> float:
    """How well a set of terms says a group's idea: its best alternative's weight (its terms share
    the idea's weight), half for a multi-word alternative met in part."""
    best = 0.0
    for weight, alt in alternatives:
        if all(t in terms for t in alt):
            best = max(best, weight)
        elif len(alt) > 1 and any(t in terms for t in alt):
            best = max(best, 0.5 * weight)
    return best


def coverage(stats: QueryStats, terms: frozenset[str], exact: bool = False) -> float:
    got = 0.0
    alternatives = stats.alternatives
    for n, (g, w) in enumerate(zip(stats.query.groups, stats.weights, strict=True)):
        got += w * (float(bool(g.own) and g.own <= terms) if exact else _match(alternatives[n], terms))
    return got / stats.total


def passage_features(
    stats: QueryStats, p: PassageView, best_sentence: float, best_paragraph: float
) -> Features:
    q = stats.query
    wide = p.terms | p.context
    f: Features = {
        "bm25_sentence": p.sentence / best_sentence if best_sentence > 0 else 0.0,
        "bm25_paragraph": p.paragraph_score / best_paragraph if best_paragraph > 0 else 0.0,
        "bm25_absolute": p.sentence / (stats.total * (stats.k1 + 1)),
        "rank": 1.0 / (1.0 + p.rank),
        "coverage": coverage(stats, p.terms),
        "coverage_exact": coverage(stats, p.terms, exact=True),
        "coverage_context": coverage(stats, wide),
        "coverage_paragraph": coverage(stats, p.paragraph),
        "length": math.log1p(p.n_words) / 4.0,
        "anaphoric": float(p.anaphoric),
        "first_in_paragraph": float(p.first_in_paragraph),
        "proximity": _proximity(q, p),
        "order": _order(q, p),
    }
    for kind in p.kinds:
        f[f"ask:{q.asked.value}|has:{kind.value}"] = 1.0
    anchors = [(g, w) for g, w in zip(q.groups, stats.weights, strict=True) if g.anchor]
    if anchors:
        total = sum(w for _, w in anchors) or 1.0
        f["anchor_missing"] = sum(w for g, w in anchors if not g.terms & wide) / total
        f["anchor_missing_sentence"] = sum(w for g, w in anchors if not g.terms & p.terms) / total
    named = [g for g in q.groups if g.entity]
    if named:
        f["entities_named"] = sum(1 for g in named if g.terms & p.entity_slugs) / len(named)
        f["entities_context"] = sum(1 for g in named if g.terms & wide) / len(named)
    if q.bound:
        _bound(f, stats, p)
    if q.focus_types and q.focus is not None and q.focus.terms & p.terms:
        # "Quelle date pour le débrayage ?": a sentence saying "date" may give another date; the
        # one that answers often gives it without the word. How much the word counts is learned
        f["focus_type_said"] = stats.focus_share
    held = [g for g in q.groups if g.role]
    if held:
        # who the role a question spells designates, named by name: "Qui dirige OpenAI ?"
        f["role_holder_named"] = sum(1 for g in held if g.terms & p.by_name) / len(held)
    return f


def _bound(f: Features, stats: QueryStats, p: PassageView) -> None:
    """Does the passage say each idea the question binds to an entity next to that entity
    (within 3 words), or, never so, next to another of its type (within 2): "le PDG d'OpenAI"
    for "the CEO of Nvidia"?"""
    q = stats.query
    together = elsewhere = 0
    asked = q.terms
    types = stats.bound_types or [None] * len(q.bound)
    for (idea, name), kind in zip(q.bound, types, strict=True):
        at = [x for t in q.groups[idea].terms for x in p.positions.get(t, ())]
        if not at:
            continue
        e = q.groups[name].terms
        spots = [(x, x) for t in e for x in p.positions.get(t, ())]
        spots += [(a, b) for a, b, s, _ in p.mentions if s in e]
        if any(a - 3 <= x <= b + 3 for x in at for a, b in spots):
            together += 1
        elif any(
            a - 2 <= x <= b + 2 for x in at for a, b, s, t in p.mentions if s not in asked and t == kind
        ):
            elsewhere += 1
    f["bound_together"] = together / len(q.bound)
    f["bound_elsewhere"] = elsewhere / len(q.bound)


def _matched_positions(q: Query, p: PassageView) -> list[tuple[int, int]]:
    """(word position, group index) of every question word the passage says."""
    out: list[tuple[int, int]] = []
    for gi, g in enumerate(q.groups):
        for t in g.terms:
            out.extend((pos, gi) for pos in p.positions.get(t, ()))
    return sorted(out)


def _proximity(q: Query, p: PassageView) -> float:
    """Distinct ideas matched over the width of the window that holds them: 1 when adjacent."""
    pos = _matched_positions(q, p)
    ideas = {g for _, g in pos}
    if len(ideas) < 2:
        return 0.0
    return len(ideas) / (pos[-1][0] - pos[0][0] + 1)


def _order(q: Query, p: PassageView) -> float:
    """Share of consecutive ideas of the question found close together (within 3 words) in the passage."""
    pairs = list(zip(q.groups, q.groups[1:], strict=False))
    if not pairs:
        return 0.0
    hits = 0
    for a, b in pairs:
        pa = [x for t in a.terms for x in p.positions.get(t, ())]
        pb = [x for t in b.terms for x in p.positions.get(t, ())]
        hits += any(abs(x - y) <= 3 for x in pa for y in pb)
    return hits / len(pairs)


# --- candidates ------------------------------------------------------------------------------


def _nearest_mention(mentions: list[tuple[int, int, bool]], c: Candidate) -> bool | None:
    """Is the entity named nearest the candidate (outside it) one the question names? None when
    the question names none or the claim names no other. A tie goes to the question's."""
    if not any(asked for _, _, asked in mentions):
        return None
    best: tuple[int, bool] | None = None
    for first, last, asked in mentions:
        if first <= c.last and c.first <= last:
            continue
        distance = c.first - last if last < c.first else first - c.last
        if best is None or (distance, not asked) < (best[0], not best[1]):
            best = (distance, asked)
    return None if best is None else best[1]


def _gap(n: int) -> str:
    return str(n) if n <= 3 else ("4-6" if n <= 6 else "7+")


_LENGTHS = ((1, "1"), (2, "2"), (3, "3"), (5, "4-5"), (8, "6-8"), (15, "9-15"))
# the bucket of every length up to the last one's top, looked up (every candidate asks)
_BUCKETS = [next(name for top, name in _LENGTHS if n <= top) for n in range(_LENGTHS[-1][0] + 1)]


def _length_bucket(n: int) -> str:
    return _BUCKETS[n] if n < len(_BUCKETS) else "16+"


def word_class(words: Words, i: int) -> str:
    """A word's class for the features: its function class, punct, capitalised or content."""
    if i < 0:
        return "start"
    if i >= len(words.items):
        return "end"
    classes = words.classes[i]
    if classes:
        return classes[0]
    w = words.items[i].text
    if w[:1].isdigit():
        return "number"
    return "capital" if w[:1].isupper() else "content"


class Counted(NamedTuple):
    """A figure that counts something ("340 emplois directs"), by its words' positions."""

    first: int
    last: int
    asked: bool  # the question says what it counts ("emplois")
    whole: bool  # and each word of it ("emplois directs", not "emplois indirects")


@dataclass
class SpanContext:
    """What every candidate of one passage shares: the question's words' positions in it."""

    matched: list[int]  # word positions of question words in the passage
    question_terms: frozenset[str]
    word_terms: list[frozenset[str]]  # each word's analyzed terms
    focus_terms: frozenset[str]
    cue_prep: str | None  # the function word before the interrogative ("en quelle année")
    groups_at: dict[int, int] = field(default_factory=dict)  # matched position -> its group
    n_groups: int = 1
    segment_of: list[int] = field(default_factory=list)  # word -> its piece between punctuation
    weights: list[float] = field(default_factory=list)  # each group's weight
    entity_groups: frozenset[int] = frozenset()  # the groups that name an entity
    mentions: list[tuple[int, int, bool]] = field(default_factory=list)  # entity mentions: words, asked?
    named: list[tuple[int, int]] = field(default_factory=list)  # where it names who a role designates
    choice_terms: frozenset[str] = frozenset()  # the ideas the question offers as a choice ("A ou B")
    classes_of: list[str] = field(default_factory=list)  # word_class of word i at i + 1, "start", "end"
    counted: list[Counted] = field(default_factory=list)  # the figures that count something

    @cached_property
    def weight_total(self) -> float:
        return sum(self.weights) or 1.0

    @cached_property
    def matched_segments(self) -> frozenset[int]:
        return frozenset(self.segment_of[i] for i in self.matched)

    @cached_property
    def prefix(self) -> tuple[list[int], list[int], list[int]]:
        """Running counts over the words, so a candidate's are two lookups: words with terms,
        those the question says, those of its focus."""
        has, asked, focus = [0], [0], [0]
        # an option the question offers ("Meta ou Microsoft ?") is what it asks to choose, not
        # what it already says: a candidate naming it does not repeat the question
        given = self.question_terms - self.choice_terms
        for terms in self.word_terms:
            has.append(has[-1] + bool(terms))
            asked.append(asked[-1] + bool(terms & given))
            focus.append(focus[-1] + bool(self.focus_terms and terms & self.focus_terms))
        return has, asked, focus


def span_features(q: Query, words: Words, c: Candidate, ctx: SpanContext) -> Features:
    n_words = c.last - c.first + 1
    asked = q.asked.value
    f: Features = {
        f"len:{_length_bucket(n_words)}": 1.0,
        f"ask:{asked}|len:{_length_bucket(n_words)}": 1.0,
        "len_ratio": n_words / max(1, len(words.items)),
    }
    for kind in c.kinds:
        f[f"kind:{kind.value}"] = 1.0
        f[f"ask:{asked}|kind:{kind.value}"] = 1.0
    for kind in c.inner - c.kinds:
        f[f"ask:{asked}|holds:{kind.value}"] = 1.0
    if c.cuts:
        f["cuts_typed"] = 1.0
    if c.refers is not None:
        f["refers"] = 1.0  # "ce dernier", for the person the sentence before names
    has, asked_at, focus_at = ctx.prefix
    inside = has[c.last + 1] - has[c.first]
    if inside:
        repeated = asked_at[c.last + 1] - asked_at[c.first]
        f["overlap"] = repeated / inside
        f["overlap_all"] = float(repeated == inside)
        if focus_at[c.last + 1] - focus_at[c.first]:
            f["focus_inside"] = 1.0
    cut_before, cut_after = bisect_left(ctx.matched, c.first), bisect_right(ctx.matched, c.last)
    before, after = ctx.matched[:cut_before], ctx.matched[cut_after:]
    if before:
        gap = c.first - before[-1]
        f["dist_before"] = 1.0 / gap
        f[f"gap_before:{_gap(gap)}"] = 1.0
        f[f"ask:{asked}|gap_before:{_gap(gap)}"] = 1.0
    if after:
        gap = after[0] - c.last
        f["dist_after"] = 1.0 / gap
        f[f"gap_after:{_gap(gap)}"] = 1.0
        f[f"ask:{asked}|gap_after:{_gap(gap)}"] = 1.0
    if before and after:
        f["between"] = 1.0
    left, right = words.neighbours[0][c.first], words.neighbours[1][c.last]
    if left is not None and ctx.word_terms[left] & ctx.question_terms:
        f["left_word_asked"] = 1.0
        f[f"ask:{asked}|left_word_asked"] = 1.0
    if right is not None and ctx.word_terms[right] & ctx.question_terms:
        f["right_word_asked"] = 1.0
        f[f"ask:{asked}|right_word_asked"] = 1.0
    if ctx.choice_terms:
        said = [t for t in ctx.word_terms[c.first : c.last + 1] if t]
        if said and all(t & ctx.choice_terms for t in said):
            f["choice_option"] = 1.0  # "Bernstein" for "Bernstein ou UBS ?"
            f[f"ask:{asked}|choice_option"] = 1.0
        elif not any(t & ctx.choice_terms for t in said):
            f["choice_other"] = 1.0  # "PDG d'OpenAI" for "Satya Nadella or Sam Altman?": neither
            f[f"ask:{asked}|choice_other"] = 1.0
    counts = [n for n in ctx.counted if n.first <= c.last and c.first <= n.last]
    if counts:
        # "un million de GPU" answers how many GPUs, not how many megawatts or inhabitants
        f["counts_asked" if any(n.asked for n in counts) else "counts_other"] = 1.0
        if any(n.whole for n in counts):
            f["counts_all_asked"] = 1.0  # "340 emplois directs" for "how many direct jobs"
    if any(c.first <= a and b <= c.last for a, b in ctx.named):
        f["names_role_holder"] = 1.0  # "Sam Altman" for "Qui dirige OpenAI ?"
    nearest = _nearest_mention(ctx.mentions, c)
    if nearest is not None:
        f["nearest_entity_asked" if nearest else "nearest_entity_other"] = 1.0
    gaps = ([c.first - before[-1]] if before else []) + ([after[0] - c.last] if after else [])
    if gaps and any(k not in UNTYPED for k in c.kinds):
        f[f"typed|gap:{_gap(min(gaps))}"] = 1.0
    if ctx.matched:
        lo, hi = bisect_left(ctx.matched, c.first - 6), bisect_right(ctx.matched, c.last + 6)
        near = {ctx.groups_at[i] for i in ctx.matched[lo:hi]}
        f["local_groups"] = len(near) / max(1, ctx.n_groups)
        f["local_coverage"] = sum(ctx.weights[g] for g in near) / ctx.weight_total
        if ctx.entity_groups:
            f["local_entities"] = len(near & ctx.entity_groups) / len(ctx.entity_groups)
        if ctx.segment_of[c.first] in ctx.matched_segments:
            f["same_segment"] = 1.0
    else:
        f["no_match"] = 1.0
    classes = ctx.classes_of
    if not classes:  # the passage's word classes, once for all its candidates
        classes.extend(word_class(words, i) for i in range(-1, len(words.items) + 1))
    prev, nxt = classes[c.first], classes[c.last + 2]
    f[f"prev:{prev}"] = 1.0
    f[f"next:{nxt}"] = 1.0
    f[f"first:{classes[c.first + 1]}"] = 1.0
    f[f"last:{classes[c.last + 1]}"] = 1.0
    f[f"ask:{asked}|prev:{prev}"] = 1.0
    if c.first > 0:
        prev_word = words.items[c.first - 1].folded
        if ctx.cue_prep and prev_word == ctx.cue_prep:
            f["prep_match"] = 1.0
        if ctx.focus_terms and ctx.word_terms[c.first - 1] & ctx.focus_terms:
            f["focus_before"] = 1.0
        if words.classes[c.first - 1] and "punct" not in words.classes[c.first - 1]:
            f[f"ask:{asked}|prev_word:{prev_word}"] = 1.0
    f["capitalised"] = (words.capitals[c.last + 1] - words.capitals[c.first]) / n_words
    if words.digits[c.end] - words.digits[c.start]:
        f["digits"] = 1.0
        f[f"ask:{asked}|digits"] = 1.0
    if SpanKind.SENTENCE in c.kinds:
        f[f"ask:{asked}|sentence"] = 1.0
    return f


def top_features(features: Features, weights: dict[str, float], n: int = 6) -> list[tuple[str, float]]:
    """The features that moved a score most, with their contributions (weight x value)."""
    parts = [(name, weights.get(name, 0.0) * value) for name, value in features.items()]
    parts = [p for p in parts if p[1]]
    return sorted(parts, key=lambda p: -abs(p[1]))[:n]


def dot(features: Features, weights: dict[str, float]) -> float:
    """Exactly rounded (fsum): the same score whatever order the features were added in (a set's
    order changes from one process to the next), so the same question gets the same answer."""
    return math.fsum(weights.get(k, 0.0) * v for k, v in features.items())


def merge(*parts: Iterable[tuple[str, float]]) -> Features:
    out: Features = {}
    for part in parts:
        for k, v in part:
            out[k] = out.get(k, 0.0) + v
    return out
