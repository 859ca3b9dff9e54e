"""Boosted regression trees that correct the linear span score: what the linear model cannot say
is how features combine ("between two matched words" is a good sign for a thing asked, a bad one
for a name; a short phrase after a punctuation mark differs by question type).

`benchmarks/train.py` fits them (LightGBM, lambdarank, started from the linear score) on the
best few candidates of each right passage, and writes each tree's nodes into `model.json`.
Answering reads them with the standard library: a tree is a few comparisons, and only the
best `top` candidates of a passage by the linear score are re-scored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from gpu_brief.qa.features import Features

LINEAR = "linear"  # the input that carries the linear model's score


def best_few(scores: Sequence[float], top: int) -> list[int]:
    """The positions of the `top` highest scores, highest first (ties in order): the candidates
    the trees re-score, the same at training and when answering."""
    return sorted(range(len(scores)), key=lambda i: -scores[i])[:top]


@dataclass
class Trees:
    """The trees' nodes in flat lists; a leaf has feature -1 and its output as value."""

    names: list[str] = field(default_factory=list)  # the inputs the splits read
    roots: list[int] = field(default_factory=list)
    feature: list[int] = field(default_factory=list)
    threshold: list[float] = field(default_factory=list)
    left: list[int] = field(default_factory=list)
    right: list[int] = field(default_factory=list)
    value: list[float] = field(default_factory=list)
    top: int = 0  # candidates of a passage re-scored, the best by the linear score

    @cached_property
    def _at(self) -> dict[str, int]:
        return {n: i for i, n in enumerate(self.names)}

    def __bool__(self) -> bool:
        return bool(self.roots)

    def score(self, features: Features, linear: float) -> float:
        """The trees' correction to a candidate's linear score."""
        get = features.get
        x = [get(n, 0.0) for n in self.names]
        if LINEAR in self._at:
            x[self._at[LINEAR]] = linear
        feature, threshold, left, right = self.feature, self.threshold, self.left, self.right
        total = 0.0
        for node in self.roots:
            while (j := feature[node]) >= 0:
                node = left[node] if x[j] <= threshold[node] else right[node]
            total += self.value[node]
        return total

    def rescore(self, scored: Sequence[tuple[Features, float]]) -> list[float]:
        """Linear scores -> final scores: the best `top` corrected by the trees, the others kept
        below the lowest of those (the trees never saw their like)."""
        out = [s for _, s in scored]
        if not self or not out:
            return out
        order = best_few(out, self.top)
        for i in order:
            out[i] += self.score(scored[i][0], scored[i][1])
        floor = min(out[i] for i in order)
        chosen = set(order)
        for i in range(len(out)):
            if i not in chosen:
                out[i] = min(out[i], floor - 1e-6)
        return out

    def to_data(self) -> dict[str, Any]:
        return {
            "top": self.top,
            "names": self.names,
            "roots": self.roots,
            "feature": self.feature,
            "threshold": self.threshold,
            "left": self.left,
            "right": self.right,
            "value": self.value,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any] | None) -> Trees:
        if not data:
            return cls()
        return cls(
            [str(n) for n in data["names"]],
            [int(i) for i in data["roots"]],
            [int(i) for i in data["feature"]],
            [float(v) for v in data["threshold"]],
            [int(i) for i in data["left"]],
            [int(i) for i in data["right"]],
            [float(v) for v in data["value"]],
            int(data.get("top", 0)),
        )

    @classmethod
    def from_lightgbm(cls, dump: dict[str, Any], names: list[str], top: int) -> Trees:
        """A LightGBM `Booster.dump_model()` -> flat nodes (numerical splits, `<=` goes left;
        the inputs never hold NaN and zero is a value, not a missing one)."""
        trees = cls(list(names), top=top)

        def add(node: dict[str, Any]) -> int:
            i = len(trees.feature)
            trees.feature.append(-1)
            trees.threshold.append(0.0)
            trees.left.append(-1)
            trees.right.append(-1)
            trees.value.append(0.0)
            if "leaf_value" in node:
                trees.value[i] = float(node["leaf_value"])
                return i
            if node.get("decision_type") != "<=" or node.get("missing_type") == "Zero":
                raise ValueError(f"unsupported split: {node.get('decision_type')} {node.get('missing_type')}")
            trees.feature[i] = int(node["split_feature"])
            trees.threshold[i] = float(node["threshold"])
            trees.left[i] = add(node["left_child"])
            trees.right[i] = add(node["right_child"])
            return i

        for info in dump["tree_info"]:
            trees.roots.append(add(info["tree_structure"]))
        return trees.compact()

    def compact(self) -> Trees:
        """Only the inputs some split reads, in the order first read: fewer look-ups per candidate."""
        used: dict[int, int] = {}
        for j in self.feature:
            if j >= 0:
                used.setdefault(j, len(used))
        self.feature = [used[j] if j >= 0 else -1 for j in self.feature]
        self.names = [self.names[j] for j in used]
        self.__dict__.pop("_at", None)
        return self
