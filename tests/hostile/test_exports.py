"""Briefings and chat exports: concurrent appends, several corpora in one file, and no absolute
local path inside a document that may be sent to someone else."""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from pathlib import Path

import pytest

from conftest import CLAIMS, ingest_to
from gpu_brief.cli import app


class Quiet:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def answer(self, answer: object) -> None:
        pass

    def info(self, message: str) -> None:
        self.messages.append(message)

    def error(self, message: str) -> None:
        self.messages.append("error: " + message)


def test_two_sessions_exporting_at_once_lose_nothing(
    answerer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Each append reads the file, then writes old + new: without a lock, the slower session
    writes over the other's answers. A pause between the read and the write makes that certain."""
    from gpu_brief import store
    from gpu_brief.chat import ChatSession

    real = store.atomic_write

    def slow_write(path, data):  # type: ignore[no-untyped-def]
        time.sleep(0.3)
        real(path, data)

    monkeypatch.setattr(store, "atomic_write", slow_write)
    out = tmp_path / "shared.md"
    views = [Quiet(), Quiet()]
    sessions = [ChatSession(answerer, CLAIMS), ChatSession(answerer, CLAIMS)]
    sessions[0].handle("Combien coûte un H100 ?", views[0])
    sessions[1].handle("Qui dirige OpenAI ?", views[1])
    threads = [
        threading.Thread(target=s.handle, args=(f":export {out}", v))
        for s, v in zip(sessions, views, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    text = out.read_text(encoding="utf-8")
    assert "H100" in text and "Sam Altman" in text, views[0].messages + views[1].messages
    assert len(re.findall(r"gpu-brief-export v1", text)) == 2


def metadata(document: Path) -> list[dict]:  # type: ignore[type-arg]
    text = document.read_text(encoding="utf-8")
    return [json.loads(base64.b64decode(m)) for m in re.findall(r"gpu-brief-export v1 (\S+) -->", text)]


def test_verify_reads_each_export_block_with_its_own_corpus(runner, tmp_path: Path, corpus: Path) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "other.yaml"
    ingest_to(corpus, other)
    out = tmp_path / "m.md"
    for claims, question in ((CLAIMS, "Combien coûte un H100 ?"), (other, "Qui dirige OpenAI ?")):
        script = f"{question}\n:export {out}\n:quit\n"
        assert runner.invoke(app, ["chat", "--claims", str(claims)], input=script).exit_code == 0
    roots = {m["root"] for m in metadata(out)}
    assert len(roots) == 2
    result = runner.invoke(app, ["verify", str(out)])
    assert result.exit_code == 0, result.output
    assert "all citations verified" in result.output
    for source in corpus.glob("*.txt"):  # the second block still checks its own corpus
        source.write_text(source.read_text(encoding="utf-8").replace("Altman", "Altmann"), encoding="utf-8")
    assert runner.invoke(app, ["verify", str(out)]).exit_code == 1


def test_a_briefing_holds_no_absolute_local_path_and_verifies_beside_its_sources(  # type: ignore[no-untyped-def]
    runner, tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    claims = tmp_path / "claims.yaml"
    ingest_to(corpus, claims)
    questions = tmp_path / "q.txt"
    questions.write_text("Combien coûte un H100 ?\n", encoding="utf-8")
    brief = tmp_path / "out" / "brief.md"
    assert (
        runner.invoke(app, ["export", str(questions), "--claims", str(claims), "-o", str(brief)]).exit_code
        == 0
    )
    assert str(tmp_path) not in brief.read_text(encoding="utf-8")
    (meta,) = metadata(brief)
    assert meta["root"] == "../articles" and meta["claims"] == "../claims.yaml"
    moved = tmp_path / "moved"
    moved.mkdir()
    corpus.rename(moved / "articles")
    (moved / "out").mkdir()
    brief.rename(moved / "out" / "brief.md")
    assert runner.invoke(app, ["verify", str(moved / "out" / "brief.md")]).exit_code == 0
    monkeypatch.chdir(moved)
    printed = runner.invoke(
        app, ["ask", "Combien coûte un H100 ?", "--claims", str(CLAIMS), "--format", "markdown"]
    )
    assert str(CLAIMS.parent.parent) not in printed.stdout
