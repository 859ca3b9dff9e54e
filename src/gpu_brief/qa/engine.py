"""The one pass: question -> query -> passages -> candidates -> features -> scores -> answer.

`analyse` does everything that does not depend on the learned weights' choices but the order
(the training script uses it); `ask` strings the decisions together: which passage, which span,
whether to answer at all.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, KeysView
from functools import cached_property
from typing import TYPE_CHECKING, Any

from gpu_brief.qa.candidates import Words, kinds_present, propose, words_of
from gpu_brief.qa.features import (
    PassageView,
    QueryStats,
    SpanContext,
    passage_features,
    query_stats,
    span_features,
)
from gpu_brief.qa.kinds import Lang, SpanKind
from gpu_brief.qa.model import Model
from gpu_brief.qa.names import counted, link_names
from gpu_brief.qa.query import Query, QueryContext, build_query
from gpu_brief.qa.scored import Analysis, ClaimInfo, Scored, bm25_evidence

if TYPE_CHECKING:
    from gpu_brief.index import ClaimRecord, Hit, SearchIndex
    from gpu_brief.qa.contrasts import Contrasts
    from gpu_brief.text import Token

CANDIDATES = 30  # passages retrieved and scored by the passage model
SPAN_PASSAGES = 4  # best passages whose candidates are scored
STRICT_REACH = 10  # how far down a strict question none of those answers looks for one that can
_TERM_CACHE = 20_000  # claims whose terms are kept between questions


class Engine:
    """Holds the index, the analyzers and the model: built once, asked many times."""

    def __init__(self, index: SearchIndex, model: Model | None = None) -> None:
        from gpu_brief.entities import EntityDef, EntityMatcher
        from gpu_brief.qa.language import load_packs
        from gpu_brief.qa.lexicon import Vocabulary, unpack_lexicon
        from gpu_brief.text import Analyzer

        self.index = index
        # sources changed since ingest or unreadable, never cited, each with the warning's reason
        self.why_left_out: dict[str, str] = {}
        self.analyzer = Analyzer(index.surface)
        matcher = EntityMatcher(
            EntityDef(e["name"], e["type"], tuple(e["aliases"]), tuple(e.get("roles", ())))
            for e in index.header["catalog"]
        )
        self.packs = load_packs(index.header["lang"])
        self.corpus_pack = self.packs[Lang.FR]  # the articles are French
        self.context = QueryContext(
            self.analyzer,
            unpack_lexicon(index.header["lexicon"]),
            self.packs,
            matcher,
            Vocabulary(index.df, index.surface, index.hyphen_parts, self._catalog_names),
        )
        self.model = model or Model.load()
        self.entity_types = {str(e["name"]): str(e["type"]) for e in index.header["catalog"]}
        self.max_idf = index.idf("\0unseen")
        self._info: dict[int, ClaimInfo] = {}
        self._analysed_cache: dict[int, tuple[ClaimRecord, list[Token], frozenset[str]]] = {}
        self._source_ranges: dict[str, tuple[int, int]] | None = None

    @cached_property
    def contrasts(self) -> Contrasts:
        """The corpus language's contrast sets, analysed into index terms when the index was built
        (`corpus._index_from`, `qa.contrasts`)."""
        from gpu_brief.qa.contrasts import Contrasts

        return Contrasts(self.index.header["contrasts"])

    @property
    def left_out(self) -> KeysView[str]:
        return self.why_left_out.keys()

    def _catalog_names(self) -> Iterator[str]:
        """Every name and alias of the corpus's entities: what a misspelt name is mended to."""
        for e in self.index.header["catalog"]:
            yield str(e["name"])
            yield from map(str, e.get("aliases", ()))

    # -- the steps --

    def query(self, question: str) -> Query:
        return build_query(question, self.context)

    def stats(self, query: Query) -> QueryStats:
        terms = query.terms
        idf = {t: self.index.idf(t) for t in terms}
        df = {t: self.index.df(t) for t in terms}
        return query_stats(query, idf, df, self.max_idf, float(self.index.params["k1"]))

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

    def analyse(
        self, question: str, source: str | None = None, k: int = CANDIDATES, spans: bool = True
    ) -> Analysis:
        """Retrieve and score passages, then candidates in the best few, then the joint order
        (`spans=False`: passages only, for training the passage model)."""
        query = self.query(question)
        stats = self.stats(query)
        doc_range = self.source_range(source) if source else None
        # sources changed since ingest are never cited: a few more hits make up for theirs
        found_hits = self.index.search(
            query.search_groups, k=2 * k if self.left_out else k, doc_range=doc_range
        )
        hits = found_hits
        if self.left_out:
            hits = [h for h in found_hits if self.index.record(h.doc).source not in self.left_out][:k]
        mentions = [m for h in hits for m in self.info(h.doc).record.entities]
        # NER's names the retrieved claims write as the question does (`names.link_names`)
        said = ((str(m["text"]), str(m["name"])) for m in mentions)
        if link_names(query, said, self.corpus_pack.name_particles):
            stats = self.stats(query)  # words of one name became one idea
        # the type of each entity the question binds an idea to (once NER's names are known)
        found = {m["name"]: m.get("type") for m in mentions} if query.bound else {}
        stats.bound_types = [
            self.entity_types.get(name) or found.get(name)
            for name in (query.groups[e].entity or "" for _, e in query.bound)
        ]
        passages = self._ranked(query, stats, hits)
        stale = None
        if self.left_out and any(self.index.record(h.doc).source in self.left_out for h in found_hits[:k]):
            # a changed source is never cited; when its passage would come first, the answer
            # from the others is a guess without it: abstain, naming it
            first = self._ranked(query, stats, found_hits[:k])[0].record.source
            stale = first if first in self.left_out else None
        if not spans:
            return Analysis(query, stats, passages, source, stale)
        head = passages[:SPAN_PASSAGES]
        for p in head:
            self._joint(query, p, stats)
        if head and all(p.fits is False for p in head):
            # a strict question ("combien de tracteurs") none of the best few can answer: the
            # first passage further down that holds a candidate of its kind joins them
            for p in passages[SPAN_PASSAGES:STRICT_REACH]:
                self._joint(query, p, stats)
                if p.fits:
                    head = [*head, p]
                    break
        # a strict question is answered from a passage holding a candidate of its kind when one
        # of those does
        taken = {id(p) for p in head}
        rest = [p for p in passages if id(p) not in taken]
        head = sorted(head, key=lambda p: (p.fits is False, -p.joint))
        return Analysis(query, stats, head + rest, source, stale)

    def _ranked(self, query: Query, stats: QueryStats, hits: list[Hit]) -> list[Scored]:
        """The hits as passages, best first by the passage model."""
        passages = [self._scored(query, hit, rank) for rank, hit in enumerate(hits)]
        best_s = max((p.hit.sentence for p in passages), default=0.0)
        best_p = max((p.hit.paragraph for p in passages), default=0.0)
        for p in passages:
            p.features = passage_features(stats, p.view, best_s, best_p)
            p.logit = self.model.passage.score(p.features)
        if self.model.passage_trees and bm25_evidence(passages):
            rescored = self.model.passage_trees.rescore([(p.features, p.logit) for p in passages])
            for p, logit in zip(passages, rescored, strict=True):
                p.logit = logit
        passages.sort(key=lambda p: -p.logit)
        return passages

    def _joint(self, query: Query, p: Scored, stats: QueryStats) -> None:
        """Score a passage's candidates, and the passage with its best one."""
        self.score_spans(query, p, stats)
        best = p.best_span
        # how well its best candidate's kinds fit what is asked: a "who" passage without a
        # person loses to one with
        fit = self.model.fit(query.asked.value, (k.value for k in best[0].kinds)) if best else 0.0
        p.joint_features = {
            "passage": p.logit,
            "span": best[2] if best else 0.0,
            "span_fit": fit,
            f"ask:{query.asked.value}|span_fit": fit,
        }
        p.joint = self.model.joint.score(p.joint_features)

    def score_spans(self, query: Query, p: Scored, stats: QueryStats | None = None) -> None:
        words = p.words or words_of(p.record.text, self.corpus_pack)
        ctx = self.span_context(query, p, words, stats or self.stats(query))
        candidates = propose(
            words, p.record.start, p.record.entities, p.record.figures, ctx.matched, self._anaphors(p.record)
        )
        p.words = words
        features = [span_features(query, words, c, ctx) for c in candidates]
        p.span_linear = [self.model.span.score(f) for f in features]
        scores = self.model.span_trees.rescore(list(zip(features, p.span_linear, strict=True)))
        p.spans = list(zip(candidates, features, scores, strict=True))
        checks = [self.model.fits(query.asked.value, (k.value for k in c.inner)) for c in candidates]
        p._fitting = [bool(ok) for ok in checks]
        p.fits = None if not checks or checks[0] is None else any(p._fitting)

    def _anaphors(self, record: ClaimRecord) -> list[tuple[int, int, str, int]]:
        """The pronoun of a claim whose antecedent ingest recorded ("ce dernier", its offsets kept
        with the antecedent): a candidate for that entity."""
        out = []
        for n, a in enumerate(record.antecedents[:1]):
            if a.get("pronoun_start") is not None and a.get("pronoun_end") is not None:
                kind = self.entity_types.get(a["name"], "person")
                out.append(
                    (int(a["pronoun_start"]) - record.start, int(a["pronoun_end"]) - record.start, kind, n)
                )
        return out

    def span_context(
        self, query: Query, p: Scored, words: Words, stats: QueryStats | None = None
    ) -> SpanContext:
        """Where the question's words are in the passage, by word, and its pieces between
        punctuation: what every candidate's features are measured against."""
        items = words.items
        word_terms: list[frozenset[str]] = [frozenset() for _ in items]
        group_of = {t: gi for gi, g in enumerate(query.groups) for t in g.terms}
        groups_at: dict[int, int] = {}
        w = 0
        for t in p.tokens:
            while w + 1 < len(items) and items[w].end <= t.start:
                w += 1
            word_terms[w] = word_terms[w] | {t.term}
            if t.term in group_of:
                groups_at.setdefault(w, group_of[t.term])
        segment_of, segment = [], 0
        for classes in words.classes:
            if "punct" in classes:
                segment += 1
            segment_of.append(segment)
        cue_prep = None
        if query.cue_span is not None and query.cue_span[0] > 0:
            before = query.text[: query.cue_span[0]].split()
            if before:
                cue_prep = before[-1].lower().replace("’", "'")
        focus = query.focus.terms if query.focus is not None else frozenset()
        weights = list(stats.weights) if stats is not None else [1.0] * len(query.groups)
        asked = set(query.entities)
        base = p.record.start
        mentions = [
            (words.index_at(m["start"] - base), words.index_at(m["end"] - base - 1), m["name"] in asked)
            for m in p.record.entities
        ]
        held = {g.entity for g in query.groups if g.role}
        named = [
            (words.index_at(m["start"] - base), words.index_at(m["end"] - base - 1))
            for m in p.record.entities
            if m["name"] in held and not m.get("role")
        ]
        return SpanContext(
            sorted(groups_at), query.terms, word_terms, focus, cue_prep, groups_at, len(query.groups), segment_of, weights,
            frozenset(i for i, g in enumerate(query.groups) if g.entity), mentions, named,
            query.choice_terms,
            counted=counted(p.record.figures, words, word_terms, base, query.terms, query.units, self.analyzer.terms),
        )  # fmt: skip

    def source_says(self, source: str, terms: frozenset[str]) -> bool:
        """Does any claim of one source hold one of these index terms (an article's vocabulary)?
        Read off the postings, not the article's claims analysed one by one."""
        lo, hi = self.source_range(source) or (0, 0)
        return bool(self._said(terms, lo, hi))

    def source_names(self, source: str, slugs: frozenset[str]) -> bool:
        """Does any claim of one source name one of these entities (or refer to it)? The index
        holds entity terms for a domain pack's names only; the claims record every name (read
        off the records: analysing each claim cost a 300k corpus 10% of a question)."""
        from gpu_brief.entities import slug

        lo, hi = self.source_range(source) or (0, 0)
        for j in range(lo, hi):
            record = self.index.record(j)
            named = [*record.entities, *record.antecedents]
            if any(slug(str(m["name"])) in slugs for m in named):
                return True
        return False

    # -- passages --

    def info(self, i: int) -> ClaimInfo:
        """What the features read of one claim, analysed once and kept between questions."""
        cached = self._info.get(i)
        if cached is None:
            record, tokens, terms = self._analysed(i)
            words = words_of(record.text, self.corpus_pack)
            kinds = frozenset(kinds_present(words, record.start, record.entities, record.figures))
            anaphoric = bool(self.corpus_pack.anaphora_pattern.match(_fold_start(record.text)))
            cached = self._claim_info(record, tokens, terms, words, kinds, anaphoric)
            if len(self._info) > _TERM_CACHE:
                self._info.clear()
            self._info[i] = cached
        return cached

    def _claim_info(
        self,
        record: ClaimRecord,
        tokens: list[Token],
        terms: frozenset[str],
        words: Words,
        kinds: frozenset[SpanKind],
        anaphoric: bool,
    ) -> ClaimInfo:
        from gpu_brief.entities import slug

        context = set(self.analyzer.terms(record.heading)) if record.heading else set()
        context.update(slug(name) for name in [*record.context, *record.scope])
        positions: dict[str, list[int]] = {}
        for n, t in enumerate(tokens):
            positions.setdefault(t.term, []).append(n)
        starts = [t.start for t in tokens]
        mentions = tuple(
            (bisect_left(starts, a), bisect_left(starts, b) - 1, slug(m["name"]), str(m.get("type", "")))
            for m in record.entities
            if (a := m["start"] - record.start) < (b := m["end"] - record.start)
        )
        return ClaimInfo(
            record,
            tokens,
            terms,
            words,
            kinds,
            anaphoric,
            context=frozenset(context),
            positions=positions,
            mentions=mentions,
            entity_slugs=frozenset(slug(m["name"]) for m in record.entities),
            by_name=frozenset(slug(m["name"]) for m in record.entities if not m.get("role")),
        )

    def _analysed(self, i: int) -> tuple[ClaimRecord, list[Token], frozenset[str]]:
        """A claim's record, tokens and terms: all that an article's or a paragraph's vocabulary
        needs, without the words and kinds that only a scored passage does."""
        cached = self._analysed_cache.get(i)
        if cached is None:
            from gpu_brief.entities import slug

            record = self.index.record(i)
            tokens = self.analyzer.tokens(record.text)
            terms = frozenset(
                [t.term for t in tokens]
                + [slug(m["name"]) for m in record.entities]
                + [slug(name) for name in record.context]
            )
            cached = (record, tokens, terms)
            if len(self._analysed_cache) > _TERM_CACHE:
                self._analysed_cache.clear()
            self._analysed_cache[i] = cached
        return cached

    def claim_terms(self, i: int) -> frozenset[str]:
        return self._analysed(i)[2]

    def _said(self, terms: frozenset[str], lo: int, hi: int) -> frozenset[str]:
        """Which of these index terms the claims numbered [lo, hi) hold (one bisection each)."""
        ids, holds = self.index.term_ids, self.index.sentences.holds
        return frozenset(t for t in terms if (tid := ids.get(t)) is not None and holds(tid, lo, hi))

    def _scored(self, query: Query, hit: Hit, rank: int) -> Scored:
        info = self.info(hit.doc)
        record = info.record
        paragraph = self.index.paragraph(hit.doc)
        # what the paragraph and the sentence before say of the question's terms, read off the
        # postings (the features only ever ask about those): no neighbour is tokenized
        par_terms = self._said(query.terms, paragraph.start, paragraph.stop)
        context = set(self._said(query.terms, hit.doc - 1, hit.doc)) if hit.doc > paragraph.start else set()
        context.update(info.context)
        view = PassageView(
            terms=info.terms,
            context=frozenset(context),
            paragraph=par_terms | frozenset(context),
            entity_slugs=info.entity_slugs,
            by_name=info.by_name,
            positions=info.positions,
            mentions=info.mentions,
            n_words=len(info.tokens),
            rank=rank,
            sentence=hit.sentence,
            paragraph_score=hit.paragraph,
            anaphoric=info.anaphoric,
            first_in_paragraph=hit.doc == paragraph.start,
            kinds=info.kinds,
        )
        return Scored(hit, record, info.tokens, view, {}, words=info.words)

    # -- the answer --

    def ask(self, question: str, top: int = 5, source: str | None = None, explain: bool = False) -> Any:
        from gpu_brief.qa.decide import answer_from

        return answer_from(self, self.analyse(question, source, k=max(CANDIDATES, top)), top, explain)


def _fold_start(text: str) -> str:
    from gpu_brief.text import fold

    return fold(text[:40]).replace("’", "'")
