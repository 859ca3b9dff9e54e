"""The span trees: read from a LightGBM dump, scored with the standard library, and applied only
to the best few candidates of a passage."""

from __future__ import annotations

import pytest

from gpu_brief.qa.model import Model
from gpu_brief.qa.trees import LINEAR, Trees


def _leaf(value: float) -> dict:
    return {"leaf_value": value}


def _split(feature: int, threshold: float, left: dict, right: dict, missing: str = "None") -> dict:
    return {
        "split_feature": feature,
        "threshold": threshold,
        "decision_type": "<=",
        "missing_type": missing,
        "left_child": left,
        "right_child": right,
    }


DUMP = {
    "tree_info": [
        # tree 1 reads "between", then the linear score
        {"tree_structure": _split(1, 0.5, _leaf(-0.25), _split(0, 2.0, _leaf(0.5), _leaf(1.0)))},
        # tree 2 reads only the linear score; "unused" is read by no split
        {"tree_structure": _split(0, 0.0, _leaf(-1.0), _leaf(0.125))},
    ]
}
NAMES = [LINEAR, "between", "unused"]


def test_a_lightgbm_dump_is_read_into_flat_nodes_and_scored_as_it_splits() -> None:
    trees = Trees.from_lightgbm(DUMP, NAMES, top=2)
    assert trees.names == ["between", LINEAR]  # only what some split reads, in the order read
    assert trees.score({}, 1.0) == pytest.approx(-0.25 + 0.125)
    assert trees.score({"between": 1.0}, 1.0) == pytest.approx(0.5 + 0.125)
    assert trees.score({"between": 1.0}, 3.0) == pytest.approx(1.0 + 0.125)
    assert trees.score({"between": 1.0}, -1.0) == pytest.approx(0.5 - 1.0)
    assert trees.score({"between": 0.5}, 1.0) == pytest.approx(-0.25 + 0.125)  # <= goes left


def test_splits_answering_cannot_read_are_refused() -> None:
    zero = {"tree_info": [{"tree_structure": _split(0, 0.5, _leaf(0.0), _leaf(1.0), missing="Zero")}]}
    with pytest.raises(ValueError, match="unsupported split"):
        Trees.from_lightgbm(zero, NAMES, top=2)


def test_only_the_best_few_candidates_are_rescored_and_the_rest_stay_below_them() -> None:
    trees = Trees.from_lightgbm(DUMP, NAMES, top=2)
    scored = [({}, 1.0), ({"between": 1.0}, 3.0), ({"between": 1.0}, 2.5), ({}, -4.0)]
    out = trees.rescore(scored)
    assert out[1] == pytest.approx(3.0 + 1.125) and out[2] == pytest.approx(2.5 + 1.125)
    assert out[0] < min(out[1], out[2]) and out[3] == -4.0  # never rescored: kept under the floor
    assert out[0] > out[3]  # their own order kept


def test_no_trees_leave_the_linear_scores() -> None:
    assert not Trees()
    assert Trees().rescore([({}, 1.0), ({}, 2.0)]) == [1.0, 2.0]


def test_the_trees_survive_the_model_file() -> None:
    model = Model.load()
    assert model.span_trees and model.span_trees.top > 0
    again = Model.from_data(model.to_data())
    assert again.span_trees == model.span_trees


def test_the_passage_trees_survive_the_model_file_and_reorder_the_passages(answerer) -> None:  # type: ignore[no-untyped-def]
    """The passage trees correct the best few passages' linear scores, as the span trees do the
    candidates': the order a question's passages get is the corrected one."""
    model = answerer.model
    assert model.passage_trees and model.passage_trees.top > 0
    assert Model.from_data(model.to_data()).passage_trees == model.passage_trees
    analysis = answerer.analyse("Why did OpenAI have to delay GPT-4.5?", spans=False)
    linear = [model.passage.score(p.features) for p in analysis.passages]
    expected = model.passage_trees.rescore(
        [(p.features, s) for p, s in zip(analysis.passages, linear, strict=True)]
    )
    assert [p.logit for p in analysis.passages] == sorted(expected, reverse=True)
