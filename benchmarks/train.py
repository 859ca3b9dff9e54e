"""Fit the answering model's weights: `python benchmarks/train.py` -> src/gpu_brief/resources/model.json.

    python benchmarks/train.py [--piaf ../shared/piaf-dev/piaf-dev.json] [--validate 0.2]

Data (recorded in the model file with their sha256): the seed dev set (tests/data/dev_questions.yaml,
on the bundled corpus), PIAF dev (every question against the whole corpus), and unanswerable
questions: the dev set's out-of-scope ones, each PIAF question asked of the corpus without
its article (four corpora, each leaving out a quarter of the articles), and near misses made from
answerable questions (`training_data.py`). Never the held-out set.

The models, fitted in order, each with the ones before it in place (features: src/gpu_brief/qa/):
passage (listwise softmax over the retrieved claims), span (listwise over the candidates of the
right passage, the target being the candidates closest to the expected answer; then boosted
trees, LightGBM's lambdarank, correcting the best few candidates' linear scores), joint (passage
and span scores over the best few passages), verify (logistic regression: does the chosen
candidate answer at all) and answerable (logistic regression, answerable vs not, then boosted
trees started from its logits; on a corpus made with a domain pack, as the seed corpus is, each
feature also has a copy of its own), then the second verdict of a plain corpus (the same,
fitted on plain corpora only: PIAF, and the seed questions asked of the seeds ingested as a
user's folder, whole and two articles at a time; `fit_answerable.py`). The abstention
thresholds keep abstention on answerable questions at or under 5% on each of the two kinds of
corpus, on out-of-fold probabilities: PIAF's and the plain seed corpora's for a plain corpus
(whose two thresholds are chosen together), the seed set's for a corpus made with a domain pack. Deterministic: fixed random state, folds by a hash of each question's topic
(the sentence that answers it, for a seed question: its paraphrases share a fold; the article,
for a PIAF one); `--validate SHARE` holds out a share of the questions (by that hash) and reports
on them instead of fitting on everything.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fit import Design, fit_listwise, fit_logistic
from fit_answerable import ANSWERABLE_TREES, MAX_ABSTAIN, TREES_MIN_COUNT, answerable_rows, train_answerable
from fit_trees import fit_rank_trees
from piafdata import f1
from training_data import (
    DEV,
    REPO,
    SEED_WEIGHT,
    SWAPS,
    Item,
    Runner,
    base_id,
    build_corpora,
    held_out,
    piaf_items,
    plain_seed_items,
    seed_items,
    short_sha,
    swapped_contrasts,
    swapped_cues,
    swapped_entities,
)

from gpu_brief.qa.engine import Engine, bm25_evidence
from gpu_brief.qa.model import MODEL_PATH, Linear, Model
from gpu_brief.qa.scored import Analysis
from gpu_brief.qa.trees import Trees, best_few

SPAN_TARGET = 0.5  # a candidate counts as the answer when its F1 with it is the best and at least this


def train_passage(items: list[Item], analyses: list[Analysis]) -> dict[str, float]:
    design, groups, labels, weights = Design(), [], [], {}
    for g, (item, a) in enumerate(zip(items, analyses, strict=True)):
        weights[g] = item.weight
        for p in a.passages:
            design.add(p.features)
            groups.append(g)
            labels.append(1.0 if item.right and item.right(p) else 0.0)
    return fit_listwise(design, groups, labels, weights, l2=1e-3)


def train_span(
    items: list[Item], analyses: list[Analysis], runner: Runner, model: Model
) -> tuple[dict[str, float], list[SpanGroup]]:
    """Fits the span model, and counts the kinds of the right answers per asked type (type_fit);
    returns the candidates it was fitted on too, for the trees."""
    from collections import Counter

    design, groups, labels, weights = Design(), [], [], {}
    kinds: dict[str, Counter[str]] = {}
    answers: dict[str, list[frozenset[str]]] = {}  # per asked type: the kinds each right answer holds
    engines: dict[str, Engine] = {}
    rows: list[SpanGroup] = []
    g = 0
    for item, a in zip(items, analyses, strict=True):
        if not item.gold or item.right is None:
            continue
        right = next((p for p in a.passages if item.right(p)), None)
        if right is None:
            continue
        engine = engines.setdefault(item.corpus, runner.engine(item.corpus, model))
        engine.score_spans(a.query, right)
        scores = [_span_score(item, _shown(right.record, c)) for c, _, _ in right.spans]
        best = max(scores, default=0.0)
        if best < SPAN_TARGET:
            continue
        weights[g] = item.weight
        asked = kinds.setdefault(a.query.asked.value, Counter())
        asked["\0questions"] += 1
        held = frozenset(
            k.value for (c, _, _), s in zip(right.spans, scores, strict=True) if s == best for k in c.inner
        )
        asked.update(held)
        answers.setdefault(a.query.asked.value, []).append(held)
        for (_, features, _), score in zip(right.spans, scores, strict=True):
            design.add(features)
            groups.append(g)
            labels.append(1.0 if score == best else 0.0)
        rows.append(SpanGroup(item.weight, [f for _, f, _ in right.spans], scores))
        g += 1
    model.strict = _strict(answers)
    model.type_fit = {
        asked: {
            k: round((n + 0.1) / (counts["\0questions"] + 1), 4)
            for k, n in sorted(counts.items())
            if k != "\0questions"
        }
        for asked, counts in sorted(kinds.items())
    }
    return fit_listwise(design, groups, labels, weights, l2=1e-4, steps=1000), rows


@dataclass
class SpanGroup:
    """One right passage's candidates: their features and how well each answers."""

    weight: float
    features: list[dict[str, float]]
    scores: list[float]


