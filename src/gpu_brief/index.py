"""The search index: claim records, and BM25 postings over sentences and their paragraphs.

A sentence is scored with its own BM25 and with its paragraph's (`paragraph_weight` times the
paragraph's score, the paragraph being all its sentences as one unit), so a sentence that says
"il" about the paragraph's subject is found (measured on PIAF and the seed questions: README).
Both levels use rank-bm25's formulas (`bm25.py`; a test compares the scores). Loading needs
neither YAML nor Pydantic nor NumPy: the cache is a JSON header and typed arrays read through
`memoryview`. NumPy is imported only when a query touches many postings.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gpu_brief import bm25
from gpu_brief.bm25 import Group, Postings, Resolved, top_k
from gpu_brief.errors import ClaimsFileError
from gpu_brief.versions import INDEX_VERSION as INDEX_VERSION

if TYPE_CHECKING:
    from gpu_brief.units import Unit

MAGIC = b"GPUBRIEF-INDEX\n"

# BM25Plus as rank-bm25 computes it; b 0.4 for sentences and paragraphs, and a paragraph's score
# counted once beside its sentence's: chosen on PIAF dev and the seed dev set (README, "Retrieval").
DEFAULT_PARAMS: dict[str, Any] = {
    "variant": "okapi",
    "k1": 1.2,
    "b": 0.4,
    "delta": 1.0,
    "epsilon": 0.25,
    "paragraph_b": 0.4,
    "paragraph_weight": 1.0,
}


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


@dataclass(frozen=True, slots=True)
class Hit:
    """A retrieved claim: its BM25 score, its paragraph's, and what ranks it (their sum)."""

    doc: int
    score: float  # sentence + paragraph_weight * paragraph, constants included (rank-bm25's scale)
    sentence: float  # the sentence's BM25 above the per-query constant
    paragraph: float  # its paragraph's BM25 above the per-query constant


# --- building --------------------------------------------------------------------------------


def _stat(path: Path, sha256: str | None) -> list[int] | None:
    """Size and mtime of a source when the index was built, if it still had the sha256 ingest
    recorded then: `stale_sources` trusts a source whose stat has not moved, so one edited
    before a cold-cache build must get none (and be hashed, and left out, on every question)."""
    from gpu_brief.store import read_regular, sha256_bytes

    try:
        st = path.stat()
        if sha256_bytes(read_regular(path)) != sha256:
            return None
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def rank_bm25_idf(df: dict[str, int], n_docs: int, params: dict[str, Any]) -> dict[str, float]:
    """Idf exactly as rank-bm25 computes it (kept here for callers of the index module)."""
    return bm25.rank_bm25_idf(df, n_docs, params)


def _line_of(record: str) -> int:
    """The line of a claim record (`["id",start,end,line,...`) without decoding the whole JSON."""
    return int(record.split(",", 4)[3])


def build(
    units: Sequence[Unit],
    catalog: list[dict[str, Any]],
    root: Path,
    lexicon: dict[str, Any],
    params: dict[str, Any] | None = None,
) -> SearchIndex:
    """Index every claim of every unit, and every paragraph (a source's line) as one unit."""
    from array import array
    from collections import Counter

    import numpy as np

    from gpu_brief.qa.lexicon import pack_lexicon

    p = {**DEFAULT_PARAMS, **(params or {})}
    term_ids: dict[str, int] = {}
    post_term, post_doc, post_tf, doc_len = array("i"), array("i"), array("i"), array("i")
    par_term, par_doc, par_tf, par_len = array("i"), array("i"), array("i"), array("i")
    par_of, par_first = array("i"), array("i")
    doc = 0
    for unit in units:
        paragraph: Counter[str] = Counter()
        last_line = None
        for joined, record in zip(unit.terms, unit.records, strict=True):
            line = _line_of(record)
            if line != last_line:
                if last_line is not None:
                    _add_unit(paragraph, term_ids, par_term, par_doc, par_tf, par_len)
                paragraph = Counter()
                par_first.append(doc)
                last_line = line
            counts = Counter(joined.split()) if joined else Counter()
            paragraph.update(counts)
            par_of.append(len(par_first) - 1)
            _add_unit(counts, term_ids, post_term, post_doc, post_tf, doc_len)
            doc += 1
        if last_line is not None:
            _add_unit(paragraph, term_ids, par_term, par_doc, par_tf, par_len)
    if doc == 0:
        raise ClaimsFileError("the claims file holds no claims: nothing to search")
    par_first.append(doc)
    terms = list(term_ids)
    sentence_params = {k: p[k] for k in ("variant", "k1", "b", "delta", "epsilon")}
    paragraph_params = {**sentence_params, "b": p["paragraph_b"]}
    sections: dict[str, Any] = dict(
        bm25.impacts(post_term, post_doc, post_tf, doc_len, terms, sentence_params)
    )
    for name, value in bm25.impacts(par_term, par_doc, par_tf, par_len, terms, paragraph_params).items():
        sections["p_" + name] = value
    surface: dict[str, str] = {}
    for unit in units:
        for pair in unit.surface.splitlines():
            word, _, term = pair.partition("\t")
            surface.setdefault(word, term)
    rec_src = array("i", (i for i, unit in enumerate(units) for _ in unit.records))
    header = {
        "version": INDEX_VERSION,
        "params": p,
        "n_claims": doc,
        "n_paragraphs": len(par_first) - 1,
        "root": str(root),
        "sources": [
            {**unit.meta, "stat": _stat(root / unit.file, unit.meta.get("sha256"))} for unit in units
        ],
        "catalog": catalog,
        "lexicon": pack_lexicon(lexicon),
    }
    sections.update(
        {
            "terms": terms,
            "rec_src": memoryview(rec_src.tobytes()).cast("i"),
            "par_of": memoryview(par_of.tobytes()).cast("i"),
            "par_first": memoryview(par_first.tobytes()).cast("i"),
            "surface": surface,
        }
    )
    encoded = [r.encode("utf-8") for unit in units for r in unit.records]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(r) + 1 for r in encoded], out=offsets[1:])
    sections["rec_ptr"] = memoryview(offsets.tobytes()).cast("q")
    sections["records"] = b"\n".join(encoded) + b"\n"
    del encoded
    return SearchIndex(header, sections)


