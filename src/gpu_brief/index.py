"""BM25 over claims: build with rank-bm25, save as a compact binary cache, search fast.

rank-bm25 computes idf and document lengths when the index is built; each (term, claim) impact
is then precomputed with rank-bm25's own formula, so a query only touches the postings of its
terms instead of scanning every claim, and gives exactly `get_scores`'s numbers (tested).
Loading needs neither YAML nor Pydantic nor NumPy: the cache is a JSON header and typed arrays
read through `memoryview`. NumPy is imported only when a query touches many postings.

Variant: BM25Plus (k1=1.5, b=0.75, delta=1). BM25Okapi floors the idf of terms found in half
the claims or more to epsilon * mean idf, which on a small corpus hits "OpenAI" and "GPU"
(rank-bm25 issues #39, #43); rank-bm25 0.2.2's BM25L multiplies by tf twice (issue #5, fixed
after the release). The choice is measured in the eval table of the README.
"""

from __future__ import annotations

import heapq
import json
import re
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gpu_brief.errors import ClaimsFileError

if TYPE_CHECKING:
    from gpu_brief.models import ClaimsFile
    from gpu_brief.text import Analyzer

INDEX_VERSION = 7
MAGIC = b"GPUBRIEF-INDEX\n"
NUMPY_THRESHOLD = 40_000  # postings touched by one query above which NumPy pays for its import

DEFAULT_PARAMS: dict[str, Any] = {
    "variant": "plus",
    "k1": 1.5,
    "b": 0.75,
    "delta": 1.0,
    "epsilon": 0.25,
    "headings": True,
}

Alternative = Sequence[tuple[str, float]]
Group = Sequence[Alternative]


@dataclass(frozen=True, slots=True)
class ClaimRecord:
    """What answering and rendering need of one claim, decoded on demand from the cache."""

    index: int
    id: str
    source: str
    start: int
    end: int
    line: int
    text: str
    heading: str | None
    entities: list[dict[str, Any]]
    figures: list[dict[str, Any]]
    context: list[str]  # entities named in the sentence before, that this one refers back to
    scope: list[str]  # entities named earlier in the paragraph or in the heading: what it is about


# --- building --------------------------------------------------------------------------------


def claim_headings(cf: ClaimsFile) -> list[str | None]:
    """The heading each claim sits under: the nearest heading above it, else the article title."""
    by_source = {s.file: s for s in cf.sources}
    out: list[str | None] = []
    for claim in cf.claims:
        source = by_source[claim.source]
        heading = source.title
        for h in source.headings:
            if h.start < claim.start:
                heading = h.text
            else:
                break
        out.append(heading)
    return out


_ANAPHORA = re.compile(
    r"^(?:(?:en effet|pourtant|cependant|toutefois|néanmoins|par ailleurs|de plus|ainsi|mais|et|or|donc"
    r"|d['’]ailleurs|en outre|par contre|de son côté|pour sa part)\s*,?\s+)?"
    r"(?:ceux-ci|celles-ci|celui-ci|celle-ci|ce dernier|cette dernière|ces derniers|ces dernières"
    r"|il|elle|ils|elles|cela|ceci|ça|ce|cet|cette|ces|son|sa|ses|leur|leurs|lui"
    r"|l['’]entreprise|la société|le groupe|la firme|la start-up|le géant|le fabricant|le modèle"
    r"|they|it|this|these|those|he|she|the company)\b",
    re.IGNORECASE,
)


def context_entities(cf: ClaimsFile) -> list[list[str]]:
    """Entities a claim refers to without naming them: a sentence opening with an anaphor
    ("Ceux-ci coûtent...", "L'entreprise a...") inherits the names of the sentence before it."""
    out: list[list[str]] = []
    previous = None
    for claim in cf.claims:
        inherited: list[str] = []
        if previous is not None and previous.source == claim.source and _ANAPHORA.match(claim.text):
            own = {m.name for m in claim.entities}
            for name in [m.name for m in previous.entities if not m.role] + out[-1]:
                if name not in own and name not in inherited:
                    inherited.append(name)
        out.append(inherited)
        previous = claim
    return out


