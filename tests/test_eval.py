"""`gpu-brief eval`: the metrics, and the levels the dev set must not fall below."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import CLAIMS, DATA
from gpu_brief.cli import app
from gpu_brief.evaluate import answer_correct, evaluate, read_question_set

# Floors: what the current model measures (README, "Evaluation"), less a question or two, so a
# change that loses ground fails here. Raise them when quality improves. The issue's targets
# (R@1 >= 0.83 held out, out-of-scope abstention >= 0.95 on dev) are not all reached yet.
FLOORS = {
    # dev holds p-, o-, u7-, v7-, w7-, x8-, y8-, z8-, g15-, h15- and i15- since they were folded in as training data
    "dev_questions.yaml": {"fr": {"r@1": 0.90, "r@3": 0.94}, "en": {"r@1": 0.87, "r@3": 0.93}},
    "holdout_questions.yaml": {"fr": {"r@1": 0.81, "r@3": 0.88}, "en": {"r@1": 0.75, "r@3": 0.85}},
    "fresh_p.yaml": {"fr": {"r@1": 0.81, "r@3": 0.90}, "en": {"r@1": 0.86, "r@3": 0.96}},
    "fresh_o.yaml": {"fr": {"r@1": 0.87, "r@3": 0.90}, "en": {"r@1": 0.75, "r@3": 0.89}},
    "fresh_n.yaml": {"fr": {"r@1": 0.75, "r@3": 0.83}, "en": {"r@1": 0.60, "r@3": 0.68}},
    "fresh_r.yaml": {"fr": {"r@1": 0.70, "r@3": 0.77}, "en": {"r@1": 0.77, "r@3": 0.90}},
    "fresh_s.yaml": {"fr": {"r@1": 0.77, "r@3": 0.90}, "en": {"r@1": 0.87, "r@3": 0.90}},
    "fresh_t.yaml": {"fr": {"r@1": 0.74, "r@3": 0.93}, "en": {"r@1": 0.77, "r@3": 0.87}},
    "fresh_a9.yaml": {"fr": {"r@1": 0.67, "r@3": 0.80}, "en": {"r@1": 0.80, "r@3": 0.87}},
    "fresh_b10.yaml": {"fr": {"r@1": 0.74, "r@3": 0.87}, "en": {"r@1": 0.87, "r@3": 0.96}},
    "fresh_c11.yaml": {"fr": {"r@1": 0.80, "r@3": 0.87}, "en": {"r@1": 0.83, "r@3": 0.90}},
    "fresh_d12.yaml": {"fr": {"r@1": 0.83, "r@3": 0.90}, "en": {"r@1": 0.80, "r@3": 0.87}},
    "fresh_e13.yaml": {"fr": {"r@1": 0.87, "r@3": 0.90}, "en": {"r@1": 0.83, "r@3": 0.90}},
    "fresh_f14.yaml": {"fr": {"r@1": 0.83, "r@3": 0.90}, "en": {"r@1": 0.83, "r@3": 0.87}},
    "fresh_m16.yaml": {"fr": {"r@1": 0.83, "r@3": 0.90}, "en": {"r@1": 0.90, "r@3": 0.90}},
    "fresh_n17.yaml": {"fr": {"r@1": 0.87, "r@3": 0.90}, "en": {"r@1": 0.83, "r@3": 0.90}},
    "fresh_o18.yaml": {"fr": {"r@1": 0.74, "r@3": 0.87}, "en": {"r@1": 0.74, "r@3": 0.77}},
    "fresh_p19.yaml": {"fr": {"r@1": 0.93, "r@3": 0.96}, "en": {"r@1": 0.93, "r@3": 0.96}},
    "fresh_q20.yaml": {"fr": {"r@1": 0.77, "r@3": 0.87}, "en": {"r@1": 0.90, "r@3": 0.96}},
    "fresh_r21.yaml": {"fr": {"r@1": 0.93, "r@3": 0.93}, "en": {"r@1": 0.90, "r@3": 0.93}},
    "fresh_s24.yaml": {"fr": {"r@1": 0.77, "r@3": 0.80}, "en": {"r@1": 0.83, "r@3": 0.96}},
    "fresh_v24.yaml": {"fr": {"r@1": 0.77, "r@3": 0.90}, "en": {"r@1": 0.77, "r@3": 0.87}},
    "fresh_w26.yaml": {"fr": {"r@1": 0.83, "r@3": 0.93}, "en": {"r@1": 0.80, "r@3": 0.93}},
    "fresh_x26.yaml": {"fr": {"r@1": 0.74, "r@3": 0.90}, "en": {"r@1": 0.74, "r@3": 0.80}},
    "fresh_y28.yaml": {"fr": {"r@1": 0.74, "r@3": 0.80}, "en": {"r@1": 0.77, "r@3": 0.87}},
    "fresh_z28.yaml": {"fr": {"r@1": 0.87, "r@3": 0.90}, "en": {"r@1": 0.90, "r@3": 0.96}},
    "fresh_a29.yaml": {"fr": {"r@1": 0.87, "r@3": 0.93}, "en": {"r@1": 0.90, "r@3": 0.93}},
    "fresh_b30.yaml": {"fr": {"r@1": 0.77, "r@3": 0.80}, "en": {"r@1": 0.64, "r@3": 0.74}},
    "fresh_c31.yaml": {"fr": {"r@1": 0.85, "r@3": 0.94}, "en": {"r@1": 0.81, "r@3": 0.92}},
    "fresh_d32.yaml": {"fr": {"r@1": 0.92, "r@3": 0.94}, "en": {"r@1": 0.87, "r@3": 0.95}},
    "fresh_e33.yaml": {"fr": {"r@1": 0.83, "r@3": 0.89}, "en": {"r@1": 0.76, "r@3": 0.80}},
    "fresh_f34.yaml": {"fr": {"r@1": 0.82, "r@3": 0.97}, "en": {"r@1": 0.86, "r@3": 1.00}},
    "fresh_g35.yaml": {"fr": {"r@1": 0.85, "r@3": 0.88}, "en": {"r@1": 0.77, "r@3": 0.88}},
    "fresh_h36.yaml": {"fr": {"r@1": 0.87, "r@3": 0.89}, "en": {"r@1": 0.82, "r@3": 0.82}},
    "fresh_i37.yaml": {"fr": {"r@1": 0.84, "r@3": 0.92}, "en": {"r@1": 0.82, "r@3": 1.00}},
    "fresh_j38.yaml": {"fr": {"r@1": 0.87, "r@3": 0.97}, "en": {"r@1": 0.86, "r@3": 0.95}},
    # written for training, measured once, then kept unread as measurement sets (harder: see README)
    "fresh_j15.yaml": {"fr": {"r@1": 0.60, "r@3": 0.72}, "en": {"r@1": 0.80, "r@3": 0.84}},
    "fresh_k15.yaml": {"fr": {"r@1": 0.88, "r@3": 0.92}, "en": {"r@1": 0.84, "r@3": 0.92}},
    "fresh_l15.yaml": {"fr": {"r@1": 0.52, "r@3": 0.72}, "en": {"r@1": 0.60, "r@3": 0.72}},
}
ALL_FLOORS = {
    "dev_questions.yaml": {"false_abstention": 0.04, "oos_abstention": 0.72, "answer_accuracy": 0.78},
    "holdout_questions.yaml": {"false_abstention": 0.09, "oos_abstention": 0.82, "answer_accuracy": 0.72},
    "fresh_p.yaml": {"false_abstention": 0.05, "oos_abstention": 0.68, "answer_accuracy": 0.74},
    "fresh_o.yaml": {"false_abstention": 0.05, "oos_abstention": 0.68, "answer_accuracy": 0.64},
    "fresh_n.yaml": {"false_abstention": 0.08, "oos_abstention": 0.56, "answer_accuracy": 0.52},
    "fresh_r.yaml": {"false_abstention": 0.11, "oos_abstention": 0.68, "answer_accuracy": 0.66},
    "fresh_s.yaml": {"false_abstention": 0.04, "oos_abstention": 0.72, "answer_accuracy": 0.71},
    "fresh_t.yaml": {"false_abstention": 0.06, "oos_abstention": 0.68, "answer_accuracy": 0.56},
    "fresh_a9.yaml": {"false_abstention": 0.12, "oos_abstention": 0.68, "answer_accuracy": 0.55},
    "fresh_b10.yaml": {"false_abstention": 0.04, "oos_abstention": 0.72, "answer_accuracy": 0.68},
    "fresh_c11.yaml": {"false_abstention": 0.09, "oos_abstention": 0.76, "answer_accuracy": 0.74},
    "fresh_d12.yaml": {"false_abstention": 0.08, "oos_abstention": 0.72, "answer_accuracy": 0.62},
    "fresh_e13.yaml": {"false_abstention": 0.09, "oos_abstention": 0.72, "answer_accuracy": 0.68},
    "fresh_f14.yaml": {"false_abstention": 0.05, "oos_abstention": 0.68, "answer_accuracy": 0.70},
    "fresh_m16.yaml": {"false_abstention": 0.09, "oos_abstention": 0.72, "answer_accuracy": 0.70},
    "fresh_n17.yaml": {"false_abstention": 0.07, "oos_abstention": 0.76, "answer_accuracy": 0.62},
    "fresh_o18.yaml": {"false_abstention": 0.13, "oos_abstention": 0.72, "answer_accuracy": 0.64},
    "fresh_p19.yaml": {"false_abstention": 0.04, "oos_abstention": 0.72, "answer_accuracy": 0.83},
    "fresh_q20.yaml": {"false_abstention": 0.05, "oos_abstention": 0.80, "answer_accuracy": 0.66},
    "fresh_r21.yaml": {"false_abstention": 0.04, "oos_abstention": 0.76, "answer_accuracy": 0.72},
    "fresh_s24.yaml": {"false_abstention": 0.09, "oos_abstention": 0.80, "answer_accuracy": 0.69},
    "fresh_v24.yaml": {"false_abstention": 0.09, "oos_abstention": 0.64, "answer_accuracy": 0.56},
    "fresh_w26.yaml": {"false_abstention": 0.07, "oos_abstention": 0.72, "answer_accuracy": 0.69},
    "fresh_x26.yaml": {"false_abstention": 0.09, "oos_abstention": 0.64, "answer_accuracy": 0.64},
    "fresh_y28.yaml": {"false_abstention": 0.10, "oos_abstention": 0.72, "answer_accuracy": 0.54},
    "fresh_z28.yaml": {"false_abstention": 0.05, "oos_abstention": 0.72, "answer_accuracy": 0.79},
    "fresh_a29.yaml": {"false_abstention": 0.04, "oos_abstention": 0.76, "answer_accuracy": 0.79},
    "fresh_b30.yaml": {"false_abstention": 0.15, "oos_abstention": 0.80, "answer_accuracy": 0.59},
    "fresh_c31.yaml": {"false_abstention": 0.05, "oos_abstention": 0.60, "answer_accuracy": 0.69},
    "fresh_d32.yaml": {"false_abstention": 0.05, "oos_abstention": 0.68, "answer_accuracy": 0.74},
    "fresh_e33.yaml": {"false_abstention": 0.09, "oos_abstention": 0.68, "answer_accuracy": 0.69},
    "fresh_f34.yaml": {"false_abstention": 0.02, "oos_abstention": 0.84, "answer_accuracy": 0.69},
    "fresh_g35.yaml": {"false_abstention": 0.09, "oos_abstention": 0.76, "answer_accuracy": 0.64},
    "fresh_h36.yaml": {"false_abstention": 0.09, "oos_abstention": 0.68, "answer_accuracy": 0.79},
    "fresh_i37.yaml": {"false_abstention": 0.00, "oos_abstention": 0.76, "answer_accuracy": 0.70},
    "fresh_j38.yaml": {"false_abstention": 0.02, "oos_abstention": 0.88, "answer_accuracy": 0.77},
    "fresh_j15.yaml": {"false_abstention": 0.20, "oos_abstention": 0.75, "answer_accuracy": 0.52},
    "fresh_k15.yaml": {"false_abstention": 0.08, "oos_abstention": 0.50, "answer_accuracy": 0.64},
    "fresh_l15.yaml": {"false_abstention": 0.12, "oos_abstention": 0.22, "answer_accuracy": 0.32},
}


# the dev set (with p- and o-) is the training data, in-sample; the default run keeps the held-out set and two recent fresh sets of the standard brief; the
# other measurement sets' floors (about 2 s each) run with `-m slow`: the suite stays under two
# minutes on a loaded 2-core machine
_DEFAULT = ("holdout_questions.yaml", "fresh_r21.yaml", "fresh_s24.yaml")


def test_dev_set_size_and_shape() -> None:
    qs = read_question_set(DATA / "dev_questions.yaml").questions
    assert sum(q.lang == "fr" and not q.out_of_scope for q in qs) >= 40
    assert sum(q.lang == "en" and not q.out_of_scope for q in qs) >= 25
    assert sum(q.out_of_scope for q in qs) >= 10


def test_dev_set_quotes_are_verbatim(seed_texts) -> None:  # type: ignore[no-untyped-def]
    for name in (
        "dev_questions.yaml",
        "holdout_questions.yaml",
        *(
            f"fresh_{k}.yaml"
            for k in (
                "p",
                "o",
                "n",
                "r",
                "s",
                "t",
                "a9",
                "b10",
                "c11",
                "d12",
                "e13",
                "f14",
                "j15",
                "k15",
                "l15",
                "m16",
                "n17",
                "o18",
                "p19",
                "q20",
                "r21",
                "s24",
                "v24",
                "w26",
                "x26",
                "y28",
                "z28",
                "a29",
                "b30",
                "c31",
                "d32",
                "e33",
                "f34",
                "g35",
                "h36",
                "i37",
                "j38",
            )
        ),
    ):
        for q in read_question_set(DATA / name).questions:
            for e in q.expect:
                assert e.quote in seed_texts[e.source], (q.id, e.quote)


@pytest.mark.parametrize(
    "name",
    # the dev set (in-sample, 1,500 questions, 20 s) and most measurement sets: `-m slow`
    [n if n in _DEFAULT else pytest.param(n, marks=pytest.mark.slow) for n in FLOORS],
)
def test_answers_do_not_regress(answerer, name: str) -> None:  # type: ignore[no-untyped-def]
    from gpu_brief.render import answer_dict

    rows = {
        r["group"]: r
        for r in evaluate(read_question_set(DATA / name), lambda q: answer_dict(answerer.ask(q))).rows()
    }
    for lang, floors in FLOORS[name].items():
        for metric, floor in floors.items():
            assert rows[lang][metric] >= floor, (lang, metric, rows[lang][metric])
    limits = ALL_FLOORS[name]
    assert rows["all"]["false_abstention"] <= limits["false_abstention"], rows["all"]
    assert rows["all"]["oos_abstention"] >= limits["oos_abstention"], rows["all"]
    assert rows["all"]["answer_accuracy"] >= limits["answer_accuracy"], rows["all"]


def test_answer_spans_must_be_tight() -> None:
    assert answer_correct("environ 80 %", "80 %")
    assert not answer_correct(
        "Le marché des puces IA est actuellement dominé par Nvidia, qui représente environ "
        "80 % du marché mondial des puces IA.",
        "80 %",
    )
    assert answer_correct("plateforme X", "la plateforme X")  # a leading article aside
    assert not answer_correct("X", "la plateforme X")


def test_eval_command_reports_per_language(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import yaml

    data = yaml.safe_load((DATA / "dev_questions.yaml").read_text(encoding="utf-8"))
    some = [q for q in data["questions"] if q["lang"] == "fr"][:6] + [
        q for q in data["questions"] if q["lang"] == "en"
    ][:6]
    small = tmp_path / "some.yaml"
    small.write_text(yaml.safe_dump({**data, "questions": some}, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(
        app, ["eval", str(small), "--claims", str(CLAIMS), "--format", "json"], catch_exceptions=False
    )
    assert result.exit_code == 0
    got = json.loads(result.stdout)
    assert [r["group"] for r in got["metrics"]] == ["fr", "en", "all"]
    # every question, not only the misses (a twelfth trial: answer_ok was never shown otherwise)
    assert [q["id"] for q in got["questions"]] == [q["id"] for q in some]
    assert {"answer", "answer_ok", "rank", "abstained", "missed"} <= set(got["questions"][0])


def _eval_one(tmp_path: Path, question: str, expect: str) -> Any:
    """`eval` of a one-question set on the bundled corpus (`expect`: its YAML from "expect:" on)."""
    from typer.testing import CliRunner

    path = tmp_path / "set.yaml"
    path.write_text(
        f"version: 1\nquestions:\n- id: q1\n  lang: fr\n  question: {question}\n{expect}", encoding="utf-8"
    )
    return CliRunner().invoke(app, ["eval", str(path)])


def test_a_quote_no_claim_holds_is_named_in_a_warning(tmp_path: Path) -> None:
    """A thirteenth trial: a quote spanning two sentences was accepted and silently a miss."""
    result = _eval_one(
        tmp_path,
        "Pourquoi OpenAI a-t-il reporté GPT-4.5 ?",
        "  expect:\n  - source: 000_d8502b6f6bccabaa.txt\n    quote: de GPU (cartes graphiques). OpenAI prévoit\n",
    )
    assert (
        result.exit_code in (0, 1)
        and "q1: quote 'de GPU (cartes graphiques). OpenAI prévoit' is in no claim" in result.stderr
    )


def test_a_quote_written_without_its_accents_is_named_in_a_warning(tmp_path: Path) -> None:
    """A twenty-fourth trial: "Le maire de Sarrabere" (the source writes "Sarrabère") was accepted
    without a word, though quotes are verbatim; it is still judged (folded), with a warning."""
    result = _eval_one(
        tmp_path,
        "Pourquoi OpenAI a-t-il reporté GPT-4.5 ?",
        "  expect:\n  - source: 000_d8502b6f6bccabaa.txt\n    quote: en raison d'une penurie de GPU\n",
    )
    assert result.exit_code == 0 and "only with its accents or case set aside" in result.stderr
    verbatim = _eval_one(
        tmp_path,
        "Pourquoi OpenAI a-t-il reporté GPT-4.5 ?",
        "  expect:\n  - source: 000_d8502b6f6bccabaa.txt\n    quote: en raison d’une pénurie de GPU\n",
    )
    assert verbatim.exit_code == 0 and "set aside" not in verbatim.stderr  # a curly or straight apostrophe


def test_an_answer_outside_its_quotes_sentence_is_named_in_a_warning(tmp_path: Path) -> None:
    """A fifteenth trial: quote "Franck Darrieux" and answer "Gwenaëlle Le Goff" (a name of
    another sentence) were accepted without a word; the question then missed its span."""
    expect = "  expect:\n  - source: 003_9bd70b1a36d343ca.txt\n    quote: Sam Altman\n  answer: {}\n"
    result = _eval_one(tmp_path, "Qui dirige OpenAI ?", expect.format("Nvidia"))
    assert (
        result.exit_code in (0, 1) and "q1: answer 'Nvidia' is in no sentence of its quotes" in result.stderr
    )
    result = _eval_one(tmp_path, "Qui dirige OpenAI ?", expect.format("Sam Altman"))
    assert "is in no sentence" not in result.stderr
    # a twenty-third trial: the answer is the name the quote's "ce dernier" stands for
    quote = "  expect:\n  - source: 003_9bd70b1a36d343ca.txt\n    quote: ce dernier est Directeur et cofondateur\n"
    result = _eval_one(tmp_path, "Qui a cofondé Run AI ?", quote + "  answer: Romen Dar\n")
    assert result.exit_code in (0, 1) and "is in no sentence" not in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (  # a twelfth trial: an answer the article never says was scored as a miss, quietly
            "  expect:\n  - source: 003_9bd70b1a36d343ca.txt\n    quote: Sam Altman\n  answer: Zorglub\n",
            "q1: answer 'Zorglub' is not in 003_9bd70b1a36d343ca.txt",
        ),
        (
            "  out_of_scope: true\n- id: q1\n  lang: fr\n  question: Et ?\n  out_of_scope: true\n",
            "set.yaml: question id 'q1' is used twice",  # not ": : Value error, question id" (a trial)
        ),
        ('  out_of_scope: "oui\n', "invalid YAML: while scanning a quoted scalar (line 6, column 17)"),
        (  # a nineteenth trial: "questions.1.lang" is hard to find in a 54-question file
            "  out_of_scope: true\n- id: t19-n08\n  lang: de\n  question: Wer ?\n  out_of_scope: true\n",
            "set.yaml: question t19-n08 (lang): Input should be 'fr' or 'en'",
        ),
        ("", "set.yaml: question q1: needs `expect`"),  # a twentieth trial: "question a: a: needs"
        (  # a twenty-fifth trial: "question a (question): Field required", pydantic's words
            "  out_of_scope: true\n- id: q2\n  lang: fr\n  out_of_scope: true\n",
            "set.yaml: question q2: no `question:` (it is required)",
        ),
    ],
)
def test_a_question_set_with_a_bad_answer_id_or_yaml_is_an_error(
    tmp_path: Path, body: str, message: str
) -> None:
    from typer.testing import CliRunner

    path = tmp_path / "set.yaml"
    path.write_text(
        "version: 1\nquestions:\n- id: q1\n  lang: fr\n  question: Qui ?\n" + body, encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["eval", str(path)])
    assert result.exit_code == 2 and message in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("source", "quote", "message"),
    [
        ("000_d8502b6f6bccabaa.txt", "une pénurie qui n'y est pas", "is not in 000_d8502b6f6bccabaa.txt"),
        ("000_nope.txt", "pénurie de GPU", "no source '000_nope.txt'"),
        (  # a twenty-fifth trial wrote a subfolder's file by its name: the path is suggested
            "sub/000_d8502b6f6bccabaa.txt",
            "pénurie de GPU",
            "(did you mean '000_d8502b6f6bccabaa.txt'? a source is named by its path in the folder)",
        ),
    ],
)
def test_an_expectation_the_corpus_cannot_meet_is_an_error(
    tmp_path: Path, source: str, quote: str, message: str
) -> None:
    # a typo in a hand-written set would otherwise count as a miss and lower the scores quietly
    from typer.testing import CliRunner

    path = tmp_path / "set.yaml"
    path.write_text(
        "version: 1\nquestions:\n- id: q1\n  lang: fr\n  question: Pourquoi OpenAI a-t-il reporté GPT-4.5 ?\n"
        f"  expect:\n  - source: {source}\n    quote: {quote}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["eval", str(path)])
    assert result.exit_code == 2 and "q1" in result.stderr and message in result.stderr


def test_a_claim_cited_for_the_one_it_names_ce_dernier_in_is_one_passage_with_it() -> None:
    """An answer through "ce dernier" cites the claim naming the person first and the claim saying
    the fact right after: the fact's claim is the right passage first, not second."""
    from gpu_brief.evaluate import judge
    from gpu_brief.models import EvalQuestion

    q = EvalQuestion.model_validate(
        {"id": "x-1", "lang": "fr", "question": "Qui restera à la tête de Lumenis ?",
         "expect": [{"source": "a.txt", "quote": "Ce dernier restera à la tête"}], "answer": "Karim Benali"}
    )  # fmt: skip
    named = {"claim_id": "t-1", "source": "a.txt", "line": 1, "text": "Lumenis est dirigée par Karim Benali.", "context_of": "t-2"}  # fmt: skip
    fact = {"claim_id": "t-2", "source": "a.txt", "line": 1, "text": "Ce dernier restera à la tête de la filiale."}  # fmt: skip
    other = {"claim_id": "t-9", "source": "a.txt", "line": 3, "text": "Autre chose."}
    answer = {"abstained": False, "answer": "Karim Benali"}
    assert judge(q, {**answer, "citations": [named, fact]}).rank == 1
    assert judge(q, {**answer, "citations": [other, named, fact]}).rank == 2
    assert judge(q, {**answer, "citations": [other, fact]}).rank == 2


