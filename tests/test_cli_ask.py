"""`gpu-brief ask`: the JSON contract, formats, batches, exit codes, grounding checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import CLAIMS, ingest_to
from gpu_brief.cli import app
from gpu_brief.models import AnswerRecord

CONTRACT = {"question", "answer", "abstained", "citations"}
CITATION = {"claim_id", "source", "start", "end", "line", "text", "score"}


def ask_json(runner, *args: str, claims: Path = CLAIMS) -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        app, ["ask", *args, "--claims", str(claims), "--format", "json"], catch_exceptions=False
    )
    return result.exit_code, json.loads(result.stdout)


def test_json_contract_and_verbatim_citations(runner, seed_texts) -> None:  # type: ignore[no-untyped-def]
    code, data = ask_json(runner, "Pourquoi OpenAI a-t-il reporté GPT-4.5 ?")
    assert code == 0
    assert data.keys() >= CONTRACT
    AnswerRecord.model_validate(data)
    assert not data["abstained"] and 1 <= len(data["citations"]) <= 5
    for c in data["citations"]:
        assert c.keys() >= CITATION
        assert isinstance(c["score"], float) and isinstance(c["start"], int)
        assert seed_texts[c["source"]][c["start"] : c["end"]] == c["text"]
    scores = [c["score"] for c in data["citations"]]
    assert data["citations"][0]["source"] == "000_d8502b6f6bccabaa.txt"
    assert "pénurie de GPU" in data["answer"]
    assert len(scores) == len(set(c["claim_id"] for c in data["citations"]))


def test_top_limits_citations(runner) -> None:  # type: ignore[no-untyped-def]
    code, data = ask_json(runner, "How much does an H100 cost?", "--top", "3")
    assert code == 0 and len(data["citations"]) <= 3
    assert "30" in data["answer"] and "603" in data["answer"]


def test_out_of_scope_abstains_with_exit_1_and_no_citation(runner) -> None:  # type: ignore[no-untyped-def]
    code, data = ask_json(runner, "Quel est le cours du Bitcoin ?")
    assert code == 1
    assert data["abstained"] and data["citations"] == []
    assert data["answer"] == "No grounded answer in the corpus"
    assert "Bitcoin" in data["not_found"]


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        # no name the corpus knows, and half the question's words it never uses
        ("Comment prépare-t-on une ratatouille ?", "ratatouille"),
        ("How do I make crepe batter?", "batter"),
        # an age: no article gives one
        ("How old is Sam Altman?", "How old"),
    ],
)
def test_off_topic_words_are_not_answered_by_one_word_in_common(runner, question: str, unknown: str) -> None:  # type: ignore[no-untyped-def]
    code, data = ask_json(runner, question)
    assert code == 1 and data["abstained"] and data["citations"] == []
    assert unknown in data["not_found"]


def test_source_option_restricts_citations(runner) -> None:  # type: ignore[no-untyped-def]
    code, data = ask_json(runner, "GPU", "--source", "003_9bd70b1a36d343ca.txt")
    assert code == 0 and {c["source"] for c in data["citations"]} == {"003_9bd70b1a36d343ca.txt"}


def test_unknown_source_is_bad_input(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["ask", "GPU", "--claims", str(CLAIMS), "--source", "003.txt"])
    assert (
        result.exit_code == 2
        and "003_9bd70b1a36d343ca.txt" in result.output
        and "no such source" in result.output
    )


def test_questions_file_gives_json_lines_in_order(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    questions = [
        "Combien coûte l'abonnement Plus ?",
        "Who won the 2024 US election?",
        "Quelle part du marché Nvidia détient-elle ?",
    ]
    path = tmp_path / "q.txt"
    path.write_text("# comment\n" + "\n\n".join(questions) + "\n", encoding="utf-8")
    result = runner.invoke(
        app,
        ["ask", "--questions", str(path), "--claims", str(CLAIMS), "--format", "json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["question"] for d in lines] == questions
    assert [d["abstained"] for d in lines] == [False, True, False]


def test_questions_from_stdin(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        app,
        ["ask", "--questions", "-", "--claims", str(CLAIMS), "--format", "json"],
        input="Qui est Stacy Rasgon ?\n",
    )
    assert result.exit_code == 0 and json.loads(result.stdout)["citations"]


def test_a_batch_where_everything_abstains_exits_1(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        app,
        ["ask", "--questions", "-", "--claims", str(CLAIMS)],
        input="Recette de la blanquette ?\nWeather in Paris tomorrow?\n",
    )
    assert result.exit_code == 1


def test_text_output_shows_answer_then_numbered_citations(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        app,
        ["ask", "Quelle part du marché Nvidia détient-elle ?", "--claims", str(CLAIMS)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0
    out = result.stdout
    assert out.index("A: ") < out.index("[1] ")
    assert "002_e1a2d2aab521faef.txt:8" in out
    assert "also in 001_6ce2a5385cf9571f.txt:5" in out


def test_markdown_format_has_footnotes(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        app,
        ["ask", "Combien coûte un H100 ?", "--claims", str(CLAIMS), "--format", "markdown"],
        catch_exceptions=False,
    )
    assert "**Answer:**" in result.stdout and "[^1]: `003_9bd70b1a36d343ca.txt`" in result.stdout


@pytest.mark.parametrize("args", [[], ["two", "--questions", "-"], [""], ["x" * 2000]])
def test_bad_usage_is_exit_2(runner, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["ask", *args, "--claims", str(CLAIMS)], input="")
    assert result.exit_code == 2


def test_a_source_edited_after_ingest_is_an_error_not_a_wrong_quote(
    runner, tmp_path: Path, corpus: Path
) -> None:  # type: ignore[no-untyped-def]
    claims = tmp_path / "claims.yaml"
    ingest_to(corpus, claims)
    path = corpus / "002_e1a2d2aab521faef.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("80 %", "90 %"), encoding="utf-8")
    result = runner.invoke(
        app, ["ask", "Quelle part du marché Nvidia détient-elle ?", "--claims", str(claims)]
    )
    assert result.exit_code == 2
    assert "changed since ingest" in result.output and "gpu-brief ingest" in result.output
    assert "90 %" not in result.output


def test_output_file_is_not_overwritten_without_force(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "answer.md"
    out.write_text("keep me", encoding="utf-8")
    args = ["ask", "GPU ?", "--claims", str(CLAIMS), "--format", "markdown", "-o", str(out)]
    assert runner.invoke(app, args).exit_code == 2
    assert out.read_text(encoding="utf-8") == "keep me"
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0
    assert "**Answer:**" in out.read_text(encoding="utf-8")


def test_output_never_overwrites_a_source_or_the_claims_file(runner, tmp_path: Path, corpus: Path) -> None:  # type: ignore[no-untyped-def]
    claims = tmp_path / "claims.yaml"
    ingest_to(corpus, claims)
    source = corpus / "000_d8502b6f6bccabaa.txt"
    before = source.read_bytes()
    for target in (source, claims):
        result = runner.invoke(app, ["ask", "GPU ?", "--claims", str(claims), "-o", str(target), "--force"])
        assert result.exit_code == 2
    assert source.read_bytes() == before


@pytest.mark.parametrize("question", ["Qui est le PDG d'OpenAI ?", "Who is the CEO of OpenAI?"])
def test_a_role_in_the_question_names_the_answer(runner, question: str) -> None:  # type: ignore[no-untyped-def]
    code, data = ask_json(runner, question)
    assert code == 0 and data["answer"] == "Sam Altman"


def test_citations_are_best_first_by_their_score(runner) -> None:  # type: ignore[no-untyped-def]
    for question in ("Quand OpenAI a-t-il lancé GPT-4.5 ?", "How much does an H100 cost?", "GPU"):
        _, data = ask_json(runner, question, "--top", "10")
        scores = [c["score"] for c in data["citations"]]
        assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_output_file_holds_the_answer_and_stdout_stays_quiet(runner, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / f"answer.{fmt}"
    result = runner.invoke(
        app,
        ["ask", "Combien coûte un H100 ?", "--claims", str(CLAIMS), "--format", fmt, "-o", str(out)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0
    assert "30" in out.read_text(encoding="utf-8") and "603" in out.read_text(encoding="utf-8")
    assert result.stdout == ""
    assert "wrote" in result.stderr


@pytest.mark.parametrize(
    "question", ["Qui dirige OpenAI ?", "Qui est le patron d'OpenAI ?", "Who is OpenAI's boss?"]
)
def test_a_role_said_in_other_words_still_names_the_person(runner, question: str) -> None:  # type: ignore[no-untyped-def]
    code, data = ask_json(runner, question)
    assert code == 0 and data["answer"] == "Sam Altman"
    first = data["citations"][0]
    assert "Altman" in first["text"] and ("PDG" in first["text"] or "fondateur" in first["text"])
    scores = [c["score"] for c in data["citations"]]
    assert scores == sorted(scores, reverse=True)


def test_a_role_of_someone_else_is_not_that_person(runner) -> None:  # type: ignore[no-untyped-def]
    code, data = ask_json(runner, "Who is the CEO of OpenAI's rival Cohere?")
    assert code == 0 and data["answer"] == "Aidan Gomez"


@pytest.mark.parametrize(
    "question",
    ["Qui a fondé Broadcom ?", "Quand Microsoft a-t-il été fondé ?", "Où se trouve le siège de Broadcom ?"],
)
def test_names_without_the_relation_asked_are_no_answer(runner, question: str) -> None:  # type: ignore[no-untyped-def]
    code, data = ask_json(runner, question)
    assert code == 1 and data["abstained"] and data["citations"] == []


def test_piped_text_output_quotes_each_citation_whole(runner) -> None:  # type: ignore[no-untyped-def]
    question = "Pourquoi OpenAI a-t-il reporté GPT-4.5 ?"
    _, data = ask_json(runner, question)
    # CliRunner's output is a pipe, not a terminal: quotes are whole lines, not cut at 80 columns
    result = runner.invoke(app, ["ask", question, "--claims", str(CLAIMS)])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    for citation in data["citations"]:
        assert any(citation["text"] in line for line in lines)


def test_a_year_asked_is_answered_by_a_year_not_by_many_years(runner) -> None:  # type: ignore[no-untyped-def]
    code, data = ask_json(runner, "Depuis quelle année Microsoft travaille-t-il sur sa propre puce ?")
    assert code == 0 and "2019" in data["answer"]


def test_a_count_of_something_the_passage_does_not_count_abstains(runner) -> None:  # type: ignore[no-untyped-def]
    for question in ("Combien d'employés compte OpenAI ?", "Combien de salariés travaillent chez OpenAI ?"):
        code, data = ask_json(runner, question)
        assert code == 1 and data["abstained"], question


def test_a_share_no_passage_gives_abstains(runner) -> None:  # type: ignore[no-untyped-def]
    """Nvidia's share is given (about 80 %), AMD's is not: a passage naming AMD is no answer."""
    code, data = ask_json(runner, "What is AMD's share of the AI chip market?")
    assert code == 1 and data["abstained"]
    code, data = ask_json(runner, "What is Nvidia's share of the AI chip market?")
    assert code == 0 and data["answer"] == "environ 80 %"


@pytest.mark.parametrize(
    "question",
    [
        "What was Nvidia's data center revenue last quarter?",
        "Quel est le chiffre d'affaires annuel d'OpenAI ?",
        "What is OpenAI's latest valuation?",
    ],
)
def test_a_revenue_or_a_valuation_is_not_a_price(runner, question: str) -> None:  # type: ignore[no-untyped-def]
    """The corpus gives prices and costs, never a revenue nor a valuation: no answer."""
    code, data = ask_json(runner, question)
    assert code == 1 and data["abstained"]


def test_people_are_not_counted_by_a_count_of_things(runner) -> None:  # type: ignore[no-untyped-def]
    """The passage on tens of thousands of GPUs names the Plus subscribers, but does not count them."""
    for question in (
        "Combien d'abonnés payants compte ChatGPT Plus ?",
        "How many paying subscribers does ChatGPT Plus have?",
    ):
        code, data = ask_json(runner, question)
        assert code == 1 and data["abstained"], question
    code, data = ask_json(runner, "How many monthly active users does ChatGPT have?")
    assert code == 0 and data["answer"].startswith("100 millions")


@pytest.mark.parametrize(
    "question",
    [
        # the only place is Colossus's, in a clause about Elon Musk ("tandis que ...")
        "Where is the $100 billion Microsoft-OpenAI supercomputer being built?",
        # the best passage has no amount; the one that has ("permettre à Google d'économiser des
        # milliards") covers a third as much of the question and names neither OpenAI nor Broadcom
        "Combien OpenAI paie-t-il Broadcom pour le développement de ses puces ?",
    ],
)
def test_a_runner_up_far_from_the_question_does_not_answer_it(runner, question: str) -> None:  # type: ignore[no-untyped-def]
    code, data = ask_json(runner, question)
    assert code == 1 and data["abstained"], data["answer"]


def test_a_figure_of_another_clause_does_not_answer(runner) -> None:  # type: ignore[no-untyped-def]
    """ "OpenAI et Microsoft ... 100 milliards de dollars, tandis que ... Colossus ... un million
    de GPU": the GPUs of Microsoft's machine for OpenAI are the 10 000 of another article."""
    code, data = ask_json(
        runner, "Combien de GPU Nvidia équipent la machine construite par Microsoft pour OpenAI ?"
    )
    assert code == 0 and data["answer"] == "10 000 GPU de Nvidia"


