"""The index: exactly rank-bm25's scores, computed from postings; a cache that round-trips."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi, BM25Plus

from conftest import CLAIMS
from gpu_brief import index as index_module
from gpu_brief.index import SearchIndex, build
from gpu_brief.service import build_index, load_corpus, open_index
from gpu_brief.units import Unit


@pytest.fixture(scope="module")
def seeds_index() -> SearchIndex:
    return build_index(CLAIMS)


def units_of(docs: list[list[str]]) -> list[Unit]:
    """Units holding exactly these token lists (one claim each), to compare with rank-bm25."""
    records = [json.dumps([f"t-{i + 1}", 0, 1, 1, "x", None, [], [], [], []]) for i in range(len(docs))]
    meta = {"file": "f.txt", "sha256": "0" * 64, "title": None, "url": None, "claims": len(docs)}
    return [Unit(meta, "", "", [" ".join(doc) for doc in docs], records, "", [])]


def _reference(corpus: list[list[str]], p: dict, b: str):  # type: ignore[no-untyped-def, type-arg]
    """rank-bm25's scorer of the variant the index uses."""
    if p["variant"] == "okapi":
        return BM25Okapi(corpus, k1=p["k1"], b=p[b], epsilon=p["epsilon"])
    return BM25Plus(corpus, k1=p["k1"], b=p[b], delta=p["delta"])


def claim_terms(idx: SearchIndex) -> list[list[str]]:
    """The seeds' claims as the index saw them, rebuilt from the units."""
    corpus = load_corpus(CLAIMS)
    return [joined.split() for unit in corpus.units for joined in unit.terms]


def test_scores_equal_rank_bm25_on_the_seeds(seeds_index: SearchIndex) -> None:
    corpus = claim_terms(seeds_index)
    p = seeds_index.params
    reference = _reference(corpus, p, "b")
    vocabulary = sorted({t for doc in corpus for t in doc})
    rng = random.Random(1)
    for _ in range(40):
        query = [*rng.sample(vocabulary, rng.randint(1, 6)), "absent-term"]
        assert seeds_index.scores(query) == pytest.approx(
            list(reference.get_scores(query)), rel=1e-12, abs=1e-12
        )


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from("abcdefgh"), min_size=1, max_size=12), min_size=3, max_size=30),
    st.lists(st.sampled_from("abcdefghz"), min_size=1, max_size=5),
    st.sampled_from(["plus", "okapi", "l"]),
)
def test_scores_equal_rank_bm25_on_random_corpora(
    docs: list[list[str]], query: list[str], variant: str
) -> None:
    from rank_bm25 import BM25L

    p = {**index_module.DEFAULT_PARAMS, "variant": variant}
    if variant == "okapi":
        reference = BM25Okapi(docs, k1=p["k1"], b=p["b"], epsilon=p["epsilon"])
    else:
        reference = {"plus": BM25Plus, "l": BM25L}[variant](docs, k1=p["k1"], b=p["b"], delta=p["delta"])
    idx = build(units_of(docs), [], Path("."), {"en": {}, "syn": {}, "longest": 1}, p)
    assert idx.scores(query) == pytest.approx(list(reference.get_scores(query)), rel=1e-9, abs=1e-9)


def test_paragraph_scores_equal_rank_bm25_on_the_seeds(seeds_index: SearchIndex) -> None:
    """A paragraph is scored as one unit holding all its sentences' terms."""
    corpus = claim_terms(seeds_index)
    paragraphs: list[list[str]] = []
    last = None
    for i, terms in enumerate(corpus):
        first = seeds_index.paragraph(i).start
        if first != last:
            paragraphs.append([])
            last = first
        paragraphs[-1].extend(terms)
    assert len(paragraphs) == seeds_index.n_paragraphs
    p = seeds_index.params
    reference = _reference(paragraphs, p, "paragraph_b")
    vocabulary = sorted({t for doc in corpus for t in doc})
    rng = random.Random(2)
    for _ in range(20):
        query = rng.sample(vocabulary, rng.randint(1, 6))
        assert seeds_index.paragraph_scores(query) == pytest.approx(
            list(reference.get_scores(query)), rel=1e-12, abs=1e-12
        )


