"""What `ask` returns: the answer, its citations, and why (renderers turn it into text, JSON, Markdown)."""

from __future__ import annotations

from dataclasses import dataclass, field

from gpu_brief.index import ClaimRecord


@dataclass
class Citation:
    """A claim cited for an answer, with what to highlight in it (offsets into the source)."""

    record: ClaimRecord
    score: float  # BM25 of the sentence with its paragraph's (rank-bm25's scale)
    rank: int  # 0-based rank by that score
    coverage: float  # idf-weighted share of the question's ideas the claim says
    highlights: list[tuple[int, int]] = field(default_factory=list)
    answer_span: tuple[int, int] | None = None
    relevance: float = 0.0  # the model's score: what citations are ordered by
    also_in: list[Citation] = field(default_factory=list)
    conflicts: list[tuple[Citation, str]] = field(default_factory=list)
    context_of: str | None = None  # claim id this one is cited for: it names who "il" is


@dataclass
class Contribution:
    """One feature's part in a decision: its value and its weight times value."""

    feature: str
    value: float
    contribution: float


@dataclass
class PlainCheck:
    """The second verdict of a corpus made without a domain pack: its probability, threshold and parts."""

    probability: float
    threshold: float
    parts: list[Contribution]


@dataclass
class Explanation:
    """Why: the three decisions' scores and the features that moved them most."""

    passage: list[Contribution]
    span: list[Contribution]
    answerable: list[Contribution]
    probability: float
    threshold: float
    asked: str
    cue: str
    ideas: list[str]  # the question's ideas as understood, with their weights
    answered: bool = True  # the decision taken (`decide.answer_from`)
    # why it abstained whatever P: the best passages hold no candidate of the kind asked for, or
    # retrieval found nothing
    kind_missing: str | None = None
    nothing_found: bool = False
    plain: PlainCheck | None = None  # a plain corpus's second verdict (`Model.plain`)


@dataclass
class Answer:
    question: str
    lang: str
    qtype: str  # the kind of answer asked for (Asked)
    answer: str
    abstained: bool
    citations: list[Citation]
    not_found: list[str] = field(default_factory=list)
    reason: str | None = None
    answer_source: str | None = None
    answer_start: int | None = None
    answer_end: int | None = None
    probability: float | None = None  # the model's P(the corpus answers this), abstention's basis
    explanation: Explanation | None = None
    line: int | None = None  # its line in a questions file (`ask --questions`)