def test_what_a_thing_is_called_meets_nommee(runner) -> None:  # type: ignore[no-untyped-def]
    code, data = ask_json(runner, "Comment s'appelle la puce d'IA maison de Microsoft ?")
    assert code == 0 and data["answer"] == "Athena"


def test_a_trailing_quoi_asks_for_the_object_of_the_verb_before_it(runner) -> None:  # type: ignore[no-untyped-def]
    code, data = ask_json(runner, "à part fabriquer ses puces, openai compte diversifier quoi ?")
    assert code == 0 and data["answer"] == "ses fournisseurs"


def test_an_open_question_is_answered_by_the_phrase_after_its_words(runner) -> None:  # type: ignore[no-untyped-def]
    code, data = ask_json(runner, "Sur quels leviers devront porter les futurs progrès des modèles ?")
    assert code == 0
    # what follows the question's words, the whole list: not the claim, nor its first item only
    assert data["answer"].endswith(
        "l’architecture des modèles, l’efficacité des données et les techniques algorithmiques"
    )
    assert not data["answer"].startswith("Les prochaines améliorations")


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("Who is Stacy Rasgon?", "analyste chez Bernstein"),  # what a person is
        ("qui est romen dar ?", "Directeur et cofondateur de Run AI"),  # said of "ce dernier"
        ("Who is Satya Nadella?", "PDG de Microsoft"),  # the role the passage gives him
        ("Who is OpenAI's main investor?", "Microsoft"),  # a name asked, not a description
        ("Which tech site was cited as the source for the GPT-4.5 rollout delay?", "TomsHardware"),
        ("Building its own AI chips would put OpenAI alongside which tech giants?", "Google et Amazon"),
    ],
)
def test_who_answers_are_the_name_or_description_asked(runner, question: str, answer: str) -> None:  # type: ignore[no-untyped-def]
    code, data = ask_json(runner, question)
    assert code == 0 and data["answer"] == answer