def test_a_sentence_is_found_through_its_paragraph(seeds_index: SearchIndex) -> None:
    """A claim sharing no word with the query still ranks, by its paragraph's score."""
    hits = seeds_index.search([[[("penur", 1.0)]], [[("broadcom", 1.0)]]], k=40)
    silent = [h for h in hits if h.sentence == 0.0]
    assert silent and all(h.paragraph > 0 for h in silent)
    weight = seeds_index.params["paragraph_weight"]
    for h in hits:
        assert h.score - (h.sentence + weight * h.paragraph) == pytest.approx(
            hits[0].score - hits[0].sentence - weight * hits[0].paragraph
        )


def test_numpy_path_gives_the_same_ranking(seeds_index: SearchIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    from gpu_brief import bm25

    groups = [[[("gpu", 1.0)], [("puc", 0.6)]], [[("openai", 1.0)]], [[("penur", 1.0)]]]
    python = seeds_index.search(groups, k=10)
    monkeypatch.setattr(bm25, "NUMPY_THRESHOLD", -1)
    fresh = SearchIndex.load(b"".join(seeds_index.save()))
    vectorised = fresh.search(groups, k=10)
    assert [h.doc for h in vectorised] == [h.doc for h in python]
    assert [h.score for h in vectorised] == pytest.approx([h.score for h in python])
    assert [h.paragraph for h in vectorised] == pytest.approx([h.paragraph for h in python])


def test_a_group_counts_its_best_alternative_once(seeds_index: SearchIndex) -> None:
    def scores(groups):
        return {h.doc: h.score for h in seeds_index.search(groups, k=200, paragraph_weight=0.0)}

    alone = scores([[[("penur", 1.0)]]])
    both = scores([[[("penur", 1.0)], [("manqu", 1.0)]]])
    for doc, score in alone.items():
        assert both[doc] >= score - 1e-12
    # two ideas add up where a claim says both; two alternatives of one idea do not
    summed = scores([[[("gpu", 1.0)]], [[("nvidi", 1.0)]]])
    either = scores([[[("gpu", 1.0)], [("nvidi", 1.0)]]])
    assert any(summed[d] > either[d] + 1e-9 for d in either if d in summed)


def test_source_filter_keeps_only_that_source(seeds_index: SearchIndex) -> None:
    hits = seeds_index.search([[[("gpu", 1.0)]]], k=50, doc_range=(19, 38))
    assert hits and all(19 <= h.doc < 38 for h in hits)
    assert {seeds_index.record(h.doc).source for h in hits} == {"001_6ce2a5385cf9571f.txt"}


def test_the_cache_round_trips_and_is_reused(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    first = open_index(CLAIMS)
    calls = []
    monkeypatch.setattr("gpu_brief.corpus.build_index", lambda *a, **k: calls.append(1))
    second = open_index(CLAIMS)
    assert not calls
    assert second.n_claims == first.n_claims
    assert [second.record(i) for i in range(5)] == [first.record(i) for i in range(5)]


def test_a_damaged_cache_is_rebuilt(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from gpu_brief.cache import cache_path

    open_index(CLAIMS)
    cache_path(CLAIMS, ".idx").write_bytes(b"garbage")  # type: ignore[union-attr]
    assert open_index(CLAIMS).n_claims > 100


def test_building_without_claims_is_an_error() -> None:
    from gpu_brief.errors import ClaimsFileError

    with pytest.raises(ClaimsFileError):
        build([], [], Path("."), {"en": {}, "syn": {}, "longest": 1})


def test_the_lexicon_kept_in_the_index_reads_as_the_compiled_one() -> None:
    """The index keeps the lexicon's tables as strings decoded per entry (a question reads a few
    of thousands); every entry, key and count must read back as compiled."""
    from gpu_brief.lexicons import lexicon_paths, read_lexicons
    from gpu_brief.qa.lexicon import TABLES, compile_lexicon, pack_lexicon, unpack_lexicon
    from gpu_brief.text import Analyzer

    compiled = compile_lexicon(read_lexicons(lexicon_paths(["ai-news"])), Analyzer())
    packed = json.loads(json.dumps(pack_lexicon(compiled)))  # as the index header stores it
    lexicon = unpack_lexicon(packed)
    for name in TABLES:
        assert len(lexicon[name]) == len(compiled[name]) > 0
        assert sorted(lexicon[name]) == sorted(compiled[name])
        assert all(lexicon[name][key] == value for key, value in compiled[name].items())
        assert "\0absent" not in lexicon[name] and lexicon[name].get("\0absent") is None
        assert "\uffffabsent" not in lexicon[name] and lexicon[name].get("\uffffabsent") is None
        assert all(key[:-1] not in lexicon[name] for key in compiled[name] if key[:-1] not in compiled[name])
    assert lexicon["longest"] == compiled["longest"]
    empty = unpack_lexicon(pack_lexicon({"en": {}, "syn": {}, "pivot": {}, "longest": 1}))
    assert len(empty["en"]) == 0 and "x" not in empty["syn"]


def test_an_articles_vocabulary_is_read_off_the_postings(answerer) -> None:  # type: ignore[no-untyped-def]
    """`source_says` bisects each term's postings for the article's claims; it must agree with
    reading every posting."""
    index = answerer.index
    postings = index.sentences
    for source in index.sources:
        lo, hi = answerer.source_range(source["file"])
        for term, tid in list(index.term_ids.items())[::7]:
            docs = postings.docs[postings.ptr[tid] : postings.ptr[tid + 1]]
            assert answerer.source_says(source["file"], frozenset({term})) == any(lo <= d < hi for d in docs)
        assert not answerer.source_says(source["file"], frozenset({"\0absent"}))


def test_a_passages_paragraph_and_sentence_before_are_read_off_the_postings(answerer) -> None:  # type: ignore[no-untyped-def]
    """The paragraph's and the previous sentence's words a passage's features read come from the
    postings, for the question's terms only: they must be the terms the claims' index entries
    hold, in the paragraph and in the sentence before (none for a paragraph's first sentence)."""
    index = answerer.index
    postings = index.sentences
    analysis = answerer.analyse("Pourquoi OpenAI a-t-il dû repousser son nouveau modèle ?", spans=False)
    terms = analysis.query.terms

    def held(lo: int, hi: int) -> set[str]:
        out = set()
        for term in terms:
            tid = index.term_ids.get(term)
            docs = [] if tid is None else postings.docs[postings.ptr[tid] : postings.ptr[tid + 1]]
            if any(lo <= d < hi for d in docs):
                out.add(term)
        return out

    assert analysis.passages
    for p in analysis.passages:
        paragraph = index.paragraph(p.hit.doc)
        assert held(paragraph.start, paragraph.stop) <= p.view.paragraph
        before = held(p.hit.doc - 1, p.hit.doc) if p.hit.doc > paragraph.start else set()
        assert before <= p.view.context
        assert p.view.paragraph & terms == held(paragraph.start, paragraph.stop) | (p.view.context & terms)


def test_an_edited_resource_gets_a_new_cache_file(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Cached indexes are keyed by the resources they were built from (their name, size and
    mtime, read at every question instead of hashing 250 KB)."""
    import os

    from gpu_brief import cache

    resource = tmp_path / "fr.yaml"
    resource.write_text("cues: {}\n", encoding="utf-8")
    monkeypatch.setattr(cache, "_resources", lambda: [resource])
    monkeypatch.setenv("GPU_BRIEF_CACHE_DIR", str(tmp_path / "cache"))
    first = cache.cache_path(CLAIMS, ".idx")
    assert cache.cache_path(CLAIMS, ".idx") == first
    resource.write_text("cues: {why: [pourquoi]}\n", encoding="utf-8")
    st = resource.stat()
    os.utime(resource, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert cache.cache_path(CLAIMS, ".idx") != first


def test_the_lexicon_tables_are_sections_of_the_saved_index_not_its_header() -> None:
    """The header is parsed at every question: the lexicon's tables (hundreds of KB of escaped
    JSON there) are kept as sections and read back as the same strings."""
    built = build_index(CLAIMS)
    data = b"".join(built.save())
    (length,) = index_module.struct.unpack_from("<Q", data, len(index_module.MAGIC))
    assert length < 40_000
    loaded = SearchIndex.load(data)
    assert loaded.header["lexicon"] == built.header["lexicon"]
    assert "keys" in built.header["lexicon"]["en"]  # saving leaves the built index whole


@settings(max_examples=200, deadline=None)
@given(
    st.lists(  # per term: (sign of its idf, its units and impacts)
        st.tuples(st.booleans(), st.dictionaries(st.integers(0, 7), st.floats(0.01, 5.0), max_size=6)),
        min_size=1,
        max_size=6,
    ),
    st.lists(  # groups: alternatives of (term, weight)
        st.lists(
            st.lists(st.tuples(st.integers(0, 5), st.sampled_from([0.5, 1.0])), min_size=1, max_size=2),
            min_size=1,
            max_size=3,
        ),
        min_size=1,
        max_size=3,
    ),
    st.lists(st.floats(0.0, 0.5), min_size=6, max_size=6),
)
def test_an_idea_scores_by_its_best_alternative_in_every_unit(terms, groups, consts) -> None:  # type: ignore[no-untyped-def]
    # the fast path (no negative impact) and the general one give what the definition says
    from gpu_brief.bm25 import Postings

    ptr, docs, imps = [0], [], []
    for negative, units in terms:
        for doc, imp in sorted(units.items()):
            docs.append(doc)
            imps.append(-imp if negative else imp)
        ptr.append(len(docs))
    n_terms = len(terms)
    groups = [[[(t % n_terms, w) for t, w in alt] for alt in alts] for alts in groups]
    postings = Postings(8, ptr, docs, imps, consts[:n_terms])

    def impact(t: int, doc: int) -> float:
        units = dict(zip(docs[ptr[t] : ptr[t + 1]], imps[ptr[t] : ptr[t + 1]], strict=True))
        return units.get(doc, 0.0)

    const, acc = postings.accumulate(groups)
    bases = [[sum(w * consts[t] for t, w in alt) for alt in alts] for alts in groups]
    assert const == pytest.approx(sum(max(b) for b in bases))
    touched = {doc for alts in groups for alt in alts for t, _ in alt for doc in docs[ptr[t] : ptr[t + 1]]}
    assert set(acc) == touched
    for doc in touched:
        want = sum(
            max(base + sum(w * impact(t, doc) for t, w in alt) for base, alt in zip(b, alts, strict=True))
            - max(b)
            for b, alts in zip(bases, groups, strict=True)
        )
        assert acc[doc] == pytest.approx(want, rel=1e-9, abs=1e-12)


@given(
    st.dictionaries(st.integers(0, 500), st.sampled_from([0.0, 0.5, 1.25, 2.0, -1.0, 3.5]), max_size=80),
    st.integers(0, 30),
)
def test_top_k_is_the_best_k_by_score_then_unit(items: dict[int, float], k: int) -> None:
    """`top_k` finds the k-th score on the bare floats first (for speed): the same list as a
    selection keyed on (-score, unit), ties (many here) broken by unit order."""
    from gpu_brief.bm25 import top_k

    assert top_k(items, k) == sorted(items.items(), key=lambda item: (-item[1], item[0]))[:k]
