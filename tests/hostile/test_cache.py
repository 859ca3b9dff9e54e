"""The index cache is a shortcut, never a source of truth: planted, foreign, damaged or cut caches
are rebuilt from the claims file, and the cache folder is private."""

from __future__ import annotations

import hashlib
import json
import os
import random
import stat
import struct
from pathlib import Path

import pytest

from conftest import CLAIMS, ingest_to
from gpu_brief.cli import app

QUESTION = "How much does an H100 cost?"
OTHER_UID = 65534  # nobody


def answer(runner, claims: Path, question: str = QUESTION) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["ask", question, "--claims", str(claims), "--format", "json"])
    if result.exit_code == 0:
        data = json.loads(result.stdout)
        return 0, json.dumps([data["answer"], [c["claim_id"] for c in data["citations"]]])
    return result.exit_code, result.output


def cache_files(suffix: str = ".idx") -> list[Path]:
    return sorted(Path(os.environ["GPU_BRIEF_CACHE_DIR"]).glob(f"*{suffix}"))


def cache_file_of(claims: Path) -> Path:
    place = hashlib.sha256(str(claims.resolve()).encode()).hexdigest()[:12]
    (found,) = [p for p in cache_files() if p.name.startswith(place)]
    return found


@pytest.fixture
def other_claims(tmp_path: Path) -> Path:
    folder = tmp_path / "other"
    folder.mkdir()
    for name, text in {
        "a.txt": "Un H100 coûte 3 euros chez Nvidia selon un blog inventé.\n",
        "b.txt": "Nvidia vend des cartes. Le marché des GPU croît.\n",
        "c.txt": "AMD vend aussi des puces. Intel aussi.\n",
    }.items():
        (folder / name).write_text(text, encoding="utf-8")
    out = tmp_path / "other.yaml"
    ingest_to(folder, out)
    return out


def test_an_index_planted_under_another_claims_file_name_is_not_used(runner, other_claims: Path) -> None:  # type: ignore[no-untyped-def]
    clean = answer(runner, CLAIMS)
    answer(runner, other_claims)
    victim, planted = cache_file_of(CLAIMS), cache_file_of(other_claims)
    victim.write_bytes(planted.read_bytes())
    assert answer(runner, CLAIMS) == clean


def test_an_index_of_other_content_at_the_same_path_is_not_used(
    runner, tmp_path: Path, other_claims: Path
) -> None:  # type: ignore[no-untyped-def]
    """Same path, same size, same mtime, different bytes: only the content hash tells."""
    claims = tmp_path / "claims.yaml"
    claims.write_bytes(other_claims.read_bytes())
    st = claims.stat()
    planted = answer(runner, claims)
    original = other_claims.read_text(encoding="utf-8")
    changed = original.replace("3 euros", "9 euros")
    assert len(changed) == len(original)
    claims.write_text(changed, encoding="utf-8")
    os.utime(claims, ns=(st.st_atime_ns, st.st_mtime_ns))
    code, output = answer(runner, claims)
    assert (code, output) != planted  # the claims no longer match their sources: an error, not a stale answer
    assert code == 2 and "text does not match" in output