def scope_entities(cf: ClaimsFile) -> list[list[str]]:
    """What a claim is about without naming it: the entities named earlier in its paragraph
    ("il s'agit d'un modèle ... 75 $" is about the GPT-4.5 of the sentence before) and in its
    heading or the article title."""
    from gpu_brief.entities import EntityDef, EntityMatcher

    catalog = EntityMatcher(EntityDef(e.name, e.type, tuple(e.aliases), tuple(e.roles)) for e in cf.entities)
    by_source = {s.file: s for s in cf.sources}
    out: list[list[str]] = []
    seen: list[str] = []
    previous = None
    for claim, heading in zip(cf.claims, claim_headings(cf), strict=False):
        if previous is None or previous.source != claim.source or previous.line != claim.line:
            seen = []
            if heading:
                seen = [f.name for f in catalog.find(heading) if f.name not in seen]
            elif by_source[claim.source].title:
                seen = [f.name for f in catalog.find(by_source[claim.source].title or "")]
        own = {m.name for m in claim.entities}
        out.append([name for name in dict.fromkeys(seen) if name not in own])
        seen = [*seen, *(m.name for m in claim.entities)]
        previous = claim
    return out


def document_terms(
    analyzer: Analyzer, text: str, entities: Iterable[str], heading: str | None, with_heading: bool
) -> list[str]:
    """Index terms of one claim: its words, its entities (`ent:` terms), its heading's words."""
    from gpu_brief.entities import slug

    terms = analyzer.terms(text)
    terms.extend(slug(name) for name in entities)
    if with_heading and heading:
        terms.extend(analyzer.terms(heading))
    return terms


def _impacts(
    bm: Any, variant: str, params: dict[str, Any]
) -> tuple[dict[str, list[tuple[int, float]]], dict[str, float]]:
    """Per-term postings (claim, score part) and per-term constants, with rank-bm25's formulas."""
    k1, b = params["k1"], params["b"]
    postings: dict[str, list[tuple[int, float]]] = {}
    const: dict[str, float] = {}
    delta = params["delta"]
    for doc, freqs in enumerate(bm.doc_freqs):
        dl = bm.doc_len[doc]
        norm = 1 - b + b * dl / bm.avgdl
        for term, tf in freqs.items():
            idf = bm.idf[term]
            if variant == "okapi":
                value = idf * (tf * (k1 + 1) / (tf + k1 * norm))
            elif variant == "plus":
                value = idf * ((tf * (k1 + 1)) / (k1 * norm + tf))
            else:  # "l", as rank-bm25 0.2.2 computes it
                ctd = tf / norm
                value = idf * tf * (k1 + 1) * (ctd + delta) / (k1 + ctd + delta)
            postings.setdefault(term, []).append((doc, value))
    if variant == "plus":
        const = {term: bm.idf[term] * delta for term in postings}
    return postings, const


