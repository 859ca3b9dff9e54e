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
import struct
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gpu_brief.errors import ClaimsFileError

if TYPE_CHECKING:
    from gpu_brief.units import Unit

INDEX_VERSION = 10
MAGIC = b"GPUBRIEF-INDEX\n"
NUMPY_THRESHOLD = 40_000  # postings touched by one query above which NumPy pays for its import

DEFAULT_PARAMS: dict[str, Any] = {"variant": "plus", "k1": 1.5, "b": 0.75, "delta": 1.0, "epsilon": 0.25}

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
    # "Il", "ce dernier": {name, claim, start, end, text} of the entity it refers back to
    antecedents: list[dict[str, Any]] = field(default_factory=list)


# --- building --------------------------------------------------------------------------------


def _stat(path: Path) -> list[int] | None:
    """Size and mtime of a source when the index was built (validated against its sha256 then)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def rank_bm25_idf(df: dict[str, int], n_docs: int, params: dict[str, Any]) -> dict[str, float]:
    """Idf exactly as rank-bm25 computes it, by its own `_calc_idf` (Okapi's epsilon floor
    included), without its per-document dictionaries that cost gigabytes on 300,000 claims."""
    from rank_bm25 import BM25L, BM25Okapi, BM25Plus

    cls = {"okapi": BM25Okapi, "plus": BM25Plus, "l": BM25L}[params["variant"]]
    bm = cls.__new__(cls)
    bm.corpus_size = n_docs
    bm.idf = {}
    bm.k1, bm.b, bm.delta, bm.epsilon = params["k1"], params["b"], params["delta"], params["epsilon"]
    bm._calc_idf(df)
    return dict(bm.idf)


def build(
    units: Sequence[Unit],
    catalog: list[dict[str, Any]],
    root: Path,
    lexicon: dict[str, Any],
    params: dict[str, Any] | None = None,
) -> SearchIndex:
    """Index every claim of every unit: postings with rank-bm25's impacts, records, surface."""
    from array import array
    from collections import Counter

    import numpy as np

    p = {**DEFAULT_PARAMS, **(params or {})}
    if p["variant"] not in ("okapi", "plus", "l"):
        raise ValueError(f"unknown BM25 variant {p['variant']!r}")
    term_ids: dict[str, int] = {}
    post_term, post_doc, post_tf, doc_len = array("i"), array("i"), array("i"), array("i")
    doc = 0
    for unit in units:
        for joined in unit.terms:
            counts = Counter(joined.split()) if joined else Counter()
            doc_len.append(sum(counts.values()))
            for term, tf in counts.items():
                post_term.append(term_ids.setdefault(term, len(term_ids)))
                post_doc.append(doc)
                post_tf.append(tf)
            doc += 1
    if doc == 0:
        raise ClaimsFileError("the claims file holds no claims: nothing to search")
    terms = list(term_ids)
    t = np.frombuffer(post_term, dtype=np.int32)
    df = np.bincount(t, minlength=len(terms))
    idf_map = rank_bm25_idf({term: int(df[i]) for i, term in enumerate(terms)}, doc, p)
    idf = np.array([idf_map[term] for term in terms], dtype=np.float64)
    lengths = np.frombuffer(doc_len, dtype=np.int32).astype(np.float64)
    avgdl = float(lengths.sum()) / doc
    d = np.frombuffer(post_doc, dtype=np.int32)
    freq = np.frombuffer(post_tf, dtype=np.int32).astype(np.float64)
    k1, b, delta = p["k1"], p["b"], p["delta"]
    norm = 1 - b + b * lengths[d] / avgdl
    # rank-bm25's get_scores, term by term, restricted to the claims that hold the term.
    if p["variant"] == "okapi":
        impacts = idf[t] * (freq * (k1 + 1) / (freq + k1 * norm))
        const = np.zeros(len(terms))
    elif p["variant"] == "plus":
        impacts = idf[t] * ((freq * (k1 + 1)) / (k1 * norm + freq))
        const = idf * delta
    else:  # "l", as rank-bm25 0.2.2 computes it (tf appears twice, its issue #5)
        ctd = freq / norm
        impacts = idf[t] * freq * (k1 + 1) * (ctd + delta) / (k1 + ctd + delta)
        const = np.zeros(len(terms))
    order = np.argsort(t, kind="stable")
    ptr = np.zeros(len(terms) + 1, dtype=np.int64)
    np.cumsum(df, out=ptr[1:])
    surface: dict[str, str] = {}
    for unit in units:
        for line in unit.surface.splitlines():
            word, _, term = line.partition("\t")
            surface.setdefault(word, term)
    rec_src = array("i", (i for i, unit in enumerate(units) for _ in unit.records))
    header = {
        "version": INDEX_VERSION,
        "params": p,
        "avgdl": avgdl,
        "n_claims": doc,
        "root": str(root),
        "sources": [{**unit.meta, "stat": _stat(root / unit.file)} for unit in units],
        "catalog": catalog,
        "lexicon": lexicon,
    }
    sections = {
        "terms": terms,
        "ptr": memoryview(ptr.tobytes()).cast("q"),
        "docs": memoryview(d[order].astype(np.int32).tobytes()).cast("i"),
        "imps": memoryview(impacts[order].tobytes()).cast("d"),
        "const": memoryview(const.astype(np.float64).tobytes()).cast("d"),
        "rec_src": memoryview(rec_src.tobytes()).cast("i"),
        "surface": surface,
    }
    encoded = [r.encode("utf-8") for unit in units for r in unit.records]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(r) + 1 for r in encoded], out=offsets[1:])
    sections["rec_ptr"] = memoryview(offsets.tobytes()).cast("q")
    sections["records"] = b"\n".join(encoded) + b"\n"
    del encoded
    return SearchIndex(header, sections)


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
        self._rec_src = sections["rec_src"]
        self._records = sections["records"]
        self.surface: dict[str, str] = sections["surface"]
        # JSON of the entities NER found, kept as bytes: browsing decodes it, questions need not
        self.found_entities: bytes | memoryview = sections.get("found_entities", b"[]")
        self._np: dict[str, Any] | None = None

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
        raw = bytes(self._records[self._rec_ptr[i] : self._rec_ptr[i + 1] - 1])
        cid, start, end, line, text, heading, ents, figs, ctx, scope, *more = json.loads(raw)
        source = self.header["sources"][self._rec_src[i]]["file"]
        antecedents = more[0] if more else []
        return ClaimRecord(
            i, cid, source, start, end, line, text, heading, ents, figs, ctx, scope, antecedents
        )

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

    def save(self) -> Iterator[bytes]:
        """The index as pieces of bytes: MAGIC, header length, JSON header, then 8-byte aligned
        sections (written one after the other: a 250 MB index is never copied whole)."""
        blobs: dict[str, Any] = {
            "terms": "\n".join(self._terms).encode("utf-8"),
            "ptr": self._ptr,
            "docs": self._docs,
            "imps": self._imps,
            "const": self._const,
            "rec_ptr": self._rec_ptr,
            "rec_src": self._rec_src,
            "records": self._records,
            "surface": json.dumps(self.surface, ensure_ascii=False, sort_keys=True).encode("utf-8"),
            "found_entities": self.found_entities,
        }
        layout: dict[str, list[int]] = {}
        offset = 0
        for name, blob in blobs.items():
            size = memoryview(blob).nbytes
            layout[name] = [offset, size]
            offset += (size + 7) // 8 * 8
        header = json.dumps({**self.header, "layout": layout}, ensure_ascii=False).encode("utf-8")
        head = MAGIC + struct.pack("<Q", len(header)) + header
        yield head + b"\0" * ((-len(head)) % 8)
        for blob in blobs.values():
            view = memoryview(blob).cast("B")
            yield bytes(view)
            yield b"\0" * ((-view.nbytes) % 8)

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
            "rec_src": part("rec_src").cast("i"),
            "records": part("records"),
            "surface": json.loads(bytes(part("surface"))),
            "found_entities": part("found_entities"),
        }
        if len(sections["ptr"]) != len(sections["terms"]) + 1:
            raise ValueError("index is damaged")
        return cls(header, sections)