def test_an_index_written_by_another_account_is_ignored(runner, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    answer(runner, CLAIMS)
    for path in cache_files("*"):
        os.chown(path, OTHER_UID, OTHER_UID)
    built = []
    from gpu_brief import corpus

    real = corpus.build_index
    monkeypatch.setattr(corpus, "build_index", lambda *a, **k: built.append(1) or real(*a, **k))
    answer(runner, CLAIMS)
    assert built


def test_a_made_up_index_with_the_right_name_and_hash_but_not_ours_is_ignored(  # type: ignore[no-untyped-def]
    runner, other_claims: Path
) -> None:
    from gpu_brief import cache
    from gpu_brief.service import build_index

    clean = answer(runner, CLAIMS)
    cache.write_index(CLAIMS, cache.claims_digest(CLAIMS), build_index(other_claims))
    assert answer(runner, CLAIMS) != clean  # the planted index is what a cache check alone would trust
    for path in cache_files():
        os.chown(path, OTHER_UID, OTHER_UID)
    assert answer(runner, CLAIMS) == clean


def test_the_cache_folder_is_private_and_a_foreign_one_is_not_used(
    runner, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    mine = tmp_path / "mine" / "cache"
    monkeypatch.setenv("GPU_BRIEF_CACHE_DIR", str(mine))
    clean = answer(runner, CLAIMS)
    assert stat.S_IMODE(mine.stat().st_mode) == 0o700
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    os.chown(shared, OTHER_UID, OTHER_UID)
    monkeypatch.setenv("GPU_BRIEF_CACHE_DIR", str(shared))
    result = runner.invoke(app, ["ask", QUESTION, "--claims", str(CLAIMS), "--format", "json"])
    assert result.exit_code == 0 and "is not yours" in result.stderr
    assert answer(runner, CLAIMS) == clean
    assert not list(shared.iterdir())


def _sections(data: bytes) -> tuple[int, dict[str, list[int]]]:
    magic = b"GPUBRIEF-INDEX\n"
    (length,) = struct.unpack_from("<Q", data, len(magic))
    start = len(magic) + 8
    header = json.loads(data[start : start + length])
    base = start + length
    return base + (-base) % 8, header["layout"]


def test_a_flipped_bit_in_the_scores_never_changes_an_answer(runner) -> None:  # type: ignore[no-untyped-def]
    """Bits flipped in the BM25 impacts of the question's own terms (where a flip matters)."""
    from gpu_brief.text import Analyzer

    clean = answer(runner, CLAIMS)
    path = cache_file_of(CLAIMS)
    pristine = path.read_bytes()
    base, layout = _sections(pristine)
    terms = bytes(pristine[base + layout["terms"][0] : base + sum(layout["terms"])]).decode().split("\n")
    ptr_at = base + layout["ptr"][0]
    postings = []
    for term in Analyzer().terms(QUESTION):
        if term in terms:
            t = terms.index(term)
            a, b = struct.unpack_from("<2q", pristine, ptr_at + 8 * t)
            postings += range(a, b)
    rng = random.Random(18)
    for trial in range(4):
        data = bytearray(pristine)
        byte = base + layout["imps"][0] + 8 * rng.choice(postings) + 7  # the exponent's high byte
        data[byte] ^= 1 << rng.choice([4, 5])
        path.write_bytes(bytes(data))
        assert answer(runner, CLAIMS) == clean, f"trial {trial}: byte {byte}"
        path.write_bytes(pristine)


@pytest.mark.parametrize("cut", [15, -1])
def test_a_cut_cache_is_rebuilt(runner, cut: int) -> None:  # type: ignore[no-untyped-def]
    clean = answer(runner, CLAIMS)
    path = cache_file_of(CLAIMS)
    data = path.read_bytes()
    path.write_bytes(data[:cut])
    assert answer(runner, CLAIMS) == clean
    assert answer(runner, CLAIMS) == clean  # and it healed: the next run reads a whole cache


def test_any_cut_point_is_rebuilt_without_a_crash(runner) -> None:  # type: ignore[no-untyped-def]
    from gpu_brief.service import open_index

    answer(runner, CLAIMS)
    path = cache_file_of(CLAIMS)
    data = path.read_bytes()
    rng = random.Random(7)
    for cut in sorted(rng.sample(range(len(data)), 5)):
        path.write_bytes(data[:cut])
        assert open_index(CLAIMS).n_claims > 100, cut


def test_a_cache_that_cannot_be_written_is_said_once_and_costs_only_speed(
    runner, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    # a file where the folder should be, or a read-only folder (a read-only mount: root ignores
    # modes, so the write is made to fail): the answer came with exit 0 and not a word
    clean = answer(runner, CLAIMS)
    a_file = tmp_path / "cache"
    a_file.write_text("not a folder")
    monkeypatch.setenv("GPU_BRIEF_CACHE_DIR", str(a_file))
    result = runner.invoke(app, ["ask", QUESTION, "--claims", str(CLAIMS), "--format", "json"])
    assert result.exit_code == 0 and result.stderr.count("cannot be used") == 1
    assert "nothing is cached" in result.stderr and a_file.read_text() == "not a folder"
    assert answer(runner, CLAIMS) == clean

    import tempfile

    def refused(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(30, "Read-only file system")

    monkeypatch.setenv("GPU_BRIEF_CACHE_DIR", str(tmp_path / "ro"))
    monkeypatch.setattr(tempfile, "mkstemp", refused)
    result = runner.invoke(app, ["ask", QUESTION, "--claims", str(CLAIMS), "--format", "json"])
    assert result.exit_code == 0 and result.stderr.count("is not writable (Read-only file system)") == 1
    assert (
        json.dumps(
            [
                json.loads(result.stdout)["answer"],
                [c["claim_id"] for c in json.loads(result.stdout)["citations"]],
            ]
        )
        == clean[1]
    )