def _add_unit(counts: Any, term_ids: dict[str, int], terms: Any, docs: Any, tfs: Any, lengths: Any) -> None:
    n = len(lengths)
    lengths.append(sum(counts.values()))
    for term, tf in counts.items():
        terms.append(term_ids.setdefault(term, len(term_ids)))
        docs.append(n)
        tfs.append(tf)


# --- the index -------------------------------------------------------------------------------


class SearchIndex:
    """Postings with precomputed BM25 impacts, claim records, and the analyzer's state."""

    def __init__(self, header: dict[str, Any], sections: dict[str, Any]) -> None:
        self.header = header
        self.n_claims: int = header["n_claims"]
        self.n_paragraphs: int = header["n_paragraphs"]
        self._terms: list[str] = sections["terms"]
        self.term_ids: dict[str, int] = {t: i for i, t in enumerate(self._terms)}
        self.sentences = Postings(
            self.n_claims, sections["ptr"], sections["docs"], sections["imps"], sections["const"]
        )
        self.paragraphs = Postings(
            self.n_paragraphs, sections["p_ptr"], sections["p_docs"], sections["p_imps"], sections["p_const"]
        )
        self._par_of = sections["par_of"]
        self._par_first = sections["par_first"]
        self._rec_ptr = sections["rec_ptr"]
        self._rec_src = sections["rec_src"]
        self._records = sections["records"]
        self.surface: dict[str, str] = sections["surface"]
        self._hyphen_parts: dict[str, tuple[str, ...]] | None = None
        self._sha256: dict[str, str] | None = None
        self._sections = sections
        # JSON of the entities NER found, kept as bytes: browsing decodes it, questions need not
        self.found_entities: bytes | memoryview = sections.get("found_entities", b"[]")

    # -- statistics used by answering --

    @property
    def sources(self) -> list[dict[str, Any]]:
        return list(self.header["sources"])

    def source_sha256(self, file: str) -> str | None:
        """The sha256 recorded at ingest for one source: looked up, since every answer's
        citations are checked and a corpus can hold ten thousand sources."""
        if self._sha256 is None:
            self._sha256 = {s["file"]: s["sha256"] for s in self.header["sources"]}
        return self._sha256.get(file)

    @property
    def params(self) -> dict[str, Any]:
        return {**DEFAULT_PARAMS, **self.header["params"]}

    def hyphen_parts(self) -> dict[str, tuple[str, ...]]:
        """Each word of a hyphenated term ("mirabel" of "mirabel-aux-baronnies", 3 letters at
        least) and the terms it is part of: worked out once, when a question first needs it."""
        if self._hyphen_parts is None:
            parts: dict[str, list[str]] = {}
            for term in self._terms:
                if "-" in term and ":" not in term:
                    for piece in dict.fromkeys(term.split("-")):
                        if len(piece) >= 3 and piece.isalpha():
                            parts.setdefault(piece, []).append(term)
            self._hyphen_parts = {k: tuple(v) for k, v in parts.items()}
        return self._hyphen_parts

    def df(self, term: str) -> int:
        tid = self.term_ids.get(term)
        return 0 if tid is None else self.sentences.df(tid)

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

    def paragraph(self, i: int) -> range:
        """The claims of claim i's paragraph (claims are stored in text order)."""
        p = self._par_of[i]
        return range(self._par_first[p], self._par_first[p + 1])

    # -- scoring --

    def resolve(self, groups: Sequence[Group]) -> Resolved:
        """Groups of (term, weight) alternatives as term ids; unknown terms dropped."""
        resolved: Resolved = []
        for group in groups:
            alts = []
            for alt in group:
                ids = [(tid, w) for term, w in alt if (tid := self.term_ids.get(term)) is not None]
                if ids:
                    alts.append(ids)
            if alts:
                resolved.append(alts)
        return resolved

    def search(
        self,
        groups: Sequence[Group],
        k: int = 10,
        doc_range: tuple[int, int] | None = None,
        paragraph_weight: float | None = None,
    ) -> list[Hit]:
        """Best `k` claims, best first, ties broken by claim order.

        A group is one idea of the question given as alternatives - the word, its translations,
        its synonyms - each a list of (term, weight). A group counts once per claim, with its best
        alternative: a claim saying both "pénurie" and "manque" is not rewarded twice for one
        idea, while a multi-word translation ("centre de données") counts all its words. A claim
        ranks by its own score plus `paragraph_weight` times its paragraph's; a claim sharing no
        word with the question is found through its paragraph. `doc_range` keeps only claims
        whose index is in [start, end) (one source's claims).
        """
        weight = self.params["paragraph_weight"] if paragraph_weight is None else paragraph_weight
        resolved = self.resolve(groups)
        if not resolved:
            return []
        touched = self.sentences.touched(resolved) + self.paragraphs.touched(resolved)
        if touched > bm25.NUMPY_THRESHOLD or (
            self.n_claims >= bm25.LARGE and touched > bm25.NUMPY_THRESHOLD_LARGE
        ):
            return self._search_numpy(resolved, k, doc_range, weight)
        s_const, s_acc = self.sentences.accumulate(resolved)
        p_const, p_acc = self.paragraphs.accumulate(resolved) if weight else (0.0, {})
        combined = {d: v + weight * p_acc.get(self._par_of[d], 0.0) for d, v in s_acc.items()}
        for p, _ in top_k(p_acc, k):
            for d in range(self._par_first[p], self._par_first[p + 1]):
                if d not in combined:
                    combined[d] = weight * p_acc[p]
        if doc_range is not None:
            lo, hi = doc_range
            combined = {d: v for d, v in combined.items() if lo <= d < hi}
        const = s_const + weight * p_const
        return [
            Hit(d, const + v, s_acc.get(d, 0.0), p_acc.get(self._par_of[d], 0.0))
            for d, v in top_k(combined, k)
        ]

    def _search_numpy(
        self, resolved: Resolved, k: int, doc_range: tuple[int, int] | None, weight: float
    ) -> list[Hit]:
        np = self.sentences.arrays()["np"]
        s_const, s_scores, s_touched = self.sentences.dense(resolved)
        if weight:
            p_const, p_scores, p_touched = self.paragraphs.dense(resolved)
            par_of = np.frombuffer(self._par_of, dtype=np.int32)
            p_claim = p_scores[par_of]
            combined = s_scores + weight * p_claim
            touched = s_touched | p_touched[par_of]
        else:
            p_const, p_claim, combined, touched = 0.0, np.zeros(self.n_claims), s_scores, s_touched
        if doc_range is not None:
            touched[: doc_range[0]] = False
            touched[doc_range[1] :] = False
        candidates = np.flatnonzero(touched)
        if candidates.size == 0:
            return []
        cand_scores = combined[candidates]
        if candidates.size > k:
            part = np.argpartition(-cand_scores, k - 1)[:k]
            kth = cand_scores[part].min()
            keep = np.flatnonzero(cand_scores >= kth)  # every tie at the cut, for a stable order
            candidates, cand_scores = candidates[keep], cand_scores[keep]
        order = np.lexsort((candidates, -cand_scores))[:k]
        const = s_const + weight * p_const
        return [
            Hit(int(d), const + float(combined[d]), float(s_scores[d]), float(p_claim[d]))
            for d in candidates[order]
        ]

    def scores(self, query: Sequence[str]) -> list[float]:
        """Dense sentence scores of every claim for a plain term list (as rank-bm25's get_scores)."""
        return _dense(self.sentences, self.resolve([[[(t, 1.0)]] for t in query]), self.n_claims)

    def paragraph_scores(self, query: Sequence[str]) -> list[float]:
        """Dense scores of every paragraph for a plain term list (as rank-bm25's get_scores)."""
        return _dense(self.paragraphs, self.resolve([[[(t, 1.0)]] for t in query]), self.n_paragraphs)

    # -- persistence --

    def save(self) -> Iterator[bytes]:
        """The index as pieces of bytes: MAGIC, header length, JSON header, then 8-byte aligned
        sections (written one after the other: a 250 MB index is never copied whole)."""
        header, lexicon_blobs = _lexicon_apart(self.header)
        blobs: dict[str, Any] = {
            "terms": "\n".join(self._terms).encode("utf-8"),
            **{name: self._sections[name] for name in _ARRAYS},
            "records": self._records,
            "surface": json.dumps(self.surface, ensure_ascii=False, sort_keys=True).encode("utf-8"),
            "found_entities": self.found_entities,
            **lexicon_blobs,
        }
        layout: dict[str, list[int]] = {}
        offset = 0
        for name, blob in blobs.items():
            size = memoryview(blob).nbytes
            layout[name] = [offset, size]
            offset += (size + 7) // 8 * 8
        header_bytes = json.dumps({**header, "layout": layout}, ensure_ascii=False).encode("utf-8")
        head = MAGIC + struct.pack("<Q", len(header_bytes)) + header_bytes
        yield head + b"\0" * ((-len(head)) % 8)
        for blob in blobs.values():
            view = memoryview(blob).cast("B")
            yield bytes(view)
            yield b"\0" * ((-view.nbytes) % 8)

    @classmethod
    def load(cls, data: bytes | memoryview) -> SearchIndex:
        """Read what `save` wrote; raises ValueError on anything else, cut or damaged (the caller
        rebuilds). The cache layer checks a CRC first; this also bounds every section."""
        view = memoryview(data).cast("B")
        if bytes(view[: len(MAGIC)]) != MAGIC:
            raise ValueError("not a gpu-brief index")
        try:
            (length,) = struct.unpack_from("<Q", view, len(MAGIC))
            start = len(MAGIC) + 8
            header = json.loads(bytes(view[start : start + length]))
            if header.get("version") != INDEX_VERSION:
                raise ValueError("index made by another version")
            base = start + length
            base += (-base) % 8

            def part(name: str) -> memoryview:
                offset, size = header["layout"][name]
                if min(offset, size) < 0 or base + offset + size > view.nbytes:
                    raise ValueError("index is cut short")
                return view[base + offset : base + offset + size]

            terms_blob = bytes(part("terms")).decode("utf-8")
            sections: dict[str, Any] = {
                "terms": terms_blob.split("\n") if terms_blob else [],
                **{name: part(name).cast(kind) for name, kind in _ARRAYS.items()},  # type: ignore[call-overload]
                "records": part("records"),
                "surface": json.loads(bytes(part("surface"))),
                "found_entities": part("found_entities"),
            }
            terms = len(sections["terms"])
            if len(sections["ptr"]) != terms + 1 or len(sections["p_ptr"]) != terms + 1:
                raise ValueError("index is damaged")
            for name, table in (header.get("lexicon") or {}).items():
                if isinstance(table, dict):
                    for key in _LEXICON_PARTS:
                        table[key] = bytes(part(f"lexicon:{name}:{key}")).decode("utf-8")
            return cls(header, sections)
        except (struct.error, KeyError, TypeError, AttributeError, IndexError) as exc:
            raise ValueError(f"index is damaged: {exc}") from None


