"""One article -> source record, claims with entities, figures and antecedents, as a unit.

Runs in ingest's worker processes, a batch of files at a time: every heading and sentence of the
batch goes through the NER model in one `nlp.pipe` stream, then each file's mentions are merged
with the gazetteer's (`mentions.merge`). Plain dicts throughout: cheap to pass between processes.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gpu_brief.antecedents import antecedents
from gpu_brief.entities import EntityDef, EntityMatcher, Found, candidate_names
from gpu_brief.figures import FoundFigure, column_units, find_figures
from gpu_brief.mentions import _NOT_NAMES, merge
from gpu_brief.segment import Segmentation, segment
from gpu_brief.text import fold, iter_words

if TYPE_CHECKING:
    from gpu_brief.ner import NerSpan
    from gpu_brief.text import Analyzer
    from gpu_brief.units import Unit

Job = tuple[str, str, str, int]  # file name, path, tag, max bytes
_CAPITAL_WORD = re.compile(r"(?<![^\W\d_])[A-ZÀ-ÖØ-Þ]")


@dataclass
class Article:
    """What analysing one file gives besides its unit's YAML: candidates and lowercase words."""

    source: dict[str, Any]
    claims: list[dict[str, Any]]
    candidates: list[str] = field(default_factory=list)
    lowercase: set[str] = field(default_factory=set)


def may_hold_a_name(text: str) -> bool:
    """False for a sentence whose only capital opens it on an ordinary word ("Il", "Selon"):
    NER is not run on it (a name holds a capital)."""
    capitals = [m.start() for m in _CAPITAL_WORD.finditer(text)]
    if not capitals:
        return False
    if len(capitals) > 1 or text[: capitals[0]].strip(" \t\"'«“(-–—"):
        return True
    first = re.match(r"[^\W_]+", text[capitals[0] :])
    return first is None or fold(first.group()) not in _NOT_NAMES


def _mention(base: int, text: str, f: Found) -> dict[str, Any]:
    return {
        "start": base + f.start,
        "end": base + f.end,
        "name": f.name,
        "type": f.type,
        "text": text[f.start : f.end],
        "role": f.role,
    }


def analyse_text(
    name: str,
    data: bytes,
    text: str,
    matcher: EntityMatcher,
    tag: str,
    ner: Sequence[Sequence[NerSpan]] | None = None,
    seg: Segmentation | None = None,
) -> Article:
    """Source record and claim records of one article, with its name candidates.

    `ner` holds the NER spans of each heading, then each sentence (`pieces`); without it only
    the gazetteer finds entities.
    """
    seg = seg if seg is not None else segment(text)
    spans = [(h.start, h.end) for h in seg.headings] + [(s.start, s.end) for s in seg.sentences]
    texts = [text[a:b] for a, b in spans]
    lowercase = {w.lower() for piece in texts for w, _, _ in iter_words(piece) if w[:1].islower()}
    gazetteer = [matcher.find(piece) for piece in texts]
    n_head = len(seg.headings)
    numbers: list[list[FoundFigure]] = [[] for _ in seg.headings]
    numbers += [
        column_units(
            find_figures(piece), piece, text[h.start : h.end] if (h := seg.columns.get(span[0])) else ""
        )
        for piece, span in zip(texts[n_head:], spans[n_head:], strict=True)
    ]
    if ner is not None:  # "520 000 $ US": a name inside a figure is part of the figure
        # a table's header row names its columns ("Part du capital | Montant (€)"), no entity
        columns = {h.start for h in seg.columns.values()}
        ner = [[] if i < n_head and spans[i][0] in columns else list(found) for i, found in enumerate(ner)]
        figure_spans = [[(f.start, f.end) for f in figs] for figs in numbers]
        found = merge(texts, gazetteer, ner, lowercase, figure_spans)
    else:
        found = gazetteer
    headings = [
        {
            "start": h.start,
            "end": h.end,
            "line": h.line,
            "text": texts[i],
            "entities": [_mention(h.start, texts[i], f) for f in found[i]],
        }
        for i, h in enumerate(seg.headings)
    ]
    skipped = [
        {"start": k.start, "end": k.end, "line": k.line, "reason": k.reason, "text": text[k.start : k.end]}
        for k in seg.skipped
    ]
    claims: list[dict[str, Any]] = []
    candidates: list[str] = []
    for n, span in enumerate(seg.sentences, start=1):
        sentence = texts[n_head + n - 1]
        mentions = [_mention(span.start, sentence, f) for f in found[n_head + n - 1]]
        figures = [
            {
                "start": span.start + f.start,
                "end": span.start + f.end,
                "text": f.text,
                "kind": f.kind,
                "value": f.value,
                "value_max": f.value_max,
                "unit": f.unit,
                "counts": f.counts,
                "per": f.per,
                "qualifier": f.qualifier,
                **({"column": f.column} if f.column else {}),
            }
            for f in numbers[n_head + n - 1]
        ]
        claims.append(
            {
                "id": f"{tag}-{n}",
                "source": name,
                "line": span.line,
                "start": span.start,
                "end": span.end,
                "text": sentence,
                "entities": mentions,
                "figures": figures,
            }
        )
        known = [(m["start"] - span.start, m["end"] - span.start) for m in mentions if not m["role"]]
        candidates += [cand for cand, _, _ in candidate_names(sentence, known, set())]
    for claim, refs in zip(claims, antecedents(claims), strict=True):
        claim["antecedents"] = [
            {
                "start": a.start,
                "end": a.end,
                "name": a.name,
                "claim": a.claim,
                "text": a.text,
                "pronoun_start": a.pronoun_start,
                "pronoun_end": a.pronoun_end,
            }
            for a in refs
        ]
    source = {
        "file": name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "title": text[seg.title.start : seg.title.end] if seg.title else None,
        "url": seg.url,
        "chars": len(text),
        "lines": text.count("\n") + (0 if text.endswith("\n") else 1),
        "claims": len(claims),
        "headings": headings,
        "skipped": skipped,
    }
    return Article(source, claims, candidates, lowercase)


