"""The engine's values: a claim read once (`ClaimInfo`), a retrieved passage with its features
and scores (`Scored`), and everything one question's pass found (`Analysis`)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gpu_brief.qa.candidates import Candidate, Words
from gpu_brief.qa.features import Features, PassageView, QueryStats
from gpu_brief.qa.kinds import SpanKind
from gpu_brief.qa.query import Query

if TYPE_CHECKING:
    from gpu_brief.index import ClaimRecord, Hit
    from gpu_brief.text import Token


@dataclass(frozen=True)
class ClaimInfo:
    record: ClaimRecord
    tokens: list[Token]
    terms: frozenset[str]  # its words' terms, and the names of the entities it names or refers to
    words: Words
    kinds: frozenset[SpanKind]
    anaphoric: bool  # opens on a word that refers back ("il", "l'entreprise")
    # what a passage view takes of it whatever the question: its heading's terms and the names
    # of its context and scope; each term's word positions; its entity mentions by word (first,
    # last, slug, type); the entities it names, and those it names by name rather than by a role
    context: frozenset[str] = frozenset()
    positions: dict[str, list[int]] = field(default_factory=dict)
    mentions: tuple[tuple[int, int, str, str], ...] = ()
    entity_slugs: frozenset[str] = frozenset()
    by_name: frozenset[str] = frozenset()


@dataclass
class Scored:
    """A retrieved passage with its features and scores."""

    hit: Hit
    record: ClaimRecord
    tokens: list[Token]
    view: PassageView
    features: Features
    logit: float = 0.0
    words: Words | None = None
    spans: list[tuple[Candidate, Features, float]] = field(default_factory=list)
    span_linear: list[float] = field(default_factory=list)  # the spans' linear scores, before the trees
    joint: float = -math.inf
    joint_features: Features = field(default_factory=dict)
    # For a strict question (model.strict): whether this passage holds a candidate of a kind
    # that answers it; None for other questions
    fits: bool | None = None
    _fitting: list[bool] = field(default_factory=list)

    def _best(self, scores: list[float]) -> int:
        """The position of the best candidate by these scores; for a strict question, the best of
        a kind that answers it."""
        pool = [i for i, ok in enumerate(self._fitting) if ok] if self.fits else range(len(scores))
        return max(pool, key=scores.__getitem__)

    @property
    def best_span(self) -> tuple[Candidate, Features, float] | None:
        """The best candidate (the trees' correction included)."""
        if not self.spans:
            return None
        return self.spans[self._best([s for _, _, s in self.spans])]

    @property
    def linear_span(self) -> tuple[Candidate, Features, float] | None:
        """The best candidate by the linear score alone, with that score: what the answerable
        and verify models read (the trees pick the likeliest answer among good-looking ones, in
        unanswerable passages too, so their pick tells answers from guesses less well)."""
        if not self.spans:
            return None
        i = self._best(self.span_linear)
        c, f, _ = self.spans[i]
        return c, f, self.span_linear[i]


@dataclass
class Analysis:
    query: Query
    stats: QueryStats
    passages: list[Scored]  # best first, by the passage model (then the joint score for the first few)
    source: str | None = None  # the one source searched (`--source`), if any
    stale: str | None = None  # a source changed since ingest whose passage ranks first: no answer


def bm25_evidence(passages: list[Scored]) -> bool:
    """Whether retrieval scored any passage: in a corpus of a few sentences every word's idf can
    be zero (Okapi's is log((N - df + 0.5) / (df + 0.5))), and the passage and answerable trees,
    fitted where BM25 says something, are not asked to judge inputs they never saw; the linear
    models decide alone."""
    return any(p.hit.sentence > 0 or p.hit.paragraph > 0 for p in passages)
