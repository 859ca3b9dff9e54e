"""`claims`, `entities`, `sources`, `show`: every command, every format, the JSON contract."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import CLAIMS, ingest_to, write_articles
from gpu_brief.cli import app

CLAIM_KEYS = {"id", "source", "start", "end", "line", "text", "entities", "figures"}


def run(runner, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [*args, "--claims", str(CLAIMS)], catch_exceptions=False)


def claims_json(runner, *args: str) -> list[dict]:  # type: ignore[no-untyped-def]
    result = run(runner, "claims", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("query", ["altman", "Sam Altman", "sam altman", "ALTMAN", "Altman"])
def test_entity_aliases_are_one_query(runner, query: str) -> None:  # type: ignore[no-untyped-def]
    assert claims_json(runner, "--entity", query) == claims_json(runner, "--entity", "Sam Altman")


def test_claims_text_starts_on_its_first_source_with_blank_lines_only_between(runner) -> None:  # type: ignore[no-untyped-def]
    """A thirteenth trial: `claims` output started with a blank line."""
    out = run(runner, "claims", "--entity", "broadcom").stdout
    lines = out.splitlines()
    assert lines[0].endswith(".txt")  # the first source's name, no blank line above it
    assert next(lines[i + 1] for i, line in enumerate(lines[:-1]) if not line).endswith(".txt")  # between


def test_json_contract_slices_the_sources(runner, seed_texts) -> None:  # type: ignore[no-untyped-def]
    data = claims_json(runner, "--entity", "nvidia")
    assert data
    for claim in data:
        assert claim.keys() >= CLAIM_KEYS
        assert seed_texts[claim["source"]][claim["start"] : claim["end"]] == claim["text"]
        assert any(e["name"] == "Nvidia" for e in claim["entities"])


def test_several_entities_mean_all_of_them(runner) -> None:  # type: ignore[no-untyped-def]
    both = claims_json(runner, "--entity", "nvidia", "--entity", "microsoft")
    assert both
    for claim in both:
        assert {"Nvidia", "Microsoft"} <= {e["name"] for e in claim["entities"]}


def test_gpt_4o_finds_the_typo_gpt_40(runner) -> None:  # type: ignore[no-untyped-def]
    texts = [c["text"] for c in claims_json(runner, "--entity", "GPT-4o")]
    assert any("GPT-40" in t for t in texts) and any("GPT-4o" in t for t in texts)


def test_source_and_grep(runner) -> None:  # type: ignore[no-untyped-def]
    data = claims_json(runner, "--source", "003_9bd70b1a36d343ca.txt", "--grep", "GPU")
    assert data and all(c["source"] == "003_9bd70b1a36d343ca.txt" and "GPU" in c["text"] for c in data)


def test_grep_ignores_accents(runner) -> None:  # type: ignore[no-untyped-def]
    assert claims_json(runner, "--grep", "penurie") == claims_json(runner, "--grep", "pénurie")


def test_figures_only_claims_with_numbers(runner) -> None:  # type: ignore[no-untyped-def]
    data = claims_json(runner, "--figures", "--entity", "nvidia")
    assert data and all(c["figures"] for c in data)
    text = run(runner, "claims", "--figures", "--entity", "nvidia").stdout
    assert "80 % (percent: 80 %)" in text


def test_figures_listing_holds_the_checked_examples(runner) -> None:  # type: ignore[no-untyped-def]
    out = run(runner, "claims", "--figures").stdout
    for shown in (
        "75 $ par million de jetons",
        "30\u2009603\u00a0$",
        "80 %",
        "1,5 à 2 millions d’unités",
        "3 GW",
    ):
        assert shown in out


def test_unknown_entity_suggests_names(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["claims", "--entity", "altmann", "--claims", str(CLAIMS)])
    assert result.exit_code == 2 and "did you mean Sam Altman" in result.output
    # a misspelt word of a longer name (a trial's "Kerbrad" for "Aurélie Kerbrat" got nothing)
    result = runner.invoke(app, ["claims", "--entity", "Gomes", "--claims", str(CLAIMS)])
    assert result.exit_code == 2 and "did you mean Aidan Gomez" in result.output, result.output
    # the words of an acronym the corpus writes alone (a trial's "Force ouvrière" for "FO")
    result = runner.invoke(app, ["claims", "--entity", "Union de Banques Suisses", "--claims", str(CLAIMS)])
    assert result.exit_code == 2 and "UBS" in result.output.split("did you mean")[1], result.output


def test_invalid_pattern_is_a_clear_error(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["claims", "--grep", "([", "--claims", str(CLAIMS)])
    assert result.exit_code == 2 and "invalid pattern" in result.output


def test_nothing_matching_exits_1(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["claims", "--grep", "zzzzzz", "--claims", str(CLAIMS)])
    assert result.exit_code == 1


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "yaml"])
@pytest.mark.parametrize(
    "command", [["claims", "--entity", "broadcom"], ["entities"], ["sources"], ["show", "9d4a41-16"]]
)
def test_every_command_in_every_format(runner, command: list[str], fmt: str) -> None:  # type: ignore[no-untyped-def]
    result = run(runner, *command, "--format", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "json":
        json.loads(result.stdout)
    elif fmt == "yaml":
        yaml.safe_load(result.stdout)
    assert result.stdout.strip()


def test_entities_table_counts_and_filters(runner) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(run(runner, "entities", "--type", "person", "--format", "json").stdout)
    assert {d["type"] for d in data} == {"person"}
    altman = next(d for d in data if d["name"] == "Sam Altman")
    assert altman["claims"] >= 10 and altman["sources"] == 5 and "Altman" in altman["aliases"]


def test_sources_table(runner) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(run(runner, "sources", "--format", "json").stdout)
    assert [d["file"] for d in data] == sorted(d["file"] for d in data)
    assert data[3]["title"].startswith("La fin des modèles")


def test_show_highlights_the_claim_in_its_paragraph(runner, seed_texts) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(run(runner, "show", "9d4a41-16", "--format", "json").stdout)
    paragraph = data["paragraph"]
    text = seed_texts[data["source"]]
    assert text[paragraph["start"] : paragraph["end"]] == paragraph["text"]
    assert data["text"] in paragraph["text"] and data["line"] == 8
    assert "002_e1a2d2aab521faef.txt:8" in run(runner, "show", "9d4a41-16").stdout


def test_show_gives_a_hard_wrapped_claims_whole_paragraph(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A twenty-first trial: `show` on a hard-wrapped file printed the claim's line alone, from
    mid-sentence, not the paragraph ingest had read it in."""
    lines = [
        "Le directeur régional de RTE pour l'Ouest, Olivier Prigent, a détaillé les travaux",
        "nécessaires devant les élus de l'intercommunalité. Il faudra construire un nouveau poste",
        "électrique de 225 000 volts et une ligne souterraine de 28 kilomètres depuis le poste de",
        "Plérin. Coût estimé : 65 millions d'euros, dont une partie sera facturée à l'entreprise.",
        "« Un raccordement complet n'est pas envisageable avant 2030 », a-t-il prévenu.",
    ]
    folder = write_articles(tmp_path / "a", {"rte.txt": "RTE prévient\n\n" + "\n".join(lines) + "\n"})
    ingest_to(folder, tmp_path / "c.yaml")
    claims = yaml.safe_load((tmp_path / "c.yaml").read_text("utf-8"))["claims"]
    wanted = next(c["id"] for c in claims if c["text"].startswith("Il faudra"))
    result = runner.invoke(app, ["show", wanted, "--claims", str(tmp_path / "c.yaml"), "--format", "json"])
    paragraph = json.loads(result.stdout)["paragraph"]
    assert paragraph["text"] == "\n".join(lines) and paragraph["start"] == len("RTE prévient\n\n")


