"""`gpu-brief eval`: the metrics, and the levels the dev set must not fall below."""

from __future__ import annotations

import json

from conftest import CLAIMS, DATA
from gpu_brief.cli import app
from gpu_brief.evaluate import answer_correct, evaluate, read_question_set

# The issue's targets are R@1 0.95 (fr) / 0.85 (en), R@3 0.95, OOS 0.9, false abstention 0.05,
# spans 0.9; these floors are what the current version measures (README, "Evaluation"), so a
# change that loses ground fails here. Raise them when quality improves.
FLOORS = {"fr": {"r@1": 0.95, "r@3": 0.97}, "en": {"r@1": 0.89, "r@3": 0.95}}


def test_dev_set_size_and_shape() -> None:
    qs = read_question_set(DATA / "dev_questions.yaml").questions
    assert sum(q.lang == "fr" and not q.out_of_scope for q in qs) >= 40
    assert sum(q.lang == "en" and not q.out_of_scope for q in qs) >= 25
    assert sum(q.out_of_scope for q in qs) >= 10


def test_dev_set_quotes_are_verbatim(seed_texts) -> None:  # type: ignore[no-untyped-def]
    for name in ("dev_questions.yaml", "holdout_questions.yaml"):
        for q in read_question_set(DATA / name).questions:
            for e in q.expect:
                assert e.quote in seed_texts[e.source], (q.id, e.quote)


def test_dev_set_does_not_regress(answerer) -> None:  # type: ignore[no-untyped-def]
    from gpu_brief.render import answer_dict

    rows = {
        r["group"]: r
        for r in evaluate(
            read_question_set(DATA / "dev_questions.yaml"), lambda q: answer_dict(answerer.ask(q))
        ).rows()
    }
    for lang, floors in FLOORS.items():
        for metric, floor in floors.items():
            assert rows[lang][metric] >= floor, (lang, metric, rows[lang][metric])
    assert rows["all"]["false_abstention"] <= 0.05
    assert rows["all"]["oos_abstention"] >= 0.9
    assert rows["all"]["answer_accuracy"] >= 0.9


def test_answer_spans_must_be_tight() -> None:
    assert answer_correct("environ 80 %", "80 %")
    assert not answer_correct(
        "Le marché des puces IA est actuellement dominé par Nvidia, qui représente environ "
        "80 % du marché mondial des puces IA.",
        "80 %",
    )
    assert answer_correct("plateforme X", "la plateforme X")  # a leading article aside
    assert not answer_correct("X", "la plateforme X")


def test_eval_command_reports_per_language(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        app,
        ["eval", str(DATA / "dev_questions.yaml"), "--claims", str(CLAIMS), "--format", "json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0
    groups = [r["group"] for r in json.loads(result.stdout)["metrics"]]
    assert groups == ["fr", "en", "all"]
