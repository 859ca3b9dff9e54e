"""From a folder of articles to a cited answer, through the installed entry point's code path."""

from __future__ import annotations

import json
from pathlib import Path

from gpu_brief.cli import app

ARTICLE = """Le cloud souverain accélère en Europe

Selon Reuters, Mistral AI a levé 600 millions d’euros en juin pour construire un centre de données près de Paris.
L’entreprise prévoit d’y installer 18\u00a0000 GPU H100 d’ici 2026. Cependant, la pénurie de puces pourrait retarder le projet.

Crédit photo : AFP
"""


def test_ingest_then_ask_from_elsewhere(runner, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "veille"
    folder.mkdir()
    (folder / "mistral.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "autre.txt").write_text(
        "Nvidia domine le marché des GPU. AMD reste loin derrière.\n", encoding="utf-8"
    )
    (folder / "troisieme.txt").write_text(
        "Le prix des puces augmente. Les délais de livraison aussi.\n", encoding="utf-8"
    )
    claims = tmp_path / "out" / "claims.yaml"
    ingested = runner.invoke(
        app,
        ["ingest", str(folder), "-o", str(claims), "--no-progress", "--format", "json"],
        catch_exceptions=False,
    )
    assert ingested.exit_code == 0
    summary = json.loads(ingested.stdout)
    assert summary["claims"] == 7
    assert summary["files"][1]["skipped_lines"] == {"photo-credit": 1}

    monkeypatch.chdir(tmp_path / "out")
    monkeypatch.setenv("GPU_BRIEF_CLAIMS", str(claims))
    result = runner.invoke(
        app,
        ["ask", "How many H100 GPUs will Mistral AI install?", "--format", "json"],
        catch_exceptions=False,
    )
    data = json.loads(result.stdout)
    assert result.exit_code == 0
    assert "18\u00a0000" in data["answer"]
    top = data["citations"][0]
    assert top["source"] == "mistral.txt"
    text = (folder / "mistral.txt").read_bytes().decode("utf-8")
    assert text[top["start"] : top["end"]] == top["text"]
