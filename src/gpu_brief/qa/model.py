"""The learned weights: linear scorers, trees correcting the passage, span and answerable
scores, and calibrated abstention thresholds.

`resources/model.json` is written by `benchmarks/train.py` (deterministic; its data list, seed and
scores are recorded in the file) and read here with the standard library only: answering never
imports NumPy for it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gpu_brief.qa.features import CURATED, NO_BM25, Features, dot
from gpu_brief.qa.trees import Trees

MODEL_PATH = Path(__file__).resolve().parent.parent / "resources" / "model.json"
MODEL_VERSION = 1


@dataclass
class Linear:
    weights: dict[str, float] = field(default_factory=dict)
    bias: float = 0.0

    def score(self, features: Features) -> float:
        return self.bias + dot(features, self.weights)

    def to_data(self) -> dict[str, Any]:
        return {"bias": self.bias, "weights": dict(sorted(self.weights.items()))}

    @classmethod
    def from_data(cls, data: dict[str, Any] | None) -> Linear:
        data = data or {}
        return cls(
            {str(k): float(v) for k, v in (data.get("weights") or {}).items()}, float(data.get("bias", 0.0))
        )


@dataclass
class Model:
    """passage: which claim; span: which candidate in it; joint: passage and span together;
    verify: whether the chosen candidate answers the question at all (its span features);
    answerable and its trees: P(the corpus answers the question), abstention below `threshold`
    (below `threshold_curated` on a corpus made with a domain pack, when set: each chosen on its
    own kind of corpus, the seed set's and PIAF's, for the same share of answerable questions
    abstained). plain and its trees: a second verdict on a corpus made without a domain pack (a
    user's folder), fitted on plain corpora only, news articles' near misses among them; such a
    corpus abstains when either probability is under its threshold (`threshold`,
    `threshold_plain`, chosen together)."""

    passage: Linear
    span: Linear
    joint: Linear
    answerable: Linear
    verify: Linear = field(default_factory=Linear)  # does the chosen candidate answer at all?
    threshold: float = 0.5
    threshold_curated: float | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    # asked type -> candidate kind -> how often the right answer to such a question is of that
    # kind (counted on the training questions): how well a passage's candidates fit a question
    type_fit: dict[str, dict[str, float]] = field(default_factory=dict)

    # asked type -> the kinds that answer it, for the types whose answers nearly always are of
    # one of them (measured by train.py with resources/answer_types.yaml)
    strict: dict[str, list[str]] = field(default_factory=dict)
    span_trees: Trees = field(default_factory=Trees)  # corrections to the best few span scores
    passage_trees: Trees = field(default_factory=Trees)  # and to the best few passage scores
    answerable_trees: Trees = field(default_factory=Trees)  # and to the answerable model's score
    plain: Linear = field(default_factory=Linear)
    plain_trees: Trees = field(default_factory=Trees)
    threshold_plain: float | None = None  # None: no second verdict

    def fits(self, asked: str, kinds: Iterable[str]) -> bool | None:
        """Whether a candidate of these kinds can answer a question of this type (None: any can)."""
        allowed = self.strict.get(asked)
        return None if allowed is None else not set(allowed).isdisjoint(kinds)

    def fit(self, asked: str, kinds: Iterable[str]) -> float:
        table = self.type_fit.get(asked, {})
        return max((table.get(k, 0.0) for k in kinds), default=0.0)

    def threshold_for(self, features: Features) -> float:
        """The threshold of the question's kind of corpus (`answerable._by_corpus` marks a curated one)."""
        if features.get(CURATED) and self.threshold_curated is not None:
            return self.threshold_curated
        return self.threshold

    def answerable_score(self, features: Features) -> float:
        """The answerable model's logit: the linear score, corrected by its trees (how the
        features combine: a passage covering every idea but the one the question turns on)."""
        return _logit(self.answerable, self.answerable_trees, features)

    def probability(self, features: Features) -> float:
        return _sigmoid(self.answerable_score(features))

    def checks_plain(self, features: Features) -> bool:
        """Whether the second verdict applies: a corpus without a domain pack, a model that has one."""
        return self.threshold_plain is not None and not features.get(CURATED)

    def plain_score(self, features: Features) -> float:
        return _logit(self.plain, self.plain_trees, features)

    def plain_probability(self, features: Features) -> float:
        return _sigmoid(self.plain_score(features))

    def abstains(self, features: Features, probability: float | None = None) -> bool:
        """Under the threshold of the question's kind of corpus, or, on a plain corpus, under
        the second verdict's (`probability`: the first model's, when already worked out)."""
        p = self.probability(features) if probability is None else probability
        if p < self.threshold_for(features):
            return True
        return self.checks_plain(features) and self.plain_probability(features) < (
            self.threshold_plain or 0.0
        )

    def to_data(self) -> dict[str, Any]:
        return {
            "version": MODEL_VERSION,
            "meta": self.meta,
            "threshold": self.threshold,
            "threshold_curated": self.threshold_curated,
            "passage": self.passage.to_data(),
            "span": self.span.to_data(),
            "joint": self.joint.to_data(),
            "answerable": self.answerable.to_data(),
            "verify": self.verify.to_data(),
            "type_fit": self.type_fit,
            "strict": self.strict,
            "span_trees": self.span_trees.to_data(),
            "passage_trees": self.passage_trees.to_data(),
            "answerable_trees": self.answerable_trees.to_data(),
            "plain": self.plain.to_data(),
            "plain_trees": self.plain_trees.to_data(),
            "threshold_plain": self.threshold_plain,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Model:
        if data.get("version") != MODEL_VERSION:
            raise ValueError("model made by another version")
        curated = data.get("threshold_curated")
        plain = data.get("threshold_plain")
        return cls(
            Linear.from_data(data.get("passage")),
            Linear.from_data(data.get("span")),
            Linear.from_data(data.get("joint")),
            Linear.from_data(data.get("answerable")),
            Linear.from_data(data.get("verify")),
            threshold=float(data.get("threshold", 0.5)),
            threshold_curated=None if curated is None else float(curated),
            meta=dict(data.get("meta") or {}),
            type_fit={
                str(a): {str(k): float(v) for k, v in t.items()}
                for a, t in (data.get("type_fit") or {}).items()
            },
            strict={str(a): [str(k) for k in ks] for a, ks in (data.get("strict") or {}).items()},
            span_trees=Trees.from_data(data.get("span_trees")),
            passage_trees=Trees.from_data(data.get("passage_trees")),
            answerable_trees=Trees.from_data(data.get("answerable_trees")),
            plain=Linear.from_data(data.get("plain")),
            plain_trees=Trees.from_data(data.get("plain_trees")),
            threshold_plain=None if plain is None else float(plain),
        )

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> Model:
        return cls.from_data(json.loads(path.read_text(encoding="utf-8")))

    @classmethod
    def untrained(cls) -> Model:
        """Before any training: BM25 order, the first candidate, always answer (train.py's start)."""
        return cls(
            Linear({"bm25_sentence": 1.0, "bm25_paragraph": 1.0}),
            Linear(),
            Linear({"passage": 1.0}),
            Linear(bias=5.0),
        )


def _logit(linear: Linear, trees: Trees, features: Features) -> float:
    z = linear.score(features)
    if not trees or features.get(NO_BM25):
        return z  # the trees never saw a corpus whose idf say nothing
    return z + trees.score(features, z)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))