@pytest.mark.parametrize(
    "question",
    [
        "Qui est le PDG de Nvidia ?",  # the passages name OpenAI's, not Nvidia's
        "What is OpenAI's latest valuation?",  # the corpus never speaks of valuation
        "how do i fix a flat bike tire",  # most words never occur in the corpus
        "How much memory does an Nvidia H100 have?",  # a price is not an amount of memory
    ],
)
def test_near_topic_questions_the_corpus_does_not_answer(runner, question: str) -> None:  # type: ignore[no-untyped-def]
    code, data = ask_json(runner, question)
    assert code == 1 and data["abstained"], data["answer"]


def test_a_leading_verb_names_the_leader_and_only_theirs(runner) -> None:  # type: ignore[no-untyped-def]
    code, data = ask_json(runner, "Who runs OpenAI?")
    assert code == 0 and data["answer"] == "Sam Altman"
    assert "PDG d'OpenAI" in data["citations"][0]["text"]
    code, data = ask_json(runner, "Who runs Nvidia?")  # an analyst quoted beside Nvidia does not run it
    assert code == 1 and data["abstained"]


def ask_own_articles(
    runner, tmp_path: Path, articles: dict[str, str], question: str
) -> tuple[int, dict, Path]:  # type: ignore[no-untyped-def]
    """Ingest a user's folder of articles, then ask it a question in JSON."""
    folder = tmp_path / "veille"
    folder.mkdir()
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    claims = tmp_path / "claims.yaml"
    ingest_to(folder, claims)
    result = runner.invoke(app, ["ask", question, "--claims", str(claims), "--format", "json"])
    return result.exit_code, json.loads(result.stdout), claims


