"""Whether the corpus answers the question: the features the answerable model reads (what tells
an answer from a guess), and a corpus made with a domain pack marked apart. `decide.py` turns
their probability into an answer or an abstention."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from gpu_brief.qa.candidates import UNTYPED
from gpu_brief.qa.features import CURATED, NO_BM25, Features
from gpu_brief.qa.kinds import SpanKind
from gpu_brief.qa.scored import bm25_evidence

if TYPE_CHECKING:
    from gpu_brief.qa.engine import Engine
    from gpu_brief.qa.model import Model
    from gpu_brief.qa.scored import Analysis


def answerable_features(analysis: Analysis, model: Model, engine: Engine | None = None) -> Features:
    """What tells an answer from a guess: the chosen passage's and span's scores, how much of the
    question it says (its names and its other words apart), what kinds of answer it holds, and
    what of the question the corpus never mentions."""
    q, stats = analysis.query, analysis.stats
    asked = q.asked.value
    f: Features = {f"asked:{asked}": 1.0, "groups": math.log1p(len(q.groups))}
    if q.lang.value == "en":
        f["english"] = 1.0
    unknown = sum(w for w, u in zip(stats.weights, stats.unknown, strict=True) if u)
    f["unknown_share"] = unknown / stats.total
    anchors = [
        (g, w) for g, w, u in zip(q.groups, stats.weights, stats.unknown, strict=True) if u and g.anchor
    ]
    if anchors:
        f["unknown_anchor"] = 1.0
    # a name the corpus never mentions (a person, a company) is not a number it never gives
    names = [w for g, w in anchors if not g.entity and not any(c.isdigit() for c in g.label)]
    if names:
        f["unknown_name"] = sum(names) / stats.total
    if not analysis.passages:
        f["nothing_found"] = 1.0
        return _by_corpus(f, engine)
    best = analysis.passages[0]
    if not bm25_evidence(analysis.passages):
        f[NO_BM25] = 1.0  # a corpus whose idf say nothing: the trees step aside
    for name in (
        "coverage",
        "coverage_exact",
        "coverage_context",
        "anchor_missing",
        "entities_context",
        "bm25_absolute",
        "proximity",
        "order",
        "bound_together",
        "bound_elsewhere",
    ):
        if name in best.features:
            f[name] = best.features[name]
    f[f"coverage_context:{_bin(best.features.get('coverage_context', 0.0))}"] = 1.0
    f[f"bm25_absolute:{_bin(2 * best.features.get('bm25_absolute', 0.0))}"] = 1.0
    said = best.view.terms | best.view.context
    # ideas of some weight (a type noun the corpus never writes weighs nothing: `query_stats`)
    words = [(g, w) for g, w in zip(q.groups, stats.weights, strict=True) if not g.anchor and w > 0]
    if words:
        total = sum(w for _, w in words)
        f["coverage_words"] = sum(w for g, w in words if g.terms & said) / total
        f[f"asked:{asked}|coverage_words"] = f["coverage_words"]
        f["coverage_words_sentence"] = sum(w for g, w in words if g.terms & best.view.terms) / total
        f[f"coverage_words:{_bin(f['coverage_words'])}"] = 1.0
    else:
        f["no_words"] = 1.0
    f["coverage_best5"] = max(p.features.get("coverage_context", 0.0) for p in analysis.passages[:5])
    f[f"coverage_best5:{_bin(f['coverage_best5'])}"] = 1.0
    for name in ("coverage_paragraph", "bm25_paragraph"):
        f[name] = best.features.get(name, 0.0)
    f["paragraph_absolute"] = best.hit.paragraph / (stats.total * (stats.k1 + 1))
    same = [p for p in analysis.passages[:10] if p.record.source == best.record.source]
    f["same_source"] = len(same) / min(10, len(analysis.passages))
    source_terms = frozenset().union(*(p.view.paragraph for p in same))
    f["coverage_source"] = (
        sum(w for g, w in zip(q.groups, stats.weights, strict=True) if g.terms & source_terms) / stats.total
    )
    f[f"coverage_source:{_bin(f['coverage_source'])}"] = 1.0
    if engine is not None:
        # the article's vocabulary: an answerable question's topic is its article's
        covers = {}
        for p in analysis.passages[:10]:
            if p.record.source not in covers:
                source = p.record.source
                covers[source] = (
                    sum(
                        w
                        for g, w in zip(q.groups, stats.weights, strict=True)
                        if engine.source_says(source, g.terms)
                    )
                    / stats.total
                )
        f["coverage_article"] = covers[best.record.source]
        others = [v for k, v in covers.items() if k != best.record.source]
        f["coverage_article_gap"] = covers[best.record.source] - max(others, default=0.0)
        f[f"coverage_article:{_bin(f['coverage_article'])}"] = 1.0
        # an idea the passage does not say while it says another of its set ("japonais" against
        # "sud-coréen", 2019 against 2027): it speaks of another thing
        rivals = [
            w
            for g, w in zip(q.groups, stats.weights, strict=True)
            if engine.contrasts.rival(g.terms, said, best.view.terms)
        ]
        if rivals:
            f["other_of_set"] = sum(rivals) / stats.total
            f["other_of_set_any"] = 1.0
    _violations(f, analysis, said, model)
    rarest = sorted(zip(q.groups, stats.weights, strict=True), key=lambda gw: -gw[1])[:2]
    f["rarest_missing"] = sum(w for g, w in rarest if not g.terms & said) / (sum(w for _, w in rarest) or 1.0)
    f["passage"] = best.logit
    if len(analysis.passages) > 1:
        f["margin"] = min(5.0, best.joint - analysis.passages[1].joint) if math.isfinite(best.joint) else 0.0
    kinds = {k for c, _, _ in best.spans for k in c.kinds}
    for kind in kinds - UNTYPED:
        f[f"asked:{asked}|has:{kind.value}"] = 1.0
    f["type_fit"] = model.fit(asked, (k.value for k in kinds - {SpanKind.SENTENCE}))
    f[f"asked:{asked}|type_fit"] = f["type_fit"]
    if q.focus is not None:
        if all(u for g, u in zip(q.groups, stats.unknown, strict=True) if g is q.focus):
            f["focus_unknown"] = 1.0
        elif not q.focus.terms & said:
            f["focus_missing"] = 1.0
    chosen = best.linear_span
    if chosen is not None:
        f["span"] = chosen[2]
        f["span_share"] = 1.0 / sum(math.exp(min(50.0, s - chosen[2])) for s in best.span_linear)
        for kind in chosen[0].kinds:
            f[f"asked:{asked}|span:{kind.value}"] = 1.0
        f["span_type_fit"] = model.fit(asked, (k.value for k in chosen[0].kinds))
        if model.verify.weights:
            f["verify"] = max(-10.0, min(10.0, model.verify.score(chosen[1])))
        f[f"asked:{asked}|span_type_fit"] = f["span_type_fit"]
        for name in _SPAN_EVIDENCE:
            if name in chosen[1]:
                f["span_" + name] = chosen[1][name]
        gaps = [k for k in chosen[1] if k.startswith(("typed|gap:", "gap_before:", "gap_after:"))]
        for name in gaps:
            f["span_" + name] = 1.0
    final = best.best_span
    if final is not None:
        # the answer given (the trees' pick): of the kind asked or not ("Who ...?" answered "d'IA")
        f["answer_type_fit"] = model.fit(asked, (k.value for k in final[0].kinds))
        f[f"asked:{asked}|answer_type_fit"] = f["answer_type_fit"]
        if chosen is not None and final[0] is not chosen[0]:
            f["answer_not_linear"] = 1.0
    return _by_corpus(f, engine)


def _by_corpus(f: Features, engine: Engine | None) -> Features:
    """A corpus made with a domain pack (curated names, roles, lexicon) gets its own copy of
    every feature: the model learns what holds for both kinds of corpus and what differs
    (feature augmentation, Daumé III 2007), from the seed set and from PIAF."""
    if engine is None or not engine.index.header.get("domains"):
        return f
    out = dict(f)
    out.update({f"{CURATED}|{k}": v for k, v in f.items()})
    out[CURATED] = 1.0
    return out


# what the chosen candidate's own features say of whether it answers: the question's words and
# names around it, the entity named nearest it, the asked noun inside or just before it
_SPAN_EVIDENCE = (
    "local_groups",
    "local_coverage",
    "local_entities",
    "same_segment",
    "overlap",
    "overlap_all",
    "no_match",
    "nearest_entity_asked",
    "nearest_entity_other",
    "names_role_holder",
    "focus_inside",
    "focus_before",
    "between",
    "left_word_asked",
    "right_word_asked",
    "prep_match",
    "choice_option",
    "counts_asked",
    "counts_all_asked",
    "counts_other",
)

_OPEN = frozenset({"thing", "any", "manner", "reason", "yes_no"})  # asked types any phrase may answer


def _violations(f: Features, analysis: Analysis, said: frozenset[str], model: Model) -> None:
    """What an answer to the question must have and the best passage lacks: an entity the
    question names, a candidate of the kind asked for, a word of what is asked besides names."""
    q, best = analysis.query, analysis.passages[0]
    missing_entity = any(g.entity and not g.terms & said for g in q.groups)
    typed = q.asked.value not in _OPEN
    kinds = {k.value for c, _, _ in best.spans for k in c.kinds - UNTYPED}
    no_type = typed and model.fit(q.asked.value, kinds) < 0.1
    words = [g for g in q.groups if not g.anchor]
    no_word = typed and bool(words) and not any(g.terms & said for g in words)
    # a question offering a choice ("TSMC ou Samsung ?") is answered by one of its options
    options = [g for g in q.groups if g.choice]
    no_option = bool(options) and not any(g.terms & said for g in options)
    flags = {
        "violates:entity": missing_entity,
        "violates:type": no_type,
        "violates:words": no_word,
        "violates:choice": no_option,
    }
    for name, on in flags.items():
        if on:
            f[name] = 1.0
    f[f"violations:{sum(flags.values())}"] = 1.0


def _bin(value: float) -> str:
    return str(min(4, max(0, int(value * 5))))
