"""Questions as people really send them: bytes that are not UTF-8, lists pasted from a document,
lines past the length limit, and batches too big to hold."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CLAIMS
from gpu_brief.cli import app

ALTMAN = "Sam Altman"


def test_invalid_utf8_in_a_question_is_refused_clearly(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    export = runner.invoke(
        app,
        ["export", "-", "-o", str(tmp_path / "e.md"), "--claims", str(CLAIMS)],
        input=b"Qui a cr\xe9\xe9 OpenAI ?\n",
    )
    assert export.exit_code == 2, export.output
    assert "stdin: no usable question: line 1: not UTF-8 (byte 0xe9)" in export.stderr
    assert not (tmp_path / "e.md").exists()
    argv = os.fsdecode(b"Qui a cr\xe9\xe9 OpenAI ?")  # as Python decodes a byte that is not UTF-8
    single = runner.invoke(app, ["ask", argv, "--claims", str(CLAIMS), "--format", "json"])
    assert single.exit_code == 2 and "not valid UTF-8 (byte 0xe9)" in single.stderr
    assert single.stdout == ""


def test_invalid_utf8_in_chat_is_refused_and_the_session_goes_on(runner) -> None:  # type: ignore[no-untyped-def]
    script = b"Qui a cr\xe9\xe9 OpenAI ?\nQui dirige OpenAI ?\n:quit\n"
    done = runner.invoke(app, ["chat", "--claims", str(CLAIMS)], input=script)
    assert done.exit_code == 0, done.output
    assert "not valid UTF-8" in done.stderr and ALTMAN in done.stdout


def test_a_batch_with_a_bad_line_answers_the_others(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    questions = tmp_path / "q.txt"
    questions.write_bytes(b"Qui dirige OpenAI ?\nQui a cr\xe9\xe9 OpenAI ?\n" + b"Pourquoi " * 200 + b"?\n")
    done = runner.invoke(
        app, ["ask", "--questions", str(questions), "--format", "json", "--claims", str(CLAIMS)]
    )
    assert done.exit_code == 2
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert [a["answer"] for a in answers] == [ALTMAN]
    assert "q.txt line 2: skipped: not UTF-8" in done.stderr
    assert "q.txt line 3: skipped: the question is 1801 characters long" in done.stderr


@pytest.mark.parametrize("command", ["ask", "export"])
def test_batch_questions_keep_the_length_limit(runner, tmp_path: Path, command: str) -> None:  # type: ignore[no-untyped-def]
    questions = tmp_path / "q.txt"
    questions.write_text("Qui dirige OpenAI ?\n" + "GPU " * 400 + "?\n", encoding="utf-8")
    args = (
        ["--questions", str(questions)]
        if command == "ask"
        else [str(questions), "-o", str(tmp_path / "b.md")]
    )
    result = runner.invoke(app, [command, *args, "--claims", str(CLAIMS)])
    assert result.exit_code == 2
    assert "line 2: skipped: the question is 1601 characters long; keep it under 1000" in result.stderr


@pytest.mark.parametrize(
    "line",
    [
        "1. Qui dirige OpenAI ?",
        "- Qui dirige OpenAI ?",
        "* Qui dirige OpenAI ?",
        "« Qui dirige OpenAI ? »",
        '"Qui dirige OpenAI ?"',
        "🚀 Qui dirige OpenAI ?",
        "3) « Qui dirige OpenAI ? »",
    ],
)
def test_list_markers_and_quotes_are_stripped_and_reported(runner, tmp_path: Path, line: str) -> None:  # type: ignore[no-untyped-def]
    questions = tmp_path / "q.txt"
    questions.write_text(f"# a list\n{line}\n", encoding="utf-8")
    result = runner.invoke(
        app, ["ask", "--questions", str(questions), "--claims", str(CLAIMS), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["answer"] == ALTMAN and answer["question"] == "Qui dirige OpenAI ?"
    assert "took list markers or quotes off line(s) 2" in result.stderr


def test_a_big_batch_streams_its_answers(warm_env: dict[str, str]) -> None:
    """The first answer of a batch is printed before the batch is read to its end."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gpu_brief",
            "ask",
            "--questions",
            "-",
            "--claims",
            str(CLAIMS),
            "--format",
            "json",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=warm_env,
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(b"Qui dirige OpenAI ?\n")
    proc.stdin.flush()
    ready, _, _ = select.select(
        [proc.stdout], [], [], 60
    )  # the batch is still open: only streaming answers now
    if not ready:
        proc.kill()
        proc.wait()
        pytest.fail("no answer printed while the batch was still being read")
    assert json.loads(proc.stdout.readline())["answer"] == ALTMAN
    proc.stdin.write("Combien coûte un H100 ?\n".encode())
    proc.stdin.close()
    rest = proc.stdout.read()
    proc.wait(timeout=60)
    assert proc.returncode == 0 and len(rest.splitlines()) == 1


@pytest.mark.slow
def test_a_batch_of_20000_questions_runs_in_bounded_memory(tmp_path: Path) -> None:
    if not Path("/proc/self/status").is_file():
        pytest.skip("reads the child's peak memory from /proc (Linux)")
    questions = tmp_path / "q.txt"
    base = ["Qui dirige OpenAI ?", "Combien coûte un H100 ?", "Pourquoi OpenAI a-t-il reporté GPT-4.5 ?"]
    questions.write_text("".join(f"{base[i % 3]} {i}\n" for i in range(20_000)), encoding="utf-8")
    out = tmp_path / "a.jsonl"
    command = [sys.executable, "-m", "gpu_brief", "ask", "--questions", str(questions)]
    with out.open("wb") as handle:
        child = subprocess.Popen([*command, "--claims", str(CLAIMS), "--format", "json"], stdout=handle)
        # this child's own peak, its VmHWM: neither RUSAGE_CHILDREN (the largest of every child
        # the worker waited for) nor the child's own ru_maxrss will do, since Linux carries the
        # forking worker's peak (gigabytes after a large ingest under pytest-xdist) across exec
        peak_kb = 0
        status = Path(f"/proc/{child.pid}/status")
        while child.poll() is None:
            try:
                line = next(x for x in status.read_text().splitlines() if x.startswith("VmHWM:"))
                peak_kb = max(peak_kb, int(line.split()[1]))
            except (OSError, StopIteration, ValueError):
                pass
            time.sleep(0.05)
    assert child.returncode == 0
    assert sum(1 for _ in out.open(encoding="utf-8")) == 20_000
    peak_mb = peak_kb / 1024
    print(f"\n20,000 questions: peak {peak_mb:.0f} MB")
    assert peak_mb < 400
