"""The answerable stage (`train.py`'s last): P(the corpus answers the question), the thresholds of
the two kinds of corpus, and a plain corpus's second verdict."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fit import Design, fit_logistic
from fit_trees import fit_binary_trees
from training_data import Item, Runner, base_id, question_draw

from gpu_brief.qa.features import NO_BM25, Features
from gpu_brief.qa.model import Linear, Model
from gpu_brief.qa.scored import Analysis
from gpu_brief.qa.trees import Trees

# the answerable model's L2 penalty. 3e-4 was measured (refitting that stage alone on a quarter
# of the training questions held out, it ranked P a little better: AUC 0.914 -> 0.918 on the seed
# set, 0.934 -> 0.936 on PIAF's left-out questions) and not kept: retrained whole, it answered more
# near misses on the unread fresh sets (abstention 0.818 -> 0.754)
ANSWERABLE_L2 = 1e-3
MAX_ABSTAIN = 0.05  # abstention allowed on answerable questions, per source (out of fold): the 5%
FOLDS = 4  # folds for the out-of-fold probabilities the threshold is chosen on
TREES_MIN_COUNT = 20  # a feature the trees may split on is set in at least this many rows
# the answerable model's trees (binary log loss from the regression's logits). Chosen refitting
# that stage alone on a quarter of the questions held out (`--validate 0.25`): on the held-out
# seed questions AUC 0.922 -> 0.937, on the unread sets near misses abstained 0.790 -> 0.830 at
# the same false abstention; PIAF's left-out questions 0.609 -> 0.635
ANSWERABLE_TREES = {
    "objective": "binary",
    "num_leaves": 7,
    "max_depth": 3,
    "learning_rate": 0.1,
    "num_iterations": 60,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.8,
    "seed": 0,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 1,
    "verbose": -1,
}


@dataclass
class Fitted:
    """A regression and its trees, with every row's out-of-fold probability."""

    linear: Linear
    trees: Trees
    out_of_fold: list[float]


def fit_answerable(
    rows: list[Features], items: list[Item], keep: list[int], what: str, oof_for: Sequence[int] = ()
) -> Fitted:
    """Logistic regression on the rows `keep`, then boosted trees started from its logits; the
    probability each row of `keep` and `oof_for` gets from the fit without its fold (folds by a
    hash of each question's topic: paraphrases, and a PIAF article's questions, share one).
    Trees in the regression's place fitted the training questions better and did worse on the
    held-out and fresh sets; started from its logits they did better on both (ANSWERABLE_TREES)."""
    labels = [1.0 if item.answerable else 0.0 for item in items]
    weights = [item.weight for item in items]

    def fit(part: list[int], name: str) -> tuple[Linear, Trees]:
        design = Design()
        for i in part:
            design.add(rows[i])
        linear = Linear(
            *fit_logistic(design, [labels[i] for i in part], [weights[i] for i in part], l2=ANSWERABLE_L2)
        )
        scored = [i for i in part if not rows[i].get(NO_BM25)]  # as answering applies them
        trees = fit_binary_trees(
            [rows[i] for i in scored],
            [linear.score(rows[i]) for i in scored],
            [labels[i] for i in scored],
            [weights[i] for i in scored],
            ANSWERABLE_TREES,
            TREES_MIN_COUNT,
            name,
        )
        return linear, trees

    folds = [question_draw(item.topic or base_id(item.id)) % FOLDS for item in items]
    out_of_fold = [0.0] * len(items)
    wanted = sorted(set(keep) | set(oof_for))
    for k in range(FOLDS):
        linear, trees = fit([i for i in keep if folds[i] != k], f"{what} (fold {k})")
        fold = Model(Linear(), Linear(), Linear(), linear, answerable_trees=trees)
        for i in wanted:
            if folds[i] == k:
                out_of_fold[i] = fold.probability(rows[i])
    return Fitted(*fit(keep, what), out_of_fold)


def answerable_rows(
    items: list[Item], analyses: list[Analysis] | None, model: Model, runner: Runner
) -> list[Features]:
    """Each item's answerable features; items without an analysis given are analysed one at a
    time and the analysis let go (the plain seed corpora's 6,000 questions' would not fit in
    memory beside the others')."""
    from gpu_brief.qa.answerable import answerable_features

    engines = {name: runner.engine(name, model) for name in runner.indexes}
    if analyses is not None:
        return [
            answerable_features(a, model, engines[item.corpus])
            for item, a in zip(items, analyses, strict=True)
        ]
    rows = []
    for item in items:
        engine = engines[item.corpus]
        rows.append(answerable_features(engine.analyse(item.question, spans=True), model, engine))
    return rows


