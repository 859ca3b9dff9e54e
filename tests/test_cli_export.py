"""`export` and `verify`: a briefing round-trips; an edited byte breaks exactly its citations."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from typer.testing import CliRunner

from conftest import SEEDS, ingest_to, write_articles
from gpu_brief.cli import app
from gpu_brief.export import ANSWER, FOOTNOTE, parse, unescape
from gpu_brief.render import md_escape

QUESTIONS = [
    "Pourquoi OpenAI a-t-il reporté GPT-4.5 ?",
    "How much does an H100 cost?",
    "Quelle part du marché Nvidia détient-elle ?",
    "Combien coûte l'abonnement ChatGPT Plus ?",
    "Who is Stacy Rasgon?",
    "Quand Google veut-il se passer de Broadcom ?",
    "Combien de GPU Elon Musk a-t-il commandés pour xAI ?",
    "Quelle puce Microsoft développe-t-il en secret ?",
    "Quel est le cours du Bitcoin ?",
    "What did Altman say about the size of models?",
]


@pytest.fixture(scope="module")
def _ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds copied and ingested once for the module; each test edits a copy of its own."""
    root = tmp_path_factory.mktemp("export-workspace")
    shutil.copytree(SEEDS, root / "articles")
    ingest_to(root / "articles", root / "data" / "claims.yaml")
    export(CliRunner(), root / "data" / "claims.yaml", root / "brief.md")
    return root


@pytest.fixture
def workspace(tmp_path: Path, _ingested: Path) -> tuple[Path, Path]:
    """A copy of the seeds and their claims file (which names its folder relative to itself)."""
    shutil.copytree(_ingested, tmp_path, dirs_exist_ok=True, ignore=shutil.ignore_patterns("brief.md"))
    return tmp_path / "articles", tmp_path / "data" / "claims.yaml"


def export(runner, claims: Path, out: Path) -> None:  # type: ignore[no-untyped-def]
    questions = out.parent / "questions.txt"
    questions.write_text("\n".join(QUESTIONS), encoding="utf-8")
    result = runner.invoke(
        app,
        ["export", str(questions), "-o", str(out), "--claims", str(claims), "--title", "GPU brief"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output


@pytest.fixture
def brief(workspace, tmp_path: Path, _ingested: Path) -> Path:  # type: ignore[no-untyped-def]
    """The briefing of QUESTIONS, exported from the workspace's claims (once, copied: it names
    its claims file relative to itself)."""
    out = tmp_path / "brief.md"
    shutil.copy2(_ingested / "brief.md", out)
    return out


def _first_answer(lines: list[str]) -> tuple[int, str, str]:
    """(line index, footnote label, answer text) of a briefing's first answer."""
    at, m = next((i, m) for i, line in enumerate(lines) if (m := ANSWER.match(line)))
    return at, m.group("label"), m.group("answer")


def test_round_trip_then_one_edited_byte_breaks_exactly_its_citations(runner, workspace, brief: Path) -> None:  # type: ignore[no-untyped-def]
    folder, _ = workspace
    ok = runner.invoke(app, ["verify", str(brief)])
    assert ok.exit_code == 0, ok.output
    assert "all citations verified" in ok.output

    cited, _ = parse(brief.read_text(encoding="utf-8"))
    target = next(c for c in cited if c.file == "002_e1a2d2aab521faef.txt")
    path = folder / target.file
    # a twentieth trial: an edit outside every citation passed without a word
    with path.open("a", encoding="utf-8") as f:
        f.write("Un paragraphe ajouté.\n")
    still = runner.invoke(app, ["verify", str(brief)])
    assert still.exit_code == 0 and "all citations verified" in still.stdout
    assert f"note: 1 source edited since export ({target.file})" in still.stdout
    data = bytearray(path.read_bytes())
    offset = len(path.read_text(encoding="utf-8")[: target.start + 3].encode("utf-8"))
    data[offset] = ord("#") if data[offset] != ord("#") else ord("%")
    path.write_bytes(bytes(data))
    affected = {c.label for c in cited if c.file == target.file and c.start <= target.start + 3 < c.end}

    broken = runner.invoke(app, ["verify", str(brief), "--format", "json"])
    assert broken.exit_code == 1
    import json

    results = json.loads(broken.stdout)["results"]
    assert json.loads(broken.stdout)["edited_since_export"] == [target.file]
    assert {r["label"] for r in results if not r["ok"]} == affected
    assert all("source edited" in r["reason"] for r in results if not r["ok"])


def _insert_before_a_quote(folder: Path, brief: Path, added: str):  # type: ignore[no-untyped-def]
    """Fix a "typo" in an article right before one of the briefing's quotes: the quote is unchanged
    but every offset after the edit moved. Returns the quote's citation."""
    cited, _ = parse(brief.read_text(encoding="utf-8"))
    target = next(c for c in cited if c.file == "002_e1a2d2aab521faef.txt")
    path = folder / target.file
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: target.start] + added + text[target.start :], encoding="utf-8")
    return target


