"""What scraped folders really contain: encodings, line endings, giant and tiny files, loops."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gpu_brief.cli import app
from gpu_brief.store import exclusive, read_claims


def ingest(runner, folder: Path, out: Path, *extra: str):  # type: ignore[no-untyped-def]
    return runner.invoke(
        app, ["ingest", str(folder), "-o", str(out), "--no-progress", "--format", "json", *extra]
    )


def make(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


GOOD = {
    "a.txt": "Première phrase. Deuxième phrase.\n".encode(),
    "b.txt": b"Encore un article. Fin.\n",
}


def test_latin1_is_refused_with_the_encoding_it_looks_like(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = make(tmp_path / "f", {**GOOD, "latin.txt": "Électricité coûteuse.".encode("cp1252")})
    result = ingest(runner, folder, tmp_path / "c.yaml")
    assert result.exit_code == 0
    assert (
        "latin.txt: not UTF-8" in result.stderr
        and "Windows-1252" in result.stderr
        and "iconv" in result.stderr
    )


def test_bom_and_crlf_keep_offsets_on_the_file_as_read(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = "\ufeffPremière phrase.\r\nDeuxième phrase. Troisième.\r\n".encode()
    folder = make(tmp_path / "f", {**GOOD, "crlf.txt": data})
    out = tmp_path / "c.yaml"
    assert ingest(runner, folder, out).exit_code == 0
    text = data.decode("utf-8")
    claims = [c for c in read_claims(out).claims if c.source == "crlf.txt"]
    assert [c.text for c in claims] == ["Première phrase.", "Deuxième phrase.", "Troisième."]
    assert all(text[c.start : c.end] == c.text for c in claims)


def test_nul_bytes_mean_binary(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = make(tmp_path / "f", {**GOOD, "nul.txt": "Une phrase\x00cachée.".encode()})
    result = ingest(runner, folder, tmp_path / "c.yaml")
    assert result.exit_code == 0 and "nul.txt: binary file" in result.stderr


def test_unreadable_files_are_skipped(runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    folder = make(tmp_path / "f", {**GOOD, "locked.txt": b"Secret."})
    from gpu_brief import store

    real = store.read_regular

    def read_regular(path: Path, limit: int | None = None) -> bytes:
        if Path(path).name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real(path, limit)

    monkeypatch.setattr(store, "read_regular", read_regular)
    result = ingest(runner, folder, tmp_path / "c.yaml")
    assert result.exit_code == 0 and "locked.txt: cannot read: Permission denied" in result.stderr


def test_names_with_spaces_and_accents(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = make(
        tmp_path / "dossier été", {**GOOD, "l’article n°1 (copie).txt": b"Une phrase. Deux phrases."}
    )
    out = tmp_path / "c.yaml"
    assert ingest(runner, folder, out).exit_code == 0
    names = {s.file for s in read_claims(out).sources}
    assert "l’article n°1 (copie).txt" in names
    result = runner.invoke(app, ["ask", "phrases", "--claims", str(out), "--format", "json"])
    assert json.loads(result.stdout)["citations"]


def test_symlink_loops_are_skipped(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = make(tmp_path / "f", GOOD)
    (folder / "sub").mkdir()
    (folder / "sub" / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "sub" / "c.txt").write_text("Un troisième article. Voilà.", encoding="utf-8")
    out = tmp_path / "c.yaml"
    assert ingest(runner, folder, out).exit_code == 0
    assert sorted(s.file for s in read_claims(out).sources) == ["a.txt", "b.txt", "sub/c.txt"]


def test_a_50_mb_file_is_skipped_by_default(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = make(tmp_path / "f", GOOD)
    with (folder / "dump.txt").open("wb") as handle:
        handle.truncate(50_000_000)
    result = ingest(runner, folder, tmp_path / "c.yaml")
    assert result.exit_code == 0 and "dump.txt: 50.0 MB is larger than the 2 MB limit" in result.stderr


@pytest.mark.slow
def test_a_50_mb_article_is_ingested_when_allowed(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sentence = "Nvidia vend des GPU à 30 000 $ pièce, selon Reuters. "
    folder = make(tmp_path / "f", {**GOOD, "big.txt": ((sentence * 20 + "\n") * 45_000).encode()})
    started = time.perf_counter()
    result = ingest(runner, folder, tmp_path / "c.yaml", "--max-size", "60")
    assert result.exit_code == 0, result.output
    print(f"\n50 MB article ingested in {time.perf_counter() - started:.1f} s")


@pytest.mark.slow
def test_ten_thousand_tiny_files(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(10_000):
        (folder / f"{i:05d}.txt").write_text(f"Article {i}. Il parle de GPU.", encoding="utf-8")
    out = tmp_path / "c.yaml"
    started = time.perf_counter()
    assert ingest(runner, folder, out, "--jobs", "2").exit_code == 0
    assert len(read_claims(out).sources) == 10_000
    print(f"\n10,000 tiny files ingested in {time.perf_counter() - started:.1f} s")


def test_a_second_ingest_while_one_runs_is_refused(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = make(tmp_path / "f", GOOD)
    out = tmp_path / "c.yaml"
    assert ingest(runner, folder, out).exit_code == 0
    before = out.read_bytes()
    with exclusive(out):
        result = ingest(runner, folder, out, "--full")
    assert result.exit_code == 2 and "another `gpu-brief ingest` is writing it" in result.output
    assert out.read_bytes() == before


def test_sigterm_leaves_the_previous_claims_file_intact(tmp_path: Path) -> None:
    folder = make(tmp_path / "f", GOOD)
    out = tmp_path / "c.yaml"
    env = dict(os.environ, GPU_BRIEF_CACHE_DIR=str(tmp_path / "cache"))
    cmd = [
        sys.executable,
        "-m",
        "gpu_brief",
        "ingest",
        str(folder),
        "-o",
        str(out),
        "--no-progress",
        "--jobs",
        "1",
    ]
    subprocess.run(cmd, check=True, env=env, capture_output=True)
    before = out.read_bytes()
    for i in range(3000):
        (folder / f"x{i:04d}.txt").write_text(
            "Une phrase sur les GPU de Nvidia. Une autre sur les puces. " * 20, encoding="utf-8"
        )
    proc = subprocess.Popen([*cmd, "--full"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.0)
    proc.terminate()
    _, err = proc.communicate(timeout=60)
    # 130, or death by the signal itself: SIGTERM before the handler is in place, SIGINT when Python
    # re-raises an interrupt met while shutting down (a shell shows 143 or 130); a loaded machine
    # (a fourteenth trial's first `pytest`) gave the last
    assert proc.returncode in (130, -15, -2), err
    assert b"Traceback" not in err
    assert out.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_ingest_does_not_replace_a_file_that_is_not_a_claims_file(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = make(tmp_path / "f", GOOD)
    notes = tmp_path / "notes.yaml"
    notes.write_text("my: precious notes\n", encoding="utf-8")
    result = ingest(runner, folder, notes)
    assert result.exit_code == 2 and "not a gpu-brief claims file" in result.output
    assert notes.read_text(encoding="utf-8") == "my: precious notes\n"
    assert ingest(runner, folder, notes, "--force").exit_code == 0


def test_ingest_never_writes_a_file_the_next_ingest_would_read_as_an_article(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A fourteenth trial: `-o articles/claims.txt` was written, and the next ingest analysed it."""
    folder = make(tmp_path / "f", GOOD)
    result = ingest(runner, folder, folder / "claims.txt")
    assert result.exit_code == 2 and "matches --pattern '*.txt', so the next ingest" in result.output
    assert not (folder / "claims.txt").exists()
    assert ingest(runner, folder, folder / "claims.yaml").exit_code == 0  # the README's own example


def test_ingest_never_writes_over_an_article(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = make(tmp_path / "f", {**GOOD, "claims.txt": b"gpu_brief: 1\nUne phrase."})
    before = (folder / "claims.txt").read_bytes()
    result = ingest(runner, folder, folder / "claims.txt", "--force")
    assert result.exit_code == 2 and "is one of the articles" in result.output
    assert (folder / "claims.txt").read_bytes() == before
    shutil.rmtree(folder)
