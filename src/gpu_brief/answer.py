"""Question -> Answer: retrieval, abstention, the answer span, corroboration and conflicts.

The answer is extractive: the best claim, and within it the span the question asks for (a figure
for "combien"/"how much", a name for "qui"/"who", a date for "quand"/"when", a place for
"où"/"where", the cause clause for "pourquoi"/"why"), falling back to the whole claim.

Abstention rule (documented in the README): the best claim must cover at least COVERAGE of the
question's weight, where each idea of the question weighs its idf and an idea the corpus never
mentions weighs as much as the rarest word; and a question asking for a figure (price, share,
count, power) needs a claim among the best few that both covers the question and holds a figure
of that kind. Otherwise: "No grounded answer in the corpus", with the ideas that were not found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from gpu_brief.question import LEADER_TERMS, money_cue, without_est_ce_que
from gpu_brief.text import fold

if TYPE_CHECKING:
    from collections.abc import Iterable

    from gpu_brief.entities import EntityMatcher
    from gpu_brief.index import ClaimRecord, SearchIndex
    from gpu_brief.question import Query
    from gpu_brief.text import Analyzer, Token

COVERAGE = 0.2  # share of the question's weight the best claim must cover
CANDIDATES = 30  # claims retrieved before reranking
RERANK_WINDOW = 8  # beyond this BM25 rank, a passage needs a clearly better fit to come first
COVERAGE_GAIN = 0.5  # rerank key: score * (COVERAGE_GAIN + coverage)
PROMOTE = 0.6  # weight of a passage that cannot hold the kind of answer asked for
ANSWER_REACH = 0.5  # a passage that answers may stand in for a best one that does not, if this close
STAND_IN_COVERAGE = 0.5  # ... and covers this share of what the best one does (or names it all itself)
SOFT_FIT = 0.85  # weight of a passage without a cause marker ("why") or the noun a "quel X" asks
ABSTAIN_TEXT = "No grounded answer in the corpus"
PRIMARY_KINDS = {"count": {"count", "quantity"}}

_RELATION_TYPES = frozenset({"who", "when", "where"})
_ADDITIVE = re.compile(
    r"\b(?:également|aussi|en outre|de plus|outre|supplémentaires?|en plus|autres?|d['’]autres)\b",
    re.IGNORECASE,
)
# Questions a passage may answer by saying the thing is not known ("reste floue")
_IDENTITY_TYPES = frozenset(
    {"who", "name", "when", "where", "money", "count", "percent", "power", "duration", "size"}
)
# The items of a list of infinitives: "de créer ..., de collaborer ..., et de diversifier ..."
_LIST_ITEM = re.compile(r"(?:^|\s|,\s+et\s+|,\s+)(?:de|d['’])\s*(?=[a-zà-ÿ]+(?:er|ir|re)\b)")
ASIDE_SHARE = 0.4  # an item with this share of its words set aside by "besides X" is X again
_UNKNOWN = re.compile(
    r"\b(?:reste|restent|demeure|demeurent|est|sont|etait)\s+(?:encore\s+|toujours\s+)?"
    r"(?:floue?s?|inconnue?s?|mysterieu(?:x|se|ses)|secrete?s?|confidentielle?s?|a determiner|un mystere)\b"
    r"|\bon (?:ne (?:sait|connait) pas|ignore)(?: encore| toujours)? (?!si\b|s'il)\w"
    r"|\bn'(?:a|ont|avait|avaient) pas (?:encore )?(?:ete )?"
    r"(?:revele|devoile|divulgue|precise|communique|nomme|identifie|rendu public)e?s?\b"
    r"|\b(?:non|pas) (?:encore )?(?:divulgue|communique|precise|revele|devoile|identifie|nomme)e?s?\b"
)

FIGURE_KINDS = {
    "money": {"money"},
    "percent": {"percent"},
    "count": {"count", "quantity", "money"},  # "combien de puces" may be answered in dollars of chips
    "power": {"power"},
    "duration": {"duration"},
    "size": {"money", "count", "quantity", "power"},  # "How big is the supercomputer?": any measure of it
}


@dataclass
class Citation:
    """A claim cited for an answer, with what to highlight in it (offsets into the source)."""

    record: ClaimRecord
    score: float
    rank: int
    coverage: float
    highlights: list[tuple[int, int]] = field(default_factory=list)
    answer_span: tuple[int, int] | None = None
    relevance: float = 0.0  # the score citations are ordered by: BM25 weighed by coverage and fit
    also_in: list[Citation] = field(default_factory=list)
    conflicts: list[tuple[Citation, str]] = field(default_factory=list)


@dataclass
class Answer:
    """What `ask` returns; renderers turn it into text, JSON or Markdown."""

    question: str
    lang: str
    qtype: str
    answer: str
    abstained: bool
    citations: list[Citation]
    not_found: list[str] = field(default_factory=list)
    reason: str | None = None
    answer_source: str | None = None
    answer_start: int | None = None
    answer_end: int | None = None


# --- the engine ------------------------------------------------------------------------------


class Answerer:
    """Holds the index and the analyzers: built once, asked many times (chat, --questions)."""

    def __init__(self, index: SearchIndex) -> None:
        from gpu_brief.entities import EntityDef, EntityMatcher
        from gpu_brief.text import Analyzer

        self.index = index
        self.analyzer: Analyzer = Analyzer(index.surface)
        catalog = index.header["catalog"]
        self.matcher: EntityMatcher = EntityMatcher(
            EntityDef(e["name"], e["type"], tuple(e["aliases"]), tuple(e.get("roles", ())))
            for e in catalog
            if not e.get("ner")
        )
        # A name NER found is what a question asks about when the question writes it (so never
        # its answer), but it is searched as words, and passages need not name it as they must a
        # gazetteer's entity. PIAF dev, ask --top 5, sent@1: 0.462 so; 0.437 searched as an
        # entity term; 0.398 required (abstention 0.237 against 0.111).
        self.gazetteers = frozenset(e["name"] for e in catalog)  # any other entity is NER's
        self.lexicon: dict[str, Any] = index.header["lexicon"]
        self.max_idf = index.idf("\0unseen")
        from gpu_brief.question import Vocabulary

        self.vocabulary = Vocabulary(index.df, index.surface)
        self._source_ranges: dict[str, tuple[int, int]] | None = None
        self._terms: dict[int, frozenset[str]] = {}  # claim index -> terms, for one question

    def source_range(self, source: str) -> tuple[int, int] | None:
        """Claim indices of one source (claims are stored grouped by source, in order)."""
        if self._source_ranges is None:
            ranges: dict[str, tuple[int, int]] = {}
            start = 0
            for s in self.index.sources:
                ranges[s["file"]] = (start, start + s["claims"])
                start += s["claims"]
            self._source_ranges = ranges
        return self._source_ranges.get(source)

    def query(self, question: str) -> Query:
        """The question analysed with this corpus's lexicons, entities and spellings."""
        from gpu_brief.question import build_query

        return build_query(question, self.analyzer, self.lexicon, self.matcher, self.vocabulary)

    def add_named_by_ner(self, query: Query, records: Iterable[ClaimRecord]) -> None:
        """The names NER found in the passages retrieved that the question writes too: asked
        about, never the answer. Read from the passages' mentions, not by matching the question
        against every NER name of the catalog (300,000 aliases on a large corpus)."""
        words = _words_of(query.text)
        for record in records:
            for e in record.entities:
                name = e["name"]
                if (
                    name not in self.gazetteers
                    and name not in query.entities
                    and not e.get("role")
                    and any(_contains_words(_words_of(n), words) for n in (e["text"], name))
                ):
                    query.entities.append(name)

    def ask(self, question: str, top: int = 5, source: str | None = None) -> Answer:
        query = self.query(question)
        self._terms.clear()
        search_groups = [g.alternatives for g in query.groups]
        allowed = self.source_range(source) if source else None
        k = max(CANDIDATES, top)
        hits = self.index.search(search_groups, k=k, doc_range=allowed)
        if not hits:
            return self._abstain(
                query,
                [g.label for g in query.groups] or [question.strip()],
                f"no word of the question occurs in {source}"
                if source
                else "no word of the question occurs in the corpus",
            )
        cites = [self._citation(query, doc, score, rank) for rank, (doc, score) in enumerate(hits)]
        self.add_named_by_ner(query, [c.record for c in cites])
        cites = self._rerank(query, cites)
        best = cites[0]
        unknown = [g.label for g in query.groups if g.anchor and not any(self.index.df(t) for t in g.terms())]
        if unknown:
            return self._abstain(query, unknown, "the question names something the corpus never mentions")
        unseen = [g.label for g in query.groups if not any(self.index.df(t) for t in g.terms())]
        if (len(query.groups) >= 3 and 3 * len(unseen) > 2 * len(query.groups)) or (
            not self._required(query) and 2 * len(unseen) >= len(query.groups)
        ):
            # "how do I fix a flat bike tire": one word in common is chance, not a topic; without a
            # name the corpus knows, half the question unknown to it is enough ("Comment prépare-t-on
            # une ratatouille ?" shares only "prépare")
            return self._abstain(query, unseen, "most words of the question never occur in the corpus")
        if not self._content_match(query, best):
            return self._abstain(
                query, self._missing(query, best), "the passages share only numbers with the question"
            )
        if best.coverage < COVERAGE:
            return self._abstain(
                query,
                self._missing(query, best),
                f"the best passage covers only {best.coverage:.0%} of the question",
            )
        answering = self._answering(query, cites)
        if answering is None:
            # What is missing is the kind of answer, not a word: list only words no close passage has
            said = frozenset().union(*(self._terms_of(c.record) for c in self._close(cites)))
            absent = [g.label for g in query.groups if not g.terms() & said]
            return self._abstain(
                query, absent, f"no passage that matches it holds {_WANTED[query.qtype]} that fits"
            )
        if answering is best and query.qtype == "who" and not query.roles:
            answering = self._describing(query, cites) or best
        if answering is not best:  # lifted to the top score: citations stay ordered by score
            answering.relevance = best.relevance
            best = answering
            cites = [best, *(c for c in cites if c is not best)]
        if query.qtype == "why":
            best, cites = self._antecedent_cause(query, best, cites)
        answer_text, span = self._extract(query, best, cites)
        best.answer_span = span
        self._corroborate(query, best, cites[:CANDIDATES])
        shown = cites[:top]
        ans = Answer(question, query.lang, query.qtype, answer_text, False, shown)
        if span is not None:
            ans.answer_source, ans.answer_start, ans.answer_end = best.record.source, span[0], span[1]
        return ans

    # -- scoring helpers --

    def _citation(self, query: Query, doc: int, score: float, rank: int) -> Citation:
        record = self.index.record(doc)
        tokens = self.analyzer.tokens(record.text)
        claim_terms = set(self._terms_of(record, tokens))
        if record.heading:
            claim_terms.update(self.analyzer.terms(record.heading))
        coverage = self._coverage(query, claim_terms)
        highlights = [(record.start + t.start, record.start + t.end) for t in tokens if t.term in query.terms]
        return Citation(record, score, rank, coverage, highlights)

    def _weight(self, group_terms: set[str]) -> float:
        known = [self.index.idf(t) for t in group_terms if self.index.df(t)]
        return max(known) if known else self.max_idf

    def _coverage(self, query: Query, claim_terms: set[str]) -> float:
        total = 0.0
        got = 0.0
        for g in query.groups:
            weight = self._weight(g.terms())
            total += weight
            match = 0.0
            for alt in g.alternatives:
                if all(t in claim_terms for t, _ in alt):
                    match = max(match, min(w for _, w in alt))
                elif len(alt) > 1 and any(t in claim_terms for t, _ in alt):
                    match = max(match, 0.5 * min(w for _, w in alt))
            got += weight * match
        return got / total if total else 0.0

    def _answering(self, query: Query, cites: list[Citation]) -> Citation | None:
        """The top passage may be on topic yet not hold the kind of answer asked for ("Qui
        dirige OpenAI ?" ranks a sentence about OpenAI's plans first). A close runner-up that
        does hold it answers instead; far down the list, nothing does and the tool abstains."""
        if self._suits(query, cites[0]):
            return cites[0]
        return next(
            (
                c
                for c in self._close(cites)[1:]
                if c.coverage >= COVERAGE
                and (c.coverage >= STAND_IN_COVERAGE * cites[0].coverage or self._names_itself(query, c))
                and self._content_match(query, c)
                and self._suits(query, c)
            ),
            None,
        )

    def _close(self, cites: list[Citation]) -> list[Citation]:
        """The best passage and the runners-up close enough to stand in for it: within the
        rerank window and at least ANSWER_REACH as relevant (cites are ordered by relevance)."""
        reach = ANSWER_REACH * cites[0].relevance
        return [c for c in cites[:RERANK_WINDOW] if c.relevance >= reach]

    def _describing(self, query: Query, cites: list[Citation]) -> Citation | None:
        """ "Qui est Romen Dar ?": a close passage that says what he is ("Directeur et
        cofondateur de Run AI") answers better than the best one, which only quotes him."""
        if not _asks_who_is(query) or self._appositive(query, cites[0].record) is not None:
            return None
        return next(
            (
                c
                for c in self._close(cites)[1:]
                if c.coverage >= COVERAGE and self._appositive(query, c.record) is not None
            ),
            None,
        )

    def _antecedent_cause(
        self, query: Query, best: Citation, cites: list[Citation]
    ) -> tuple[Citation, list[Citation]]:
        """ "Cela a contraint OpenAI à limiter..." states an effect; its cause is the sentence
        "cela" points back to. That sentence (same paragraph) answers "why", and goes first."""
        record = best.record
        if not _EFFECT.match(record.text) or record.index == 0:
            return best, cites
        previous = self.index.record(record.index - 1)
        if previous.source != record.source or previous.line != record.line:
            return best, cites
        cause = next((c for c in cites if c.record.index == previous.index), None)
        if cause is None:
            cause = self._citation(query, previous.index, best.score, best.rank)
            cause.relevance = best.relevance
        rest = [c for c in cites if c is not cause]
        return cause, [cause, *rest]

    def _content_match(self, query: Query, c: Citation) -> bool:
        """A year or an amount in common is no evidence that a passage is on the question's topic:
        at least one word or name of the question must be there too."""
        present = self._terms_of(c.record)
        return any(
            g.terms() & present and not all(t.replace(".", "").isdigit() for t in g.terms())
            for g in query.groups
        )

    def _terms_of(self, record: ClaimRecord, tokens: list[Token] | None = None) -> frozenset[str]:
        """A claim's words and the entities it names or points back to; asked of the same few
        claims again and again while one question is answered, so kept until the next one."""
        terms = self._terms.get(record.index)
        if terms is None:
            from gpu_brief.entities import slug

            words = tokens if tokens is not None else self.analyzer.tokens(record.text)
            terms = frozenset(
                [t.term for t in words]
                + [slug(e["name"]) for e in record.entities]
                + [slug(name) for name in record.context]
            )
            self._terms[record.index] = terms
        return terms

    def _missing(self, query: Query, best: Citation) -> list[str]:
        terms = self._terms_of(best.record)
        return [g.label for g in query.groups if not (g.terms() & terms)]

    def _names_all(self, query: Query, c: Citation) -> bool:
        """A passage answers a question about Nvidia only if it is about Nvidia: it must mention
        every entity the question names (by name, alias or role, or by an anaphor such as
        "Ceux-ci" that points back to it)."""
        required = self._required(query)
        if not required:
            return True
        present = {e["name"] for e in c.record.entities} | set(c.record.context) | set(c.record.scope)
        # "l'abonnement Plus de ChatGPT" names ChatGPT Plus and ChatGPT: the first says both
        within = {fold(n) for n in present}
        return all(name in present or any(fold(name) in other for other in within) for name in required)

    def _required(self, query: Query) -> list[str]:
        """The question's entities every passage must name: a gazetteer's, not NER's."""
        return [name for name in query.entities if name in self.gazetteers]

    def _names_itself(self, query: Query, c: Citation) -> bool:
        """A runner-up that covers much less of the question than the best passage may still
        answer it if it names, itself, what the question names ("dès 2019, Microsoft
        développait ..."); one that only sits near those names does not ("analyste chez
        Bernstein" is no place for the Microsoft-OpenAI supercomputer, and "Cette décision ...
        permettre à Google d'économiser des milliards" is not what OpenAI pays Broadcom)."""
        present = {e["name"] for e in c.record.entities}
        required = self._required(query)
        return bool(required) and all(name in present for name in required)

    def _has_focus(self, query: Query, c: Citation) -> bool:
        """ "Quel âge a Sam Altman ?": when the corpus never speaks of the thing asked about (no
        word for it, nor a synonym, anywhere), no passage can answer. A focus the corpus does use
        elsewhere may be phrased differently here, so it does not block."""
        if query.focus is None or _ROLE_NOUN.fullmatch(fold(query.focus.label)):
            return True  # "sur quel indicateur ...": a role any noun may fill, not an attribute
        return any(self.index.df(t) for t in query.focus.terms())

    def _states_relation(self, query: Query, c: Citation) -> bool:
        """ "Qui a fondé Broadcom ?": a passage naming Broadcom and a company is no answer unless
        it says something of founding. A factoid answer needs one of the question's own words
        (or a synonym) besides the names and numbers it is about. (Asking for most of those words
        instead raised false abstention to 0.09 on dev and 0.20 held out: articles paraphrase.)"""
        words = [g for g in query.groups if not g.anchor]
        if not words:
            return True
        if _EMPLOYER_ASKED.search(fold(query.text)) and _EMPLOYED_AT.search(c.record.text):
            return True  # "Stacy Rasgon travaille pour qui ?": "Stacy Rasgon, analyste chez Bernstein"
        present = self._terms_of(c.record)
        names = [g for g in query.groups if g.anchor and g.terms() & present]
        if len(names) >= 2:  # "When did Microsoft start working on Athena?": both, together
            return True
        return any(g.terms() & present for g in words)

    def _counts_what_is_asked(self, query: Query, c: Citation) -> bool:
        """ "Combien d'employés compte OpenAI ?": a passage with "deux options" and no word for
        employees (nor a synonym) counts something else."""
        group = query.count_group
        if group is None:
            return True
        if not group.terms() & self._terms_of(c.record):
            return False
        if not _PEOPLE_COUNTED.search(fold(query.count_noun or "")):
            return True
        # "Combien d'abonnés ?": a passage whose only counts are of things ("des dizaines de
        # milliers de GPU ... aux abonnés") does not count people
        counts = [f for f in c.record.figures if f["kind"] in ("count", "quantity")]
        return not counts or any(
            not f.get("counts")
            or _PEOPLE_COUNTED.search(fold(f["counts"]))
            or group.terms() & {t.term for t in self.analyzer.tokens(f["counts"])}
            for f in counts
        )

    def _suits(self, query: Query, c: Citation) -> bool:
        """Does the claim hold the kind of answer the question asks for, about what it names?"""
        record = c.record
        if not self._names_all(query, c):
            return False
        if query.qtype in _RELATION_TYPES and not self._states_relation(query, c):
            return False
        if query.qtype == "count" and not self._counts_what_is_asked(query, c):
            return False
        if query.qtype in _IDENTITY_TYPES and self._unknown_clause(query, c.record) is not None:
            return True  # "Which company will OpenAI buy?": "l'identité ... reste floue" answers
        metric = _METRIC_ASKED.search(fold(query.text)) if query.qtype == "money" else None
        if metric is not None and not _METRIC_NAMED[metric.lastgroup or ""].search(fold(record.text)):
            return False  # "What was Nvidia's revenue?": a unit price is no revenue
        if query.expects_figure:
            kinds = FIGURE_KINDS[query.qtype]
            return (
                any(
                    f["kind"] in PRIMARY_KINDS.get(query.qtype, kinds)
                    or (
                        f["kind"] in kinds
                        and (query.count_noun is None or self._names_noun(query, record, f))
                    )
                    for f in self._asked_figures(query, record)
                )
                or (query.qtype == "duration" and bool(_DATE.search(record.text)))
                or (query.qtype == "percent" and bool(_PROPORTION.search(record.text)))
            )
        if query.qtype == "when":
            dates = [m.group() for m in _DATE.finditer(record.text)]
            if _ASKS_ABSOLUTE.search(fold(query.text)):  # "en quelle année": not "récemment"
                return any(_ABSOLUTE.search(d) for d in dates)
            return bool(dates)
        if query.qtype == "who" and query.roles:  # "Qui est le PDG d'OpenAI ?": that person,
            # named in the passage itself ("il a déclaré" points to him but cannot answer)
            return any(e["name"] in query.roles and not e.get("role") for e in record.entities)
        if query.qtype == "who":
            if self._focus_phrase(query, c) is not None:
                return True  # "Quels clients ... ?" answered by a kind of client: "clients professionnels"
            people = [e for e in self._people(query, record) if not e.get("role")]
            if _MEDIA_ASKED.search(fold(query.text)):  # "Quel média a relayé ...": a media name
                return any(e["type"] == "media" for e in people)
            if _LEADER_ASKED.search(fold(query.text)) and not _LEADER_TERMS & self._terms_of(record):
                return False  # "Who runs Nvidia?": an analyst quoted beside Nvidia does not run it
            if _ROLE.search(fold(query.text)):
                return any(e["type"] == "person" for e in people)
            return bool(people) or bool(_NAME.search(record.text, 1))
        if query.qtype == "where":
            return bool(self._where_candidates(query, record))
        if query.qtype == "name":
            return bool(_named(record.text) or self._name_candidates(query, record))
        return self._has_focus(query, c)

    def _speaks(self, query: Query, c: Citation) -> bool:
        """ "Qu'a dit Altman sur les GPU ?": a passage where the person asked about is quoted
        answers, whatever else of the question it repeats."""
        record = c.record
        if not (query.wants_quote and (_quoted(record.text) or _reported(record.text))):
            return False
        asked = set(query.entities)
        people = {e["name"] for e in record.entities if e["type"] == "person"}
        if people:
            return bool(people & asked)
        # "il déclare : « ... »" with no one else named: the one the paragraph is about speaks
        return bool(asked & (set(record.context) | set(record.scope)))

    def _rerank(self, query: Query, cites: list[Citation]) -> list[Citation]:
        """BM25 finds candidates; the final order weighs each by how much of the question it
        covers, and a passage that cannot hold the kind of answer asked for (no figure for "how
        much", no name for "who", no cause for "why") counts for less. `relevance` is that
        order's score, so citations are printed best first with non-increasing scores."""
        focus = query.focus.terms() if query.focus is not None else set()
        # What each candidate holds, for the preferences below that compare it with the others
        speaks = [self._speaks(query, c) for c in cites]
        speakers = any(speaks)  # "qu'a dit Altman": a passage quoting him
        # "Comment s'appelle la puce ?": a passage giving a name ("nommée Athena") before one
        # that only mentions some name
        names = [query.qtype == "name" and self._gives_name(query, c.record.text) is not None for c in cites]
        naming = any(names[:RERANK_WINDOW])
        # "Do we know which company ...?": a passage saying it is not known answers first
        unknown = [
            query.qtype in _IDENTITY_TYPES
            and query.asks_known
            and self._unknown_clause(query, c.record) is not None
            for c in cites
        ]
        whether_known = any(unknown)
        kind_of_people = (
            query.focus is not None
            and query.qtype in ("what", "who")
            and bool(_PEOPLE_COUNTED.search(fold(query.focus.label)))
        )
        for i, c in enumerate(cites):
            fit = 1.0 if self._suits(query, c) else PROMOTE
            if c.rank >= RERANK_WINDOW and not speaks[i]:  # far down the BM25 list: trusted less
                fit *= PROMOTE
            if query.qtype == "why" and not _CAUSE.search(c.record.text):
                fit *= SOFT_FIT
            if speakers and not speaks[i]:  # "qu'a dit Altman": someone else, or no quote
                fit *= PROMOTE
            elif query.wants_quote and not _quoted(c.record.text):  # "quelle formule": none here
                fit *= SOFT_FIT
            if whether_known and not unknown[i]:  # "Connaît-on le nom ...?"
                fit *= SOFT_FIT
            if naming and not names[i]:  # "nommée Athena"
                fit *= PROMOTE
            if query.asks_more and not _ADDITIVE.search(c.record.text):  # "what else": "également"
                fit *= SOFT_FIT
            if query.asks_action and not _ACTION_DONE.search(c.record.text):  # "quelle mesure": "contraint à"
                fit *= SOFT_FIT
            if focus and query.qtype == "what" and not focus & self._terms_of(c.record):  # no style here
                fit *= SOFT_FIT
            elif kind_of_people and self._focus_phrase(query, c) is None:  # "Quels utilisateurs ...":
                fit *= SOFT_FIT  # "les utilisateurs gratuits", not "Les utilisateurs peuvent ..."
            c.relevance = c.score * (COVERAGE_GAIN + c.coverage) * fit
        return sorted(cites, key=lambda c: (-c.relevance, c.rank))

    # -- the answer span --

    def _people(self, query: Query, record: ClaimRecord) -> list[dict[str, Any]]:
        """Who may answer a "who" question: people, organisations, media; countries too when the
        question asks for a government or a country."""
        asked = set(query.entities)
        types = {"person", "organisation", "media"}
        folded = fold(query.text)
        if _STATE_ASKED.search(folded):
            types.add("place")
        people = [e for e in record.entities if e["type"] in types and e["name"] not in asked]
        if _ROLE.search(folded) and asked:
            # "Qui est le PDG de Nvidia ?": not Sam Altman, who is "le PDG d'OpenAI" in this passage
            other_roles = {
                e["name"]
                for e in record.entities
                if e.get("role") and not any(fold(n) in fold(e["text"]) for n in asked)
            }
            people = [e for e in people if e["name"] not in other_roles]
        return people

    def _asked_clauses(self, query: Query, record: ClaimRecord) -> list[tuple[int, int]]:
        """ "OpenAI et Microsoft ... un supercalculateur de 100 milliards, tandis que Musk veut
        étendre Colossus, à Memphis, à un million de GPU": a figure or place in a contrasted
        clause that names none of the question's entities, when another clause names them, is
        said of something else. The spans (in the claim's text) where an answer may be."""
        text = record.text
        whole = [(0, len(text))]
        if not query.entities:
            return whole
        clauses = list(pairwise([0, *(m.start() for m in _CONTRAST.finditer(text)), len(text)]))
        asked = set(query.entities)
        named = [
            (a, b)
            for a, b in clauses
            if any(e["name"] in asked and a <= e["start"] - record.start < b for e in record.entities)
        ]
        return named or whole

    def _extract(
        self, query: Query, best: Citation, cites: list[Citation]
    ) -> tuple[str, tuple[int, int] | None]:
        record = best.record
        base = record.start
        text = record.text
        span: tuple[int, int] | None = None
        if query.expects_figure:
            span = self._figure_span(query, record)
            if span is None and query.qtype == "percent" and (part := _PROPORTION.search(text)):
                stop = _ACTION_END.search(text, part.end())
                span = part.start(), stop.start() if stop else len(text.rstrip(" .!?"))
        elif query.qtype == "when":
            span = _date_span(text)
        elif (
            query.qtype in ("name", "what", "how")
            and not query.wants_quote
            and _after_preposition(query.text, text, best)
        ):
            span = _after_preposition(query.text, text, best)
        elif query.qtype == "what" and _asks_what_is(query) and (said := self._described(query, record)):
            span = said  # "C'est quoi Run AI ?" -> "une plateforme regroupant les GPU"
        elif query.qtype == "who" and _asks_who_is(query) and not query.roles:
            span = self._appositive(query, record)  # "Who is X?": what is said of X, or the claim
        elif (
            query.qtype == "who"
            and _EMPLOYER_ASKED.search(fold(query.text))
            and (at := _EMPLOYED_AT.search(text))
        ):
            span = at.span(1)  # "Who does Stacy Rasgon work for?" -> "analyste chez Bernstein": Bernstein
        elif query.qtype == "who":
            candidates = self._who_candidates(query, record)
            span = _coordinated(text, self._closest(best, candidates, query), candidates)
            role = _APPOSITION.match(text, span[1]) if span is not None else None
            if span is not None and role is not None and self._says_more(query, role.group()):
                span = span[0], role.end()  # "Stacy Rasgon, analyste chez Bernstein,": who they are
            if span is None:
                span = self._focus_phrase(query, best)
        elif query.qtype == "name":
            span = self._gives_name(query, text)
            if span is None and (span := self._closest(best, self._name_candidates(query, record), query)):
                head = _HEAD_NOUN.search(text, 0, span[0])
                if head and any(t.term in query.word_terms for t in self.analyzer.tokens(head.group(1))):
                    span = head.start(1), span[1]  # "Quelles puces ?" -> "puces Nvidia Hopper"
        elif query.qtype == "where":
            span = self._closest(best, self._where_candidates(query, record), query)
        elif query.qtype == "why":
            span = _cause_span(text) or _causing_subject(text)
        elif query.wants_quote and (quotes := _quoted(text)):
            span = self._closest(best, quotes, query)
            if span is not None:
                span = _with_marks(text, span)  # '"GPU fumaient"': shown as the words quoted
        elif query.wants_quote and (said := _reported(text)) is not None:
            span = said  # 'a déclaré : "La conception ... du jour au lendemain.' (quote runs on)
        else:
            span = (
                self._besides(query, best)
                or self._made_into(query, best)
                or self._action_taken(query, best)
                or _enumeration(text)
                or self._focus_phrase(query, best)
                or (None if query.wants_quote else self._object_of_verb(query, best))
                or self._subject_of_copula(query, best)
                or self._what_follows(query, best)
                or self._asserted_clause(query, best)
            )
        if span is None and query.qtype in _IDENTITY_TYPES:
            span = self._unknown_clause(query, record)
        if span is None:
            return text, None
        a, b = _balanced(text, span)
        if query.qtype != "why" and (gloss := _GLOSS.match(text, b)) is not None:
            b = gloss.end()  # "la plateforme X (anciennement Twitter)", "3 GW (gigawatts)"
        return text[a:b], (base + a, base + b)

    def _says_more(self, query: Query, words: str) -> bool:
        """Do these words tell the asker something the question did not say? ("principal
        investisseur" does not, to "Who is OpenAI's main investor?")"""
        return any(t.term not in query.terms for t in self.analyzer.tokens(words))

    def _who_candidates(self, query: Query, record: ClaimRecord) -> list[tuple[int, int]]:
        designated = [e for e in record.entities if e["name"] in query.roles]
        if designated:  # "Qui est le PDG d'OpenAI ?": the person the role designates
            by_name = [e for e in designated if not e.get("role")] or designated
            return [(e["start"] - record.start, e["end"] - record.start) for e in by_name]
        people = [e for e in self._people(query, record) if not e.get("role")]
        asked = fold(query.text)
        if _MEDIA_ASKED.search(asked):
            people = [e for e in people if e["type"] == "media"] or people
        if _ORG_ASKED.search(asked) and not _ROLE.search(asked):
            people = [e for e in people if e["type"] != "person"] or people
        else:
            people = [e for e in people if e["type"] == "person"] or people
        # "Sequoia Capital, principal investisseur de Graphcore, a refusé": not the complement in
        # another name's apposition
        people = [
            e
            for e in people
            if not any(
                p["end"] <= e["start"]
                and _APPOSITION_OF.match(record.text[p["end"] - record.start : e["start"] - record.start])
                for p in people
            )
        ] or people
        spans = [(e["start"] - record.start, e["end"] - record.start) for e in people]
        if not spans:
            named = {fold(n) for n in query.entities}
            spans = [m.span() for m in _NAME.finditer(record.text, 1) if fold(m.group()) not in named]
        return spans

    def _name_candidates(self, query: Query, record: ClaimRecord) -> list[tuple[int, int]]:
        """Named things the question does not name itself; products first ("quelle puce")."""
        asked = set(query.entities)
        # "Reuters" is a source, not the name of a chip; nor is "Zuckerberg", unless a person is asked
        shut = {"media"} if _PERSON_ASKED.search(fold(query.text)) else {"media", "person"}
        names = [e for e in record.entities if not e.get("role") and e["type"] not in shut]
        out: list[tuple[int, int]] = []
        for i, e in enumerate(names):
            if e["name"] in asked:
                continue
            a, b = e["start"] - record.start, e["end"] - record.start
            if i > 0 and names[i - 1]["end"] + 1 == e["start"]:  # "Nvidia Hopper": one name
                a = names[i - 1]["start"] - record.start
            out.append((a, b))
        products = [
            span
            for span, e in zip(out, [e for e in names if e["name"] not in asked], strict=False)
            if e["type"] == "product"
        ]
        return products or out

    def _object_of_verb(self, query: Query, cite: Citation) -> tuple[int, int] | None:
        """ "Qu'a dû lâcher Meta ?" -> what follows the claim's word for the question's verb
        ("abandonner certaines de ses puces IA" -> "certaines de ses puces IA")."""
        asked = fold(query.text)
        trailing = re.search(r"\bquoi\s*\??\s*$", asked)  # "OpenAI compte diversifier quoi ?"
        if not re.match(r"^(?:qu['’]|que\b|quoi\b|what\b)", asked) and not trailing:
            return None
        if re.match(r"^qu['’]est-ce qui\b", asked) or _WHAT_AS_SUBJECT.match(asked):
            return None  # "qu'est-ce qui représente ...", "what accounts for ...": the subject
        words = [g for g in query.groups if not g.anchor and g.label[:1].islower()]
        if not words:
            return None
        terms = (words[-1] if trailing else words[0]).terms()  # the verb, or the one next to "quoi"
        text = cite.record.text
        tok = next((t for t in self.analyzer.tokens(text) if t.term in terms), None)
        if tok is None:
            return None
        rest = text[tok.end :]
        stop = re.search(r"\s(?:et|mais|qui|que|afin|pour|car|lorsqu)\b|[,;.:!?](?:\s|$)", rest)
        b = tok.end + (stop.start() if stop else len(rest))
        a = tok.end
        while a < b and text[a] == " ":
            a += 1
        return (a, b) if 6 <= b - a <= 90 else None

    def _focus_phrase(self, query: Query, cite: Citation) -> tuple[int, int] | None:
        """ "Quels abonnés ont dû attendre ?" -> "utilisateurs gratuits": the claim's word for the
        noun the question asks about, with the words that qualify it and that the question did
        not say. Only when such a word follows: a bare "utilisateurs" tells nothing new."""
        if query.focus is None:
            return None
        text = cite.record.text
        focus = query.focus.terms()
        said = query.terms
        tokens = self.analyzer.tokens(text)
        for i, tok in enumerate(tokens):
            if tok.term not in focus:
                continue
            m = _QUALIFIER.match(text, tok.end)
            if m is None:
                continue
            qualifiers = [t for t in tokens[i + 1 :] if t.start < m.end()]
            if qualifiers and any(t.term not in said for t in qualifiers):
                return tok.start, m.end()
        return None

    def _action_taken(self, query: Query, cite: Citation) -> tuple[int, int] | None:
        """ "Quelle mesure OpenAI a-t-il prise ?" -> "imposer des limitations de vitesse à la
        fonctionnalité ..." in "Cela a contraint OpenAI à imposer ...": a step taken is what
        someone was made, or chose, to do."""
        if not query.asks_action:
            return None
        text = cite.record.text
        m = _ACTION_DONE.search(text)
        if m is None:
            return None
        stop = _ACTION_END.search(text, m.end())
        b = stop.start() if stop else len(text.rstrip(" .!?"))
        return (m.end(), b) if b - m.end() >= 8 else None

    def _gives_name(self, query: Query, text: str) -> tuple[int, int] | None:
        """A name given as such: after "nommée", or in quotes after the question's own noun
        ('la nouvelle fonctionnalité "Images in ChatGPT"' for "Comment s'appelle la
        fonctionnalité ?", but not for "Sur quel modèle repose-t-elle ?")."""
        named = _named(text)
        if named is not None or not _ASKS_NAME.search(fold(query.text)):
            return named  # "Sur quel modèle ...": a model's name, not the feature's title
        for m in _TITLED.finditer(text):
            if any(t.term in query.word_terms for t in self.analyzer.tokens(m.group(1))):
                return m.span(2)
        return None

    def _besides(self, query: Query, cite: Citation) -> tuple[int, int] | None:
        """ "À part fabriquer ses puces, qu'envisage OpenAI d'autre ?" -> in "Elle envisage
        également de créer sa propre puce, de collaborer avec ..., et de diversifier ...", the
        items after the ones the asker set aside: "collaborer avec ..., et de diversifier ..."."""
        if not query.aside:
            return None
        text = cite.record.text
        additive = _ADDITIVE.search(text)
        if additive is None:
            return None
        starts = [m.end() for m in _LIST_ITEM.finditer(text, additive.end())]
        end = len(text.rstrip(" .!?"))
        for i, a in enumerate(starts):
            b = starts[i + 1] if i + 1 < len(starts) else end
            words = [t.term for t in self.analyzer.tokens(text[a:b])]
            if words and sum(t in query.aside for t in words) < ASIDE_SHARE * len(words):
                return (a, end) if i > 0 else None  # nothing set aside: not this rule's answer
        return None

    def _made_into(self, query: Query, cite: Citation) -> tuple[int, int] | None:
        """ "What did Altman make a priority?" -> "l'achat de puces d'IA" in "a fait de l'achat de
        puces d'IA une priorité absolue": what is made into the thing the question names."""
        text = cite.record.text
        said = query.word_terms
        for m in _MADE_INTO.finditer(text):
            words = self.analyzer.tokens(text[m.end() : m.end() + 40])
            if words and words[0].term in said:
                return m.span(1)
        return None

    def _subject_of_copula(self, query: Query, cite: Citation) -> tuple[int, int] | None:
        """ "What's the best way to cut costs?" -> "l'acquisition d'une entreprise de puces mature"
        in "..., l'acquisition d'une entreprise de puces mature est la meilleure solution": when
        the question's words follow "est" / "représentent", what comes before is the answer."""
        if query.qtype not in ("what", "how"):
            return None
        text = cite.record.text
        said = query.terms
        for verb in _COPULA.finditer(text):
            end = re.search(r"[,;:.!?](?:\s|$)", text[verb.end() :])
            predicate = self.analyzer.tokens(
                text[verb.end() : verb.end() + (end.start() if end else len(text))]
            )
            if sum(t.term in said for t in predicate) < 2:
                continue
            starts = [m.end() for m in re.finditer(r"(?:^|[,;:]\s+|\bque\s+|\bqu['’])", text[: verb.start()])]
            a = starts[-1] if starts else 0
            subject = self.analyzer.tokens(text[a : verb.start()])
            new = [t for t in subject if t.term not in said]
            if subject and 2 * len(new) > len(subject) and 6 <= verb.start() - a <= 100:
                return a, verb.start()
        return None

    def _what_follows(self, query: Query, cite: Citation) -> tuple[int, int] | None:
        """ "Sur quels leviers devront porter les progrès ?" -> "se tourner vers l'architecture des
        modèles": what a claim says next, after the last of the question's words it repeats, is
        what the question did not know. Only when that leaves a phrase, not a bare word."""
        asked = without_est_ce_que(fold(query.text))
        if query.qtype not in ("what", "how") or not _OPEN_QUESTION.search(asked):
            return None  # "Is Microsoft building its own chip?" is answered by the whole claim
        record = cite.record
        text = record.text
        said = query.terms
        words = query.word_terms
        tokens = self.analyzer.tokens(text)
        focus = query.focus.terms() if query.focus is not None else set()
        marks = [t for t in tokens if t.term in words and t.end < len(text) * 0.8]
        stop = re.compile(r"\s(?:mais|afin|car|lorsqu|tandis)\b|[,;:!?](?:\s|$)|\.(?:\s|$)")
        for mark in reversed(marks):  # the last repeated word that is followed by something new
            a = mark.end
            found = stop.search(text, a)
            b = found.start() if found else len(text)
            while a < b and text[a] in " «\"'’":
                a += 1
            new = [t for t in tokens if a <= t.start < b and t.term not in said]
            items = _LIST_TAIL.match(text, b) if new else None  # "vers A, B et C.": the whole list
            if items is not None:
                b = items.end()
            if new and 12 <= b - a <= 120:
                # "À quel événement ?" -> "événement du MIT ...", not a bare "du MIT ..."
                return (mark.start if mark.term in focus else a), b
        return None

    def _asserted_clause(self, query: Query, cite: Citation) -> tuple[int, int] | None:
        """ "Microsoft compte-t-il remplacer les puces Nvidia par Athena ?" -> "Microsoft ne
        prévoyait pas de remplacer les puces Nvidia par des puces Athena à court terme": a yes/no
        question is answered by the clause that asserts what it asks, the one holding most of its
        words. Not a concession ("même si Nvidia augmente la production ..."), which says what
        does not settle it, nor the reporting verb ("Les initiés ont déclaré")."""
        from gpu_brief.entities import slug

        if not query.yes_no:
            return None
        record = cite.record
        text = record.text
        tokens = self.analyzer.tokens(text)
        weighed = [(g.terms(), self._weight(g.terms())) for g in query.groups]
        best: tuple[float, int, int] | None = None
        for a, end in _clauses(text):
            if _CONCESSION.match(text, a):
                continue
            inside = {t.term for t in tokens if a <= t.start < end}
            if len(inside) < 2:
                continue
            inside |= {slug(e["name"]) for e in record.entities if a <= e["start"] - record.start < end}
            score = sum(weight for terms, weight in weighed if terms & inside)
            if score > 0 and (best is None or score >= best[0]):
                best = (score, a, end)
        if best is None:
            return None
        _, a, b = best
        whole = text.rstrip(" .!?")
        return (a, b) if b - a < len(whole) - 3 else None

    def _unknown_clause(self, query: Query, record: ClaimRecord) -> tuple[int, int] | None:
        """ "Which chip company does OpenAI want to buy?" -> "l'identité de l'entreprise qu'elle
        souhaite acquérir reste floue": a clause saying that what is asked is not known answers a
        question for a name, a date or a figure. It must speak of what is asked (one of the
        question's words, its names aside), and not of whether ("on ne sait pas si ...")."""
        text = record.text
        if not _UNKNOWN.search(fold(text)):
            return None
        words = query.word_terms
        tokens = self.analyzer.tokens(text)
        for a, b in _clauses(text):
            if _UNKNOWN.search(fold(text[a:b])) and any(t.term in words for t in tokens if a <= t.start < b):
                return a, b
        return None

    def _where_candidates(self, query: Query, record: ClaimRecord) -> list[tuple[int, int]]:
        asked = set(query.entities)
        clauses = self._asked_clauses(query, record)
        places = [
            e
            for e in record.entities
            if e["type"] == "place" and e["name"] not in asked and _within(clauses, e["start"] - record.start)
        ]
        if places:
            first, last = places[0], places[-1]
            if last["start"] - first["end"] < 20:  # "Memphis, dans le Tennessee": one place
                return [(first["start"] - record.start, last["end"] - record.start)]
            return [(e["start"] - record.start, e["end"] - record.start) for e in places]
        orgs = [
            e
            for e in record.entities
            if e["type"] == "organisation"
            and e["name"] not in asked
            and _within(clauses, e["start"] - record.start)
            and re.search(
                r"(?:\bdu|\bde la|\bde l['’]|\bchez|\bau|\bà)\s*$", record.text[: e["start"] - record.start]
            )
        ]
        # "Where did Altman announce ...?": on a platform, at an event, in an interview
        venues = [m.span(1) for m in _VENUE.finditer(record.text) if _within(clauses, m.start())]
        if orgs:
            spans = [(e["start"] - record.start, e["end"] - record.start) for e in orgs]
            # "lors d'un événement du MIT": the event, which names the organisation
            return [next((v for v in venues if v[0] <= a and b <= v[1]), (a, b)) for a, b in spans]
        found = [m.span(1) for m in _PLACE.finditer(record.text) if _within(clauses, m.start())]
        return found or venues

    def _closest(
        self, cite: Citation, spans: list[tuple[int, int]], query: Query | None = None
    ) -> tuple[int, int] | None:
        """The candidate nearest to the words the question shares with the claim: its own words
        first ("associée à Broadcom" for "avec quel partenaire"), then the names it repeats."""
        if not spans:
            return None
        marks = [a - cite.record.start for a, _ in cite.highlights]
        if query is not None:
            words = query.word_terms
            own = [t.start for t in self.analyzer.tokens(cite.record.text) if t.term in words]
            marks = own or marks
        if not marks:
            return spans[0]

        def distance(span: tuple[int, int]) -> tuple[int, int]:
            a, b = span
            inside = [m for m in marks if not a <= m < b]
            if not inside:
                return (10_000, a)
            return (min(abs(m - a) if m < a else abs(m - b) for m in inside), a)

        return min(spans, key=distance)

    def _appositive(self, query: Query, record: ClaimRecord) -> tuple[int, int] | None:
        """ "Who is Stacy Rasgon?": the description set beside the name, "analyste chez Bernstein"."""
        if not _asks_who_is(query):
            return None
        text = record.text
        mentions = [e for e in record.entities if e["name"] in query.entities and e["type"] == "person"]
        role = next((e for e in mentions if e.get("role")), None)
        if role is not None:  # "le PDG de Microsoft, Satya Nadella": the role says who he is
            return role["start"] - record.start, role["end"] - record.start
        asked = [e for e in mentions if not e.get("role")]
        if not asked:
            # "Il est à préciser que ce dernier est Directeur et cofondateur de Run AI": said of
            # the person the previous sentence named
            if not set(query.entities) & set(record.context):
                return None
            said = _ANAPHOR_IS.search(text)
            if said is None or _CONNECTIVE.match(said.group(1)):
                return None
            return said.start(1), said.end(1)
        e = asked[0]
        a, b = e["start"] - record.start, e["end"] - record.start
        after = re.match(r",\s*([^,;.()]{3,80}?)\s*(?:[,;.(]|$)", text[b:])
        if after:
            return b + after.start(1), b + after.end(1)
        before = re.search(r"(?:^|,\s*)([^,;.]{3,80}?),\s*$", text[:a])
        if before and _DESCRIPTION.match(before.group(1)) and not _CONNECTIVE.match(before.group(1)):
            return before.start(1), before.end(1)  # "analyste chez Bernstein, Stacy Rasgon", not "Cependant,"
        return None

    def _described(self, query: Query, record: ClaimRecord) -> tuple[int, int] | None:
        """ "C'est quoi Run AI ?": the description set right after the name ("Run AI, une
        plateforme regroupant les GPU")."""
        text = record.text
        for e in record.entities:
            if e["name"] in query.entities and not e.get("role"):
                after = _DESCRIBED.match(text, e["end"] - record.start)
                if after:
                    return after.span(1)
        return None

    def _asked_figures(self, query: Query, record: ClaimRecord) -> list[dict[str, Any]]:
        """The claim's figures that may answer: not those of a contrasted clause about another."""
        clauses = self._asked_clauses(query, record)
        return [f for f in record.figures if _within(clauses, f["start"] - record.start)]

    def _names_noun(self, query: Query, record: ClaimRecord, f: dict[str, Any]) -> bool:
        """Does the figure count the noun asked about ("combien de GPU": "10 000 GPU")?"""
        noun = query.count_noun
        if noun is None:
            return False
        after = record.text[f["end"] - record.start : f["end"] - record.start + 16]
        group = query.count_group
        return (
            bool(f.get("counts") and _same_word(f["counts"].split()[0], noun))
            # "16 milliards de dollars de puces" answers "combien de puces" / "how many chips"
            or fold(noun)[:4] in fold(after)
            or (group is not None and bool(group.terms() & {t.term for t in self.analyzer.tokens(after)}))
        )

    def _figure_span(self, query: Query, record: ClaimRecord) -> tuple[int, int] | None:
        """The figure the question asks about: of the wanted kind, and whose own clause holds
        the most (idf-weighted) question words; the qualifier ("plus de", "environ") included."""
        kinds = FIGURE_KINDS[query.qtype]
        figures = sorted(self._asked_figures(query, record), key=lambda f: f["start"])
        if query.qtype == "duration" and not any(f["kind"] in kinds for f in figures):
            return _date_span(record.text)
        if not figures:
            return None
        text, base = record.text, record.start
        # Each word of the claim belongs to the figure nearest to it: in "75 $ par million de
        # jetons en entrée et 150 $ par million de jetons en sortie", "sortie" goes with 150.
        near: list[set[str]] = [set() for _ in figures]
        for tok in self.analyzer.tokens(text):

            def gap(f: dict[str, Any], tok: Any = tok) -> int:
                a, b = f["start"] - base, f["end"] - base
                return 0 if a <= tok.start < b else (a - tok.end if tok.end <= a else tok.start - b)

            nearest = min(range(len(figures)), key=lambda i: (gap(figures[i]), i))
            near[nearest].add(tok.term)

        def relevance(i: int) -> tuple[float, float, int]:
            f = figures[i]
            terms = near[i]
            score = 0.0
            for g in query.groups:
                if query.qtype == "money" and money_cue(g.label):
                    continue  # "coût" beside 75 $ says nothing about 75 $ against 150 $
                best = 0.0
                for alt in g.alternatives:
                    present = [(t, w) for t, w in alt if t in terms]  # a synonym counts for less
                    value = sum(self.index.idf(t) * w for t, w in present)
                    best = max(best, value if len(present) == len(alt) else 0.5 * value)
                score += best
            names_noun = self._names_noun(query, record, f)
            if names_noun:
                score += 5.0
            kind = (
                2.0
                if f["kind"] in PRIMARY_KINDS.get(query.qtype, kinds) or (names_noun and f["kind"] in kinds)
                else 1.0
                if f["kind"] in kinds
                else 0.0
            )
            vague = 0.0 if f.get("value") is None else 0.5
            return (kind, score + vague, -f["start"])

        pick = figures[max(range(len(figures)), key=relevance)]
        a, b = pick["start"] - base, pick["end"] - base
        qualifier = pick.get("qualifier")
        if qualifier and pick.get("value") is not None:
            lead = re.search(r"\s+".join(map(re.escape, qualifier.split())) + r"\s*$", text[:a])
            if lead is not None:
                a = lead.start()
        if re.search(r"\s(?:à|-)\s", text[a:b]) and (
            opening := re.search(r"\b(?:de|d['’]|entre)\s*$", text[:a])
        ):
            a = opening.start()  # a range: "de 1,5 à 2 millions d'unités"
        said = query.terms
        tail = re.match(r"\s+(?:en|pour|à|au|aux|de|d['’])\s*([\w-]+)", text[b:])
        if tail is not None and any(t.term in said for t in self.analyzer.tokens(tail.group(1))):
            b += tail.end()  # "150 $ par million de jetons en sortie" for "... en sortie ?"
        elif (of := _FIGURE_OF.match(text, b)) is not None:
            b = of.end()  # what the amount is of: "des centaines de millions de dollars de calcul"
        return _respectively(text, (a, b), [(f["start"] - base, f["end"] - base) for f in figures])

    # -- agreement between sources --

    def _corroborate(self, query: Query, best: Citation, cites: list[Citation]) -> None:
        """Other sources saying the same thing ("also in"), or giving another figure for it."""
        best_terms = set(self.analyzer.terms(best.record.text))
        span_figure = None
        if best.answer_span and query.expects_figure:
            span_figure = next(
                (
                    f
                    for f in best.record.figures
                    if f["start"] <= best.answer_span[1] and best.answer_span[0] <= f["end"] - 1
                ),
                None,
            )
        for other in cites[1:]:
            if other.coverage < COVERAGE or not self._names_all(query, other):
                continue  # another subject: 10 000 GPU for Microsoft are not Musk's 10 000 GPU
            if span_figure is not None:
                same_kind = [
                    f
                    for f in other.record.figures
                    if f["kind"] == span_figure["kind"]
                    and f.get("unit") == span_figure.get("unit")
                    and f.get("value") is not None
                ]
                if any(f["value"] == span_figure.get("value") for f in same_kind):
                    if other.record.source != best.record.source:
                        best.also_in.append(other)
                    continue
                related = [f for f in same_kind if _same_subject(f, span_figure)]
                # Two figures in one article are two facts (a round and a valuation); only
                # another source can disagree
                if (
                    related
                    and other.record.source != best.record.source
                    and other.coverage >= best.coverage - 0.1
                ):
                    best.conflicts.append((other, related[0]["text"]))
                continue
            if other.record.source == best.record.source:
                continue
            terms = set(self.analyzer.terms(other.record.text))
            overlap = len(best_terms & terms) / max(1, min(len(best_terms), len(terms)))
            if overlap >= 0.5:
                best.also_in.append(other)

    def _abstain(self, query: Query, missing: list[str], reason: str) -> Answer:
        return Answer(
            query.text, query.lang, query.qtype, ABSTAIN_TEXT, True, [], not_found=missing, reason=reason
        )