def test_eval_details_give_each_failure_its_whole_expected_quote(runner, tmp_path, seed_texts) -> None:  # type: ignore[no-untyped-def]
    """A trial could not search for an expected passage `eval --details` had cut at 40 characters."""
    import json

    from gpu_brief.cli import app

    source, text = sorted(seed_texts.items())[0]
    quote = text.split("\n", 1)[0][:80].strip()
    qs = tmp_path / "q.yaml"
    qs.write_text(
        "version: 1\nquestions:\n- id: x-1\n  lang: fr\n  question: Quel est le cours du Bitcoin ?\n"
        f"  expect:\n  - source: {source}\n    quote: {json.dumps(quote, ensure_ascii=False)}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["eval", str(qs), "--details", "--format", "json"])
    failures = json.loads(result.stdout)["failures"]
    assert [f["id"] for f in failures] == ["x-1"] and failures[0]["expected"] == f"{source}:{quote}"


def test_eval_details_text_gives_each_answer_whole(runner, tmp_path, seed_texts) -> None:  # type: ignore[no-untyped-def]
    """The text cut answers at 90 characters without a mark; the JSON had them whole."""
    import json

    from gpu_brief.cli import app

    # answered with Alex White's whole quotation (140 characters), expected elsewhere: a failure
    other = sorted(seed_texts)[0]
    quote = seed_texts[other].split("\n", 1)[0][:60].strip()
    qs = tmp_path / "q.yaml"
    qs.write_text(
        "version: 1\nquestions:\n- id: x-1\n  lang: fr\n  question: Que dit Alex White sur la fabrication de puces ?\n"
        f"  expect:\n  - source: {other}\n    quote: {json.dumps(quote, ensure_ascii=False)}\n",
        encoding="utf-8",
    )
    data = json.loads(runner.invoke(app, ["eval", str(qs), "--details", "--format", "json"]).stdout)
    text = runner.invoke(app, ["eval", str(qs), "--details"]).stdout
    answer = data["failures"][0]["answer"]
    assert len(answer) > 90
    assert " ".join(answer.split()) in " ".join(text.split())
    # in words, not Python's reprs ("got rank None ... abstained=False", a trial)
    assert "None" not in text and "abstained=" not in text and "answered «" in text


def _details_of(answer: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """`eval --details` of a one-question set answered `answer` (a near miss: always shown)."""
    from gpu_brief.render import print_eval

    qs = tmp_path / "q.yaml"
    qs.write_text(
        "version: 1\nquestions:\n- id: x-1\n  lang: fr\n  question: Qui ?\n  out_of_scope: true\n",
        encoding="utf-8",
    )
    given = {"abstained": False, "answer": answer, "citations": []}
    print_eval(evaluate(read_question_set(qs), lambda q: given), "text", details=True)
    return capsys.readouterr().out


def test_eval_details_shows_a_hard_wrapped_answers_line_breaks_as_spaces(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A nineteenth trial: answers from a hard-wrapped file read «rappelle que le syndicat n'a\\n
    toujours ...» in `eval --details`, while `ask` shows the break as a space."""
    out = _details_of("le syndicat n'a\ntoujours pas", tmp_path, capsys)
    assert "«le syndicat n'a toujours pas»" in " ".join(out.split()) and "\\n" not in out


def test_eval_details_quotes_an_answer_once_and_a_folder_is_no_question_set(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A twenty-first trial: `eval --details` printed «« dans les prochaines semaines »» (a
    quotation given as the answer), and `eval FOLDER` said "cannot read: Is a directory"."""
    from gpu_brief.errors import InputError

    out = " ".join(_details_of("« dans les prochaines semaines »", tmp_path, capsys).split())
    assert "answered « dans les prochaines semaines »" in out and "««" not in out
    with pytest.raises(InputError, match="is a folder, not a question set"):
        read_question_set(tmp_path)


def test_the_users_folders_benchmark_holds_its_articles_and_question_sets() -> None:
    """benchmarks/user_folders.py reads them: every set loads, every cited article is there and
    holds its quote, one of them says the expected answer (two articles may state one fact in
    other words), every trial has near misses."""
    root = Path(__file__).resolve().parent.parent / "benchmarks" / "user_folders"
    folders = sorted(p for p in root.iterdir() if p.is_dir())
    assert len(folders) >= 13
    for folder in folders:
        questions = read_question_set(folder / "questions.yaml").questions
        assert any(q.out_of_scope for q in questions), folder.name
        for q in questions:
            texts = [(folder / "articles" / e.source).read_text(encoding="utf-8-sig") for e in q.expect or []]
            assert all(
                " ".join(e.quote.split()) in " ".join(t.split())
                for e, t in zip(q.expect or [], texts, strict=True)
            )
            assert q.answer is None or any(q.answer in t for t in texts), (folder.name, q.id)


def test_an_empty_question_set_is_bad_input(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A trial's `questions: []` printed a table of dashes and exited 0."""
    empty = tmp_path / "empty.yaml"
    empty.write_text("version: 1\nquestions: []\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(empty)])
    assert result.exit_code == 2 and "no questions" in result.stderr


def test_a_question_set_not_in_utf8_names_its_encoding_and_the_fix(tmp_path: Path) -> None:
    """A twentieth trial: a UTF-16 set gave Python's "'utf-8' codec can't decode byte 0xff"."""
    from typer.testing import CliRunner

    path = tmp_path / "set.yaml"
    path.write_bytes("version: 1\nquestions: []\n".encode("utf-16"))
    result = CliRunner().invoke(app, ["eval", str(path)])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "looks like UTF-16" in result.stderr and "iconv -f UTF-16 -t UTF-8" in result.stderr