def train_answerable(items: list[Item], rows: list[Features], model: Model) -> dict[str, float]:
    """Fits `model`'s answerable stage; returns the shares abstained out of fold at the chosen
    thresholds (to print). The first model learns from every training question and has a
    threshold per kind of corpus: a plain one (PIAF's) and a curated one (the seed set's), each
    the highest keeping abstention on that source's answerable questions <= MAX_ABSTAIN, out of
    fold (one threshold for both, the lower, left the curated corpus with PIAF's: its near misses
    answered while its answerable questions abstained far under 5%). The second verdict learns
    from plain corpora only (PIAF, and the seed questions asked of the seed articles ingested as
    a user's folder: whole and two articles at a time); a plain corpus abstains when either is
    under its threshold, the two chosen together (`joint_thresholds`)."""
    plain = [i for i, item in enumerate(items) if _plain(item)]
    own = [i for i in range(len(items)) if not _made_plain(items[i])]
    first = fit_answerable(rows, items, own, "answerable", plain)
    second = fit_answerable(rows, items, plain, "second verdict")
    model.answerable, model.answerable_trees = first.linear, first.trees
    model.plain, model.plain_trees = second.linear, second.trees
    seed = sorted(
        p
        for p, item in zip(first.out_of_fold, items, strict=True)
        if item.source == "seed" and item.answerable
    )
    model.threshold_curated = round(seed[int(MAX_ABSTAIN * len(seed))], 6) if seed else 0.5
    choice = joint_thresholds([(first.out_of_fold[i], second.out_of_fold[i], items[i]) for i in plain])
    model.threshold, model.threshold_plain = choice.first, choice.second
    return choice.shares


@dataclass
class Choice:
    first: float
    second: float | None
    shares: dict[str, float]


def joint_thresholds(rows: list[tuple[float, float, Item]]) -> Choice:
    """The two thresholds of a plain corpus: abstention on each source's answerable questions
    (PIAF's, the plain seed corpora's) at most MAX_ABSTAIN, and of what that leaves, the most
    unanswerable questions abstained, the mean of the two sources' shares, never fewer of PIAF's
    left-out questions than the first model alone abstains on (the protocol measures them).
    Searched over the first threshold from its value alone down; the second is then the highest
    the budget allows."""
    sources = ("piaf", "plain")
    groups: dict[str, list[tuple[float, float]]] = {}  # "piaf answerable" -> (P first, P second) each
    for s in sources:
        for kind in ("answerable", "unanswerable"):
            group = [
                (p, q)
                for p, q, item in rows
                if item.source == s and item.answerable == (kind == "answerable")
            ]
            if group:
                groups[f"{s} {kind}"] = group

    def shares(t1: float, t2: float) -> dict[str, float]:
        return {name: sum(p < t1 or q < t2 for p, q in group) / len(group) for name, group in groups.items()}

    answerable = {s: groups.get(f"{s} answerable", []) for s in sources}
    alone = sorted(p for p, _ in answerable["piaf"])
    limit = {s: int(MAX_ABSTAIN * len(a)) for s, a in answerable.items()}
    top = alone[limit["piaf"]]
    base = shares(top, 0.0)
    alone_shares = {f"{k} (first alone)": v for k, v in base.items()}
    best = Choice(top, None, {**base, **alone_shares})
    floor = base.get("piaf unanswerable", 0.0)
    for t1 in sorted({p for p in alone if p <= top}, reverse=True)[:200]:
        t2 = _highest_second(answerable, t1, limit)
        got = shares(t1, t2)
        score = got.get("piaf unanswerable", 0.0) + got.get("plain unanswerable", 0.0)
        if got.get("piaf unanswerable", 0.0) >= floor and score > sum(
            best.shares.get(f"{s} unanswerable", 0.0) for s in sources
        ):
            best = Choice(round(t1, 6), round(t2, 6), {**got, **alone_shares})
    return best


def _highest_second(
    answerable: dict[str, list[tuple[float, float]]], t1: float, limit: dict[str, int]
) -> float:
    """The highest second threshold keeping each source's abstention within its limit, the first at t1."""
    high = 1.0
    for s, group in answerable.items():
        rest = sorted(q for p, q in group if p >= t1)
        room = limit[s] - (len(group) - len(rest))
        if room < 0:
            return 0.0
        high = min(high, rest[room] if room < len(rest) else 1.0)
    return high


def _plain(item: Item) -> bool:
    """Asked of a corpus made without a domain pack: PIAF's, or the seeds' as a plain folder."""
    return item.corpus != "seed"


def _made_plain(item: Item) -> bool:
    """A seed question asked of the seeds ingested as a plain folder: the second verdict's only."""
    return item.source == "plain"