_WANTED = {
    "money": "a figure",
    "percent": "a figure",
    "count": "a figure",
    "power": "a figure",
    "duration": "a duration or date",
    "size": "a figure",
    "when": "a date",
    "who": "a person or organisation",
    "where": "a place",
    "why": "a cause",
    "how": "an answer",
    "what": "an answer",
    "name": "a name",
}
_ROLE = re.compile(
    r"\b(?:pdg|ceo|patron|dirigeant|fondateur|cofondateur|co-fondateur|founder|co-founder|cofounder"
    r"|directeur|director|analyste|analyst|president|chef|boss|head of|chief|a la tete|dirige|runs|leads"
    r"|heads|expert|experts|specialiste|journaliste)\b"
)
_EFFECT = re.compile(
    r"^(?:cela|ceci|ça|ce qui|c['’]est pourquoi|pour cette raison|voilà pourquoi|d['’]où|this|that)\b"
    r"(?:\s+(?:a|avait|aurait|va|pourrait))?\s+(?:contraint|poussé|obligé|conduit|amené|forcé|entraîné|provoqué|forced|led|pushed|caused)",
    re.IGNORECASE,
)
# ", une plateforme regroupant les GPU" after a name: what it is
_DESCRIBED = re.compile(r",\s*((?:une?|la|le|l['’]|an?|the)\s+[^,;.()]{3,80}?)\s*(?:[,;.(]|$)")
_WHAT_IS = re.compile(
    r"^(?:c'est quoi|qu'est-ce que|qu'est-ce qu'|what is|what's|what are)\s+(.+?)\s*\??$"
    r"|^(.+?),?\s+c'est quoi\s*\??$"
)
_WHO_IS = re.compile(
    r"^(?:qui (?:est|etait|sont)|c'est qui|who(?: is|'s| was| are))\s+"
    r"(?!le |la |les |l'|the |a |à |au |aux |en |derriere |chez |at |behind |in |on |responsible )"
)
_OPEN_QUESTION = re.compile(
    r"\b(?:quel|quelle|quels|quelles|que|qu'|quoi|lequel|laquelle|lesquels|lesquelles|comment|"
    r"what|which|how)\b|\bqu'"
)
_ANAPHOR_IS = re.compile(
    r"\b(?:ce dernier|cette dernière|celui-ci|celle-ci)\s+(?:est|était|a été)\s+([^,;.()]{3,80}?)\s*(?:[,;.(]|$)",
    re.IGNORECASE,
)
# What may open a description set before a name ("analyste chez Bernstein, Stacy Rasgon"), and
# what may not: a connective or a circumstance ("Cependant, X", "Lors d'un événement du MIT, X").
_DESCRIPTION = re.compile(r"^\s*(?:\S+\s+)+?\S+\s*$|^\s*[a-zà-ÿ]\S*\s*$")
_CONNECTIVE = re.compile(
    r"^\s*(?:cependant|toutefois|pourtant|néanmoins|en effet|par ailleurs|de plus|ainsi|mais|enfin|"
    r"selon|d['’]après|en revanche|or|donc|lors|dans|en|après|avant|pendant|pour|par|sur|avec|depuis|"
    r"à|au|aux|lorsque|quand|si|comme|malgré|however|meanwhile|according|in|on|at|after|before|"
    r"when|during)\b|.*\b(?:qui|que|qu['’])\b",
    re.IGNORECASE,
)
_WHAT_AS_SUBJECT = re.compile(
    r"^what (?!(?:do|does|did|is|are|was|were|has|have|had|will|would|can|could|should|may|might|must"
    r"|'s|kind|sort|type)\b)[a-z]+(?:s|ed)\b"
)
_COPULA = re.compile(
    r"\s(?:est|sont|était|étaient|sera|seront|serait|reste|restent|demeure|représente|représentent"
    r"|constitue|constituent)\s"
)
_PEOPLE_COUNTED = re.compile(
    r"\b(?:utilisateu|abonn|client|visiteu|employ|salari|personn|internaut|membre|user|subscriber|customer"
    r"|visitor|employee|people|person|member)"
)
_STATE_ASKED = re.compile(r"\b(?:gouvernements?|government|pays|country|countries|etats?|state|nation)\b")
_ORG_ASKED = re.compile(
    r"\b(?:entreprises?|societes?|firmes?|compagnies?|groupes?|fabricants?|fournisseurs?|partenaires?"
    r"|medias?|journal|agences?|banques?|cabinets?|startups?|company|companies|firm|outlet|publication"
    r"|supplier|partner|maker|chipmaker|bank|government|gouvernement|investisseurs?|investor)\b"
)
_LEADER_ASKED = re.compile(
    r"\b(?:pdg|ceo|patron|boss|dirige\w*|runs?|leads?|heads?|chef|directeur|director|president|a la tete)\b"
)
_LEADER_TERMS = LEADER_TERMS | {"fondateur", "cofondateur"}  # a founder runs it as well
_EMPLOYER_ASKED = re.compile(r"\b(?:travaill\w*|bosse\w*|employ\w*|works?|working|worked)\b")
_EMPLOYED_AT = re.compile(
    r"[A-Z][\w-]+,\s+[a-zà-ÿ]+(?:\s+[a-zà-ÿ]+)?\s+(?:chez|at|de|d['’])\s*([A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*)"
)
_PERSON_ASKED = re.compile(
    r"\b(?:pdg|ceo|dirigeant\w*|fondateur\w*|cofondateur\w*|analyste\w*|patron\w*|directeur\w*|personne\w*"
    r"|founder\w*|analyst\w*|boss\w*|executive\w*|person|people|chef\w*|president\w*)\b"
)
# A share said in words: "la majorité des coûts d'exploitation"
_PROPORTION = re.compile(
    r"\b(?:la|une)\s+(?:grande\s+)?(?:majorité|moitié|minorité|plupart)\s+(?:des?|du|d['’])\s"
    r"|\b(?:un|le|les deux)\s+(?:tiers|quart|dixième)\s+(?:des?|du|d['’])\s",
    re.IGNORECASE,
)
# Financial measures a price or a cost does not stand for, asked and said
_METRIC_ASKED = re.compile(
    r"\b(?:(?P<revenue>revenues?|turnover|sales|chiffres? d'affaires|recettes|ventes)"
    r"|(?P<profit>profits?|earnings|net income|benefices?|marges?|margins?)"
    r"|(?P<valuation>valuation|valued|market cap\w*|valorisation|valorise\w*|capitalisation|capitalization))\b"
)
_METRIC_NAMED = {
    "revenue": re.compile(r"\b(?:chiffres? d['’]affaires|revenus?|recettes|ventes)\b"),
    "profit": re.compile(r"\b(?:benefices?|profits?|marges?|resultat net)\b"),
    "valuation": re.compile(r"\b(?:valorisation|valorise\w*|capitalisation|valeur boursiere|valeur de)\b"),
}
_MEDIA_ASKED = re.compile(
    r"\b(?:medias?|journal|journaux|quotidien|magazine|site|publication|agence de presse|outlet|newspaper"
    r"|tech site|website|news site|source)\b"
)
_APPOSITION_OF = re.compile(r",\s+[^,]*\b(?:de|du|des|d['’])\s*$", re.IGNORECASE)  # ", investisseur de X"
_NAME = re.compile(r"(?<![.!?]\s)\b[A-Z][a-zà-ÿ]+(?:\s+[A-Z][\w-]+)+")
_PLACE = re.compile(r"\b(?:à|au|en|dans|aux)\s+((?:l['’])?[A-Z][a-zà-ÿ]+)")
_VENUE = re.compile(
    r"\b(?i:sur|lors d['’]une?|lors de|dans|à|au cours d['’]une?|pendant)\s+"
    r"((?:(?:la|le|les|l['’]|son|sa|ses|leur|un|une)\s*)?"
    r"(?:plateforme|réseau social|site|blog|compte|page|événement|conférence|salon|sommet|interview"
    r"|entretien|podcast|émission|billet|message|publication|tweet)"
    r"(?:\s+(?:du\s+|de\s+la\s+|de\s+l['’]|d['’]|de\s+)?[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*)?"
    r"(?:\s*\([^()]{1,40}\))?)"
)
_APPOSITION = re.compile(
    r",\s+(?:(?:principal|principale|ancien|ancienne|actuel|actuelle|nouveau|nouvelle|premier|première)\s+)?"
    r"(?:analyste|PDG|directeur|directrice|fondateur|fondatrice|cofondateur|cofondatrice|co-fondateur|président"
    r"|présidente|patron|patronne|chercheur|chercheuse|investisseur|porte-parole|responsable|dirigeant"
    r"|dirigeante|ingénieur|ingénieure|professeur|professeure|économiste|consultant|consultante|associé"
    r"|partenaire|concurrent|rival|fabricant|fournisseur|spécialiste|expert|experte|leader|numéro un)\b"
    r"[^,;:.()«»\"]{0,40}(?=,)"
)
_ACTION_DONE = re.compile(
    r"\b(?:contraint|obligé|poussé|forcé|amené|conduit|incité|forced|pushed|led)e?s?\s+"
    r"(?:[\w'’-]+\s+){0,3}?(?:à|a|to)\s+(?=\w)"
    r"|\b(?:décidé|choisi|dû|entrepris|résolu)\s+(?:de\s+|d['’])"
    r"|\b(?:a|ont|avait|avaient)\s+(?:déjà\s+)?(?:mené|effectué|réalisé|engagé)\s+(?=une?\s|des\s)"  # "a mené une due diligence"
)
_ACTION_END = re.compile(r"[,;:]\s|\.(?:\s|$)|\s(?:mais|car|afin|tandis)\b")
_ROLE_NOUN = re.compile(
    r"(?:indicateur|critere|metrique|facteur|element|aspect|sujet|theme|enjeu|probleme|domaine"
    r"|indicator|criterion|criteria|metric|factor|element|aspect|topic|subject|theme|issue|problem|area)s?"
)
_REPORTED = re.compile(
    r"\b(?:déclaré|dit|affirmé|estimé|expliqué|souligné|ajouté|confié|indiqué|répondu|écrit|averti"
    r"|déclare|affirme|estime|explique|souligne|ajoute|confie|indique|répond|écrit|avertit)"
    r"(?:\s+\w+ment)?\s*(?::\s*|que\s+|qu['’])"
    r"|\bplai(?:nt|gnait|gnent)\s+(?:du fait |de ce )?qu(?:e\s+|['’])"  # "s'est plaint du fait que"
)
# "de" and a bare noun (an adjective may follow) right after a figure: what it is made of
_FIGURE_OF = re.compile(
    r"\s+de\s+(?!(?:la|le|les|l|ce|cette|ces|son|sa|ses|leur|leurs|plus|moins|nombreux)\b)"
    r"(?:[a-zà-ÿ][\w-]{2,}|[A-Z][\w-]+)(?:\s+(?!de\b|du\b|des\b|et\b|en\b)[a-zà-ÿ]+(?:elles?|els?|aux|ales?|ées?|és?|ifs?|ives?|iques?))?\b"
)
_GLOSS = re.compile(r"\s*\((?!\d{4}\))[^()]{1,40}\)")
_HEAD_NOUN = re.compile(r"\b([a-zà-ÿ]{3,})\s+$")  # the common noun right before a name
_NAMED = re.compile(
    r"\b(?:nommée?s?|appelée?s?|baptisée?s?|dénommée?s?|surnommée?s?|called|named)\s+(?:«\s*)?"
    r"([A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*)"
)
_ASKS_NAME = re.compile(
    r"\b(?:appel\w*|s'appel\w*|noms?|nomm\w*|baptis\w*|names?|named|called|titre|title)\b"
)
# a title in quotes right after a common noun: 'La nouvelle fonctionnalité "Images in ChatGPT"'
_TITLED = re.compile(r"\b([a-zà-ÿ]{3,})\s+[\"«“]\s*([A-Z][^\"«»“”]{1,40}?)\s*[\"»”]")


