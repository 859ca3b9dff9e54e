"""claims.yaml: a YAML writer that round-trips any string, a safe and strict reader."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from conftest import CLAIMS
from gpu_brief.errors import ClaimsFileError
from gpu_brief.store import atomic_write, dump_claims, quote, read_claims


@given(st.text())
def test_quoted_strings_read_back_identical(value: str) -> None:
    assert yaml.safe_load(f"key: {quote(value)}")["key"] == value


def test_the_committed_file_round_trips(claims_file) -> None:  # type: ignore[no-untyped-def]
    assert dump_claims(claims_file) == CLAIMS.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("gpu_brief: 1", "gpu_brief: 1\nsurprise: 3", 1), "surprise: unknown field"),
        (lambda t: t.replace("  start: 0\n", "  start: -5\n", 1), "start"),
        (lambda t: t + "claims: [\n", "invalid YAML"),
        (lambda t: "!!python/object/apply:os.system ['echo pwned']\n", "is not allowed"),
        (lambda t: "- just\n- a list\n", "not a gpu-brief claims file"),
    ],
)
def test_malformed_files_are_one_line_errors(tmp_path: Path, edit, message: str) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "claims.yaml"
    bad.write_text(edit(CLAIMS.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ClaimsFileError) as caught:
        read_claims(bad)
    assert str(bad) in str(caught.value) and message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_duplicate_ids_are_rejected_naming_the_id(tmp_path: Path, claims_file) -> None:  # type: ignore[no-untyped-def]
    first, second = claims_file.claims[0], claims_file.claims[1]
    text = CLAIMS.read_text(encoding="utf-8").replace(f'id: "{second.id}"', f'id: "{first.id}"', 1)
    bad = tmp_path / "claims.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ClaimsFileError, match=f"duplicate claim id '{first.id}'"):
        read_claims(bad)


def test_atomic_write_replaces_whole_files(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "file.txt"
    atomic_write(target, "one")
    atomic_write(target, "two")
    assert target.read_text() == "two"
    assert [p.name for p in target.parent.iterdir()] == ["file.txt"]


def test_a_claims_file_of_a_newer_format_is_named_so_and_never_rewritten(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    """ "gpu_brief: Input should be 1" told nothing; an older ingest silently rewrote the file."""
    from conftest import write_articles
    from gpu_brief.cli import app

    folder = write_articles(tmp_path / "arts", {"a.txt": "Titre\n\nLe H100 coûte 30 000 dollars.\n"})
    claims = tmp_path / "claims.yaml"
    runner.invoke(app, ["ingest", str(folder), "-o", str(claims), "--no-progress"])
    newer = claims.read_text(encoding="utf-8").replace("gpu_brief: 1\n", "gpu_brief: 2\n", 1)
    claims.write_text(newer, encoding="utf-8")
    asked = runner.invoke(app, ["ask", "Combien coûte le H100 ?", "--claims", str(claims)])
    assert asked.exit_code == 2 and "written by a newer gpu-brief (claims format 2" in asked.stderr
    again = runner.invoke(app, ["ingest", str(folder), "-o", str(claims), "--no-progress"])
    assert again.exit_code == 2 and "--force" in again.stderr
    assert claims.read_text(encoding="utf-8") == newer
    forced = runner.invoke(app, ["ingest", str(folder), "-o", str(claims), "--no-progress", "--force"])
    assert forced.exit_code == 0 and "gpu_brief: 1\n" in claims.read_text(encoding="utf-8")
