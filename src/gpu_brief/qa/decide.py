"""The decisions' end: whether to answer (calibrated probability), the answer span, the citations,
what corroborates them, and a reason a user can read when the tool abstains."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

from gpu_brief.entities import is_slug
from gpu_brief.qa.candidates import UNTYPED
from gpu_brief.qa.features import CURATED, Features, top_features
from gpu_brief.qa.kinds import SpanKind
from gpu_brief.qa.result import Answer, Citation, Contribution, Explanation
from gpu_brief.wording import ABSTAIN_TEXT

if TYPE_CHECKING:
    from gpu_brief.qa.engine import Engine
    from gpu_brief.qa.model import Linear, Model
    from gpu_brief.qa.scored import Analysis, Scored
    from gpu_brief.qa.trees import Trees


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
    words = [(g, w) for g, w in zip(q.groups, stats.weights, strict=True) if not g.anchor]
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
    "counts_other",
)

TREES_PART = "trees"  # the passage or span trees' correction, in --explain

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


def reason(analysis: Analysis, left_out: Iterable[str] = ()) -> tuple[str, list[str]]:
    """Why it abstains, in words (`gpu_brief.wording`), and the ideas no claim of the corpus
    says (only those: the others are there, just not together); `left_out`: the sources not
    searched (changed since ingest), which may well say it."""
    from gpu_brief.wording import abstention_reason

    q, stats = analysis.query, analysis.stats
    never = [g.label for g, u in zip(q.groups, stats.unknown, strict=True) if u]
    skipped = sorted(left_out)
    if not analysis.passages:
        return abstention_reason(
            any_passage=False, found=[], ideas=0, never=never, missing=[], kind_missing=None,
            source=analysis.source, left_out=skipped,
        ), never  # fmt: skip
    best = analysis.passages[0]
    said = best.view.terms | best.view.context
    found = [g.label for g in q.groups if g.terms & said]
    missing = [g.label for g in q.groups if not g.terms & said and g.label not in never]
    kind_missing = q.asked.value if best.fits is False else None
    text = abstention_reason(
        any_passage=True,
        found=found,
        ideas=len(q.groups),
        never=never,
        missing=missing,
        kind_missing=kind_missing,
        left_out=skipped,
    )
    return text, never


def answer_from(engine: Engine, analysis: Analysis, top: int, explain: bool) -> Answer:
    q = analysis.query
    model = engine.model
    features = answerable_features(analysis, model, engine)
    probability = model.probability(features)
    cites = [_citation(engine, q.terms, p, rank) for rank, p in enumerate(analysis.passages)]
    _ordered_scores(analysis, cites)
    explanation = None
    threshold = model.threshold_for(features)
    unfit = bool(analysis.passages) and analysis.passages[0].fits is False
    abstains = not analysis.passages or probability < threshold or unfit or analysis.stale is not None
    if explain:
        best = analysis.passages[0] if analysis.passages else None
        chosen = best.best_span if best else None
        explanation = Explanation(
            passage=_tree_parts(best.features, best.logit, model.passage, model.passage_trees)
            if best
            else [],
            span=_tree_parts(chosen[1], chosen[2], model.span, model.span_trees) if chosen else [],
            answerable=_tree_parts(
                features, model.answerable_score(features), model.answerable, model.answerable_trees
            ),
            probability=probability,
            threshold=threshold,
            asked=q.asked.value,
            cue=q.cue.value,
            ideas=[f"{g.label} ({w:.1f})" for g, w in zip(q.groups, analysis.stats.weights, strict=True)],
            answered=not abstains,
            kind_missing=q.asked.value if unfit else None,
            nothing_found=not analysis.passages,
        )
    if abstains:
        why, missing = reason(analysis, engine.left_out)
        if analysis.stale is not None:
            from gpu_brief.wording import stale_reason

            why = stale_reason(analysis.stale, engine.why_left_out.get(analysis.stale))
        return Answer(
            q.text, q.lang.value, q.asked.value, ABSTAIN_TEXT, True, [], missing, why,
            probability=probability, explanation=explanation,
        )  # fmt: skip
    best = analysis.passages[0]
    first = cites[0]
    chosen = best.best_span
    text = best.record.text
    start, end = _trim(text, *((chosen[0].start, chosen[0].end) if chosen is not None else (0, len(text))))
    first.answer_span = (best.record.start + start, best.record.start + end)
    answer, answer_span = text[start:end], first.answer_span
    _corroborate(analysis, cites)
    shown = cites[:top]
    refers = chosen[0].refers if chosen is not None else None
    context = _antecedent(engine, best, refers is not None)
    if (
        context is not None
        and refers is not None
        and context.record.id == best.record.antecedents[refers]["claim"]
    ):
        # "ce dernier" answers for the person the sentence before names: that name is the
        # answer, a slice of the earlier claim, cited with it
        a = best.record.antecedents[refers]
        answer, answer_span = (
            context.record.text[a["start"] - context.record.start : a["end"] - context.record.start],
            (a["start"], a["end"]),
        )
        context.answer_span = answer_span
        first.answer_span = None  # it says "ce dernier", not the answer: no slice of it is one
        # the claim holding the answer comes first (a briefing's footnote quotes it; `verify`
        # checks the answer is in it), the "ce dernier" claim right after
        context.relevance = first.relevance
        rest = [c for c in shown[1:] if c.record.index != context.record.index]
        shown = [context, first, *rest][: max(top, 2)]
    elif context is not None and top > 1 and all(c.record.index != context.record.index for c in shown[:1]):
        shown = [first, context, *(c for c in shown[1:] if c.record.index != context.record.index)][:top]
    return Answer(
        q.text, q.lang.value, q.asked.value, answer, False, shown,
        answer_source=best.record.source, answer_start=answer_span[0], answer_end=answer_span[1],
        probability=probability, explanation=explanation,
    )  # fmt: skip


def _ordered_scores(analysis: Analysis, cites: list[Citation]) -> None:
    """Each citation's score is what orders it: the joint score for the first passages, whose
    candidates were scored; below the lowest of those, the others by their passage model score
    (the gap to the lowest scored passage's, subtracted)."""
    head = [(c, p) for c, p in zip(cites, analysis.passages, strict=True) if math.isfinite(p.joint)]
    if not head:
        return
    floor = min(c.relevance for c, _ in head)
    lowest = min(p.logit for _, p in head)
    for c, p in zip(cites, analysis.passages, strict=True):
        if not math.isfinite(p.joint):
            c.relevance = floor - max(0.0, lowest - p.logit) - 1e-6


_EDGES = " ,;:"  # what a clause cut after its marker may start or end with ("En effet, ...")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The answer without the comma or space its cut left at either edge (still a slice; a span
    of nothing else is kept as it is)."""
    first, last = start, end
    while first < last and text[first] in _EDGES:
        first += 1
    while last > first and text[last - 1] in _EDGES:
        last -= 1
    return (first, last) if first < last else (start, end)


def _tree_parts(features: Features, final: float, linear: Linear, trees: Trees) -> list[Contribution]:
    """The linear model's largest contributions, and what the trees added to its score (their
    splits combine features, so they are shown as one part): for a passage and for a span."""
    parts = _parts(features, linear.weights)
    added = final - linear.score(features)
    if trees and abs(added) > 1e-9:
        parts.append(Contribution(TREES_PART, 1.0, added))
    return sorted(parts, key=lambda c: -abs(c.contribution))[:8]


def _parts(features: Features, weights: dict[str, float]) -> list[Contribution]:
    return [Contribution(name, features[name], c) for name, c in top_features(features, weights, 8)]


def _citation(engine: Engine, terms: frozenset[str], p: Scored, rank: int) -> Citation:
    r = p.record
    highlights = [(r.start + t.start, r.start + t.end) for t in p.tokens if t.term in terms]
    relevance = p.joint if math.isfinite(p.joint) else p.logit
    return Citation(r, p.hit.score, p.view.rank, p.features.get("coverage", 0.0), highlights, None, relevance)


def _antecedent(engine: Engine, best: Scored, needed: bool = False) -> Citation | None:
    """The claim that names who "il" or "ce dernier" is, when the answer's claim speaks of an
    entity of the question only that way: both are cited. Ingest records that antecedent (the
    entity and its mention in the earlier claim); a claim opening on another anaphor ("l'entreprise")
    is read with the sentence before it."""
    f = best.features
    if not needed and f.get("entities_named", 1.0) >= f.get("entities_context", 0.0):
        return None
    i = best.record.index
    earlier = {a["claim"] for a in best.record.antecedents}
    for j in range(i - 1, max(-1, i - 6), -1) if earlier else ():
        record = engine.index.record(j)
        if record.id in earlier:
            return Citation(record, 0.0, -1, 0.0, [], None, best.logit, context_of=best.record.id)
    if not best.view.anaphoric or i == 0 or engine.index.paragraph(i).start == i:
        return None
    record = engine.index.record(i - 1)
    return Citation(record, 0.0, -1, 0.0, [], None, best.logit, context_of=best.record.id)


def _corroborate(analysis: Analysis, cites: list[Citation]) -> None:
    """Other sources that say the same figure or the same thing ("also in"), or another figure
    for the same measure ("another figure"), among passages saying most of the question."""
    best = cites[0]
    if best.answer_span is None:
        return
    a, b = best.answer_span
    figure = next((f for f in best.record.figures if f["start"] < b and a < f["end"]), None)
    words = analysis.passages[0].view.terms
    first = analysis.passages[0].view
    # what the answer itself says: another source "says the same thing" only if it says that
    base = best.record.start
    said = {t.term for t in analysis.passages[0].tokens if a - base <= t.start < b - base}
    # who or what the answer's claim is about: the entities it, its heading or the sentence
    # before it name ("Le montant de l'opération..." under "Karim Benali quitte Marseille")
    subject = first.entity_slugs | {t for t in first.context if is_slug(t)}
    for other, p in zip(cites[1:], analysis.passages[1:], strict=False):
        if other.record.source == best.record.source or other.coverage < 0.5 * best.coverage:
            continue
        if subject and not subject & (p.view.terms | p.view.context):
            continue  # it names none of them: a date or an amount of another story
        if p.features.get("entities_context", 1.0) < analysis.passages[0].features.get(
            "entities_context", 1.0
        ):
            continue  # another subject: 10 000 GPU for Microsoft are not Musk's
        if figure is not None:
            same = [
                f for f in other.record.figures
                if f["kind"] == figure["kind"] and f.get("unit") == figure.get("unit") and f.get("value") is not None
            ]  # fmt: skip
            if any(f["value"] == figure.get("value") for f in same):
                best.also_in.append(other)
            elif (
                same
                and other.coverage >= max(0.5, best.coverage - 0.1)  # it says most of the question too
                and figure.get("value") is not None
            ):
                best.conflicts.append((other, same[0]["text"]))
            continue
        overlap = len(words & p.view.terms) / max(1, min(len(words), len(p.view.terms)))
        if overlap >= 0.5 and (not said or len(said & p.view.terms) >= 0.5 * len(said)):
            best.also_in.append(other)
