"""Boosted trees (LightGBM, training only) that correct a linear model's score, written back as
`gpu_brief.qa.trees.Trees` so that answering reads them with the standard library.

Each input row is a feature dict and the linear model's score; the trees start from that score
(LightGBM's init_score) and may split on it (the `LINEAR` input). Only features set in at least
`min_count` rows are offered to the splits. Deterministic: one thread, fixed seeds (the params).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from gpu_brief.qa.trees import LINEAR, Trees

Rows = Sequence[dict[str, float]]


def _matrix(rows: Rows, linear: Sequence[float], min_count: int) -> tuple[list[str], list[list[float]]]:
    counts = Counter(name for f in rows for name, v in f.items() if v)
    names = [LINEAR, *sorted(n for n, c in counts.items() if c >= min_count)]
    column = {n: i for i, n in enumerate(names)}
    x = []
    for f, score in zip(rows, linear, strict=True):
        row = [0.0] * len(names)
        row[0] = score
        for n, v in f.items():
            if n in column:
                row[column[n]] = v
        x.append(row)
    return names, x


def _read_back(booster: Any, names: list[str], x: list[list[float]], top: int, what: str) -> Trees:
    """The trees as answering reads them; they must give LightGBM's own output."""
    import numpy as np

    trees = Trees.from_lightgbm(booster.dump_model(), names, top)
    sample = np.array(x[:2000])
    ours = [trees.score(dict(zip(names, r, strict=True)), r[0]) for r in sample.tolist()]
    gap = float(np.max(np.abs(np.array(ours) - booster.predict(sample, raw_score=True))))
    assert gap < 1e-6, f"{what} trees read back differ from LightGBM's by {gap}"
    print(
        f"  {what} trees: {len(trees.roots)} trees reading {len(trees.names)} of {len(names)} inputs",
        flush=True,
    )
    return trees


def fit_rank_trees(
    tops: list[tuple[list[dict[str, float]], list[float], list[int], float]],
    top: int,
    params: dict[str, Any],
    min_count: int,
    what: str,
) -> Trees:
    """LightGBM's lambdarank on groups of (features, linear scores, labels, weight): the best
    few passages or candidates of each question, re-ranked."""
    import lightgbm as lgb
    import numpy as np

    rows = [f for fs, _, _, _ in tops for f in fs]
    init = [s for _, linear, _, _ in tops for s in linear]
    names, x = _matrix(rows, init, min_count)
    y = [label for _, _, labels, _ in tops for label in labels]
    sizes = [len(fs) for fs, _, _, _ in tops]
    weights = [w for fs, _, _, w in tops for _ in fs]  # per row; LightGBM weighs a query by its rows' mean
    data = lgb.Dataset(
        np.array(x), np.array(y), group=sizes, weight=np.array(weights), init_score=np.array(init)
    )
    print(f"  {what}: {len(tops)} questions' best few", flush=True)
    return _read_back(lgb.train(params, data), names, x, top, what)


def fit_binary_trees(
    rows: Rows,
    linear: Sequence[float],
    labels: Sequence[float],
    weights: Sequence[float],
    params: dict[str, Any],
    min_count: int,
    what: str,
) -> Trees:
    """LightGBM's binary log loss started from a logistic regression's logits: what the
    regression's sum of features cannot say about how they combine."""
    import lightgbm as lgb
    import numpy as np

    names, x = _matrix(rows, linear, min_count)
    data = lgb.Dataset(np.array(x), np.array(labels), weight=np.array(weights), init_score=np.array(linear))
    return _read_back(lgb.train(params, data), names, x, 0, what)
