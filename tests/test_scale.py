"""Behaviour that matters at scale, checked on a small generated corpus."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from rank_bm25 import BM25Okapi, BM25Plus

from conftest import ROOT, ingest_to
from gpu_brief import service
from gpu_brief.cli import app

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    work = tmp_path_factory.mktemp("generated")
    generate(work / "articles", 60)
    claims = work / "claims.yaml"
    ingest_to(work / "articles", claims, "--jobs", "2")
    return work / "articles", claims


@pytest.mark.slow  # 5 s; test_index compares the scores on the seeds and on random corpora
def test_scores_equal_rank_bm25_on_a_generated_sample(generated) -> None:  # type: ignore[no-untyped-def]
    _, claims = generated
    index = service.open_index(claims)
    docs = [
        joined.split() for unit in service.load_corpus(claims, validate=False).units for joined in unit.terms
    ]
    assert len(docs) == index.n_claims > 1000
    p = index.params
    reference = (
        BM25Okapi(docs, k1=p["k1"], b=p["b"], epsilon=p["epsilon"])
        if p["variant"] == "okapi"
        else BM25Plus(docs, k1=p["k1"], b=p["b"], delta=p["delta"])
    )
    vocabulary = sorted({t for doc in docs for t in doc})
    rng = random.Random(3)
    for _ in range(20):
        query = rng.sample(vocabulary, 6)
        assert index.scores(query) == pytest.approx(list(reference.get_scores(query)), rel=1e-9, abs=1e-9)


def test_re_ingesting_reuses_units_without_reading_the_yaml(generated, monkeypatch, runner) -> None:  # type: ignore[no-untyped-def]
    articles, claims = generated
    ingest_to(articles, claims)  # leaves the unit cache in this test's cache folder
    before = dict(_ids(claims))
    generate(articles, 3, seed=9, start=1000)

    def no_yaml(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the claims YAML was parsed")

    monkeypatch.setattr("gpu_brief.store.read_claims", no_yaml)
    result = runner.invoke(
        app,
        ["ingest", str(articles), "-o", str(claims), "--no-progress", "--format", "json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0
    import json

    files = json.loads(result.stdout)["files"]
    assert sum(not f["reused"] for f in files) == 3
    after = dict(_ids(claims))
    assert all(after[c] == s for c, s in before.items())
    answered = runner.invoke(
        app, ["ask", "Nvidia prix GPU", "--claims", str(claims), "--format", "json"], catch_exceptions=False
    )
    assert answered.exit_code in (0, 1)


def _ids(claims: Path) -> list[tuple[str, str]]:
    lines = claims.read_text(encoding="utf-8").splitlines()
    return [(a[7:-1], b[9:-1]) for a, b in zip(lines, lines[5:], strict=False) if a.startswith("- id: ")]
