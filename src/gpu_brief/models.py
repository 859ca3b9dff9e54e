"""Pydantic models for what gpu-brief writes and reads back: claims files, gazetteers, answers.

Everything read from disk is validated with `extra="forbid"`, so a typo in a hand-edited file is an
error that names the field, not a silently ignored key.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

EntityType = Literal["person", "organisation", "product", "place", "media", "other"]
FigureKind = Literal["money", "percent", "count", "year", "duration", "power", "energy", "quantity"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Span(Strict):
    """Offsets into a source text; `end` is exclusive."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        return self


class Mention(Span):
    """One mention of an entity (found by NER or a gazetteer); `role` marks a role phrase ("le PDG
    d'OpenAI")."""

    name: str
    type: EntityType
    text: str
    role: bool = False


class Figure(Span):
    """A number with its unit and what it counts, parsed into a value (None when vague)."""

    text: str
    kind: FigureKind
    value: float | None = None
    value_max: float | None = None
    unit: str | None = None
    counts: str | None = None
    per: str | None = None
    qualifier: str | None = None
    column: str | None = None  # a table cell's column header


class Heading(Span):
    """A heading or the article's title: not a claim, but its entities are recorded."""

    line: int = Field(ge=1)
    text: str
    entities: list[Mention] = []


class Skipped(Span):
    """A boilerplate line left out of the claims, and why (reported by `ingest`)."""

    line: int = Field(ge=1)
    reason: str
    text: str


def _plain_relative(name: str) -> str:
    """A source is named by a plain relative path under the claims file's `root` (no absolute
    path, no `..`): a shared claims file must not make readers open files elsewhere."""
    from gpu_brief.store import unsafe_source_name

    problem = unsafe_source_name(name)
    if problem is not None:
        raise ValueError(problem)
    return name


class Source(Strict):
    """One ingested file: where it is (relative to the claims file's `root`) and what it held."""

    file: Annotated[str, AfterValidator(_plain_relative)]
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    title: str | None = None
    url: str | None = None
    chars: int = Field(ge=0)
    lines: int = Field(ge=0)
    claims: int = Field(ge=0)
    headings: list[Heading] = []
    skipped: list[Skipped] = []


class Antecedent(Span):
    """What a sentence opening on "il", "elle", "ce dernier" or "celui-ci" refers back to: the
    entity, the earlier claim that names it, and the offsets of that mention (in the source)."""

    name: str
    claim: str
    text: str
    # where the claim itself says it ("ce dernier"); absent in files made before gpu-brief recorded it
    pronoun_start: int | None = Field(default=None, ge=0)
    pronoun_end: int | None = Field(default=None, ge=0)


class Claim(Span):
    """One sentence of one source; `text == source_text[start:end]` is the contract."""

    id: str = Field(pattern=r"^[0-9a-z]+-[0-9]+$")
    source: str
    line: int = Field(ge=1)
    text: str
    entities: list[Mention] = []
    figures: list[Figure] = []
    antecedents: list[Antecedent] = []


class CatalogEntry(Strict):
    """An entity as recorded in a claims file, so readers need no gazetteer to resolve aliases."""

    name: str
    type: EntityType
    aliases: list[str]
    roles: list[str] = []
    ner: bool = False  # found by NER (its aliases are the ways the corpus writes it), not a gazetteer


class LexiconData(Strict):
    """A user's lexicon (`ingest --lexicon FILE`), kept in the claims file it was made with."""

    version: Literal[1] = 1
    en_fr: dict[str, list[str]] = {}
    fr_synonyms: list[list[str]] = []


class ClaimsFile(Strict):
    """The whole of `claims.yaml`."""

    gpu_brief: Literal[1] = 1
    pipeline: str = ""  # what analysed the sources: reused only when this matches
    root: str
    gazetteers: list[str] = []
    domains: list[str] = []  # the bundled domain packs used ("ai-news")
    lexicon: LexiconData | None = None  # the user's lexicon, merged (`ingest --lexicon FILE`)
    # the globs that chose the articles (`ingest --pattern`), written only when not the default
    patterns: list[Annotated[str, Field(min_length=1)]] = []
    sources: list[Source]
    entities: list[CatalogEntry] = []
    claims: list[Claim]

    @model_validator(mode="after")
    def _consistent(self) -> ClaimsFile:
        files = {s.file for s in self.sources}
        if len(files) != len(self.sources):
            raise ValueError("a source file is listed twice")
        seen: set[str] = set()
        for claim in self.claims:
            if claim.id in seen:
                raise ValueError(f"duplicate claim id {claim.id!r}")
            seen.add(claim.id)
            if claim.source not in files:
                raise ValueError(f"claim {claim.id}: source {claim.source!r} is not listed in sources")
        counts = Counter(claim.source for claim in self.claims)
        for source in self.sources:
            if counts[source.file] != source.claims:
                raise ValueError(_incomplete(source.file, counts[source.file], source.claims))
        return self


def _incomplete(file: str, found: int, recorded: int) -> str:
    """A source whose claims are not all there: the file was cut short or edited by hand."""
    return (
        f"source {file!r} records {recorded} claims but {found} are in the file (cut short or "
        "edited?); run `gpu-brief ingest` again to rebuild it"
    )


class GazetteerEntry(Strict):
    name: str = Field(min_length=1)
    type: EntityType
    aliases: list[str] = []
    roles: list[str] = []


class Gazetteer(Strict):
    version: Literal[1] = 1
    entities: list[GazetteerEntry]


class CitationRecord(BaseModel):
    """One citation of an answer, as printed by `ask --format json` (a contract; extras allowed)."""

    model_config = ConfigDict(extra="allow")

    claim_id: str
    source: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    line: int = Field(ge=1)
    text: str
    score: float


class AnswerRecord(BaseModel):
    """One answer as printed by `ask --format json`; extra fields are allowed, these are the contract."""

    model_config = ConfigDict(extra="allow")

    question: str
    answer: str
    abstained: bool
    citations: list[CitationRecord]


class Expect(Strict):
    """A passage that answers an eval question: its source and a verbatim quote from it."""

    source: str
    quote: str = Field(min_length=1)


class EvalQuestion(Strict):
    id: str
    lang: Literal["fr", "en"]
    question: str = Field(min_length=1)
    expect: list[Expect] = []
    answer: str | None = None
    out_of_scope: bool = False

    @model_validator(mode="after")
    def _shape(self) -> EvalQuestion:
        if self.out_of_scope and (self.expect or self.answer):
            raise ValueError("an out-of-scope question has no expect or answer")
        if not self.out_of_scope and not self.expect:
            raise ValueError("needs `expect` (or `out_of_scope: true`)")
        return self


class QuestionSet(Strict):
    version: Literal[1] = 1
    questions: list[EvalQuestion]

    @model_validator(mode="after")
    def _unique(self) -> QuestionSet:
        seen: set[str] = set()
        for q in self.questions:
            if q.id in seen:  # reports and --details name questions by id
                raise ValueError(f"question id {q.id!r} is used twice")
            seen.add(q.id)
        return self