def test_two_figures_of_one_article_are_not_a_conflict(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    article = (
        "Mistral AI lève des fonds\n\n"
        "La start-up Mistral AI a levé 600 millions d'euros auprès de ses investisseurs.\n\n"
        "Après ce tour de table, Mistral AI est valorisée 6 milliards d'euros.\n"
    )
    code, data, _ = ask_own_articles(
        runner, tmp_path, {"mistral.txt": article}, "Combien Mistral AI a-t-il levé ?"
    )
    assert code == 0 and "600 millions d'euros" in data["answer"]
    assert not data["citations"][0].get("other_figures")


@pytest.mark.parametrize("question", ["?", " ... ", "¿?"])
def test_a_question_without_words_is_bad_input(runner, question: str) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["ask", question, "--claims", str(CLAIMS)])
    assert result.exit_code == 2 and "no words" in result.output


def test_a_binary_questions_file_is_bad_input(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    questions = tmp_path / "q.bin"
    questions.write_bytes(b"\x00\x01\x02 binary")
    result = runner.invoke(app, ["ask", "--questions", str(questions), "--claims", str(CLAIMS)])
    assert result.exit_code == 2 and "binary" in result.output


def test_sources_that_disagree_on_a_figure_are_both_shown(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    articles = {
        "a.txt": "Prix des puces\n\nSelon les revendeurs, une puce H100 de Nvidia coûte 30 000 $ l'unité.\n",
        "b.txt": "Marché gris\n\nSur le marché gris, une puce H100 de Nvidia coûte 40 000 $ l'unité.\n",
    }
    code, data, claims = ask_own_articles(runner, tmp_path, articles, "Combien coûte une puce H100 ?")
    assert code == 0
    shown = {data["answer"], *(o["figure"] for o in data["citations"][0].get("other_figures", []))}
    assert any("30 000" in s for s in shown) and any("40 000" in s for s in shown), data
    text = runner.invoke(app, ["ask", "Combien coûte une puce H100 ?", "--claims", str(claims)]).output
    assert "30 000" in text and "40 000" in text


GRAPHCORE = (
    "Graphcore présente sa puce IPU\n\n"
    "Le fabricant britannique Graphcore a présenté mardi sa nouvelle puce IPU, conçue pour "
    "l'entraînement des modèles d'intelligence artificielle. Selon son directeur général, Nigel Toon, "
    "il s'agit d'une puce « rapide et sobre ».\n\n"
    "La sortie a d'abord été réservée aux clients professionnels, les particuliers devront attendre "
    "la fin de l'année. Pour répondre à la demande, l'entreprise explore deux pistes : la baisse des "
    "prix et l'ouverture d'une usine pour accélérer la production.\n\n"
    "La puce combine plusieurs fonctions sur une même plaque de silicium (calcul, mémoire et réseau), "
    "ce qui réduit la consommation électrique.\n\n"
    "Pour tenir la cadence, Graphcore estime qu’il lui faudrait un quart de la capacité de TSMC, "
    "soit 2 milliards de dollars de puces par an.\n\n"
    "Graphcore a fait de la sobriété énergétique une priorité pour 2025. La pénurie de plaquettes a "
    "freiné les livraisons au premier trimestre. Les modèles Bow et Colossus coûtent 9 000 $ et 12 000 $ "
    "respectivement. Lors d'un salon de Londres qui s'est tenu en juin, Nigel Toon a promis une "
    "deuxième génération.\n\n"
    "Selon Nigel Toon, pour réduire les coûts, le partage des usines avec d'autres fabricants est la "
    "meilleure solution. Les salaires des ingénieurs représentent la majorité des dépenses de Graphcore.\n\n"
    "Graphcore et Dell assemblent à Bristol un serveur de 40 millions de dollars, tandis que Cerebras "
    "veut installer à Dallas plus de 5 000 puces.\n\n"
    "Même si Graphcore double sa production, elle ne pourra pas servir tous ses clients avant 2026. "
    "Les analystes ont déclaré que Graphcore ne prévoyait pas de quitter le Royaume-Uni, selon la presse locale.\n\n"
    "Graphcore veut racheter un fabricant de mémoire, mais le nom de l'entreprise rachetée reste inconnu. "
    "Graphcore a publié ses résultats sur la plateforme LinkedIn (réseau professionnel). "
    "Sa future usine consommera 2 GW (gigawatts). "
    "Outre sa puce IPU, Graphcore a également présenté un logiciel de compilation.\n\n"
    "Cette pénurie a contraint Graphcore à rationner les commandes des laboratoires. "
    "Le fonds Sequoia Capital, principal investisseur de Graphcore, a refusé de commenter.\n"
)


@pytest.fixture(scope="module")
def graphcore_claims(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A user's own article, not the seeds: the span rules must hold beyond our dev set."""
    folder = tmp_path_factory.mktemp("veille")
    (folder / "graphcore.txt").write_text(GRAPHCORE, encoding="utf-8")
    claims = folder.parent / "graphcore-claims.yaml"
    ingest_to(folder, claims)
    return claims


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        # the words someone used: the quotation
        ("Comment le patron de Graphcore a-t-il qualifié la puce ?", "« rapide et sobre »"),
        ("What words did Nigel Toon use to describe the IPU?", "« rapide et sobre »"),
        # "quels clients": the kind of client the passage names
        ("Quels clients ont reçu la puce en premier ?", "clients professionnels"),
        ("Which customers got the IPU first?", "clients professionnels"),
        # "A, ce qui réduit B": why B? because A
        (
            "Pourquoi la puce IPU consomme-t-elle moins d'électricité ?",
            "La puce combine plusieurs fonctions sur une même plaque de silicium (calcul, mémoire et réseau)",
        ),
        (
            "Why does the IPU use less power?",
            "La puce combine plusieurs fonctions sur une même plaque de silicium (calcul, mémoire et réseau)",
        ),
        # the figure that says what is counted, not a fraction beside it
        ("Combien de puces faut-il à Graphcore par an ?", "2 milliards de dollars de puces"),
        ("How many chips will Graphcore need each year?", "2 milliards de dollars de puces"),
        # a list announced by a colon, without the purpose that follows it
        (
            "Quelles pistes explore Graphcore face à la demande ?",
            "la baisse des prix et l'ouverture d'une usine",
        ),
        # "faire de X une priorité": X is what was made a priority
        ("What has Graphcore made a priority?", "la sobriété énergétique"),
        ("Quelle est la priorité de Graphcore pour 2025 ?", "la sobriété énergétique"),
        # a cause that is the subject of its verb, with no "en raison de" to mark it
        ("Qu'est-ce qui a freiné les livraisons de Graphcore ?", "La pénurie de plaquettes"),
        ("Why were Graphcore deliveries slowed down?", "La pénurie de plaquettes"),
        # figures paired by "respectivement" answer together
        ("Combien coûtent les modèles Bow et Colossus ?", "9 000 $ et 12 000 $"),
        ("How much do the Bow and Colossus cost?", "9 000 $ et 12 000 $"),
        # what comes before "est la meilleure solution" / "représentent" is what is asked
        (
            "What's presented as the best way for Graphcore to lower costs?",
            "le partage des usines avec d'autres fabricants",
        ),
        (
            "Quelle est la meilleure solution pour réduire les coûts selon Nigel Toon ?",
            "le partage des usines avec d'autres fabricants",
        ),
        ("What accounts for most of Graphcore's spending?", "Les salaires des ingénieurs"),
        ("Qu'est-ce qui représente l'essentiel des dépenses de Graphcore ?", "Les salaires des ingénieurs"),
        # "à quel salon": the salon, with what the passage says of it
        (
            "À quel salon Nigel Toon a-t-il promis une deuxième génération ?",
            "salon de Londres qui s'est tenu en juin",
        ),
        # "A ..., tandis que B ...": the place or figure of the clause that names what is asked
        ("Où Graphcore et Dell assemblent-ils leur serveur ?", "Bristol"),
        ("Where does Cerebras want to install its chips?", "Dallas"),
        ("Combien de puces Cerebras veut-il installer ?", "plus de 5 000 puces"),
        # yes or no: the clause that asserts it, not the concession nor who reported it
        (
            "Graphcore pourra-t-il servir tous ses clients en doublant sa production ?",
            "elle ne pourra pas servir tous ses clients avant 2026",
        ),
        (
            "Will doubling production let Graphcore serve all its customers?",
            "elle ne pourra pas servir tous ses clients avant 2026",
        ),
        (
            "Graphcore compte-t-il quitter le Royaume-Uni ?",
            "Graphcore ne prévoyait pas de quitter le Royaume-Uni",
        ),
        # "which company?" answered by the clause that says nobody knows yet
        ("Quelle entreprise Graphcore veut-il racheter ?", "le nom de l'entreprise rachetée reste inconnu"),
        ("Do we know which company Graphcore wants to buy?", "le nom de l'entreprise rachetée reste inconnu"),
        # "where did X publish ...": on a platform, its gloss with it
        ("Where did Graphcore publish its results?", "la plateforme LinkedIn (réseau professionnel)"),
        # a figure keeps the gloss in brackets right after it
        ("Quelle puissance consommera la future usine de Graphcore ?", "2 GW (gigawatts)"),
        # "how big": any measure of it, here a power
        ("How big will Graphcore's future plant be?", "2 GW (gigawatts)"),
        # a step taken: what the company was made to do
        (
            "Quelle mesure Graphcore a-t-il prise face à la pénurie ?",
            "rationner les commandes des laboratoires",
        ),
        ("What step did Graphcore take because of the shortage?", "rationner les commandes des laboratoires"),
        # who, with the apposition that says who they are, unless it only says what was asked
        ("Who is Graphcore's main investor?", "Sequoia Capital"),
        ("Qui a refusé de commenter ?", "Sequoia Capital, principal investisseur de Graphcore"),
    ],
)
def test_answer_spans_on_a_users_own_article(
    runner, graphcore_claims: Path, question: str, answer: str
) -> None:  # type: ignore[no-untyped-def]
    code, data = ask_json(runner, question, claims=graphcore_claims)
    assert code == 0 and data["answer"] == answer


@pytest.mark.parametrize(
    "question",
    [
        "Besides its IPU chip, what else did Graphcore present?",
        "À part sa puce IPU, qu'est-ce que Graphcore a présenté d'autre ?",
        "À part sa puce IPU, quoi d'autre Graphcore a-t-il présenté ?",
    ],
)
def test_what_else_is_answered_by_what_is_said_besides(runner, graphcore_claims: Path, question: str) -> None:  # type: ignore[no-untyped-def]
    """ "Besides X, what else": the passage saying X again ("sa nouvelle puce IPU") is not the
    answer; the one saying what comes in addition ("également présenté un logiciel") is."""
    code, data = ask_json(runner, question, claims=graphcore_claims)
    assert code == 0
    assert "également présenté un logiciel" in data["citations"][0]["text"]
    assert data["answer"] == "un logiciel de compilation"


def test_a_span_never_stops_inside_a_parenthesis(runner, graphcore_claims: Path) -> None:  # type: ignore[no-untyped-def]
    question = "Quelles fonctions la puce IPU réunit-elle sur une plaque ?"
    result = runner.invoke(app, ["ask", question, "--claims", str(graphcore_claims), "--format", "json"])
    answer = json.loads(result.stdout)["answer"]
    assert "(calcul, mémoire et réseau)" in answer
    assert answer.count("(") == answer.count(")")


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        # the figure whose own words the question repeats: "sortie", not the synonym "coûteux"
        # and the words after it the question repeats ("en sortie")
        ("tarif GPT-4.5 par million de tokens en sortie ?", "150 $ par million de jetons en sortie"),
        ("tarif GPT-4.5 par million de tokens en entrée ?", "75 $ par million de jetons en entrée"),
        # "jetons générés" are the output tokens
        ("prix de GPT-4.5 par million de jetons générés ?", "150 $ par million de jetons en sortie"),
        ("How much does GPT-4.5 cost per million input tokens?", "75 $ par million de jetons en entrée"),
        ("tarif gpt-4.5 par million de tokens en input ?", "75 $ par million de jetons en entrée"),
        # a range keeps its "de": "de 1,5 à 2 millions d'unités"
        ("Volume de production de H100 prévu par Nvidia en 2024 ?", "de 1,5 à 2 millions d’unités en 2024"),
        # figures paired by "respectivement" answer together
        ("Combien coûte GPT-4o par million de jetons ?", "2,50 $ et 10 $"),
        # "coût" beside the first price does not choose it: the output tokens do
        ("How much do GPT-4.5 output tokens cost?", "150 $ par million de jetons en sortie"),
        # "l'abonnement Plus de ChatGPT": a passage naming ChatGPT Plus names ChatGPT too
        ("Combien coûte l'abonnement Plus de ChatGPT ?", "20 $ par mois"),
        # what an amount is of comes with it: "de ressources annuelles", "de Nvidia"
        (
            "Quel budget annuel exige une puce maison selon les experts ?",
            "des centaines de millions de dollars de ressources annuelles",
        ),
        ("Sur combien de GPU tournait le supercalculateur de Microsoft ?", "10 000 GPU de Nvidia"),
    ],
)
def test_the_figure_asked_among_several(runner, question: str, answer: str) -> None:  # type: ignore[no-untyped-def]
    code, data = ask_json(runner, question)
    assert code == 0 and data["answer"] == answer


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        # "Quelles puces ?": the name with the question's noun before it, not a naming verb
        ("Quelles puces Microsoft achète-t-il en masse pour OpenAI ?", "puces Nvidia Hopper"),
        ("Comment s'appelle la puce d'IA de Microsoft ?", "Athena"),
        # a title in quotes after the noun asked about; not when a model is asked for
        ("Comment s'appelle la nouvelle fonctionnalité d'images de ChatGPT ?", "Images in ChatGPT"),
        ("Sur quel modèle repose la fonction de génération d'images de ChatGPT ?", "modèle GPT-4o"),
        # "Lors d'un événement du MIT": the event, not "MIT" alone (a sentence may start "Lors")
        ("Où Sam Altman a-t-il prédit la fin des modèles géants ?", "événement du MIT"),
        ("Where did Altman say the era of giant models was over?", "événement du MIT"),
        # a complaint is what follows "s'est plaint du fait que"
        (
            "De quoi Sam Altman s'est-il plaint publiquement ?",
            "la pénurie de puces Nvidia avait affecté la vitesse d'expansion de l'entreprise",
        ),
        (
            "what did altman complain about re nvidia",
            "la pénurie de puces Nvidia avait affecté la vitesse d'expansion de l'entreprise",
        ),
        # a view, in its words
        (
            "According to TechCrunch, how does Altman see model size?",
            "«\u2009fausse mesure de la qualité du modèle\u2009»",
        ),
        # what makes up a cost is a thing, not an amount; a cost set aside asks no amount
        (
            "Quel poste pèse le plus dans les coûts d'exploitation de l'IA ?",
            "Les frais généraux liés au matériel",
        ),
        ("What makes up the bulk of AI operating costs?", "Les frais généraux liés au matériel"),
        (
            "Other than cutting costs, what's pushing OpenAI to develop its own chips?",
            "l'abandon de la dépendance vis-à-vis d'autres entreprises",
        ),
        # "Les utilisateurs peuvent générer ..." speaks of users; "les utilisateurs gratuits" says which
        ("Which users had to wait longest for the image generation rollout?", "utilisateurs gratuits"),
        (
            "Pour quels utilisateurs l'arrivée de la génération d'images a-t-elle été repoussée en priorité ?",
            "utilisateurs gratuits",
        ),
        # a step taken may be something carried out
        (
            "What step has OpenAI taken on possible acquisition targets?",
            "une due diligence sur des cibles d'acquisition potentielles",
        ),
        (
            "Quelle démarche OpenAI a-t-il menée auprès de cibles d'acquisition ?",
            "une due diligence sur des cibles d'acquisition potentielles",
        ),
        # who someone is, in casual French
        ("Stacy Rasgon c'est qui ?", "analyste chez Bernstein"),
        ("C'est qui Stacy Rasgon ?", "analyste chez Bernstein"),
        # the employer is the organisation of the apposition, whatever other names follow
        ("Stacy Rasgon travaille pour qui ?", "Bernstein"),
        ("Who does Stacy Rasgon work for?", "Bernstein"),
        # what a named thing is: the description after its name
        (
            "c'est quoi Run AI",
            "une plateforme regroupant les GPU afin d’accélérer la mise en œuvre de projets d’IA",
        ),
        # a share said in words
        (
            "what part of AI operating costs is hardware overhead",
            "la majorité des coûts d’exploitation de l’IA",
        ),
        # "A est un autre facteur dans ...": why? A
        (
            "Apart from cost cuts, what else drives OpenAI toward in-house chips?",
            "l'abandon de la dépendance vis-à-vis d'autres entreprises",
        ),
        ("capacité du centre de données approuvé par la Corée du Sud", "3 GW (gigawatts)"),
    ],
)
def test_the_span_asked_for(runner, question: str, answer: str) -> None:  # type: ignore[no-untyped-def]
    code, data = ask_json(runner, question)
    assert code == 0 and data["answer"] == answer