def _within(spans: list[tuple[int, int]], offset: int) -> bool:
    return any(a <= offset < b for a, b in spans)


def _coordinated(
    text: str, span: tuple[int, int] | None, candidates: list[tuple[int, int]]
) -> tuple[int, int] | None:
    """ "Nvidia et AMD", "Google et Amazon": names joined by "et", "and" or a comma answer together."""
    if span is None:
        return None
    a, b = span
    starts = {start: end for start, end in candidates}
    while True:
        joint = re.match(r"\s*(?:,\s*(?:et\s+|and\s+)?|\s+(?:et|and|ou|or)\s+)", text[b:])
        if joint is None or b + joint.end() not in starts:
            break
        b = starts[b + joint.end()]
    while True:
        before = re.search(r"(?:,\s*|\s+(?:et|and|ou|or)\s+)$", text[:a])
        previous = next((s for s, e in candidates if before and e == before.start()), None)
        if before is None or previous is None:
            break
        a = previous
    others = _AND_OTHERS.match(text, b)  # "Nvidia et d'autres fournisseurs": the others too
    if others is not None:
        b = others.end()
    return a, b


# the rest of a list up to the end of the sentence: ", l'efficacité des données et les techniques"
_LIST_TAIL = re.compile(r"(?:,\s+[^,;:.!?]{2,60}?)+\s+(?:et|and)\s+[^,;:.!?]{2,60}?(?=\s*[.;!?]?\s*$)")
_AND_OTHERS = re.compile(
    r"\s+(?:et|and|ou|or)\s+(?:d['’]autres|les autres|autres|other|others|various other)\s+"
    r"[a-zà-ÿ]+(?:\s+(?:de|d['’])\s*[a-zà-ÿ]+)?"
)


