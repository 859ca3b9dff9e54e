"""Hermetic fixtures: every test gets its own cache folder and no claims file from the environment."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CLAIMS = ROOT / "data" / "claims.yaml"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session", autouse=True)
def _hermetic_session(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Module- and session-scoped fixtures (an ingest shared by a module) run before the
    per-test one below: they too must not write to the user's own cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GPU_BRIEF_CACHE_DIR", str(tmp_path_factory.mktemp("session-cache")))
        patch.delenv("GPU_BRIEF_CLAIMS", raising=False)
        yield


@pytest.fixture(scope="session")
def _warm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus's index, built once: each test's own cache folder starts with a copy
    (building it is most of a CLI test's time). Tests of the cache itself use folders of theirs."""
    from gpu_brief.service import open_index

    folder = tmp_path_factory.mktemp("warm-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GPU_BRIEF_CACHE_DIR", str(folder))
        open_index(CLAIMS)
    return folder


@pytest.fixture(autouse=True)
def _hermetic(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, _warm_cache: Path
) -> None:
    cache = tmp_path_factory.mktemp("cache")
    shutil.copytree(_warm_cache, cache, dirs_exist_ok=True)
    cache.chmod(0o700)
    monkeypatch.setenv("GPU_BRIEF_CACHE_DIR", str(cache))
    monkeypatch.delenv("GPU_BRIEF_CLAIMS", raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("COLUMNS", "200")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    return {p.name: p.read_bytes().decode("utf-8") for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="session")
def claims_file():  # type: ignore[no-untyped-def]
    from gpu_brief.store import read_claims

    return read_claims(CLAIMS)


@pytest.fixture(scope="session")
def answerer(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """One engine over the bundled corpus for the whole session (built without the cache)."""
    from gpu_brief.qa import Engine
    from gpu_brief.service import open_index

    return Engine(open_index(CLAIMS, use_cache=False))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A copy of the seeds in a fresh folder, for tests that edit or re-ingest sources."""
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    return folder


def write_articles(folder: Path, articles: dict[str, str]) -> Path:
    """A user's folder of articles, UTF-8 text files by name."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def run_capped(*args: str, timeout: float, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real command, in a process whose memory is capped (2 GB) and with a timeout: a test of
    a blow-up (reading /dev/zero, expanding YAML aliases) must not take the machine with it."""
    import resource

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    return subprocess.run(
        [sys.executable, "-m", "gpu_brief", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=cap,
        check=False,
        cwd=cwd,
    )


def ingest_to(folder: Path, output: Path, *extra: str) -> None:
    from gpu_brief.cli import app

    result = CliRunner().invoke(
        app, ["ingest", str(folder), "-o", str(output), "--no-progress", *extra], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