# The lexicon's tables (`qa/lexicon.py: pack_lexicon`) are kept as sections, not in the JSON
# header: their JSON-in-JSON values made the header 676 KB of escapes, 4 ms to parse at every
# question; as sections they are one UTF-8 decode each.
_LEXICON_PARTS = ("keys", "values", "key_at", "value_at")


def _lexicon_apart(header: dict[str, Any]) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The header without the lexicon tables' strings, and those strings as sections."""
    lexicon = header.get("lexicon")
    if not isinstance(lexicon, dict):
        return header, {}
    kept: dict[str, Any] = {}
    blobs: dict[str, bytes] = {}
    for name, table in lexicon.items():
        if isinstance(table, dict) and all(key in table for key in _LEXICON_PARTS):
            kept[name] = {k: v for k, v in table.items() if k not in _LEXICON_PARTS}
            for key in _LEXICON_PARTS:
                blobs[f"lexicon:{name}:{key}"] = str(table[key]).encode("utf-8")
        else:
            kept[name] = table
    return {**header, "lexicon": kept}, blobs


# Typed arrays of the cache, by section name and `memoryview` format.
_ARRAYS = {
    "ptr": "q",
    "docs": "i",
    "imps": "d",
    "const": "d",
    "p_ptr": "q",
    "p_docs": "i",
    "p_imps": "d",
    "p_const": "d",
    "rec_ptr": "q",
    "rec_src": "i",
    "par_of": "i",
    "par_first": "i",
}


def _dense(postings: Postings, resolved: Resolved, n: int) -> list[float]:
    const, acc = postings.accumulate(resolved)
    return [const + acc.get(i, 0.0) for i in range(n)]