def _respectively(text: str, span: tuple[int, int], figures: list[tuple[int, int]]) -> tuple[int, int]:
    """ "2,50 $ et 10 $ respectivement": figures paired with a list by "respectivement" answer
    together; one alone would be half the answer."""
    group = [span]
    ends = {a: b for a, b in figures}
    starts = {b: a for a, b in figures}
    while (m := re.match(r"\s*(?:,|et|and)\s*", text[group[-1][1] :])) and group[-1][1] + m.end() in ends:
        nxt = group[-1][1] + m.end()
        group.append((nxt, ends[nxt]))
    while True:
        head = text[: group[0][0]].rstrip()
        joint = re.search(r"(?:,|\bet|\band)\s*$", head)
        end = len(head[: joint.start()].rstrip()) if joint else -1
        if end not in starts:
            break
        group.insert(0, (starts[end], end))
    if len(group) > 1 and re.match(r"\s*,?\s*(?:respectivement|respectively)\b", text[group[-1][1] :]):
        return group[0][0], group[-1][1]
    return span


def _asks_what_is(query: Query) -> bool:
    """ "C'est quoi Run AI ?", "What is Cerebras?": nothing asked but what a named thing is."""
    m = _WHAT_IS.match(fold(query.text).replace("’", "'").strip())
    rest = (m.group(1) or m.group(2)) if m else None
    return rest is not None and fold(rest) in {fold(name) for name in query.entities}


