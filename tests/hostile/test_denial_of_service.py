"""Small inputs that cost without bound: a backtracking --grep, YAML aliases, deep nesting."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from conftest import ingest_to, run_capped
from gpu_brief.cli import app


def _gpu_brief(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return run_capped(*args, timeout=timeout)


def test_a_catastrophic_grep_gives_up_with_a_clear_error(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "a.txt").write_text("Une phrase sur les GPU. " + "a" * 40 + "b.\n", encoding="utf-8")
    (folder / "b.txt").write_text("Nvidia vend des puces. AMD aussi.\n", encoding="utf-8")
    (folder / "c.txt").write_text("Intel suit. OpenAI achète.\n", encoding="utf-8")
    claims = tmp_path / "c.yaml"
    ingest_to(folder, claims)
    started = time.monotonic()
    done = _gpu_brief("claims", "--grep", "(a+)+$", "--claims", str(claims), timeout=30)
    assert time.monotonic() - started < 15
    assert done.returncode == 2 and "gave up after 2 s" in done.stderr
    assert runner.invoke(app, ["claims", "--grep", "a+b", "--claims", str(claims)]).exit_code == 0


def test_yaml_aliases_in_a_claims_file_are_refused(tmp_path: Path) -> None:
    big = "x" * 100_000
    lines = ["gpu_brief: 1", 'root: "."', "sources: []", "entities:"]
    lines.append(f'- {{name: "A", type: "person", aliases: [&a "{big}"]}}')
    lines += [f'- {{name: "B{i}", type: "person", aliases: [*a, *a, *a, *a, *a]}}' for i in range(2000)]
    lines.append("claims: []")
    claims = tmp_path / "bomb.yaml"
    claims.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.monotonic()
    done = _gpu_brief("ask", "Qui ?", "--claims", str(claims))
    assert time.monotonic() - started < 20
    assert done.returncode == 2, done.stderr
    assert "anchors and aliases" in done.stderr and done.stderr.count("\n") == 1
    assert sum(p.stat().st_size for p in tmp_path.rglob("*")) < 1_000_000


def test_a_gazetteer_nested_a_thousand_levels_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "a.txt").write_text("Une phrase. Deux phrases.\n", encoding="utf-8")
    for name, text in {
        "flow.yaml": "version: 1\nentities: " + "[" * 999 + "]" * 999 + "\n",
        "block.yaml": "version: 1\nentities:\n" + "".join("  " * i + "-\n" for i in range(1, 1200)),
        "alias.yaml": "version: 1\nentities:\n- &e {name: A, type: person}\n- *e\n",
    }.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        done = _gpu_brief(
            "ingest", str(folder), "-o", str(tmp_path / "c.yaml"), "--gazetteer", str(tmp_path / name)
        )
        assert done.returncode == 2, (name, done.stderr)
        assert done.stderr.count("\n") == 1 and "internal error" not in done.stderr, name
