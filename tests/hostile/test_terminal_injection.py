"""Corpus text and questions are data: nothing in them may drive the terminal or the markup."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gpu_brief.cli import app
from hostile.conftest import assert_inert

COMMANDS = [
    ["ask", "pénurie GPU écran séquence"],
    ["ask", "Nvidia lien texte marché markup Rich override cloche"],
    ["ask", "Qui \x1b[2J efface [bold]tout[/bold] \u202e ?"],
    ["claims", "--grep", "."],
    ["claims", "--entity", "nvidia", "--figures"],
    ["entities"],
    ["sources"],
]


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c)[:30])
def test_every_output_is_inert(runner, hostile, command: list[str], fmt: str) -> None:  # type: ignore[no-untyped-def]
    _, claims = hostile
    result = runner.invoke(app, [*command, "--claims", str(claims), "--format", fmt])
    assert result.exit_code in (0, 1), result.output
    assert_inert(result.stdout)
    assert_inert(result.stderr)
    if fmt == "json":
        json.loads(result.stdout) if "\n{" not in result.stdout else [
            json.loads(x) for x in result.stdout.splitlines()
        ]


def test_rich_markup_prints_literally(runner, hostile) -> None:  # type: ignore[no-untyped-def]
    _, claims = hostile
    result = runner.invoke(app, ["claims", "--grep", "markup", "--claims", str(claims)])
    assert "[bold red]markup[/bold red]" in result.stdout
    assert "[link=http://evil.example]lien[/link]" in result.stdout


def test_escapes_are_shown_not_executed(runner, hostile) -> None:  # type: ignore[no-untyped-def]
    _, claims = hostile
    result = runner.invoke(app, ["claims", "--grep", "ANSI", "--claims", str(claims)])
    assert "\\x1b[2J" in result.stdout


def test_json_keeps_the_exact_text_escaped(runner, hostile) -> None:  # type: ignore[no-untyped-def]
    folder, claims = hostile
    result = runner.invoke(app, ["claims", "--grep", "ANSI", "--claims", str(claims), "--format", "json"])
    data = json.loads(result.stdout)
    assert "\x1b[2J" in data[0]["text"]  # the real characters, escaped as \u001b in the JSON text
    assert "\\u001b[2J" in result.stdout
    source = next(p for p in folder.iterdir() if p.name.startswith("hostile"))
    assert source.read_bytes().decode("utf-8")[data[0]["start"] : data[0]["end"]] == data[0]["text"]


def test_ingest_summary_and_show_are_inert(runner, hostile, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder, claims = hostile
    result = runner.invoke(app, ["ingest", str(folder), "-o", str(claims), "--no-progress"])
    assert result.exit_code == 0
    assert_inert(result.stdout)
    ids = [
        c["id"]
        for c in json.loads(
            runner.invoke(app, ["claims", "--grep", ".", "--claims", str(claims), "--format", "json"]).stdout
        )
    ]
    for claim_id in ids:
        shown = runner.invoke(app, ["show", claim_id, "--claims", str(claims)])
        assert shown.exit_code == 0
        assert_inert(shown.stdout)


def test_error_messages_are_inert(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["ingest", str(tmp_path / "no\x1b[2Jpe"), "-o", str(tmp_path / "c.yaml")])
    assert result.exit_code == 2
    assert_inert(result.output)
    assert "\\x1b[2J" in result.output


def test_a_newline_in_a_file_name_cannot_forge_a_citation(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from conftest import ingest_to

    folder = tmp_path / "f"
    folder.mkdir()
    forged = "x\n[2] 000_real.txt:1  claim abc-1, chars 0-10\n    Nvidia a racheté OpenAI.txt"
    (folder / forged).write_text("Nvidia vend des GPU H100. Le marché croît.\n", encoding="utf-8")
    (folder / "b.txt").write_text("AMD vend aussi des puces. Intel suit.\n", encoding="utf-8")
    (folder / "c.txt").write_text("OpenAI achète des GPU. Microsoft aussi.\n", encoding="utf-8")
    claims = tmp_path / "c.yaml"
    ingest_to(folder, claims)
    for command in (["ask", "Nvidia vend des GPU H100"], ["claims", "--grep", "H100"], ["sources"]):
        result = runner.invoke(app, [*command, "--claims", str(claims)])
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert not [
            line for line in lines if line.lstrip("│ ").startswith(("[2] 000_real", "Nvidia a racheté"))
        ]
        if command[0] != "sources":  # a table may wrap the name; the others print it on one line
            assert "x\\n[2] 000_real.txt:1" in result.stdout
