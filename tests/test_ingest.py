"""`gpu-brief ingest`: the claims file, its determinism, its contract, and bad input."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import CLAIMS, ROOT, SEEDS, ingest_to, write_articles
from gpu_brief.cli import app
from gpu_brief.segment import segment
from gpu_brief.store import read_claims


def test_every_claim_slices_its_source(claims_file, seed_texts) -> None:  # type: ignore[no-untyped-def]
    for claim in claims_file.claims:
        text = seed_texts[claim.source]
        assert claim.text == text[claim.start : claim.end]
        assert claim.line == text.count("\n", 0, claim.start) + 1
        for item in (*claim.entities, *claim.figures):
            assert item.text == text[item.start : item.end]


def test_claims_are_exactly_the_sentences(claims_file, seed_texts) -> None:  # type: ignore[no-untyped-def]
    for name, text in seed_texts.items():
        spans = [(s.start, s.end) for s in segment(text).sentences]
        assert [(c.start, c.end) for c in claims_file.claims if c.source == name] == spans


def test_no_boilerplate_line_is_a_claim(claims_file) -> None:  # type: ignore[no-untyped-def]
    skipped = {(s.file, k.line) for s in claims_file.sources for k in s.skipped}
    assert skipped, "the seeds hold boilerplate"
    assert not [c.id for c in claims_file.claims if (c.source, c.line) in skipped]
    texts = " ".join(c.text for c in claims_file.claims)
    for boilerplate in (
        "Comment (0)",
        "Laisser un commentaire",
        "image.png",
        "Crédit 123RF",
        "WeChat",
        "lire:",
    ):
        assert boilerplate not in texts


def test_sources_record_title_url_and_counts(claims_file) -> None:  # type: ignore[no-untyped-def]
    by_file = {s.file: s for s in claims_file.sources}
    assert by_file["000_d8502b6f6bccabaa.txt"].url.startswith("https://thanhnien.vn/")
    assert (
        by_file["003_9bd70b1a36d343ca.txt"].title
        == "La fin des modèles d’IA géants approche selon le PDG d’OpenAI"
    )
    assert sum(s.claims for s in claims_file.sources) == len(claims_file.claims)


def test_committed_claims_file_is_up_to_date(runner, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, ["ingest", "--check"], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_ingesting_twice_gives_identical_bytes(corpus: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    ingest_to(corpus, first)
    ingest_to(corpus, second, "--full")
    assert first.read_text(encoding="utf-8").replace("a.yaml", "") == second.read_text(
        encoding="utf-8"
    ).replace("b.yaml", "")
    assert first.read_bytes() == second.read_bytes()


def test_a_fresh_ingest_of_the_seeds_equals_the_committed_file(tmp_path: Path) -> None:
    out = ROOT / "data" / "claims.yaml"
    fresh = tmp_path / "data" / "claims.yaml"
    shutil.copytree(SEEDS, tmp_path / "seeds")
    ingest_to(tmp_path / "seeds", fresh, "--full", "--domain", "ai-news")  # what `ingest` of ./seeds uses
    assert fresh.read_bytes() == out.read_bytes()


def test_editing_one_file_keeps_the_other_files_ids(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "claims.yaml"
    ingest_to(corpus, out)
    before = {c.id: (c.source, c.text) for c in read_claims(out).claims}
    edited = corpus / "002_e1a2d2aab521faef.txt"
    edited.write_text("Une phrase ajoutée en tête. " + edited.read_text(encoding="utf-8"), encoding="utf-8")
    ingest_to(corpus, out)
    after = {c.id: (c.source, c.text) for c in read_claims(out).claims}
    for cid, value in before.items():
        if value[0] != edited.name:
            assert after[cid] == value


def test_check_fails_when_a_source_changes(corpus: Path, tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "claims.yaml"
    ingest_to(corpus, out)
    assert runner.invoke(app, ["ingest", str(corpus), "--check", "-o", str(out)]).exit_code == 0
    (corpus / "000_d8502b6f6bccabaa.txt").write_text("Autre texte. Tout neuf.", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(corpus), "--check", "-o", str(out)])
    assert result.exit_code == 1
    assert "000_d8502b6f6bccabaa.txt: source changed" in result.output
    assert f"run `gpu-brief ingest {corpus} -o {out}` to rebuild it" in result.output


def test_check_without_a_folder_names_the_check_command(
    corpus: Path, tmp_path: Path, runner, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "claims.yaml"
    ingest_to(corpus, out)
    monkeypatch.chdir(tmp_path)  # no ./seeds here: the folder must be named
    result = runner.invoke(app, ["ingest", "--check", "-o", str(out)])
    assert result.exit_code == 2
    assert f"`gpu-brief ingest --check {corpus.name} -o {out}`" in result.stderr  # shown relative


def test_a_user_folder_works_from_another_directory(
    corpus: Path, tmp_path: Path, runner, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "elsewhere" / "my-claims.yaml"
    ingest_to(corpus, out)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        app,
        ["ask", "Combien coûte l'abonnement Plus ?", "--claims", str(out), "--format", "json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "20 $" in result.output


def test_the_summary_says_how_to_ask_a_claims_file_no_command_reads_by_default(
    corpus: Path, tmp_path: Path, runner, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    # a trial's user ingested into their own folder, then ran `ask` without --claims and was
    # answered from the bundled corpus
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GPU_BRIEF_CLAIMS", raising=False)
    out = tmp_path / "mine" / "claims.yaml"
    result = runner.invoke(app, ["ingest", str(corpus), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0 and f"--claims {out}" in result.stdout
    assert f"GPU_BRIEF_CLAIMS={out}" in result.stdout
    # a relative -o: the variable names the file absolutely, as it is read from any folder
    relative = runner.invoke(app, ["ingest", str(corpus), "-o", "rel.yaml"], catch_exceptions=False)
    assert relative.exit_code == 0 and "--claims rel.yaml" in relative.stdout
    assert f"GPU_BRIEF_CLAIMS={tmp_path / 'rel.yaml'}" in relative.stdout.replace("\n", "")
    # what every command reads anyway needs no such line
    monkeypatch.setenv("GPU_BRIEF_CLAIMS", str(out))
    again = runner.invoke(app, ["ingest", str(corpus), "-o", str(out)], catch_exceptions=False)
    assert again.exit_code == 0 and "Ask it" not in again.stdout
    monkeypatch.delenv("GPU_BRIEF_CLAIMS")
    default = runner.invoke(app, ["ingest", str(corpus)], catch_exceptions=False)
    assert default.exit_code == 0 and (tmp_path / "data" / "claims.yaml").is_file()
    assert "Ask it" not in default.stdout


# --- bad input -------------------------------------------------------------------------------


def test_missing_folder_is_a_one_line_error(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope"), "-o", str(tmp_path / "c.yaml")])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "no such folder" in result.output


def test_empty_folder_is_an_error(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "empty").mkdir()
    result = runner.invoke(app, ["ingest", str(tmp_path / "empty"), "-o", str(tmp_path / "c.yaml")])
    assert result.exit_code == 2 and "no articles" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        # with the command that converts it, file names given (a twelfth trial: they were not)
        (
            "Une phrase en Latin-1: électricité.".encode("latin-1"),
            "`iconv -f CP1252 -t UTF-8 bad.txt > bad.txt.utf8",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary file"),
        # Windows' "Unicode" text (a fourteenth trial: called binary), with its byte-order mark or not
        (
            "Une crue historique.".encode("utf-16"),
            "looks like UTF-16); convert it first, e.g. from the folder ingested `iconv -f UTF-16 -t",
        ),
        ("Une crue historique.".encode("utf-16-le"), "`iconv -f UTF-16LE -t UTF-8 bad.txt"),
        (b"x" * 3_000_000, "larger than"),
    ],
)
def test_a_bad_file_among_good_ones_is_skipped_with_a_warning(
    corpus: Path, tmp_path: Path, runner, content: bytes, message: str
) -> None:  # type: ignore[no-untyped-def]
    (corpus / "bad.txt").write_bytes(content)
    out = tmp_path / "c.yaml"
    result = runner.invoke(app, ["ingest", str(corpus), "-o", str(out), "--no-progress"])
    assert result.exit_code == 0
    assert "bad.txt" in result.stderr and message in result.stderr
    assert "bad.txt" not in {s.file for s in read_claims(out).sources}


def test_a_folder_of_only_bad_files_is_an_error(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "a.txt").write_bytes(b"\xff\xfe\x00\x00")
    result = runner.invoke(app, ["ingest", str(folder), "-o", str(tmp_path / "c.yaml")])
    assert result.exit_code == 2 and "a.txt" in result.output


def test_an_interrupted_ingest_leaves_the_previous_file_intact(
    corpus: Path, tmp_path: Path, monkeypatch, runner
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "claims.yaml"
    ingest_to(corpus, out)
    before = out.read_bytes()
    (corpus / "new.txt").write_text("Un nouvel article. Avec deux phrases.", encoding="utf-8")

    def crash(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    result = runner.invoke(app, ["ingest", str(corpus), "-o", str(out), "--no-progress"])
    assert result.exit_code == 130
    assert out.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def _handlers_after_pool_init(queue) -> None:  # type: ignore[no-untyped-def]
    import signal

    from gpu_brief.ingest import _pool_init

    signal.signal(signal.SIGTERM, lambda *_: None)  # as `terminate_as_interrupt` leaves it
    _pool_init([], False)
    queue.put((signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)))


def test_ingest_workers_stop_on_ctrl_c_and_sigterm_instead_of_going_on() -> None:
    """A twelfth trial: Ctrl-C on a 6,000-file ingest took 4.5 s to act (each worker took the
    signal for its batch's error and went on), SIGTERM 7 s (the parent's SIGTERM handler,
    inherited, did the same): the workers take both signals' default, dying at once."""
    import multiprocessing
    import signal

    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_handlers_after_pool_init, args=(queue,))
    child.start()
    child.join(60)
    assert queue.get(timeout=5) == (signal.SIG_DFL, signal.SIG_DFL)