@pytest.mark.parametrize(
    "question",
    [
        "Qu'a dit Sam Altman de ses GPU pendant le lancement de la génération d'images ?",
        "What did Altman say was happening to his GPUs when image generation launched?",
        "Qu'est-ce qu'Altman a dit à propos de l'état de ses GPU ?",
    ],
)
def test_what_someone_said_is_where_they_are_quoted(runner, question: str) -> None:  # type: ignore[no-untyped-def]
    """Passages repeating the question's other words ("lancement", "génération d'images") say
    nothing Altman said; the one quoting him answers, with its quotation marks."""
    code, data = ask_json(runner, question)
    assert code == 0
    assert "allant jusqu'à déclarer" in data["citations"][0]["text"]
    assert data["answer"] == '"GPU fumaient"'


def test_what_someone_said_may_follow_a_pronoun(runner) -> None:  # type: ignore[no-untyped-def]
    """ "il déclare : « ... »" in a paragraph about Altman is Altman speaking; Aidan Gomez's
    quotation nearby is not."""
    code, data = ask_json(runner, "Qu'a dit Sam Altman exactement à propos de l'ère des grands modèles ?")
    assert code == 0
    assert data["answer"].startswith("«") and "la fin de l’ère des modèles géants" in data["answer"]


@pytest.mark.parametrize(
    "question",
    [
        "Connaît-on le nom de l'entreprise de puces que veut racheter OpenAI ?",
        "Do we know the name of the chip firm OpenAI plans to acquire?",
    ],
)
def test_whether_a_name_is_known_is_answered_by_the_passage_saying_it_is_not(runner, question: str) -> None:  # type: ignore[no-untyped-def]
    """ "une cible d'acquisition potentielle est déjà à l'étude" names ChatGPT nearby; the
    passage that answers says the company's identity "reste floue"."""
    code, data = ask_json(runner, question)
    assert code == 0
    assert data["answer"].endswith("reste floue")