# --- in a worker process ---------------------------------------------------------------------

_WORKER: tuple[EntityMatcher, Analyzer, bool] | None = None


def worker_init(entities: list[EntityDef], use_ner: bool = True) -> None:
    """Once per process: the gazetteer matcher, the analyzer and (when used) the NER model."""
    global _WORKER
    from gpu_brief.text import Analyzer

    _WORKER = (EntityMatcher(entities), Analyzer(), use_ner)


def analyse_batch(jobs: Sequence[Job]) -> list[tuple[str, Any]]:
    """Read and analyse a batch of files: for each, ("ok", unit) or ("problem", why it was
    skipped). NER runs over the whole batch's sentences at once."""
    from gpu_brief.folder import SourceProblem, read_source

    assert _WORKER is not None
    matcher, analyzer, use_ner = _WORKER
    read: list[tuple[Job, bytes, str, Segmentation] | str] = []
    pieces: list[str] = []
    for job in jobs:
        try:
            data, text = read_source(Path(job[1]), job[0], job[3])
        except SourceProblem as exc:
            read.append(str(exc))
            continue
        seg = segment(text)
        read.append((job, data, text, seg))
        pieces += [text[h.start : h.end] for h in seg.headings]
        pieces += [text[s.start : s.end] for s in seg.sentences]
    spans = _recognise(pieces) if use_ner else None
    out: list[tuple[str, Any]] = []
    at = 0
    for item in read:
        if isinstance(item, str):
            out.append(("problem", item))
            continue
        (name, _, tag, _), data, text, seg = item
        count = len(seg.headings) + len(seg.sentences)
        ner = spans[at : at + count] if spans is not None else None
        at += count
        article = analyse_text(name, data, text, matcher, tag, ner, seg)
        out.append(("ok", make_article_unit(article, analyzer, matcher.entities.keys())))
    return out


def _recognise(pieces: list[str]) -> list[list[NerSpan]]:
    """NER spans of each piece, offsets into the piece: the model reads only the windows around
    its capitalised words (`ner.windows`), and nothing of a piece that cannot hold a name."""
    from gpu_brief.ner import NerSpan, recognise, windows

    parts = [(i, a, b) for i, piece in enumerate(pieces) if may_hold_a_name(piece) for a, b in windows(piece)]
    spans: list[list[NerSpan]] = [[] for _ in pieces]
    # a table's cell bars read as commas: no name runs across a cell ("Stölzner Glas | 95")
    texts = [pieces[i][a:b].replace("|", ",") for i, a, b in parts]
    for (i, a, _), found in zip(parts, recognise(texts), strict=True):
        spans[i] += [NerSpan(a + s.start, a + s.end, s.type) for s in found]
    return spans


def make_article_unit(article: Article, analyzer: Analyzer, gazetteer: Container[str]) -> Unit:
    """The unit of an analysed article, with its entities and candidates recorded in it; only
    the gazetteer's entities get entity terms."""
    from gpu_brief.units import make_unit, record_found

    unit = make_unit(article.source, article.claims, analyzer, searchable=gazetteer)
    unit.meta["report"] = {
        "headings": len(article.source["headings"]),
        "skipped": dict(Counter(k["reason"] for k in article.source["skipped"])),
    }
    record_found(unit, article.source, article.claims, article.candidates, article.lowercase)
    return unit
