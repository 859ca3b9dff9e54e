"""A claims file received from someone else: it must not make gpu-brief read (and copy into a
claims file) anything but the sources its user names."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import CLAIMS, SEEDS, ingest_to
from gpu_brief.cli import app

SECRET = "Le mot de passe du coffre est hunter2. Il ne doit jamais sortir de ce dossier.\n"


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A private folder of the victim, beside the folder where the shared file lands."""
    folder = tmp_path / "private"
    folder.mkdir()
    (folder / "secret.txt").write_text(SECRET, encoding="utf-8")
    (folder / "notes.txt").write_text("Une note personnelle. Une autre phrase.\n", encoding="utf-8")
    return folder


def shared_file(tmp_path: Path, root: str) -> Path:
    """A claims file as an attacker would send it: made anywhere, its `root` pointing elsewhere."""
    made = tmp_path / "made" / "claims.yaml"
    folder = tmp_path / "made" / "arts"
    folder.mkdir(parents=True)
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(f"Article {name}. Nvidia vend des GPU.\n", encoding="utf-8")
    ingest_to(folder, made)
    received = tmp_path / "downloads" / "that.yaml"
    received.parent.mkdir()
    text = made.read_text(encoding="utf-8").replace('root: "arts"', f"root: {json.dumps(root)}")
    received.write_text(text, encoding="utf-8")
    return received


@pytest.mark.parametrize("root", ["../private", "ABSOLUTE"])
def test_ingest_never_takes_its_folder_from_the_claims_file(  # type: ignore[no-untyped-def]
    runner, tmp_path: Path, victim: Path, monkeypatch, root: str
) -> None:
    received = shared_file(tmp_path, str(victim) if root == "ABSOLUTE" else root)
    monkeypatch.chdir(tmp_path / "downloads")
    result = runner.invoke(app, ["ingest", "-o", "that.yaml", "--no-progress"])
    assert result.exit_code == 2
    assert str(victim) in result.output and "name the folder" in result.output
    assert "hunter2" not in received.read_text(encoding="utf-8")


def test_ingest_ignores_a_recorded_folder_even_beside_seeds(
    runner, tmp_path: Path, victim: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    received = shared_file(tmp_path, "../private")
    (tmp_path / "downloads" / "seeds").symlink_to(SEEDS)
    monkeypatch.chdir(tmp_path / "downloads")
    result = runner.invoke(app, ["ingest", "-o", "that.yaml", "--no-progress"])
    assert result.exit_code == 2
    assert "hunter2" not in received.read_text(encoding="utf-8")


def test_the_stale_source_message_names_the_folder_to_pass(runner, tmp_path: Path, corpus: Path) -> None:  # type: ignore[no-untyped-def]
    claims = tmp_path / "claims.yaml"
    ingest_to(corpus, claims)
    source = corpus / "002_e1a2d2aab521faef.txt"
    source.write_text(source.read_text(encoding="utf-8") + "Ajout.\n", encoding="utf-8")
    result = runner.invoke(
        app, ["ask", "Quelle part du marché Nvidia détient-elle ?", "--claims", str(claims)]
    )
    assert "changed since ingest" in result.stderr  # left out, with the command that re-ingests it
    assert f"gpu-brief ingest {corpus} -o {claims}" in result.stderr


@pytest.mark.parametrize("name", ["/etc/passwd", "../private/secret.txt", "sub/../../private/secret.txt"])
def test_a_source_file_outside_the_root_is_refused(runner, tmp_path: Path, victim: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    received = shared_file(tmp_path, "../made/arts")
    text = received.read_text(encoding="utf-8")
    text = text.replace('"a.txt"', json.dumps(name))
    received.write_text(text, encoding="utf-8")
    for command in (["sources"], ["ask", "Nvidia vend des GPU"], ["claims", "--grep", "GPU"]):
        result = runner.invoke(app, [*command, "--claims", str(received)])
        assert result.exit_code == 2, (command, result.output)
        assert "refused" in result.output or "absolute path" in result.output or "leaving" in result.output


def test_sources_shows_where_a_claims_file_reads_from(runner, tmp_path: Path, victim: Path) -> None:  # type: ignore[no-untyped-def]
    received = shared_file(tmp_path, "../made/arts")
    result = runner.invoke(app, ["sources", "--claims", str(received)])
    assert result.exit_code == 0
    assert str(tmp_path / "made" / "arts") in result.output.replace("\n", "")
    rows = json.loads(runner.invoke(app, ["sources", "--claims", str(received), "--format", "json"]).stdout)
    assert rows[0]["path"] == str(tmp_path / "made" / "arts" / "a.txt")


def test_the_project_claims_file_keeps_working(runner) -> None:  # type: ignore[no-untyped-def]
    assert 'root: "../seeds"' in CLAIMS.read_text(encoding="utf-8")
    result = runner.invoke(app, ["sources", "--claims", str(CLAIMS)])
    assert result.exit_code == 0 and str(SEEDS) in result.output.replace("\n", "")
    assert runner.invoke(app, ["ask", "Qui dirige OpenAI ?", "--claims", str(CLAIMS)]).exit_code == 0


def test_recorded_gazetteers_are_not_read_again(runner, tmp_path: Path, victim: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from gpu_brief import store

    received = shared_file(tmp_path, "../made/arts")
    text = received.read_text(encoding="utf-8").replace(
        "gazetteers: []", 'gazetteers: ["../private/notes.txt"]'
    )
    received.write_text(text, encoding="utf-8")
    read: list[str] = []
    real = store.read_gazetteer
    monkeypatch.setattr(store, "read_gazetteer", lambda p: read.append(str(p)) or real(p))
    result = runner.invoke(
        app, ["ingest", str(tmp_path / "made" / "arts"), "-o", str(received), "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    assert not [p for p in read if "notes.txt" in p]
    assert "--gazetteer" in result.stderr and re.search(r"private/notes\.txt", result.stderr)