TREES_TOP = 8  # candidates of a passage the trees re-score (the best by the linear score)
TREES = {  # LightGBM's lambdarank; deterministic: one thread, fixed seeds
    "objective": "lambdarank",
    "num_leaves": 7,
    "max_depth": 3,
    "learning_rate": 0.2,
    "num_iterations": 60,  # as good on held-out questions as 150 at 0.1 (`--validate 0.25`), and cheaper
    "min_data_in_leaf": 20,
    "feature_fraction": 0.8,
    "lambdarank_truncation_level": 5,
    "seed": 0,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 1,
    "verbose": -1,
}
PASSAGE_TREES_TOP = 10  # passages of a question the passage trees re-score (the best by the linear score)


def train_span_trees(rows: list[SpanGroup], span: Linear) -> Trees:
    """Boosted trees on the best few candidates of each right passage by the linear score,
    started from that score: they learn how the features combine. Labels: 2 for the best
    candidates, 1 for others that answer (F1 >= SPAN_TARGET), 0 for the rest."""
    tops = []
    for row in rows:
        linear = [span.score(f) for f in row.features]
        order = best_few(linear, TREES_TOP)
        best = max(row.scores)
        labels = [2 if row.scores[i] == best else int(row.scores[i] >= SPAN_TARGET) for i in order]
        if any(labels):
            tops.append(([row.features[i] for i in order], [linear[i] for i in order], labels, row.weight))
    return fit_rank_trees(tops, TREES_TOP, TREES, TREES_MIN_COUNT, "span")


def train_passage_trees(items: list[Item], analyses: list[Analysis], passage: Linear) -> Trees:
    """Boosted trees on the best few passages of each question by the linear passage score,
    started from it, as for spans: label 1 for the passages that answer."""
    tops = []
    for item, a in zip(items, analyses, strict=True):
        if item.right is None or not a.passages or not bm25_evidence(a.passages):
            continue  # answering applies the trees only where retrieval scored something
        features = [p.features for p in a.passages]
        linear = [passage.score(f) for f in features]
        order = best_few(linear, PASSAGE_TREES_TOP)
        labels = [int(item.right(a.passages[i])) for i in order]
        if any(labels) and not all(labels):
            tops.append(([features[i] for i in order], [linear[i] for i in order], labels, item.weight))
    return fit_rank_trees(tops, PASSAGE_TREES_TOP, TREES, TREES_MIN_COUNT, "passage")


def _shown(record: Any, c: Any) -> str:
    """What answering shows for a candidate: a pronoun that stands for the antecedent ingest
    recorded ("Celui-ci", "ce dernier") answers with that name (`decide.answer`), so it is
    judged by the name, not by the pronoun (which no expected answer ever is)."""
    if c.refers is not None and c.refers < len(record.antecedents):
        return str(record.antecedents[c.refers]["text"])
    return str(record.text[c.start : c.end])