def _asks_who_is(query: Query) -> bool:
    """ "Who is Stacy Rasgon?" asks what a person is; "Who is OpenAI's main investor?" asks for
    a name. The first has nothing after "who is" but the name."""
    m = _WHO_IS.match(fold(query.text))
    after = re.fullmatch(r"(.+?),?\s*c['’]est qui\s*\??\s*", query.text.strip(), re.IGNORECASE)
    if m is None and after is None:
        return False
    rest = (after.group(1) if after else query.text[m.end() :] if m else "").strip(" ?!.\u00a0")
    if fold(rest) in {fold(name) for name in query.entities}:
        return True
    words = rest.split()
    return 0 < len(words) <= 4 and all(w[:1].isupper() for w in words)


# What may qualify a noun right after it: one or two adjectives ("utilisateurs gratuits",
# "intelligence émotionnelle") or a name ("plateforme X"), not a verb or a function word.
_CONTRAST = re.compile(r"[,;]?\s+(?:tandis|alors|whereas|while)\s+(?:qu['’]|que\b)?|;\s")
# Where a claim's clauses meet: punctuation, a contrast, a coordination after a comma, and the
# "que" of a reporting verb ("ont déclaré que Microsoft ne prévoyait pas ...").
_CLAUSE_BREAK = re.compile(
    r"(?:[,;]?\s+)(?:tandis|alors)\s+(?=qu)|[,;:]\s+|\s+mais\s+|\s+(?:whereas|while|but)\s+"
    r"|\b(?:déclaré|affirmé|dit|annoncé|indiqué|estimé|estime|pense|souligné|expliqué|précisé|assuré|confirmé"
    r"|rapporté|reconnu|admis|ajouté)\s+(?=qu)"
)
_CLAUSE_LEAD = re.compile(r"(?:et|mais|or|donc|and|que|qu['’]|that)\s*", re.IGNORECASE)
_CONCESSION = re.compile(  # and attributions: "selon des personnes au fait des projets"
    r"(?:même si|meme si|bien qu|quoiqu|si\b|s['’]il|malgré|even if|even though|although|though|if\b"
    r"|selon\b|d['’]après\b|according\b)",
    re.IGNORECASE,
)
_QUALIFIER = re.compile(
    r"(?:\s+(?!(?:de|du|des|d|et|ou|à|au|aux|en|pour|par|sur|dans|avec|qui|que|qu|dont|est|sont|a|ont"
    r"|était|sera|peut|pourrait|doit|ne|n|se|s|y|le|la|les|l|un|une|ce|cette|ces|son|sa|ses|leur|leurs"
    r"|plus|moins|très|aussi|déjà|encore|comme|mais|car|si)\b)(?:[a-zà-ÿ][\w-]*(?:ée?s?|ique?s?|ale?s?|aux"
    r"|el(?:le)?s?|if|ive?s?|eux|euse?s?|aire?s?|uite?s?|uits?|ante?s?|ible?s?|able?s?|iste?s?|ier|ière?s?)"
    r"|[A-Z][\w.-]*)\b){1,2}"
)
_QUOTED = re.compile(r"«\s*([^«»]{2,120}?)\s*»|\"([^\"]{2,120})\"|“([^“”]{2,120})”")


