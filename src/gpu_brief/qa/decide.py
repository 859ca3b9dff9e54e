"""The decisions' end: whether to answer (the calibrated probability of `answerable.py`'s
features), the answer span, the citations, what corroborates them, and a reason a user can read
when the tool abstains."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from gpu_brief.entities import is_slug
from gpu_brief.qa.answerable import answerable_features
from gpu_brief.qa.features import Features, top_features
from gpu_brief.qa.result import Answer, Citation, Contribution, Explanation, PlainCheck
from gpu_brief.text import fold
from gpu_brief.wording import ABSTAIN_TEXT

if TYPE_CHECKING:
    from gpu_brief.index import ClaimRecord
    from gpu_brief.qa.engine import Engine
    from gpu_brief.qa.language import LanguagePack
    from gpu_brief.qa.model import Linear, Model
    from gpu_brief.qa.scored import Analysis, Scored
    from gpu_brief.qa.trees import Trees


TREES_PART = "trees"  # the passage or span trees' correction, in --explain
# claims back the one naming an answer's antecedent may be (ingest points a role noun, "la
# ministre", at the claim that named her: `antecedents.ROLE_REACH`)
ANTECEDENT_REACH = 20


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
    # an idea of no weight (a type noun the corpus never writes: "somme") is no idea missing
    ideas = [g for g, w in zip(q.groups, stats.weights, strict=True) if w > 0]
    found = [g.label for g in ideas if g.terms & said]
    missing = [g.label for g in ideas if not g.terms & said and g.label not in never]
    kind_missing = q.asked.value if best.fits is False else None
    text = abstention_reason(
        any_passage=True,
        found=found,
        ideas=len(ideas),
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
    abstains = (
        not analysis.passages or model.abstains(features, probability) or unfit or analysis.stale is not None
    )
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
            plain=_plain_check(model, features),
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
    _corroborate(analysis, cites, engine)
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


def _plain_check(model: Model, features: Features) -> PlainCheck | None:
    """The second verdict of a plain corpus, with its features' parts (None where none applies)."""
    if not model.checks_plain(features):
        return None
    return PlainCheck(
        model.plain_probability(features),
        model.threshold_plain or 0.0,
        _tree_parts(features, model.plain_score(features), model.plain, model.plain_trees),
    )


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
    for j in range(i - 1, max(-1, i - 1 - ANTECEDENT_REACH), -1) if earlier else ():
        record = engine.index.record(j)
        if record.id in earlier:
            return Citation(record, 0.0, -1, 0.0, [], None, best.logit, context_of=best.record.id)
    if not best.view.anaphoric or i == 0 or engine.index.paragraph(i).start == i:
        return None
    record = engine.index.record(i - 1)
    return Citation(record, 0.0, -1, 0.0, [], None, best.logit, context_of=best.record.id)


def _corroborate(analysis: Analysis, cites: list[Citation], engine: Engine) -> None:
    """Other sources that say the same figure or the same thing ("also in"), or another figure
    for the same measure ("another figure"), among passages saying most of the question."""
    pack = engine.corpus_pack
    best = cites[0]
    if best.answer_span is None:
        return
    a, b = best.answer_span
    # the figures the answer holds ("de 29,50 euros à 34 euros": both), the first of them the one
    # another source's figure for the same measure is compared with
    held = [f for f in best.record.figures if f["start"] < b and a < f["end"]]
    figure = held[0] if held else None
    mine = [f for f in held if f.get("value") is not None]
    values = {f["value"] for f in mine}
    first = analysis.passages[0].view
    words = first.terms
    # what the answer itself says: another source "says the same thing" only if it says that
    base = best.record.start
    said = {t.term for t in analysis.passages[0].tokens if a - base <= t.start < b - base}
    # who or what the answer's claim is about: the entities it, its heading or the sentence
    # before it name ("Le montant de l'opération..." under "Karim Benali quitte Marseille")
    subject = first.entity_slugs | {t for t in first.context if is_slug(t)}
    # the numbers the question names ("en 2022"): a figure for another year is not another
    # figure for the same measure
    numbers = [g.terms for g in analysis.query.groups if any(c.isdigit() for c in g.label)]
    for other, p in zip(cites[1:], analysis.passages[1:], strict=False):
        if other.record.source == best.record.source or other.coverage < 0.5 * best.coverage:
            continue
        # it names none of them: a date or an amount of another story, unless it names nobody in
        # an article that does ("Le projet prévoit de conserver 148 emplois")
        elsewhere = subject and not subject & (p.view.terms | p.view.context)
        if elsewhere and (
            p.view.entity_slugs or not engine.source_names(other.record.source, frozenset(subject))
        ):
            continue
        if p.features.get("entities_context", 1.0) < analysis.passages[0].features.get(
            "entities_context", 1.0
        ):
            continue  # another subject: 10 000 GPU for Microsoft are not Musk's
        if figure is not None:
            # the figures it states (not those it denies: "et non à 34 euros")
            theirs = [
                g for g in other.record.figures
                if g.get("value") is not None and not _denied(other.record.text, g["start"] - other.record.start, pack)
            ]  # fmt: skip
            if mine and all(
                any(_same_measure(f, g) and g["value"] == f["value"] for g in theirs) for f in mine
            ):
                best.also_in.append(other)  # it states every figure of the answer
                continue
            other_values = [
                g
                for g in theirs
                if _same_measure(figure, g)
                and g["value"] not in values
                and _same_context(best.record.text, figure["start"] - base, other.record, g)
            ]
            if (
                other_values
                and other.coverage >= max(0.5, best.coverage - 0.1)  # it says most of the question too
                and figure.get("value") is not None
                and all(terms & (p.view.terms | p.view.context) for terms in numbers)
            ):
                best.conflicts.append((other, other_values[0]["text"]))
            continue
        overlap = len(words & p.view.terms) / max(1, min(len(words), len(p.view.terms)))
        if overlap >= 0.5 and (not said or len(said & p.view.terms) >= 0.5 * len(said)):
            best.also_in.append(other)


def _denied(text: str, start: int, pack: LanguagePack) -> bool:
    """Is the figure at `start` denied by the words right before it ("et non à 34 euros")? Such a
    sentence says another figure, not this one."""
    before = fold(text[max(0, start - 30) : start]).replace("’", "'").lower()
    return bool(pack.denial_pattern.search(before))


def _same_measure(f: dict[str, object], g: dict[str, object]) -> bool:
    """Of one kind and unit, and counting the same thing ("212 naissances", not "212 lits")."""
    if f["kind"] != g["kind"] or f.get("unit") != g.get("unit"):
        return False
    counts = [fold(str(x.get("counts") or ""))[:5] for x in (f, g)]
    return f["kind"] != "count" or counts[0] == counts[1]


def _same_context(text: str, start: int, other: ClaimRecord, g: dict[str, Any]) -> bool:
    """Is a year introduced by the same word in both sentences? "depuis 2003" and "en 2027" date
    two events, not one event two ways."""
    if g["kind"] != "year":
        return True

    def word_before(t: str, at: int) -> str:
        words = re.findall(r"[^\W\d_]+", fold(t[max(0, at - 20) : at]))
        return words[-1] if words else ""

    return word_before(text, start) == word_before(other.text, int(g["start"]) - other.start)