def test_an_edit_ingested_since_export_is_still_the_source_s_not_the_briefing_s(
    runner, workspace, brief: Path
) -> None:  # type: ignore[no-untyped-def]
    """After `ingest` took in the edit, `verify --claims` called the same quotes "quote altered",
    "footnote altered": the briefing records its sources' sha256, and those changed."""
    folder, claims = workspace
    _insert_before_a_quote(folder, brief, "Ajout. ")
    ingest_to(folder, claims)
    for args in ([], ["--claims", str(claims)]):
        result = runner.invoke(app, ["verify", str(brief), *args])
        assert result.exit_code == 1
        broken = [line for line in result.output.splitlines() if line.startswith("BROKEN")]
        assert broken and all("source edited since export" in line for line in broken), broken


def test_a_quote_moved_by_an_edit_elsewhere_says_where_it_is_now(runner, workspace, brief: Path) -> None:  # type: ignore[no-untyped-def]
    """A typo fixed earlier in the article shifts every later quote: broken (its offsets no
    longer hold it), but the report says where the unchanged quote now is."""
    folder, _ = workspace
    target = _insert_before_a_quote(folder, brief, "Ajout. ")
    result = runner.invoke(app, ["verify", str(brief)])
    assert result.exit_code == 1
    at = target.start + len("Ajout. ")
    assert (
        f"(the quote is unchanged at characters {at}–{at + len(target.quote)}: export again)" in result.output
    )


def test_a_tampered_quote_and_a_missing_file_are_reported(runner, workspace, brief: Path) -> None:  # type: ignore[no-untyped-def]
    folder, _ = workspace
    text = brief.read_text(encoding="utf-8")
    brief.write_text(text.replace("environ 80 %", "environ 95 %", 1), encoding="utf-8")
    result = runner.invoke(app, ["verify", str(brief)])
    assert result.exit_code == 1 and "altered" in result.output
    (folder / "003_9bd70b1a36d343ca.txt").unlink()
    result = runner.invoke(app, ["verify", str(brief)])
    assert "missing" in result.output


def test_an_answer_whose_quote_was_taken_out_is_still_checked(runner, brief: Path) -> None:  # type: ignore[no-untyped-def]
    # the answer's footnote still names the cited passage's offsets: the answer must be in it
    lines = brief.read_text(encoding="utf-8").splitlines(keepends=True)
    at, label, answer = _first_answer(lines)
    quote = next(i for i in range(at, len(lines)) if lines[i].startswith("> ") and f"[^{label}]" in lines[i])
    shortened = lines[:quote] + lines[quote + 1 :]
    brief.write_text("".join(shortened), encoding="utf-8")
    assert runner.invoke(app, ["verify", str(brief)]).exit_code == 0  # a shorter briefing is fine
    shortened[at] = lines[at].replace(answer, "9 milliards de dollars", 1)
    brief.write_text("".join(shortened), encoding="utf-8")
    result = runner.invoke(app, ["verify", str(brief)])
    assert result.exit_code == 1 and f"[^{label}]" in result.output and "answer altered" in result.output