@pytest.mark.parametrize(
    "question",
    [
        "En dehors de concevoir ses propres puces, qu'envisage OpenAI d'autre ?",
        "Other than designing its own chips, what else is OpenAI considering?",
    ],
)
def test_what_else_drops_the_items_set_aside(runner, question: str) -> None:  # type: ignore[no-untyped-def]
    """ "de créer sa propre puce, de collaborer ..., et de diversifier ...": the first item is
    what the asker set aside."""
    code, data = ask_json(runner, question)
    assert code == 0
    assert data["answer"].startswith("collaborer plus étroitement")
    assert data["answer"].endswith("et de diversifier ses fournisseurs")


def test_a_role_noun_the_corpus_never_uses_does_not_abstain(runner) -> None:  # type: ignore[no-untyped-def]
    """ "Sur quel indicateur ...": any noun may fill the role; unlike "Quel âge ...", whose
    attribute the corpus never speaks of."""
    code, data = ask_json(runner, "Pour Altman, sur quel indicateur s'est-on beaucoup trop focalisé ?")
    assert code == 0 and "nombre de paramètres" in data["answer"]


def test_claims_given_a_folder_says_to_pass_the_claims_file(runner, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for command in (["ask", "Qui dirige OpenAI ?"], ["sources"], ["chat"]):
        result = runner.invoke(app, [*command, "--claims", str(tmp_path)])
        assert result.exit_code == 2
        assert result.output == f"gpu-brief: error: {tmp_path}: is a folder; pass the claims file\n"
    monkeypatch.setenv("GPU_BRIEF_CLAIMS", str(tmp_path))
    result = runner.invoke(app, ["sources"])
    assert result.exit_code == 2 and "is a folder; pass the claims file" in result.output
    assert "env var" not in result.output