def build(
    cf: ClaimsFile,
    root: Path,
    analyzer: Analyzer,
    lexicon: dict[str, Any],
    params: dict[str, Any] | None = None,
) -> SearchIndex:
    """Index every claim of a validated claims file."""
    from rank_bm25 import BM25L, BM25Okapi, BM25Plus

    from gpu_brief.text import fold, iter_words

    p = {**DEFAULT_PARAMS, **(params or {})}
    headings = claim_headings(cf)
    contexts = context_entities(cf)
    scopes = scope_entities(cf)
    corpus = [
        document_terms(analyzer, c.text, [*(m.name for m in c.entities), *ctx], h, p["headings"])
        for c, h, ctx in zip(cf.claims, headings, contexts, strict=False)
    ]
    if not corpus:
        raise ClaimsFileError("the claims file holds no claims: nothing to search")
    variant = p["variant"]
    if variant == "okapi":
        bm = BM25Okapi(corpus, k1=p["k1"], b=p["b"], epsilon=p["epsilon"])
    elif variant == "plus":
        bm = BM25Plus(corpus, k1=p["k1"], b=p["b"], delta=p["delta"])
    elif variant == "l":
        bm = BM25L(corpus, k1=p["k1"], b=p["b"], delta=p["delta"])
    else:
        raise ValueError(f"unknown BM25 variant {variant!r}")
    postings, const = _impacts(bm, variant, p)
    terms = sorted(postings)
    surface: dict[str, str] = {}
    for claim in cf.claims:
        for word, _, _ in iter_words(claim.text):
            folded = fold(word)
            if folded not in surface:
                term = analyzer.word_term(word)
                if term:
                    surface[folded] = term
    source_index = {s.file: i for i, s in enumerate(cf.sources)}
    records = [
        json.dumps(
            [
                c.id,
                source_index[c.source],
                c.start,
                c.end,
                c.line,
                c.text,
                h,
                [m.model_dump(exclude_defaults=True) for m in c.entities],
                [f.model_dump(exclude_none=True) for f in c.figures],
                ctx,
                scope,
            ],
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")
        for c, h, ctx, scope in zip(cf.claims, headings, contexts, scopes, strict=False)
    ]
    header = {
        "version": INDEX_VERSION,
        "params": p,
        "avgdl": bm.avgdl,
        "n_claims": len(cf.claims),
        "root": str(root),
        "sources": [
            {
                "file": s.file,
                "sha256": s.sha256,
                "title": s.title,
                "url": s.url,
                "claims": s.claims,
                "stat": _stat(root / s.file),
            }
            for s in cf.sources
        ],
        "catalog": [e.model_dump() for e in cf.entities],
        "protected": sorted(analyzer.protected),
        "lexicon": lexicon,
    }
    return SearchIndex.from_parts(header, terms, postings, const, records, surface)


def _stat(path: Path) -> list[int] | None:
    """Size and mtime of a source when the index was built (validated against its sha256 then)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


# --- the index -------------------------------------------------------------------------------


class SearchIndex:
    """Postings with precomputed BM25 impacts, claim records, and the analyzer's state."""

    def __init__(self, header: dict[str, Any], sections: dict[str, Any]) -> None:
        self.header = header
        self.n_claims: int = header["n_claims"]
        self._terms: list[str] = sections["terms"]
        self.term_ids: dict[str, int] = {t: i for i, t in enumerate(self._terms)}
        self._ptr = sections["ptr"]
        self._docs = sections["docs"]
        self._imps = sections["imps"]
        self._const = sections["const"]
        self._rec_ptr = sections["rec_ptr"]
        self._records = sections["records"]
        self.surface: dict[str, str] = sections["surface"]
        self._np: dict[str, Any] | None = None

    @classmethod
    def from_parts(
        cls,
        header: dict[str, Any],
        terms: list[str],
        postings: dict[str, list[tuple[int, float]]],
        const: dict[str, float],
        records: list[bytes],
        surface: dict[str, str],
    ) -> SearchIndex:
        from array import array

        ptr = array("q", [0])
        docs = array("i")
        imps = array("d")
        for term in terms:
            for doc, value in postings[term]:
                docs.append(doc)
                imps.append(value)
            ptr.append(len(docs))
        rec_ptr = array("q", [0])
        blob = bytearray()
        for rec in records:
            blob += rec
            rec_ptr.append(len(blob))
        sections = {
            "terms": terms,
            "ptr": memoryview(ptr),
            "docs": memoryview(docs),
            "imps": memoryview(imps),
            "const": memoryview(array("d", [const.get(t, 0.0) for t in terms])),
            "rec_ptr": memoryview(rec_ptr),
            "records": bytes(blob),
            "surface": surface,
        }
        return cls(header, sections)

    # -- statistics used by answering --

    @property
    def sources(self) -> list[dict[str, Any]]:
        return list(self.header["sources"])

    def df(self, term: str) -> int:
        tid = self.term_ids.get(term)
        return 0 if tid is None else self._ptr[tid + 1] - self._ptr[tid]

    def idf(self, term: str) -> float:
        """Plus-style idf, log((N+1)/df); for an unknown term, that of a term seen once."""
        import math

        df = self.df(term)
        return math.log((self.n_claims + 1) / max(df, 1))

    def record(self, i: int) -> ClaimRecord:
        raw = bytes(self._records[self._rec_ptr[i] : self._rec_ptr[i + 1]])
        cid, src, start, end, line, text, heading, ents, figs, ctx, scope = json.loads(raw)
        source = self.header["sources"][src]["file"]
        return ClaimRecord(i, cid, source, start, end, line, text, heading, ents, figs, ctx, scope)

    def records(self) -> Iterable[ClaimRecord]:
        for i in range(self.n_claims):
            yield self.record(i)

    # -- scoring --

    def search(
        self, groups: Sequence[Group], k: int = 10, doc_range: tuple[int, int] | None = None
    ) -> list[tuple[int, float]]:
        """Best `k` claims as (claim index, score), best first; ties broken by claim order.

        A group is one idea of the question given as alternatives - the word, its translations,
        its synonyms - each a list of (term, weight). A group counts once per claim, with its best
        alternative: a claim saying both "pénurie" and "manque" is not rewarded twice for one
        idea, while a multi-word translation ("centre de données") counts all its words. With one
        single-term alternative of weight 1 per group this is exactly rank-bm25's `get_scores`.
        `doc_range` keeps only claims whose index is in [start, end) (one source's claims).
        """
        resolved: list[list[list[tuple[int, float]]]] = []
        touched = 0
        for group in groups:
            alts = []
            for alt in group:
                ids = [(tid, w) for term, w in alt if (tid := self.term_ids.get(term)) is not None]
                if ids:
                    alts.append(ids)
                    touched += sum(self._ptr[t + 1] - self._ptr[t] for t, _ in ids)
            if alts:
                resolved.append(alts)
        if not resolved:
            return []
        if touched > NUMPY_THRESHOLD:
            return self._search_numpy(resolved, k, doc_range)
        const, acc = self._accumulate(resolved)
        items = acc.items()
        if doc_range is not None:
            lo, hi = doc_range
            items = {d: v for d, v in items if lo <= d < hi}.items()
        best = heapq.nsmallest(k, items, key=lambda item: (-item[1], item[0]))
        return [(doc, const + value) for doc, value in best]

    def _accumulate(self, groups: list[list[list[tuple[int, float]]]]) -> tuple[float, dict[int, float]]:
        ptr, docs, imps, consts = self._ptr, self._docs, self._imps, self._const
        total_const = 0.0
        acc: dict[int, float] = {}
        for alts in groups:
            bases = [sum(w * consts[t] for t, w in alt) for alt in alts]
            group_base = max(bases)
            total_const += group_base
            sparse_by_alt: list[dict[int, float]] = []
            for alt in alts:
                sparse: dict[int, float] = {}
                for t, w in alt:
                    a, b = ptr[t], ptr[t + 1]
                    for doc, imp in zip(docs[a:b], imps[a:b], strict=False):
                        sparse[doc] = sparse.get(doc, 0.0) + w * imp
                sparse_by_alt.append(sparse)
            touched = set().union(*sparse_by_alt)
            for doc in touched:
                # The group's value is its best alternative, whether or not that one holds the term
                # (a negative Okapi idf can make holding a term worse than not holding it).
                value = max(
                    base + sparse.get(doc, 0.0) for base, sparse in zip(bases, sparse_by_alt, strict=False)
                )
                acc[doc] = acc.get(doc, 0.0) + (value - group_base)
        return total_const, acc

    def _arrays(self) -> dict[str, Any]:
        if self._np is None:
            import numpy as np

            self._np = {
                "np": np,
                "ptr": np.frombuffer(self._ptr, dtype=np.int64),
                "docs": np.frombuffer(self._docs, dtype=np.int32),
                "imps": np.frombuffer(self._imps, dtype=np.float64),
                "const": np.frombuffer(self._const, dtype=np.float64),
            }
        return self._np

    def _search_numpy(
        self, groups: list[list[list[tuple[int, float]]]], k: int, doc_range: tuple[int, int] | None
    ) -> list[tuple[int, float]]:
        arrays = self._arrays()
        np = arrays["np"]
        ptr, docs, imps, consts = arrays["ptr"], arrays["docs"], arrays["imps"], arrays["const"]
        n = self.n_claims
        scores = np.zeros(n, dtype=np.float64)
        touched = np.zeros(n, dtype=bool)
        for alts in groups:
            bases = [sum(w * float(consts[t]) for t, w in alt) for alt in alts]
            group_base = max(bases)
            best = np.full(n, group_base, dtype=np.float64)
            for alt, base in zip(alts, bases, strict=False):
                dense = np.full(n, base, dtype=np.float64)
                for t, w in alt:
                    a, b = int(ptr[t]), int(ptr[t + 1])
                    idx = docs[a:b]
                    dense[idx] += w * imps[a:b]
                    touched[idx] = True
                np.maximum(best, dense, out=best)
            scores += best - group_base
        total_const = sum(max(sum(w * float(consts[t]) for t, w in alt) for alt in alts) for alts in groups)
        if doc_range is not None:
            touched[: doc_range[0]] = False
            touched[doc_range[1] :] = False
        candidates = np.flatnonzero(touched)
        if candidates.size == 0:
            return []
        cand_scores = scores[candidates]
        if candidates.size > k:
            part = np.argpartition(-cand_scores, k - 1)[:k]
            kth = cand_scores[part].min()
            keep = np.flatnonzero(cand_scores >= kth)  # every tie at the cut, for a stable order
            candidates, cand_scores = candidates[keep], cand_scores[keep]
        order = np.lexsort((candidates, -cand_scores))[:k]
        return [(int(candidates[i]), total_const + float(cand_scores[i])) for i in order]

    def scores(self, query: Sequence[str]) -> list[float]:
        """Dense scores of every claim for a plain term list (as rank-bm25's get_scores)."""
        resolved = [[[(self.term_ids[t], 1.0)]] for t in query if t in self.term_ids]
        const, acc = self._accumulate(resolved)
        return [const + acc.get(i, 0.0) for i in range(self.n_claims)]

    # -- persistence --

    def save(self) -> bytes:
        """The index as bytes: MAGIC, header length, JSON header, then 8-byte aligned sections."""
        blobs: dict[str, bytes] = {
            "terms": "\n".join(self._terms).encode("utf-8"),
            "ptr": bytes(self._ptr),
            "docs": bytes(self._docs),
            "imps": bytes(self._imps),
            "const": bytes(self._const),
            "rec_ptr": bytes(self._rec_ptr),
            "records": self._records,
            "surface": json.dumps(self.surface, ensure_ascii=False, sort_keys=True).encode("utf-8"),
        }
        layout: dict[str, list[int]] = {}
        offset = 0
        for name, blob in blobs.items():
            layout[name] = [offset, len(blob)]
            offset += (len(blob) + 7) // 8 * 8
        header = json.dumps({**self.header, "layout": layout}, ensure_ascii=False).encode("utf-8")
        head = MAGIC + struct.pack("<Q", len(header)) + header
        head += b"\0" * ((-len(head)) % 8)
        body = bytearray()
        for blob in blobs.values():
            body += blob + b"\0" * ((-len(blob)) % 8)
        return bytes(head) + bytes(body)

    @classmethod
    def load(cls, data: bytes) -> SearchIndex:
        """Read what `save` wrote; raises ValueError on anything else (the caller rebuilds)."""
        if not data.startswith(MAGIC):
            raise ValueError("not a gpu-brief index")
        (length,) = struct.unpack_from("<Q", data, len(MAGIC))
        start = len(MAGIC) + 8
        header = json.loads(data[start : start + length])
        if header.get("version") != INDEX_VERSION:
            raise ValueError("index made by another version")
        base = start + length
        base += (-base) % 8
        view = memoryview(data)

        def part(name: str) -> memoryview:
            offset, size = header["layout"][name]
            return view[base + offset : base + offset + size]

        terms_blob = bytes(part("terms")).decode("utf-8")
        sections = {
            "terms": terms_blob.split("\n") if terms_blob else [],
            "ptr": part("ptr").cast("q"),
            "docs": part("docs").cast("i"),
            "imps": part("imps").cast("d"),
            "const": part("const").cast("d"),
            "rec_ptr": part("rec_ptr").cast("q"),
            "records": part("records"),
            "surface": json.loads(bytes(part("surface"))),
        }
        if len(sections["ptr"]) != len(sections["terms"]) + 1:
            raise ValueError("index is damaged")
        return cls(header, sections)