def test_show_unknown_id(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["show", "9d4a41-999", "--claims", str(CLAIMS)])
    assert result.exit_code == 2 and "no claim with id" in result.output


def test_an_entity_is_found_by_one_of_its_names_words(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # the article never writes "Morel" alone (so it is no alias), but one entity's name holds it
    claims = tmp_path / "claims.yaml"
    ingest_to(Path(__file__).parent / "data" / "user_articles", claims)
    found = runner.invoke(app, ["claims", "--entity", "Morel", "--claims", str(claims)])
    assert found.exit_code == 0 and "Jean-Pierre Morel, actuel directeur" in found.stdout
    unknown = runner.invoke(app, ["claims", "--entity", "Morelle", "--claims", str(claims)])
    assert unknown.exit_code == 2 and "unknown entity" in unknown.stderr


def test_sources_says_which_source_is_missing_or_changed(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    folder = tmp_path / "articles"
    shutil.copytree(Path(__file__).parent / "data" / "user_articles", folder)
    claims = tmp_path / "claims.yaml"
    ingest_to(folder, claims)
    (folder / "budget_lyon.txt").unlink()
    with (folder / "transfert_ol.txt").open("a", encoding="utf-8") as handle:
        handle.write("Ajout.\n")
    result = runner.invoke(app, ["sources", "--claims", str(claims), "--format", "json"])
    assert result.exit_code == 0
    status = {row["file"]: row["status"] for row in json.loads(result.stdout)}
    assert status["fusion_banques.txt"] == "ok"
    assert status["budget_lyon.txt"].startswith("cannot be read")
    assert status["transfert_ol.txt"].startswith("changed since ingest")
    assert "warning: budget_lyon.txt cannot be read" in result.stderr
    # the table says it too, not only stderr (a trial's deleted source looked fine in its row)
    table = runner.invoke(app, ["sources", "--claims", str(claims), "--format", "markdown"])
    assert "| status |" in table.stdout
    assert any(
        line.startswith("| `budget_lyon.txt`") and "cannot be read" in line
        for line in table.stdout.splitlines()
    )


def test_claims_leaves_out_a_changed_source_as_ask_does(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    folder = tmp_path / "articles"
    shutil.copytree(Path(__file__).parent / "data" / "user_articles", folder)
    claims = tmp_path / "claims.yaml"
    ingest_to(folder, claims)
    changed = folder / "transfert_ol.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("a", "à", 1), encoding="utf-8")
    # every claim matches "e": the changed source's are left out with a warning, not an error
    result = runner.invoke(app, ["claims", "--grep", "e", "--claims", str(claims), "--format", "json"])
    assert result.exit_code == 0, result.output
    found = {row["source"] for row in json.loads(result.stdout)}
    assert "fusion_banques.txt" in found and "transfert_ol.txt" not in found
    assert "warning: transfert_ol.txt changed since ingest" in result.stderr and "left out" in result.stderr
    named = runner.invoke(app, ["claims", "--source", "transfert_ol.txt", "--claims", str(claims)])
    assert named.exit_code == 2 and "--source transfert_ol.txt: changed since ingest" in named.stderr


def test_a_claims_file_moved_without_its_articles_says_so_once(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    """A trial moved its claims file: `ask` named the first article only and suggested
    re-ingesting a folder that does not exist; `sources` printed a warning per article."""
    folder = write_articles(
        tmp_path / "articles",
        {"a.txt": "Le maire de Lyon a annoncé un budget.\n", "b.txt": "Une autre phrase.\n"},
    )
    claims = tmp_path / "claims.yaml"
    ingest_to(folder, claims)
    moved = tmp_path / "deep" / "er" / "moved.yaml"
    moved.parent.mkdir(parents=True)
    shutil.copy(claims, moved)
    asked = runner.invoke(app, ["ask", "Qui a annoncé un budget ?", "--claims", str(moved)])
    assert asked.exit_code == 2 and "does not exist" in asked.stderr and "moved" in asked.stderr
    assert len(asked.stderr.strip().splitlines()) == 1
    listed = runner.invoke(app, ["sources", "--claims", str(moved)])
    assert listed.exit_code == 0 and len(listed.stderr.strip().splitlines()) == 1
    grep = runner.invoke(app, ["claims", "--entity", "Lyon", "--claims", str(moved)])
    assert grep.exit_code == 2 and "does not exist" in grep.stderr


def test_a_claims_file_copied_into_a_folder_without_its_articles_says_so(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    """A seventeenth trial copied the claims file its articles' folder held to another folder:
    each article "cannot be read", and the advice was to ingest that other folder."""
    folder = write_articles(
        tmp_path / "articles",
        {"a.txt": "Le maire de Lyon a annoncé un budget.\n", "b.txt": "Une autre phrase.\n"},
    )
    claims = folder / "claims.yaml"
    ingest_to(folder, claims)
    (tmp_path / "exp").mkdir()
    moved = tmp_path / "exp" / "moved.yaml"
    shutil.copy(claims, moved)
    asked = runner.invoke(app, ["ask", "Qui a annoncé un budget ?", "--claims", str(moved)])
    assert asked.exit_code == 2 and "none of the 2 sources is in" in asked.stderr and "moved" in asked.stderr
    assert len(asked.stderr.strip().splitlines()) == 1


def test_words_that_name_several_entities_are_ambiguous_not_unknown(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = write_articles(
        tmp_path / "articles",
        {
            "a.txt": "Paul Bastide dirige la chorale.\n\nLe chef Paul Bastide a annoncé un concert.\n",
            "b.txt": "Marie Bastide préside le club.\n\nLa présidente Marie Bastide a signé.\n",
        },
    )
    claims = tmp_path / "claims.yaml"
    ingest_to(folder, claims)
    result = runner.invoke(app, ["claims", "--entity", "Bastide", "--claims", str(claims)])
    assert result.exit_code == 2 and "unknown" not in result.stderr, result.stderr
    assert "names 2 entities" in result.stderr and "Marie Bastide" in result.stderr


def test_an_entity_named_only_in_a_title_is_counted_and_located(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # "SNCF" is in the headline only: `entities` listed it with 0 sources, and `claims --entity`
    # said nothing but "no claim matches"
    folder = write_articles(
        tmp_path / "articles",
        {
            "greve.txt": "Grève à la SNCF : le trafic très perturbé dans la région\n\n"
            "Le trafic est très perturbé mardi, selon la direction régionale.\n"
            "Les syndicats réclament une hausse de 5 % des salaires.\n"
        },
    )
    claims = tmp_path / "claims.yaml"
    ingest_to(folder, claims)
    listed = runner.invoke(app, ["entities", "--claims", str(claims), "--format", "json"])
    sncf = next(e for e in json.loads(listed.stdout) if e["name"] == "SNCF")
    assert (sncf["claims"], sncf["sources"]) == (0, 1)
    found = runner.invoke(app, ["claims", "--entity", "sncf", "--claims", str(claims)])
    assert found.exit_code == 1
    assert found.stderr.count("\n") == 1
    assert "named only in the title or headings of greve.txt" in found.stderr
    assert "claims --source greve.txt" in found.stderr
    elsewhere = runner.invoke(
        app, ["claims", "--entity", "sncf", "--grep", "trafic", "--claims", str(claims)]
    )
    assert elsewhere.exit_code == 1 and "headings" not in elsewhere.stderr


def test_entities_counts_the_claims_claims_lists(runner) -> None:  # type: ignore[no-untyped-def]
    # `entities` counted claims naming an entity, `claims --entity` lists those whose "il" or
    # "ce dernier" refers to it too: the two counts disagreed
    data = json.loads(run(runner, "entities", "--format", "json").stdout)
    for e in data[:12]:
        assert e["claims"] == len(claims_json(runner, "--entity", e["name"])), e["name"]


def test_a_folder_is_shown_absolute_from_the_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gpu_brief.sources import _shown

    folder = tmp_path / "articles"
    monkeypatch.chdir(tmp_path)
    assert _shown(folder) == "articles"
    monkeypatch.chdir("/")  # "tmp/.../articles" read as a typo of the absolute path
    assert _shown(folder) == str(folder)
