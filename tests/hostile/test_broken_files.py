"""Hand-edited or hostile claims files and sources: one-line errors, exit 2, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gpu_brief.cli import app


def edit(claims: Path, pattern: str, replacement: str) -> None:
    text = claims.read_text(encoding="utf-8")
    new, n = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
    assert n == 1, pattern
    claims.write_text(new, encoding="utf-8")


def first_id(claims: Path) -> str:
    return re.search(r'^- id: "([^"]+)"', claims.read_text(encoding="utf-8"), re.MULTILINE).group(1)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("pattern", "replacement", "expected"),
    [
        (r"^gpu_brief: 1$", "gpu_brief: 1\nsurprise: yes", "surprise: unknown field"),
        (r"^  line: \d+$", "  line: many", "line"),
        (r"^  end: \d+$", "  end: 999999", "outside"),
        (r"^  text: \"(.)", r'  text: "X', "text does not match"),
        (r"^- id: \"[^\"]+\"\n(  source: [^\n]+\n)", r'- id: "!!bad"\n\1', "id"),
    ],
)
def test_a_broken_claims_file_is_one_line_naming_file_and_claim(
    runner, hostile, pattern, replacement, expected
) -> None:  # type: ignore[no-untyped-def]
    _, claims = hostile
    claim = first_id(claims)
    edit(claims, pattern, replacement)
    result = runner.invoke(app, ["ask", "GPU ?", "--claims", str(claims)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert str(claims) in result.output and expected in result.output
    if expected in ("outside", "text does not match", "line"):
        assert claim in result.output


def test_python_tags_are_refused(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    evil = tmp_path / "claims.yaml"
    marker = tmp_path / "pwned"
    evil.write_text(f"gpu_brief: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    result = runner.invoke(app, ["claims", "--claims", str(evil)])
    assert result.exit_code == 2
    assert "refused" in result.output and "python/object/apply:os.system" in result.output
    assert not marker.exists()


def test_duplicate_ids_name_the_id(runner, hostile) -> None:  # type: ignore[no-untyped-def]
    _, claims = hostile
    ids = re.findall(r'^- id: "([^"]+)"', claims.read_text(encoding="utf-8"), re.MULTILINE)
    edit(claims, f'^- id: "{ids[1]}"', f'- id: "{ids[0]}"')
    result = runner.invoke(app, ["sources", "--claims", str(claims)])
    assert result.exit_code == 2 and f"duplicate claim id '{ids[0]}'" in result.output


def test_any_changed_source_is_detected_before_answering(runner, hostile) -> None:  # type: ignore[no-untyped-def]
    folder, claims = hostile
    (folder / "c.txt").write_text("Troisième article modifié. AMD suit Nvidia de loin.\n", encoding="utf-8")
    result = runner.invoke(app, ["ask", "Deuxième article GPU", "--claims", str(claims), "--format", "json"])
    assert result.exit_code in (0, 1)  # the other articles still answer
    assert "warning: c.txt changed since ingest" in result.stderr
    assert '"c.txt"' not in result.stdout and "modifié" not in result.stdout


def test_a_missing_source_is_reported(runner, hostile) -> None:  # type: ignore[no-untyped-def]
    folder, claims = hostile
    (folder / "b.txt").unlink()
    result = runner.invoke(app, ["ask", "GPU", "--claims", str(claims), "--format", "json"])
    assert "b.txt cannot be read" in result.stderr and '"b.txt"' not in result.stdout
    for other in folder.glob("*.txt"):  # none left to answer from: an error
        other.unlink()
    result = runner.invoke(app, ["ask", "GPU", "--claims", str(claims)])
    assert result.exit_code == 2 and "none can be read" in result.stderr


def test_a_claims_file_that_is_not_utf8_or_is_a_folder(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "claims.yaml"
    bad.write_bytes(b"gpu_brief: 1\n\xff\xfe")
    assert runner.invoke(app, ["sources", "--claims", str(bad)]).exit_code == 2
    result = runner.invoke(app, ["sources", "--claims", str(tmp_path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
