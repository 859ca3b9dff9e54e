"""A corpus written by an attacker: escape sequences, markup, controls and bidi in the text."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import ingest_to

ESC = "\x1b"
HOSTILE_TEXT = (
    "Un titre anodin\n\n"
    "La pénurie de GPU efface l'écran \x1b[2J avec une séquence ANSI. "
    "Nvidia cache un lien \x1b]8;;http://evil.example\x1b\\cliquez\x1b]8;;\x1b\\ dans le texte. "
    "Le marché affiche du [bold red]markup[/bold red] et un [link=http://evil.example]lien[/link] Rich. "
    "Un override \u202edessus-dessous\u202c renverse le texte. "
    "Une cloche \x07, un retour arrière \x08 et un C1 \x9b31m se glissent ici.\n"
    "# Pas un titre mais une phrase sur les puces *en gras* et <script>alert(1)</script> ![img](x.png).\n"
)
# Raw terminal controls that must never reach an output (tab and newline aside).
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="session")
def _hostile_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile corpus ingested once; each test gets a copy (tests edit it, and an ingest per
    test was a tenth of the suite's time)."""
    root = tmp_path_factory.mktemp("hostile-template")
    folder = root / "scraped"
    folder.mkdir()
    (folder / "hostile \x1b[31mred\x1b[0m.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    (folder / "b.txt").write_text(
        "Deuxième article sur les GPU. Nvidia domine le marché des puces.\n", encoding="utf-8"
    )
    (folder / "c.txt").write_text(
        "Troisième article sur les puces. AMD suit Nvidia de loin.\n", encoding="utf-8"
    )
    ingest_to(folder, root / "claims.yaml")
    return root


@pytest.fixture
def hostile(tmp_path: Path, _hostile_template: Path) -> tuple[Path, Path]:
    """A copy of the ingested hostile corpus: the claims file names its folder relative to itself."""
    folder = tmp_path / "scraped"
    shutil.copytree(_hostile_template / "scraped", folder)
    claims = tmp_path / "claims.yaml"
    shutil.copy2(_hostile_template / "claims.yaml", claims)
    return folder, claims


def assert_inert(text: str) -> None:
    found = UNSAFE.search(text)
    assert found is None, (
        f"raw control {found.group()!r} in output: ...{text[max(0, found.start() - 30) : found.end() + 30]!r}"
    )


@pytest.fixture(scope="session")
def warm_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment for a `python -m gpu_brief` subprocess on the bundled corpus, with a cache
    folder where its index is built already (each test's own cache is empty: a subprocess would
    spend most of its time building the index again)."""
    import os

    from conftest import CLAIMS
    from gpu_brief.service import open_index

    folder = tmp_path_factory.mktemp("warm-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GPU_BRIEF_CACHE_DIR", str(folder))
        open_index(CLAIMS)
    return {**os.environ, "GPU_BRIEF_CACHE_DIR": str(folder)}