def _span_score(item: Item, text: str) -> float:
    """How well a candidate answers: for a seed question, as its span accuracy judges it (the
    expected answer whole, not too long; F1 counts half otherwise); for PIAF, SQuAD's F1."""
    from gpu_brief.evaluate import answer_correct

    assert item.gold is not None
    if item.source == "seed":
        return 1.0 if answer_correct(text, item.gold) else 0.5 * f1(text, item.gold)
    return f1(text, item.gold)


STRICT_COVERAGE = 0.85  # a type is strict when this share of its right answers hold one of its kinds


def _strict(answers: dict[str, list[frozenset[str]]]) -> dict[str, list[str]]:
    """The asked types whose right answers (nearly) always hold a kind that answers them, per
    resources/answer_types.yaml: measured, not assumed."""
    import yaml

    table = yaml.safe_load((REPO / "src" / "gpu_brief" / "resources" / "answer_types.yaml").read_text())[
        "kinds"
    ]
    out = {}
    for asked, held in sorted(answers.items()):
        fitting = set(table.get(asked, ()))
        share = sum(bool(h & fitting) for h in held) / max(1, len(held))
        print(f"  type {asked}: {len(held)} answers, {share:.2f} of its kinds", file=sys.stderr)
        if fitting and len(held) >= 10 and share >= STRICT_COVERAGE:
            out[asked] = sorted(fitting)
    return out


def train_joint(items: list[Item], analyses: list[Analysis]) -> dict[str, float]:
    design, groups, labels, weights = Design(), [], [], {}
    for g, (item, a) in enumerate(zip(items, analyses, strict=True)):
        weights[g] = item.weight
        for p in a.passages:
            if not p.joint_features:
                break
            design.add(p.joint_features)
            groups.append(g)
            labels.append(1.0 if item.right and item.right(p) else 0.0)
    return fit_listwise(design, groups, labels, weights, l2=1e-4, steps=400)


def train_verify(items: list[Item], analyses: list[Analysis]) -> tuple[dict[str, float], float]:
    """Does the chosen candidate answer at all: its span features, right answers (the best
    passage right) against the chosen candidates of unanswerable questions."""
    design, labels, weights = Design(), [], []
    for item, a in zip(items, analyses, strict=True):
        best = a.passages[0].linear_span if a.passages else None
        if best is None or (item.answerable and not (item.right and item.right(a.passages[0]))):
            continue
        design.add(best[1])
        labels.append(1.0 if item.answerable else 0.0)
        weights.append(item.weight)
    return fit_logistic(design, labels, weights, l2=1e-3)


def _abstains(model: Model, features: dict[str, float]) -> bool:
    return model.abstains(features)


def report(name: str, items: list[Item], analyses: list[Analysis], model: Model, runner: Runner) -> None:
    """R@1, span F1 and abstention per source, for the items given."""
    from gpu_brief.qa.answerable import answerable_features

    engines = {n: runner.engine(n, model) for n in runner.indexes}

    for source in ("seed", "piaf"):
        rows = [(i, a) for i, a in zip(items, analyses, strict=True) if i.source == source]
        answerable = [(i, a) for i, a in rows if i.answerable]
        unanswerable = [(i, a) for i, a in rows if not i.answerable and not i.id.endswith(SWAPS)]
        swapped = [(i, a) for i, a in rows if i.id.endswith(SWAPS)]
        if not answerable:
            continue
        r1 = sum(bool(a.passages) and bool(i.right) and i.right(a.passages[0]) for i, a in answerable)
        span = 0.0
        abstain = 0
        for i, a in answerable:
            if _abstains(model, answerable_features(a, model, engines[i.corpus])):
                abstain += 1
                continue
            if a.passages and a.passages[0].best_span and i.gold:
                c = a.passages[0].best_span[0]
                span += f1(a.passages[0].record.text[c.start : c.end], i.gold)
        oos = sum(_abstains(model, answerable_features(a, model, engines[i.corpus])) for i, a in unanswerable)
        n = len(answerable)
        swaps = sum(_abstains(model, answerable_features(a, model, engines[i.corpus])) for i, a in swapped)
        print(
            f"  {name} {source}: R@1 {r1 / n:.3f}  span F1 {span / n:.3f}  abstained {abstain / n:.3f}"
            + (f"  unanswerable abstained {oos / len(unanswerable):.3f}" if unanswerable else "")
            + (f"  swapped abstained {swaps / len(swapped):.3f} ({len(swapped)})" if swapped else ""),
            flush=True,
        )