def test_a_briefing_is_never_written_into_the_sources_folder(runner, workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # the next ingest would read it as one more article, and answers would cite the briefing
    folder, claims = workspace
    before = sorted(p.name for p in folder.iterdir())
    with pytest.raises(AssertionError):
        export(runner, claims, folder / "brief.txt")
    (folder / "questions.txt").unlink()  # the helper's question list, written beside the output
    result = runner.invoke(
        app, ["ask", "Qui dirige OpenAI ?", "--claims", str(claims), "-o", str(folder / "a.md")]
    )
    assert result.exit_code == 2 and "inside the sources folder" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == before


def test_an_answer_moved_within_its_quote_or_removed_is_reported(runner, brief: Path) -> None:  # type: ignore[no-untyped-def]
    # the first footnote says where the answer is: another figure of the same sentence is caught
    text = brief.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    at, label, answer = _first_answer(lines)
    quote = next(line for line in lines if line.startswith("> ") and f"[^{label}]" in line)
    other = next(
        w for w in quote[2:].split() if w.isalpha() and w not in answer
    )  # in the quote, not the answer
    assert ", answer at characters " in next(line for line in lines if line.startswith(f"[^{label}]: "))
    brief.write_text(text.replace(lines[at], f"**Answer:** {other}[^{label}]\n", 1), encoding="utf-8")
    moved = runner.invoke(app, ["verify", str(brief)])
    assert moved.exit_code == 1 and "answer altered" in moved.output
    brief.write_text(text.replace(lines[at], "", 1), encoding="utf-8")
    removed = runner.invoke(app, ["verify", str(brief)])
    assert removed.exit_code == 1 and "answer removed" in removed.output


def test_an_answer_written_in_without_a_citation_is_reported(runner, brief: Path) -> None:  # type: ignore[no-untyped-def]
    # "Quel est le cours du Bitcoin ?" abstained; an analyst types an answer in its place
    text = brief.read_text(encoding="utf-8")
    abstained = next(line for line in text.splitlines() if "No grounded answer" in line)
    brief.write_text(text.replace(abstained, "**Answer:** Canberra", 1), encoding="utf-8")
    result = runner.invoke(app, ["verify", str(brief)])
    assert result.exit_code == 1, result.output
    assert "BROKEN answer 'Canberra': answer without a citation" in result.output
    as_json = runner.invoke(app, ["verify", str(brief), "--format", "json"])
    rows = __import__("json").loads(as_json.stdout)["results"]
    assert [r for r in rows if not r["ok"]] == [
        {"label": "", "source": "", "line": 0, "start": 0, "end": 0, "claim_id": "", "ok": False,
         "reason": "answer without a citation: no footnote says where it comes from", "note": False}
    ]  # fmt: skip


def test_a_footnote_whose_line_no_longer_fits_its_characters_is_reported(runner, brief: Path) -> None:  # type: ignore[no-untyped-def]
    text = brief.read_text(encoding="utf-8")
    note = next(line for line in text.splitlines() if line.startswith("[^1-1]: "))
    line = int(FOOTNOTE.match(note).group("line"))  # type: ignore[union-attr]
    brief.write_text(
        text.replace(note, note.replace(f", line {line},", f", line {line + 5},")), encoding="utf-8"
    )
    result = runner.invoke(app, ["verify", str(brief)])
    assert result.exit_code == 1 and "footnote altered" in result.output


def test_briefing_structure_renders_as_commonmark(runner, brief: Path) -> None:  # type: ignore[no-untyped-def]
    text = brief.read_text(encoding="utf-8")
    assert text.startswith("# GPU brief\n")
    for heading in ("## Contents", "## Sources", "Corpus fingerprint: sha256"):
        assert heading in text
    assert "No grounded answer in the corpus" in text
    # an abstention says why, as `ask` does
    bitcoin = text.split("## 9. Quel est le cours du Bitcoin ?", 1)[1].split("\n## ", 1)[0]
    assert "*Why: " in bitcoin and "nothing in the corpus says Bitcoin" in bitcoin
    tokens = MarkdownIt("commonmark").use(footnote_plugin).parse(text)
    kinds = {t.type for t in tokens}
    assert "footnote_block_open" in kinds and "blockquote_open" in kinds
    assert sum(t.type == "heading_open" and t.tag == "h2" for t in tokens) == len(QUESTIONS) + 2
    inline_kinds = {c.type for t in tokens if t.children for c in t.children}
    assert "image" not in inline_kinds and "html_inline" not in inline_kinds
    links = [c for t in tokens if t.children for c in t.children if c.type == "link_open"]
    assert all(link.attrs["href"].startswith("#") for link in links)  # only the table of contents


HOSTILE = [
    "*bold* _it_ `code` [link](http://evil.example) ![img](x.png) <script>alert(1)</script> &amp; a|b ~~s~~",
    "# not a heading",
    "- not a list",
    "1. not a list",
    "> not a quote",
    "https://evil.example/and www.evil.example",
    "trailing backslash \\",
    "[^1]: fake footnote",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_corpus_text_stays_plain_text(text: str) -> None:
    tokens = MarkdownIt("commonmark").use(footnote_plugin).parse(f"> {md_escape(text)}[^1]\n\n[^1]: note\n")
    assert [t.type for t in tokens][:3] == ["blockquote_open", "paragraph_open", "inline"]
    quote = tokens[2].children or []
    assert {c.type for c in quote} <= {"text", "footnote_ref"}, [c.type for c in quote]
    plain = "".join(c.content for c in quote if c.type == "text")
    assert plain.strip() == text.strip()
    assert unescape(md_escape(text)) == text


def test_verify_rejects_a_file_that_is_not_an_export(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "notes.md"
    other.write_text("# Notes\n\nNothing cited here.\n", encoding="utf-8")
    result = runner.invoke(app, ["verify", str(other)])
    assert result.exit_code == 2 and "no gpu-brief citations" in result.output


def test_verify_names_the_encoding_of_a_file_that_is_not_utf8(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A twenty-third trial: "cannot read: not UTF-8 (byte 26)", an offset read as a byte, and
    no hint of the fix that `ingest` and `eval` give."""
    latin = tmp_path / "a.txt"
    latin.write_bytes("Le café est servi.".encode("latin-1"))
    result = runner.invoke(app, ["verify", str(latin)])
    assert result.exit_code == 2
    assert "not UTF-8 (byte 0xe9 at offset 6; looks like Windows-1252 (Latin-1))" in result.stderr
    assert "iconv -f CP1252 -t UTF-8" in result.stderr and "Traceback" not in result.stderr


def test_verify_accepts_an_export_whose_every_question_abstained(  # type: ignore[no-untyped-def]
    runner, workspace: tuple[Path, Path], tmp_path: Path
) -> None:
    _, claims = workspace
    questions = tmp_path / "oos.txt"
    questions.write_text("Quel est le cours du Bitcoin ?\n", encoding="utf-8")
    out = tmp_path / "oos.md"
    made = runner.invoke(app, ["export", str(questions), "--claims", str(claims), "-o", str(out)])
    assert made.exit_code == 1 and "No grounded answer" in out.read_text(encoding="utf-8")
    result = runner.invoke(app, ["verify", str(out)])
    assert result.exit_code == 0, result.output
    assert "0 citations checked, nothing to verify" in result.output


def test_a_briefing_moved_away_from_its_sources_says_so_once(
    runner, workspace, brief: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A trial copied its briefing one folder deeper: 30 "BROKEN ... missing from" lines and
    nothing that said --claims would find the sources."""
    moved = tmp_path / "elsewhere" / "sub" / "brief.md"
    moved.parent.mkdir(parents=True)
    moved.write_bytes(brief.read_bytes())
    lost = runner.invoke(app, ["verify", str(moved)])
    assert lost.exit_code == 2 and "BROKEN" not in lost.output
    assert "none of its sources is in" in lost.stderr and "--claims" in lost.stderr
    assert len(lost.stderr.strip().splitlines()) == 1
    found = runner.invoke(app, ["verify", str(moved), "--claims", str(workspace[1])])
    assert found.exit_code == 0 and "all citations verified" in found.output


def test_a_briefing_checked_against_another_corpus_says_so_once(runner, brief: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A twenty-fifth trial passed another folder's claims file: 33 "BROKEN ... missing" lines,
    exit 1, a correct briefing that looked corrupt."""
    other = write_articles(tmp_path / "other", {"a.txt": "Le maire de Dole a signé le contrat en 2024."})
    claims = tmp_path / "other.yaml"
    ingest_to(other, claims)
    wrong = runner.invoke(app, ["verify", str(brief), "--claims", str(claims)])
    assert wrong.exit_code == 2 and "BROKEN" not in wrong.output
    assert "none of its sources is in" in wrong.stderr and str(claims) in wrong.stderr


def test_an_another_figure_note_is_checked_against_its_line(tmp_path: Path) -> None:
    """A twelfth trial: "another figure, 25 millions d'euros, in `a01.txt`, line 3" edited to 99
    millions still verified: only quotes and answers were read back."""
    from gpu_brief.export import verify

    (tmp_path / "a01.txt").write_text(
        "Titre\n\nLa recapitalisation de 25 millions\nd'euros est faite.\n", "utf-8"
    )
    (tmp_path / "a02.txt").write_text("Titre\n\nLe stade coûte 156 millions d'euros.\n", "utf-8")
    note = "*also in `a02.txt`, line 3; another figure, {}, in `a01.txt`, line 3.*"
    body = (
        "**Answer:** 156 millions d'euros[^1]\n\n{}\n\n> Le stade coûte 156 millions d'euros.[^1]\n\n"
        "[^1]: `a02.txt`, line 3, characters 7–43, claim `x-1`\n"
    )
    cited, _ = parse(body.format(note.format("25 millions d'euros")))  # the figure runs on a line
    assert [(c.label, c.quote, c.file, c.line) for c in cited if c.note] == [
        ("1 note", "25 millions d'euros", "a01.txt", 3)
    ]
    assert verify(cited, tmp_path, {}) == []
    cited, _ = parse(body.format(note.format("99 millions d'euros")))
    problems = verify(cited, tmp_path, {})
    assert [p.reason for p in problems] == [
        'note altered: "99 millions d\'euros" is not on line 3 of a01.txt'
    ]


def test_the_sources_section_says_it_lists_only_the_cited_ones(runner, workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A thirteenth trial: the header said "answered from 9 sources" and Sources listed 8."""
    questions = tmp_path / "one.txt"
    questions.write_text("Combien coûte l'abonnement ChatGPT Plus ?\n", encoding="utf-8")
    out = tmp_path / "one.md"
    result = runner.invoke(
        app, ["export", str(questions), "-o", str(out), "--claims", str(workspace[1]), "--top", "1"]
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "answered from 5 sources" in text and "The 1 source cited, of the 5 in the corpus:" in text