def test_malformed_claims_file_names_the_file_and_the_problem(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "claims.yaml"
    bad.write_text(
        CLAIMS.read_text(encoding="utf-8").replace("  line: 1\n", "  line: one\n", 1), encoding="utf-8"
    )
    result = runner.invoke(app, ["ask", "GPU ?", "--claims", str(bad)])
    assert result.exit_code == 2
    assert str(bad) in result.output and "line" in result.output and "Traceback" not in result.output


@pytest.mark.slow
def test_a_thousand_articles_show_a_progress_bar_and_finish(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    import random
    import time

    folder = tmp_path / "many"
    folder.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")]
    rng = random.Random(7)
    for i in range(1000):
        lines = rng.sample("\n".join(texts).splitlines(), 8)
        (folder / f"article-{i:04d}.txt").write_text("\n".join(lines), encoding="utf-8")
    started = time.perf_counter()
    result = runner.invoke(
        app,
        ["ingest", str(folder), "-o", str(tmp_path / "c.yaml"), "--progress", "--full"],
        catch_exceptions=False,
    )
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0
    assert "ingesting" in result.stderr and "1000/1000" in result.stderr
    print(f"\n1,000 articles ingested in {elapsed:.1f} s")


def test_the_summary_at_80_columns_keeps_every_header_whole(tmp_path: Path, runner, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "piaf"
    nested = folder / "some" / "nested" / "folder"
    nested.mkdir(parents=True)
    for n in (105, 106):
        (nested / f"piaf_{n}_with_a_rather_long_title_in_its_name.txt").write_text(
            f"Un titre très long pour l'article {n}\n\nPhotos : AFP\n\nUne phrase. Deux phrases.\n",
            encoding="utf-8",
        )
    (folder / "a_file_that_is_not_utf8_and_has_a_long_name.txt").write_bytes(b"\xff\xfe bad")
    from gpu_brief.render import terminal

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(terminal, "_console_cache", {})  # a console made earlier knows another width
    result = runner.invoke(app, ["ingest", str(folder), "-o", str(tmp_path / "c.yaml"), "--no-progress"])
    assert result.exit_code == 0, result.output
    table = result.stdout
    assert max(len(line) for line in table.splitlines() if line[:1] in "┏┃┡│├└") <= 80
    assert "…" not in table
    header = " ".join(line for line in table.splitlines() if line.startswith("┃"))
    for word in ("file", "claims", "headings", "skipped", "lines", "status"):
        assert f" {word} " in header.replace("┃", " "), word
    assert "analysed" in table and "skipped: not" in table


CANDIDATES = {
    "a.txt": "Les puces\n\nAu XVIe siècle, on ne fabriquait pas de puces.\n\nLe logiciel tourne sur Zorblax.\n",
    "b.txt": "Autre\n\nLe texte parle du XVIe siècle et de la Crèche.\n",
}


def _ingest_json(runner, folder: Path, out: Path, *extra: str) -> dict:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        app,
        ["ingest", str(folder), "-o", str(out), "--no-progress", "--format", "json", *extra],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_candidates_survive_a_re_ingest_of_unchanged_files(runner, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    folder = write_articles(tmp_path / "articles", CANDIDATES)
    out = tmp_path / "claims.yaml"
    first = _ingest_json(runner, folder, out)
    assert "XVIe" in {c["name"] for c in first["candidates"]}
    again = _ingest_json(runner, folder, out)  # every file reused from the unit cache
    assert all(f["reused"] for f in again["files"])
    assert again["candidates"] == first["candidates"]
    monkeypatch.setenv("GPU_BRIEF_CACHE_DIR", str(tmp_path / "empty-cache"))  # reused from the YAML
    assert _ingest_json(runner, folder, out)["candidates"] == first["candidates"]


def test_suggest_gazetteer_writes_a_stub_that_ingest_reads_back(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = write_articles(tmp_path / "articles", CANDIDATES)
    stub = tmp_path / "mine.yaml"
    _ingest_json(runner, folder, tmp_path / "claims.yaml", "--suggest-gazetteer", str(stub))
    text = stub.read_text(encoding="utf-8")
    assert 'name: "Zorblax"' in text and '# - {name: "XVIe", type: "other"' in text
    edited = text.replace('# - {name: "XVIe", type: "other"', '- {name: "XVIe", type: "other"')
    stub.write_text(edited, encoding="utf-8")
    _ingest_json(runner, folder, tmp_path / "claims.yaml", "--gazetteer", str(stub))
    cf = read_claims(tmp_path / "claims.yaml")
    assert {"Zorblax", "XVIe siècle"} <= {e.name for e in cf.entities}  # the stub's entries apply
    assert cf.gazetteers == ["mine.yaml"] and cf.domains == []


def test_all_candidates_lists_every_name(capsys) -> None:  # type: ignore[no-untyped-def]
    from gpu_brief.ingest import IngestResult
    from gpu_brief.render import print_ingest

    result = IngestResult([], [], {}, [], [(f"Name{i:02d}", 1, 1) for i in range(20)])
    print_ingest(result, "c.yaml", "text")
    out = " ".join(capsys.readouterr().out.split())  # unwrap the terminal's lines
    assert "Name14" in out and "Name15" not in out and "and 5 more (--all-candidates lists them)" in out
    print_ingest(result, "c.yaml", "text", all_candidates=True)
    out = " ".join(capsys.readouterr().out.split())
    assert "Name19" in out and "more" not in out


def test_domain_packs_are_named_and_recorded(runner, corpus: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        app, ["ingest", str(corpus), "-o", str(tmp_path / "c.yaml"), "--domain", "cooking"]
    )
    assert result.exit_code == 2 and "no such domain pack (bundled: ai-news)" in result.output
    out = tmp_path / "with.yaml"
    ingest_to(corpus, out, "--domain", "ai-news")
    with_pack = read_claims(out)
    assert with_pack.domains == ["ai-news"]
    assert {"GPT-4.5", "Sam Altman"} <= {e.name for e in with_pack.entities}
    ingest_to(corpus, out)  # re-ingest of the recorded folder keeps the recorded packs
    assert read_claims(out).domains == ["ai-news"]
    ingest_to(corpus, out, "--domain", "none")
    without = read_claims(out)
    assert without.domains == [] and "product" not in {
        e.type for e in without.entities
    }  # NER has no products


LEXICON_ARTICLES = {
    "a.txt": "Fromagerie\n\nLe brocciu est un fromage corse fabriqué au lait de brebis.\n\n"
    "La coopérative de Venaco emploie douze personnes.\n",
}


def test_a_users_lexicon_is_kept_in_the_claims_file_and_used_by_ask(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = write_articles(tmp_path / "articles", LEXICON_ARTICLES)
    lexicon = tmp_path / "mine.yaml"
    lexicon.write_text("en_fr:\n  ewe: [brebis]\n  curd: [fromage]\n", encoding="utf-8")
    out = tmp_path / "claims.yaml"
    _ingest_json(runner, folder, out, "--lexicon", str(lexicon))
    assert "lexicon:" in out.read_text(encoding="utf-8")
    lexicon.unlink()  # the claims file holds the data, not a path to it
    _ingest_json(runner, folder, out)  # a re-ingest keeps it
    question = "Which curd is made from ewe milk?"
    result = runner.invoke(app, ["ask", question, "--claims", str(out), "--format", "json"])
    data = json.loads(result.stdout)
    assert result.exit_code == 0 and "brocciu" in data["citations"][0]["text"]


def test_a_file_that_is_not_a_lexicon_is_one_line_and_exit_2(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = write_articles(tmp_path / "articles", LEXICON_ARTICLES)
    bad = tmp_path / "bad.yaml"
    bad.write_text("en_fr: [not, a, mapping]\n", encoding="utf-8")
    result = runner.invoke(
        app, ["ingest", str(folder), "-o", str(tmp_path / "c.yaml"), "--lexicon", str(bad)]
    )
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "lexicon" in result.output


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("version: 2\nen_fr:\n  tram: [tramway]\n", "version 2 is not supported"),
        ("en_fr:\n  Tram: tramway\n", "en_fr.Tram"),
        # a typo in a key stored an empty lexicon, silently; an entry without a term was kept
        (
            "version: 1\nen-fr:\n  tram: [tramway]\n",
            "unknown key `en-fr` in the lexicon (did you mean `en_fr`?)",
        ),
        ("version: 1\nen_fr:\n  gigafactory: []\n", "`gigafactory` has no French term"),
        ("version: 1\n", "the lexicon holds no entry"),
        # a twentieth trial: "not a lexicon (expected `en_fr:` ...)" although `en_fr:` was there
        ("version: 1\nen_fr: [1, 2]\n", "the lexicon's `en_fr:` must map English words to French ones"),
        # a twenty-fourth trial: a question set passed as a lexicon was asked "did you mean `version`?"
        ("version: 1\nquestions:\n- id: q1\n", "a question set (for `gpu-brief eval`), not a lexicon"),
        ("version: 1\nquestionz: []\n", "unknown key `questionz` in the lexicon (known: "),
    ],
)
def test_a_lexicons_error_names_its_file(runner, tmp_path: Path, text: str, says: str) -> None:  # type: ignore[no-untyped-def]
    folder = write_articles(tmp_path / "articles", LEXICON_ARTICLES)
    bad = tmp_path / "mine.yaml"
    bad.write_text(text, encoding="utf-8")
    result = runner.invoke(
        app, ["ingest", str(folder), "-o", str(tmp_path / "c.yaml"), "--lexicon", str(bad)]
    )
    assert result.exit_code == 2 and f"{bad}: " in result.stderr and says in result.stderr


def test_a_failed_ingest_leaves_no_folder_behind(
    runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    assert runner.invoke(app, ["ingest"]).exit_code == 2  # no ./seeds: nothing made for data/claims.yaml
    assert runner.invoke(app, ["ingest", "empty", "-o", "out/deep/claims.yaml"]).exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty"]
    write_articles(tmp_path / "arts", {"a.txt": "Nvidia vend des GPU. OpenAI en achète.\n"})
    assert (
        runner.invoke(app, ["ingest", "arts", "-o", "out/deep/claims.yaml", "--no-progress"]).exit_code == 0
    )
    assert [p.name for p in (tmp_path / "out" / "deep").iterdir()] == ["claims.yaml"]  # no lock left


def test_a_claims_file_of_another_folder_is_replaced_only_with_force(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = write_articles(tmp_path / "first", {"a.txt": "Nvidia vend des GPU. OpenAI en achète.\n"})
    other = write_articles(tmp_path / "other", {"q.txt": "Une liste de questions.\n"})
    claims = tmp_path / "claims.yaml"
    ingest_to(first, claims)
    kept = claims.read_bytes()
    result = runner.invoke(app, ["ingest", str(other), "-o", str(claims), "--no-progress"])
    assert result.exit_code == 2 and "holds the claims of" in result.stderr and "--force" in result.stderr
    assert claims.read_bytes() == kept
    ingest_to(other, claims, "--force")
    assert [s.file for s in read_claims(claims).sources] == ["q.txt"]
    # a mistyped folder is no other corpus: it is not there
    typo = runner.invoke(app, ["ingest", str(tmp_path / "othr"), "-o", str(claims), "--no-progress"])
    assert typo.exit_code == 2 and "othr: no such folder" in typo.stderr and "--force" not in typo.stderr


# a folder of one .txt and one .md article: what a pattern keeps or drops
TXT_AND_MD = {
    "lyon.txt": "Le maire de Lyon a annoncé un budget.\n",
    "vin.md": "# Vendanges\n\nLa récolte baisse.\n",
}


def test_several_patterns_are_kept_so_a_re_ingest_drops_no_article(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    """`--pattern "*.txt" --pattern "*.md"` read only the .md files, and the re-ingest command
    the tool suggests (no --pattern) then dropped every .md article without a word."""
    folder = write_articles(tmp_path / "articles", TXT_AND_MD)
    claims = tmp_path / "claims.yaml"
    ingest_to(folder, claims, "--pattern", "*.txt", "--pattern", "*.md")
    assert {s.file for s in read_claims(claims).sources} == {"lyon.txt", "vin.md"}
    ingest_to(folder, claims)  # the patterns the claims file was made with
    assert {s.file for s in read_claims(claims).sources} == {"lyon.txt", "vin.md"}
    check = runner.invoke(app, ["ingest", "--check", str(folder), "-o", str(claims)])
    assert check.exit_code == 0, check.output
    narrowed = runner.invoke(
        app,
        ["ingest", str(folder), "-o", str(claims), "--pattern", "*.md", "--format", "json", "--no-progress"],
    )
    assert narrowed.exit_code == 0 and json.loads(narrowed.stdout)["removed"] == ["lyon.txt"]
    assert "1 source of the previous claims file no longer in it" in narrowed.stderr


def test_recorded_patterns_are_read_from_the_claims_file_not_the_cache(  # type: ignore[no-untyped-def]
    tmp_path: Path, runner, monkeypatch
) -> None:
    """A trial re-ingested with an empty cache (and into a copy of the claims file): the recorded
    patterns were read only from the cache, so the .md article was dropped and `--check` called
    an up-to-date file stale."""
    folder = write_articles(tmp_path / "articles", TXT_AND_MD)
    claims = tmp_path / "claims.yaml"
    ingest_to(folder, claims, "--pattern", "*.txt", "--pattern", "*.md")
    monkeypatch.setenv("GPU_BRIEF_CACHE_DIR", str(tmp_path / "empty-cache"))
    check = runner.invoke(app, ["ingest", "--check", str(folder), "-o", str(claims)])
    assert check.exit_code == 0, check.output
    copy = tmp_path / "copy.yaml"
    shutil.copy(claims, copy)
    again = runner.invoke(app, ["ingest", str(folder), "-o", str(copy), "--no-progress"])
    assert again.exit_code == 0 and "no longer in it" not in again.stderr, again.stderr
    assert {s.file for s in read_claims(copy).sources} == {"lyon.txt", "vin.md"}


def test_text_files_no_pattern_matches_are_named(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    """A trial's first ingest left its Markdown article out without a word (7 sources of 8)."""
    folder = write_articles(
        tmp_path / "articles",
        {
            "lyon.txt": "Le maire de Lyon a annoncé un budget.\n",
            "sub/vin.md": "# Vendanges\n\nLa récolte baisse.\n",
            "notes.csv": "a,b\n",
        },
    )
    claims = tmp_path / "claims.yaml"
    result = runner.invoke(
        app, ["ingest", str(folder), "-o", str(claims), "--format", "json", "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["unmatched"] == ["sub/vin.md"]
    assert "1 text file not matching '*.txt' left out: sub/vin.md" in result.stderr
    assert "--pattern '*.txt' --pattern '*.md'" in result.stderr
    (folder / "lyon.txt").unlink()
    nothing = runner.invoke(app, ["ingest", str(folder), "-o", str(tmp_path / "c2.yaml"), "--no-progress"])
    assert nothing.exit_code == 2 and "not matching: sub/vin.md" in nothing.stderr
    assert "(to ingest them: --pattern '*.md')" in nothing.stderr  # a twentieth trial: no fix given


def test_the_commands_ingest_suggests_keep_the_gazetteers_it_was_made_with(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    """The re-ingest command `ask` suggested after an edit, and the one `ingest --check` gave,
    rebuilt the claims file without its gazetteer (ingest reads only the gazetteers its command
    line names): both name them now."""
    folder = write_articles(
        tmp_path / "articles", {"a.txt": "Titre\n\nLe groupe Voltania ouvre une usine à Douai.\n"}
    )
    gazetteer = tmp_path / "gaz.yaml"
    gazetteer.write_text(
        "version: 1\nentities:\n- {name: Voltania, type: organisation, aliases: [Voltania]}\n",
        encoding="utf-8",
    )
    claims = tmp_path / "claims.yaml"
    ingest_to(folder, claims, "--gazetteer", str(gazetteer))
    check = runner.invoke(app, ["ingest", "--check", str(folder), "-o", str(claims)])
    assert check.exit_code == 1 and f"--gazetteer {gazetteer}" in check.output
    assert "made with gazetteers this check was not given" in check.output
    assert (
        runner.invoke(
            app, ["ingest", "--check", str(folder), "-o", str(claims), "--gazetteer", str(gazetteer)]
        ).exit_code
        == 0
    )
    (folder / "a.txt").write_text("Titre\n\nLe groupe Voltania ferme une usine à Douai.\n", encoding="utf-8")
    asked = runner.invoke(app, ["ask", "Que fait Voltania ?", "--claims", str(claims)])
    assert f"--gazetteer {gazetteer}" in asked.stderr


@pytest.mark.parametrize(("text", "says"), [("", "the file is empty"), ("- a\n- b\n", "the file is a list")])
def test_a_gazetteer_that_is_no_mapping_says_what_it_is(runner, tmp_path: Path, text: str, says: str) -> None:  # type: ignore[no-untyped-def]
    # an empty gazetteer said ": Input should be a valid dictionary or instance of Gazetteer"
    folder = write_articles(
        tmp_path / "articles", {"a.txt": "Titre\n\nLe groupe Voltania ouvre une usine.\n"}
    )
    gazetteer = tmp_path / "gaz.yaml"
    gazetteer.write_text(text, encoding="utf-8")
    result = runner.invoke(
        app, ["ingest", str(folder), "-o", str(tmp_path / "c.yaml"), "--gazetteer", str(gazetteer)]
    )
    assert result.exit_code == 2 and f"{gazetteer}: not a gazetteer: {says}" in result.stderr


def test_an_unknown_claim_id_is_shown_an_id_of_this_corpus(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # `show zzz-1` suggested "03e044-12", an id of the bundled corpus
    folder = write_articles(
        tmp_path / "articles", {"a.txt": "Titre\n\nLe groupe Voltania ouvre une usine.\n"}
    )
    claims = tmp_path / "c.yaml"
    ingest_to(folder, claims)
    result = runner.invoke(app, ["show", "zzz-1", "--claims", str(claims)])
    assert result.exit_code == 2 and "03e044" not in result.stderr and "ids look like" in result.stderr


@pytest.mark.parametrize("size", ["-1", "nan", "0", "inf"])
def test_a_max_size_that_is_no_size_is_bad_input(tmp_path: Path, runner, size: str) -> None:  # type: ignore[no-untyped-def]
    """A trial's `--max-size -1` (on an existing claims file) and `--max-size nan` exited 70, an
    internal error."""
    folder = write_articles(tmp_path / "articles", {"a.txt": "Le maire de Lyon a annoncé un budget.\n"})
    claims = tmp_path / "claims.yaml"
    ingest_to(folder, claims)
    result = runner.invoke(
        app, ["ingest", str(folder), "-o", str(claims), "--no-progress", f"--max-size={size}"]
    )
    assert result.exit_code == 2 and "--max-size" in result.stderr and "internal error" not in result.stderr


def test_a_pattern_with_a_slash_reads_the_path_in_the_folder(tmp_path: Path) -> None:
    """A trial's `--pattern '**/*.md'` (a shell's globstar) matched nothing: patterns were read
    against the file's own name only, so no pattern with "/" could ever match."""
    folder = write_articles(
        tmp_path / "articles",
        {
            "lyon.txt": "Le maire de Lyon a annoncé un budget.\n",
            "vin.md": "# Vendanges\n\nLa récolte baisse.\n",
            "lavande/prix.md": "# Lavande\n\nLes cours chutent.\n",
            "lavande/deep/eau.txt": "La rivière est basse.\n",
        },
    )
    claims = tmp_path / "claims.yaml"
    ingest_to(folder, claims, "--pattern", "**/*.md", "--pattern", "lavande/**/*.txt")
    assert {s.file for s in read_claims(claims).sources} == {
        "vin.md",
        "lavande/prix.md",
        "lavande/deep/eau.txt",
    }


@pytest.mark.parametrize(
    ("name", "pattern", "expected"),
    [
        ("a.md", "*.md", True),
        ("sub/a.md", "*.md", True),  # a name-only pattern matches at any depth, as before
        ("a.md", "**/*.md", True),  # "**/" is any folders or none
        ("sub/deep/a.md", "**/*.md", True),
        ("sub/a.md", "sub/*.md", True),
        ("sub/deep/a.md", "sub/*.md", False),  # "*" stays inside one folder's name
        ("other/a.md", "sub/**", False),
        ("sub/ab1.txt", "sub/a[!x]?.txt", True),
        ("sub/ax1.txt", "sub/a[!x]?.txt", False),
    ],
)
def test_pattern_matching(name: str, pattern: str, expected: bool) -> None:
    from gpu_brief.folder import matches

    assert matches(name, pattern) is expected


@pytest.mark.parametrize(
    ("pattern", "ok"), [("[", False), ("*[0-9.txt", False), ("[0-9]*.txt", True), ("[[]*", True)]
)
def test_a_pattern_opening_a_set_it_never_closes_is_bad_input(  # type: ignore[no-untyped-def]
    tmp_path: Path, runner, pattern: str, ok: bool
) -> None:
    """A twenty-second trial: `--pattern '['` said "no articles matching '[' in this folder"."""
    folder = write_articles(tmp_path / "articles", {"1lyon.txt": "Le maire de Lyon a annoncé un budget.\n"})
    args = ["ingest", str(folder), "-o", str(tmp_path / "claims.yaml"), "--pattern", pattern, "--no-progress"]
    result = runner.invoke(app, args)
    if ok:
        assert "never closed" not in result.output
    else:
        assert result.exit_code == 2 and "'[' opens a set of characters that is never closed" in result.output