def main() -> None:
    if os.environ.get("PYTHONHASHSEED") != "0":
        # the order of sets, and so of the features and rows fitted, must not change between runs
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--piaf", type=Path, default=REPO.parent / "shared" / "piaf-dev" / "piaf-dev.json")
    parser.add_argument("--work", type=Path, default=REPO / "benchmarks" / "out" / "train")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument(
        "--validate", type=float, default=0.0, help="share of questions held out to report on"
    )
    args = parser.parse_args()
    os.environ.setdefault("GPU_BRIEF_CACHE_DIR", tempfile.mkdtemp(prefix="gpu-brief-train-"))
    started = time.time()
    corpora = build_corpora(args.piaf, args.work)
    runner = Runner(corpora)
    items = seed_items() + piaf_items(args.piaf)
    items += swapped_entities(items, runner) + swapped_cues(items, runner) + swapped_contrasts(items, runner)
    items += plain_seed_items(items)
    train = [i for i in items if not held_out(base_id(i.id), args.validate)]
    held = [i for i in items if held_out(base_id(i.id), args.validate)]
    ranked = [i for i in train if i.source != "plain"]  # the plain seed corpora teach the second verdict only
    answerable = [i for i in ranked if i.answerable]
    print(
        f"{len(answerable)} answerable and {len(ranked) - len(answerable)} unanswerable training questions, "
        f"{len(train) - len(ranked)} asked of the seeds as a plain folder",
        flush=True,
    )

    model = Model.untrained()
    analyses = runner.analyses(answerable, model, spans=False)
    model.passage = Linear(train_passage(answerable, analyses))
    model.passage_trees = train_passage_trees(answerable, analyses, model.passage)
    weights, span_rows = train_span(answerable, analyses, runner, model)
    model.span = Linear(weights)
    model.span_trees = train_span_trees(span_rows, model.span)
    analyses = runner.analyses(answerable, model, spans=True)
    model.joint = Linear(train_joint(answerable, analyses))
    analyses = runner.analyses(ranked, model, spans=True)
    model.verify = Linear(*train_verify(ranked, analyses))
    plain = [i for i in train if i.source == "plain"]
    rows = answerable_rows(ranked, analyses, model, runner) + answerable_rows(plain, None, model, runner)
    shares = train_answerable(ranked + plain, rows, model)
    print("  out of fold, plain corpora: " + ", ".join(f"{k} {v:.3f} abstained" for k, v in shares.items()))
    model.meta = {
        "trained_by": "benchmarks/train.py",
        "data": {
            "seed dev": f"tests/data/dev_questions.yaml sha256:{short_sha(DEV)}",
            "piaf dev": f"{args.piaf.name} sha256:{short_sha(args.piaf)}",
            "unanswerable": "dev out-of-scope questions; PIAF questions without their article (4 folds)",
            "second verdict": "PIAF; the seed questions asked of the seeds as a plain folder, whole and in pairs",
        },
        "validate": args.validate,
        "seed_weight": SEED_WEIGHT,
        "span_trees": {"top": TREES_TOP, "min_count": TREES_MIN_COUNT, **TREES},
        "passage_trees": {"top": PASSAGE_TREES_TOP, "min_count": TREES_MIN_COUNT, **TREES},
        "answerable_trees": {"min_count": TREES_MIN_COUNT, **ANSWERABLE_TREES},
        "max_abstain": MAX_ABSTAIN,
        "questions": {
            "answerable": len(answerable),
            "unanswerable": len(ranked) - len(answerable),
            "plain seed corpora": len(train) - len(ranked),
        },
    }
    report("train", ranked, analyses, model, runner)
    if held:
        held = [i for i in held if i.source != "plain"]
        report("held out", held, runner.analyses(held, model, spans=True), model, runner)
    args.out.write_text(json.dumps(model.to_data(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out} in {time.time() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