def _quoted(text: str) -> list[tuple[int, int]]:
    """The quoted words of a claim: what a question about wording ("quelle formule") wants."""
    return [(m.start(g), m.end(g)) for m in _QUOTED.finditer(text) for g in (1, 2, 3) if m.group(g)]


def _with_marks(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """A quotation with its marks (and the spaces inside French guillemets)."""
    m = next((m for m in _QUOTED.finditer(text) if m.start() <= span[0] and span[1] <= m.end()), None)
    return (m.start(), m.end()) if m is not None else span


def _clauses(text: str) -> list[tuple[int, int]]:
    """A claim's clauses (see _CLAUSE_BREAK), each without its leading connective ("mais",
    "que") or trailing punctuation: where a yes/no answer or an admission of ignorance is said."""
    out = []
    cuts = sorted({0, len(text), *(m.end() for m in _CLAUSE_BREAK.finditer(text))})
    for a, b in pairwise(cuts):
        lead = _CLAUSE_LEAD.match(text, a)
        if lead is not None:
            a = lead.end()
        while b > a and text[b - 1] in " ,;:.!?":
            b -= 1
        out.append((a, b))
    return out


def _reported(text: str) -> tuple[int, int] | None:
    """What follows a reporting verb and its colon or "que": the words said, when no closed
    quotation holds them."""
    m = _REPORTED.search(text)
    if m is None:
        return None
    a, b = m.end(), len(text)
    closing = {"«": "»", '"': '"', "“": "”"}.get(text[a : a + 1])
    if closing is not None and (end := text.find(closing, a + 1)) != -1:
        b = end  # the quotation only, not what the sentence goes on to say
    if (stop := re.search(r"[.!?]\s+(?=[A-ZÀ-Ý])", text[a:b])) is not None and stop.start() >= 12:
        b = a + stop.start()  # its first sentence: the claim cited below shows the rest
    while a < b and text[a] in ' «"“\u00a0\u202f':
        a += 1
    while b > a and text[b - 1] in ' .!?»"”\u00a0\u202f':
        b -= 1
    return (a, b) if b - a >= 12 else None


def _balanced(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """A span never stops inside a parenthesis or a quotation it opened: "ChatGPT (texte" runs
    on to "ChatGPT (texte, image, code)" when the closing mark is near."""
    a, b = span
    for opening, closing in (("(", ")"), ("«", "»"), ("“", "”")):
        if text.count(opening, a, b) > text.count(closing, a, b):
            end = text.find(closing, b)
            if end != -1 and end - b <= 80:
                b = end + 1
    return a, b


def _named(text: str) -> tuple[int, int] | None:
    m = _NAMED.search(text)
    if m is None:
        return None
    return m.start(1), m.end(1) - len(m.group(1)) + len(m.group(1).rstrip(".-"))  # "Athena", not "Athena."


def _same_word(a: str, b: str) -> bool:
    """`GPU` and `GPUs`, `utilisateurs` and `users`... no: same first letters, at most four."""
    a, b = fold(a), fold(b)
    n = min(4, len(a), len(b))
    return n >= 3 and a[:n] == b[:n]


def _same_subject(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a.get("counts") or b.get("counts"):
        return fold(a.get("counts") or "")[:4] == fold(b.get("counts") or "")[:4]
    return (a.get("per") or "") == (b.get("per") or "")


# --- span finders ----------------------------------------------------------------------------

_MONTHS = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
_DATE = re.compile(
    rf"\b(?:(?:jusqu['’]en|jusqu['’]à|depuis|dès|en|d['’]ici|avant|après|vers|fin|début|mi-?)\s+)?"
    rf"(?:(?:\d{{1,2}}\s+)?(?:{_MONTHS})\b(?:\s+\d{{4}})?(?:\s+de\s+cette\s+année)?|(?:18|19|20)\d\d\b)"
    r"|\b(?:la|cette)\s+semaine\s+(?:prochaine|dernière)|\bl['’]année\s+(?:prochaine|dernière)"
    r"|\b(?:en\s+ce\s+)?début\s+de\s+l['’]année|\bprochainement\b|\brécemment\b|\b(?:ces|les)\s+dernières\s+années"
    r"|\b(?:des|plusieurs|quelques|de\s+nombreuses|de\s+nombreux)\s+(?:mois|années|ans|semaines|jours|heures)\b"
    r"|\bdu\s+jour\s+au\s+lendemain\b|\bà\s+court\s+terme\b",
    re.IGNORECASE,
)
_ASKS_ABSOLUTE = re.compile(
    r"\b(?:quel(?:le)?s?\s+(?:annee|mois|date)|(?:what|which)\s+(?:year|month|date)|since\s+when)\b"
)
_ABSOLUTE = re.compile(rf"\d{{4}}|\b(?:{_MONTHS})\b", re.IGNORECASE)

_CAUSE = re.compile(
    r"\b(?:en raison (?:d['’]|de |des |du )|à cause (?:d['’]|de |des |du )|faute (?:d['’]|de )|grâce à|"
    r"parce qu(?:e |['’])|car |puisqu(?:e |['’])|du fait (?:d['’]|de |que )|suite à|lié(?:e|s|es)? à|dû à|due à|"
    r"afin (?:de |d['’])|pour (?:réduire|diminuer|limiter|éviter|augmenter|accélérer|résoudre|économiser|maintenir|assurer)|"
    r"objectif (?:principal )?(?:étant|est|était|serait) (?:de |d['’])|dans le but (?:de |d['’])|visant à|"
    r"l['’]une des raisons|la raison|se plaignant)"
    r"|(?P<consequence>,?\s+(?:c['’]est pourquoi|par conséquent|d['’]où)\b|,\s*(?:donc|ce qui|which)\b)"
    r"|(?P<reason_of>\s+(?:est|sont|était|serait|reste)\s+(?:l['’]une des|l['’]un des|une des|la principale|la)"
    r"\s+raisons?\s+(?:pour laquelle|pour lesquelles|qui)"
    r"|\s+(?:est|sont|était|serait)\s+(?:un autre|le principal|un|le premier)\s+(?:facteur|moteur|motif)s?\b)",
    re.IGNORECASE,
)


# A verb whose subject is a cause: "la demande croissante avait mis à rude épreuve ...",
# "« l'observation technique » a aidé à créer ...", "L'achat de puces ... entraîne des coûts".
_CAUSING = re.compile(
    r"\s+(?:(?:a|ont|avait|avaient|aurait|auraient|va|vont|pourrait|pourraient)\s+)?"
    r"(?:aidé à|contribué à|conduit à|mené à|entraîné|entraînent|entraîne|provoqué|provoquent|provoque|"
    r"causé|causent|cause|déclenché|obligé|oblige|poussé|pousse|forcé|force|contraint|amené|"
    r"mis à rude épreuve|freiné|freine|ralenti|ralentit|alimenté|alimente)\b"
)
_SUBJECT_START = re.compile(r"(?:^|[,;:«»\"“”]\s*|\bque\s+|\bqu['’])\s*(?=\S)")
_NOUN_PHRASE = re.compile(
    r"^(?:«\s*)?(?:la|le|les|l['’]|un|une|des|du|cette|ce|ces|cet|son|sa|ses|leur|leurs)\b", re.IGNORECASE
)


def _causing_subject(text: str) -> tuple[int, int] | None:
    """For "why" when no clause gives the cause: the noun phrase whose verb causes something."""
    for m in _CAUSING.finditer(text):
        before = text[: m.start()]
        for a in sorted({s.end() for s in _SUBJECT_START.finditer(before)}, reverse=True):
            subject = re.sub(r"[\s»\"”]+$", "", before[a:])
            if len(subject) > 80:
                break
            if len(subject) >= 3 and _NOUN_PHRASE.match(subject):
                return a, a + len(subject)
    return None


def _date_span(text: str) -> tuple[int, int] | None:
    found = list(_DATE.finditer(text))
    if not found:
        return None
    absolute = [m for m in found if _ABSOLUTE.search(m.group())]
    m = (absolute or found)[0]
    return m.start(), m.end()


def _cause_span(text: str) -> tuple[int, int] | None:
    """The cause or purpose clause: "en raison d'une pénurie de GPU", "afin de réduire ...".

    A clause opening the sentence ("Afin de réduire sa dépendance ..., OpenAI ...") ends at the
    first comma; elsewhere it runs to the end of its clause.
    """
    m = _CAUSE.search(text)
    if m is None:
        return None
    if m.group("reason_of"):  # "..., et réduire leur dépendance est l'une des raisons pour lesquelles ..."
        starts = [b.end() for b in re.finditer(r",\s+|\s+et\s+|\bqu(?:e\s+|['’])", text[: m.start()])]
        return (starts[-1] if starts else 0), m.start()
    if m.group("consequence"):  # "A et B, donc C": the cause is what comes before
        start = 0
        lead = re.match(
            r"^(?:(?:mais|or|en effet|ainsi|cependant|pourtant|par ailleurs)\s*,?\s*)", text, re.IGNORECASE
        )
        if lead:
            start = lead.end()
        return start, m.start()
    stops = [
        re.compile(r"[.;!?](?:\s|$)"),
        re.compile(r",\s+(?:qui|mais|et|tandis|alors|ce qui|dont|lui|ce)\b"),
        re.compile(r"\s+(?:mais|tandis que)\s"),
    ]
    if m.start() <= 3:
        stops.append(re.compile(r","))
    end = len(text)
    for stop in stops:
        found = stop.search(text, m.end())
        if found is not None:
            end = min(end, found.start())
    while end > m.start() and text[end - 1] in " .":
        end -= 1
    return m.start(), end


_PREPOSITIONS = (
    "sur",
    "avec",
    "dans",
    "à",
    "a",
    "pour",
    "par",
    "vers",
    "contre",
    "chez",
    "de",
    "en",
    "on",
    "with",
    "in",
    "for",
    "by",
    "to",
)


def _after_preposition(question: str, text: str, cite: Citation) -> tuple[int, int] | None:
    """ "Sur quel réseau ... ?" -> "sur la plateforme X": the phrase the question's leading
    preposition introduces in the claim, after the words the two share."""
    m = re.match(
        r"^\s*(\w+)\s+(?:quel|quelle|quels|quelles|quoi|qui|lequel|laquelle|which|what|whom)\b",
        question,
        re.IGNORECASE,
    )
    if m is None or fold(m.group(1)) not in _PREPOSITIONS:
        return None
    prep = m.group(1).lower()
    variants = {"à": "à|au|aux", "a": "à|au|aux", "de": "de|du|des|d['’]", "sur": "sur", "avec": "avec"}.get(
        prep, re.escape(prep)
    )
    marks = sorted(a - cite.record.start for a, _ in cite.highlights)
    start_from = 0
    for pos in marks:
        if pos < len(text) * 0.9:
            start_from = pos
    for found in re.finditer(rf"\b(?:{variants})\s", text[start_from:], re.IGNORECASE):
        a = start_from + found.start()
        stop = re.compile(r"\s(?:que|qui|afin|pour|car|mais|lorsqu|quand)\b|[,;.:!?](?:\s|$)")
        end = stop.search(text, a + len(found.group()))
        b = end.start() if end else len(text)
        if b - a >= 6:
            return a, b
    return None


def _enumeration(text: str) -> tuple[int, int] | None:
    """A list announced by a colon ("deux pistes principales : A et B") is the answer."""
    m = re.search(r"\s:\s+(?!«|\")", text)
    if m is None or m.start() < len(text) * 0.2:
        return None
    a = m.end()
    b = len(text.rstrip(" ."))
    purpose = _PURPOSE.search(text, a, b)  # "A et B pour améliorer l'efficacité": the items only
    if purpose is not None and purpose.start() - a >= 6:
        b = purpose.start()
    return (a, b) if b - a >= 6 else None


# "faire de X une priorité", "a fait d'OpenAI un leader": X, then the article before the noun
_MADE_INTO = re.compile(
    r"(?<!au )\b(?:fai[ts]|faire|fera|feront|font|faisait|faisant|fasse)\s+"
    r"(?:de\s+|d['’])((?:[^,;:.]{2,80}?))\s+(?:une?|la|le|les|sa|son|ses|leur|leurs)\s+"
)

_PURPOSE = re.compile(
    r",?\s+(?:afin\s+(?:de|d['’])|pour\s+(?:l['’]|les?\s+|la\s+|en\s+)?[a-zà-ÿ]+(?:er|ir|re)\b)"
)


def _words_of(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[^\W_]+", fold(text)))


def _contains_words(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    n = len(short)
    return n > 0 and any(long[i : i + n] == short for i in range(len(long) - n + 1))
