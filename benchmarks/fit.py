"""Linear models fitted with NumPy alone: a listwise softmax ranker and a logistic regression.

Features arrive as dicts of named values; they are stored sparse (row, column, value) so that a
few hundred thousand candidates with hundreds of feature names fit in memory. Full-batch Adam
for a fixed number of steps from zero weights: deterministic, no random state at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Design:
    """A sparse design matrix built row by row from feature dicts."""

    names: dict[str, int] = field(default_factory=dict)
    rows: list[int] = field(default_factory=list)
    cols: list[int] = field(default_factory=list)
    vals: list[float] = field(default_factory=list)
    n: int = 0

    def add(self, features: dict[str, float]) -> int:
        for name, value in features.items():
            if value:
                self.rows.append(self.n)
                self.cols.append(self.names.setdefault(name, len(self.names)))
                self.vals.append(float(value))
        self.n += 1
        return self.n - 1

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return np.array(self.rows, dtype=np.int64), np.array(self.cols, dtype=np.int64), np.array(self.vals)


class Sparse:
    def __init__(self, design: Design) -> None:
        self.rows, self.cols, self.vals = design.arrays()
        self.n, self.m = design.n, len(design.names)
        self.names = list(design.names)

    def dot(self, w: np.ndarray) -> np.ndarray:
        return np.bincount(self.rows, weights=self.vals * w[self.cols], minlength=self.n)

    def tdot(self, g: np.ndarray) -> np.ndarray:
        return np.bincount(self.cols, weights=self.vals * g[self.rows], minlength=self.m)


def _adam(grad_fn, m: int, steps: int, lr: float) -> np.ndarray:  # type: ignore[no-untyped-def]
    w = np.zeros(m + 1)  # the last one is the bias
    m1, m2 = np.zeros_like(w), np.zeros_like(w)
    for t in range(1, steps + 1):
        g = grad_fn(w)
        m1 = 0.9 * m1 + 0.1 * g
        m2 = 0.999 * m2 + 0.001 * g * g
        w -= lr * (m1 / (1 - 0.9**t)) / (np.sqrt(m2 / (1 - 0.999**t)) + 1e-8)
    return w


def fit_listwise(
    design: Design,
    groups: Sequence[int],
    labels: Sequence[float],
    group_weights: dict[int, float] | None = None,
    l2: float = 1e-3,
    steps: int = 600,
    lr: float = 0.05,
) -> dict[str, float]:
    """Softmax over each group's rows; the loss is -log of the probability of its positive rows
    (labels are target shares within the group, e.g. 1 for the right passage, 0 elsewhere)."""
    X = Sparse(design)
    g = np.asarray(groups, dtype=np.int64)
    y = np.asarray(labels, dtype=np.float64)
    n_groups = int(g.max()) + 1
    totals = np.bincount(g, weights=y, minlength=n_groups)
    keep_group = totals > 0
    target = np.where(totals[g] > 0, y / np.maximum(totals[g], 1e-12), 0.0)
    gw = np.ones(n_groups)
    if group_weights:
        for k, v in group_weights.items():
            gw[k] = v
    gw = gw * keep_group
    norm = gw.sum() or 1.0

    def grad(w: np.ndarray) -> np.ndarray:
        s = X.dot(w[:-1])
        smax = np.full(n_groups, -np.inf)
        np.maximum.at(smax, g, s)
        e = np.exp(s - smax[g])
        z = np.bincount(g, weights=e, minlength=n_groups)
        p = e / z[g]
        d = (p - target) * gw[g] / norm
        out = np.zeros_like(w)
        out[:-1] = X.tdot(d) + l2 * w[:-1]
        return out

    w = _adam(grad, X.m, steps, lr)
    return {name: round(float(w[i]), 6) for i, name in enumerate(X.names) if abs(w[i]) > 1e-6}


def fit_logistic(
    design: Design,
    labels: Sequence[float],
    weights: Sequence[float] | None = None,
    l2: float = 1e-3,
    steps: int = 1500,
    lr: float = 0.05,
) -> tuple[dict[str, float], float]:
    X = Sparse(design)
    y = np.asarray(labels, dtype=np.float64)
    sw = np.ones(X.n) if weights is None else np.asarray(weights, dtype=np.float64)
    norm = sw.sum()

    def grad(w: np.ndarray) -> np.ndarray:
        z = X.dot(w[:-1]) + w[-1]
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))
        d = (p - y) * sw / norm
        out = np.zeros_like(w)
        out[:-1] = X.tdot(d) + l2 * w[:-1]
        out[-1] = d.sum()
        return out

    w = _adam(grad, X.m, steps, lr)
    return {name: round(float(w[i]), 6) for i, name in enumerate(X.names) if abs(w[i]) > 1e-6}, round(
        float(w[-1]), 6
    )
