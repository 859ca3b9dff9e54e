"""Docs that cannot drift: every command documented, the quick start is what CI runs."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import ROOT
from gpu_brief.cli import app

README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start() -> list[str]:
    block = README.split("## Quick start", 1)[1].split("```", 2)[1]
    return [line for line in block.strip().splitlines() if line.strip()]


def test_every_command_is_documented() -> None:
    names = [c.name or c.callback.__name__ for c in app.registered_commands]  # type: ignore[union-attr]
    assert len(names) == 10
    for name in names:
        assert f"gpu-brief {name}" in README, name


def test_the_quick_start_is_two_commands_and_ci_runs_the_second() -> None:
    install_and_ask, install_and_test = quick_start()
    assert install_and_ask.startswith("pip install . && gpu-brief ask ")
    assert install_and_test in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_the_quick_start_question_answers_as_shown(runner) -> None:  # type: ignore[no-untyped-def]
    question = re.search(r'gpu-brief ask "([^"]+)"', quick_start()[0]).group(1)  # type: ignore[union-attr]
    result = runner.invoke(app, ["ask", question], catch_exceptions=False)
    assert result.exit_code == 0
    shown = README.split("```", 4)[3]
    lines = [line for line in shown.splitlines() if line.startswith(("A: ", "[1] ", "[2] "))]
    assert len(lines) >= 2, shown
    for line in lines:
        assert line in result.stdout, (line, result.stdout)


def test_help_imports_none_of_the_heavy_modules() -> None:
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "gpu_brief", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    modules = {line.split("|")[-1].strip() for line in out.stderr.splitlines() if "|" in line}
    heavy = {"numpy", "pydantic", "yaml", "rank_bm25", "Stemmer", "gpu_brief.index", "gpu_brief.qa"}
    assert not modules & heavy


def test_ask_on_a_cached_index_imports_no_yaml_pydantic_or_numpy(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os

    env = dict(os.environ, GPU_BRIEF_CACHE_DIR=str(tmp_path))
    # the second answers from a pronoun's antecedent ("ce dernier"): still nothing of ingest's
    for question in ("How much does an H100 cost?", "Qui est le patron de Run AI ?"):
        cmd = [sys.executable, "-X", "importtime", "-m", "gpu_brief", "ask", question]
        subprocess.run(cmd, capture_output=True, env=env, check=True)
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
        modules = {line.split("|")[-1].strip() for line in out.stderr.splitlines() if "|" in line}
        assert not modules & {"numpy", "pydantic", "yaml", "rank_bm25", "gpu_brief.mentions"}


def test_the_stated_test_time_is_what_ci_measures() -> None:
    """The quick start says how long the suite takes as `.ci/run` measured it, not a guess."""
    sentence = " ".join(README.split("## Quick start", 1)[1].split("## Commands", 1)[0].split())
    assert re.search(r"`\.ci/run`, which measured \d+ s for\s+the test suite", sentence), sentence[:400]


def test_the_help_lists_every_exit_code_the_readme_documents(runner) -> None:  # type: ignore[no-untyped-def]
    table = README.split("## Exit codes", 1)[1].split("\n\n", 2)[1]
    codes = re.findall(r"^\| (\d+) \|", table, flags=re.M)
    assert len(codes) >= 6
    shown = " ".join(runner.invoke(app, ["--help"], terminal_width=200).stdout.split())
    for code in codes:
        assert re.search(rf"\b{code} [a-z]", shown), code


@pytest.mark.parametrize("command", ["ingest", "ask", "export", "claims", "verify"])
def test_help_at_80_columns_cuts_no_option(command: str) -> None:
    """A trial read `--suggest-gazett…` and `./data/claims.yam…` in `ingest --help` at 80
    columns: the help wraps, it never truncates."""
    import os

    env = dict(os.environ, COLUMNS="80")
    out = subprocess.run(
        [sys.executable, "-m", "gpu_brief", command, "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    assert "…" not in out
    assert max(len(line) for line in out.splitlines()) <= 80
