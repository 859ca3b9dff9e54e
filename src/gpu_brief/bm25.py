"""BM25 postings with precomputed impacts: rank-bm25's formulas, scored term by term.

rank-bm25 computes idf and document lengths when the index is built; each (term, unit) impact is
then precomputed with rank-bm25's own formula, so a query only touches the postings of its terms
instead of scanning every unit, and gives exactly `get_scores`'s numbers (tested). The same code
scores sentences and paragraphs: each is a set of units with its own statistics.

The variant used is BM25Okapi as rank-bm25 computes it (k1 1.2, b 0.4, chosen on PIAF dev and
the seed dev set together by `benchmarks/retrieval.py`): idf log((N - df + 0.5) / (df + 0.5)),
floored at epsilon times the mean idf for a term found in half the units or more. `plus` and
`l` remain for comparison, with two caveats of rank-bm25 0.2.2: its BM25Plus adds delta to
every unit for every query term, found or not (a per-query constant that changes no ranking;
textbook BM25+ adds it only where the term occurs), and its BM25L multiplies by tf twice (its
issue #5).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

NUMPY_THRESHOLD = 40_000  # postings touched by one query above which NumPy pays for its import
# In a large corpus (NumPy long imported, postings long), walking postings one by one costs more
# than a dense pass sooner (benchmarks/scale.py: median answer 31-35 ms -> 29-31 ms at 300k claims)
LARGE = 100_000
NUMPY_THRESHOLD_LARGE = 15_000

Alternative = Sequence[tuple[str, float]]
Group = Sequence[Alternative]
Resolved = list[list[list[tuple[int, float]]]]


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


def impacts(
    post_term: Any, post_doc: Any, post_tf: Any, doc_len: Any, terms: list[str], params: dict[str, Any]
) -> dict[str, memoryview[Any]]:
    """Postings (term, unit, tf) -> per-term sorted units and impacts, as typed arrays."""
    import numpy as np

    if params["variant"] not in ("okapi", "plus", "l"):
        raise ValueError(f"unknown BM25 variant {params['variant']!r}")
    n = len(doc_len)
    t = np.frombuffer(post_term, dtype=np.int32)
    df = np.bincount(t, minlength=len(terms))
    present = {term: int(df[i]) for i, term in enumerate(terms) if df[i]}
    idf_map = rank_bm25_idf(present, n, params) if n else {}
    idf = np.array([idf_map.get(term, 0.0) for term in terms], dtype=np.float64)
    lengths = np.frombuffer(doc_len, dtype=np.int32).astype(np.float64)
    avgdl = float(lengths.sum()) / n if n else 1.0
    d = np.frombuffer(post_doc, dtype=np.int32)
    freq = np.frombuffer(post_tf, dtype=np.int32).astype(np.float64)
    k1, b, delta = params["k1"], params["b"], params["delta"]
    norm = 1 - b + b * lengths[d] / (avgdl or 1.0)
    # rank-bm25's get_scores, term by term, restricted to the units that hold the term.
    if params["variant"] == "okapi":
        imps = idf[t] * (freq * (k1 + 1) / (freq + k1 * norm))
        const = np.zeros(len(terms))
    elif params["variant"] == "plus":
        imps = idf[t] * ((freq * (k1 + 1)) / (k1 * norm + freq))
        const = idf * delta
    else:  # "l", as rank-bm25 0.2.2 computes it (tf appears twice, its issue #5)
        ctd = freq / norm
        imps = idf[t] * freq * (k1 + 1) * (ctd + delta) / (k1 + ctd + delta)
        const = np.zeros(len(terms))
    order = np.argsort(t, kind="stable")
    ptr = np.zeros(len(terms) + 1, dtype=np.int64)
    np.cumsum(df, out=ptr[1:])
    return {
        "ptr": memoryview(ptr.tobytes()).cast("q"),
        "docs": memoryview(d[order].astype(np.int32).tobytes()).cast("i"),
        "imps": memoryview(imps[order].tobytes()).cast("d"),
        "const": memoryview(const.astype(np.float64).tobytes()).cast("d"),
    }


@dataclass
class Postings:
    """One level's postings (sentences or paragraphs): units sorted per term, with impacts."""

    n: int
    ptr: Any
    docs: Any
    imps: Any
    const: Any
    _np: dict[str, Any] | None = None

    def df(self, tid: int) -> int:
        return int(self.ptr[tid + 1] - self.ptr[tid]) if tid < len(self.ptr) - 1 else 0

    def holds(self, tid: int, lo: int, hi: int) -> bool:
        """Does a unit numbered in [lo, hi) hold term `tid`? A term's units are sorted: one
        bisection, whatever its document frequency."""
        from bisect import bisect_left

        if tid >= len(self.ptr) - 1:
            return False
        end = self.ptr[tid + 1]
        at = bisect_left(self.docs, lo, self.ptr[tid], end)
        return bool(at < end and self.docs[at] < hi)

    def touched(self, groups: Resolved) -> int:
        return sum(self.df(t) for alts in groups for alt in alts for t, _ in alt)

    def accumulate(self, groups: Resolved) -> tuple[float, dict[int, float]]:
        """Sparse scores: the constant every unit gets, and what each touched unit adds to it.

        A group counts once per unit, with its best alternative; with one single-term alternative
        of weight 1 per group this is exactly rank-bm25's `get_scores`."""
        ptr, docs, imps, consts = self.ptr, self.docs, self.imps, self.const
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
            if len(sparse_by_alt) == 1 and bases[0] == group_base:
                for doc, value in sparse_by_alt[0].items():
                    acc[doc] = acc.get(doc, 0.0) + value
                continue
            if all(w >= 0 and (ptr[t] == ptr[t + 1] or imps[ptr[t]] >= 0) for alt in alts for t, w in alt):
                # no negative impact (a term's impacts share its idf's sign): a unit's best is its
                # best alternative holding a term, or the best constant; the same floats as below
                best: dict[int, float] = {}
                for base, sparse in zip(bases, sparse_by_alt, strict=True):
                    for doc, v in sparse.items():
                        value = base + v
                        if value > best.get(doc, group_base):
                            best[doc] = value
                for doc in set().union(*sparse_by_alt):
                    acc[doc] = acc.get(doc, 0.0) + (best.get(doc, group_base) - group_base)
                continue
            for doc in set().union(*sparse_by_alt):
                # The group's value is its best alternative, whether or not that one holds the term
                # (a negative Okapi idf can make holding a term worse than not holding it).
                value = max(base + sp.get(doc, 0.0) for base, sp in zip(bases, sparse_by_alt, strict=False))
                acc[doc] = acc.get(doc, 0.0) + (value - group_base)
        return total_const, acc

    def arrays(self) -> dict[str, Any]:
        if self._np is None:
            import numpy as np

            self._np = {
                "np": np,
                "ptr": np.frombuffer(self.ptr, dtype=np.int64),
                "docs": np.frombuffer(self.docs, dtype=np.int32),
                "imps": np.frombuffer(self.imps, dtype=np.float64),
                "const": np.frombuffer(self.const, dtype=np.float64),
            }
        return self._np

    def dense(self, groups: Resolved) -> tuple[float, Any, Any]:
        """Dense scores (without the constant) and the mask of touched units, with NumPy."""
        arrays = self.arrays()
        np = arrays["np"]
        ptr, docs, imps, consts = arrays["ptr"], arrays["docs"], arrays["imps"], arrays["const"]
        scores = np.zeros(self.n, dtype=np.float64)
        touched = np.zeros(self.n, dtype=bool)
        total_const = 0.0
        for alts in groups:
            bases = [sum(w * float(consts[t]) for t, w in alt) for alt in alts]
            group_base = max(bases)
            total_const += group_base
            best = np.full(self.n, group_base, dtype=np.float64)
            for alt, base in zip(alts, bases, strict=False):
                dense = np.full(self.n, base, dtype=np.float64)
                for t, w in alt:
                    a, b = int(ptr[t]), int(ptr[t + 1])
                    idx = docs[a:b]
                    dense[idx] += w * imps[a:b]
                    touched[idx] = True
                np.maximum(best, dense, out=best)
            scores += best - group_base
        return total_const, scores, touched


def top_k(items: dict[int, float], k: int) -> list[tuple[int, float]]:
    """Best `k` (unit, score), best first, ties broken by unit order.

    The k-th best score is found on the bare floats (no key to call per unit), then only the
    units at or above it are sorted: the same list as a keyed selection, three times faster."""
    if k <= 0:
        return []
    if len(items) > k:
        kth = heapq.nlargest(k, items.values())[-1]
        items = {d: v for d, v in items.items() if v >= kth}
    return sorted(items.items(), key=lambda item: (-item[1], item[0]))[:k]
