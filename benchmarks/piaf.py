"""PIAF on gpu-brief: the protocol of ../shared/piaf-dev/README.md, with rank-bm25 in the same run.

    python benchmarks/piaf.py ../shared/piaf-dev/piaf-dev.json [--work DIR] [--in-process]

Builds the corpus (one `piaf_NNN.txt` per article), ingests it with default settings, asks every
question against the whole corpus (`gpu-brief ask --questions FILE --format json --top 5`, a
subprocess, as a user would), and prints sent@1, sent@5, par@1, answer F1, EM and the share of
answerable questions abstained. Then every 4th article (k % 4 == 3) is left out of the corpus and
only its questions are asked: the share that abstains. The baseline is rank-bm25's BM25Okapi over
the same claims, with gpu-brief's analyzer (Snowball, elisions, stopwords, accent folding).
`--in-process` calls the same functions as the CLI without a subprocess (faster while tuning).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from piafdata import PiafCorpus, PiafQuestion, Scores, load, write_corpus


def ingest(folder: Path, claims: Path) -> None:
    subprocess.run(
        ["gpu-brief", "ingest", str(folder), "-o", str(claims), "--format", "json"],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def ask_cli(claims: Path, questions: list[str]) -> list[dict[str, Any]]:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as handle:
        handle.write("".join(q.replace("\n", " ") + "\n" for q in questions))
    try:
        run = subprocess.run(
            [
                "gpu-brief",
                "ask",
                "--questions",
                handle.name,
                "--format",
                "json",
                "--top",
                "5",
                "--claims",
                str(claims),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        os.unlink(handle.name)
    if run.returncode not in (0, 1):
        sys.exit(f"gpu-brief ask failed ({run.returncode}): {run.stderr.strip()}")
    results = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    if len(results) != len(questions):
        sys.exit(f"expected {len(questions)} answers, got {len(results)}")
    return results


def ask_in_process(claims: Path, questions: list[str]) -> list[dict[str, Any]]:
    from gpu_brief import render, service

    answerer = service.answerer_for(claims)
    return [render.answer_dict(answerer.ask(q, top=5)) for q in questions]


NEAR_MISSES = Path(__file__).resolve().parent / "piaf_near_misses.yaml"


def near_misses(path: Path) -> list[str]:
    """Questions written for the dev half's first 60 articles by a helper who read only them:
    each names what its article names and asks what it never says (all should abstain)."""
    import yaml

    return [q["question"] for q in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]]


def bm25_baseline(claims: Path, questions: list[PiafQuestion]) -> list[dict[str, Any]]:
    """rank-bm25 BM25Okapi over the claims, gpu-brief's analyzer; abstains only without a match."""
    from rank_bm25 import BM25Okapi

    from gpu_brief.store import read_claims
    from gpu_brief.text import Analyzer

    analyzer = Analyzer()
    cf = read_claims(claims)
    bm = BM25Okapi([analyzer.terms(c.text) or ["\0"] for c in cf.claims])
    out = []
    for q in questions:
        terms = analyzer.terms(q.question)
        scores = bm.get_scores(terms)
        ranked = sorted((i for i, s in enumerate(scores) if s > 0), key=lambda i: (-scores[i], i))[:5]
        cites = [
            {"source": cf.claims[i].source, "start": cf.claims[i].start, "end": cf.claims[i].end}
            for i in ranked
        ]
        out.append(
            {
                "answer": cf.claims[ranked[0]].text if ranked else "",
                "abstained": not ranked,
                "citations": cites,
            }
        )
    return out


def table(rows: dict[str, dict[str, float]], unanswerable: dict[str, float]) -> str:
    cols = ["sent@1", "sent@5", "par@1", "F1", "EM", "abstained"]
    lines = [
        "| system | " + " | ".join(cols) + " | left out: abstained |",
        "|---|" + "---:|" * (len(cols) + 1),
    ]
    for name, row in rows.items():
        left = unanswerable.get(name)
        cells = [f"{row[c]:.3f}" for c in cols] + ["-" if left is None else f"{left:.3f}"]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", type=Path, help="piaf-dev.json (SQuAD format)")
    parser.add_argument("--work", type=Path, help="folder for the corpora and claims (default: a temp dir)")
    parser.add_argument("--in-process", action="store_true", help="ask without a subprocess")
    parser.add_argument("--no-baseline", action="store_true", help="skip rank-bm25")
    parser.add_argument("--dump", type=Path, help="write every answer (JSON lines) here")
    parser.add_argument(
        "--near-misses", type=Path, default=NEAR_MISSES, help="near misses to ask of the whole corpus (YAML)"
    )
    args = parser.parse_args()
    corpus: PiafCorpus = load(args.json)
    work = args.work or Path(tempfile.mkdtemp(prefix="piaf-"))
    os.environ.setdefault("GPU_BRIEF_CACHE_DIR", str(work / "cache"))
    ask = ask_in_process if args.in_process else ask_cli
    full, partial = work / "full", work / "left-out"
    write_corpus(corpus, full / "articles", leave_out=False)
    write_corpus(corpus, partial / "articles", leave_out=True)
    for part in (full, partial):
        ingest(part / "articles", part / "claims.yaml")
    held = [q for q in corpus.questions if q.held_out]
    rows: dict[str, dict[str, float]] = {}
    unanswerable: dict[str, float] = {}
    started = time.perf_counter()
    results = ask(full / "claims.yaml", [q.question for q in corpus.questions])
    elapsed = time.perf_counter() - started
    scores = Scores()
    for q, r in zip(corpus.questions, results, strict=True):
        scores.add(q, r)
    rows["gpu-brief"] = scores.row()
    left = ask(partial / "claims.yaml", [q.question for q in held])
    unanswerable["gpu-brief"] = sum(r["abstained"] for r in left) / len(held)
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as handle:
            for q, r in zip(corpus.questions, results, strict=True):
                handle.write(
                    json.dumps({"id": q.id, "gold": q.answer, "file": q.file, **r}, ensure_ascii=False) + "\n"
                )
    if not args.no_baseline:
        base = Scores()
        for q, r in zip(corpus.questions, bm25_baseline(full / "claims.yaml", corpus.questions), strict=True):
            base.add(q, r)
        rows["rank-bm25 BM25Okapi (same claims, same analyzer)"] = base.row()
    print(f"{len(corpus.questions)} questions, {len(corpus.files)} articles; {len(held)} questions left out")
    print(table(rows, unanswerable))
    print(f"gpu-brief answered the {len(corpus.questions)} questions in {elapsed:.1f} s")
    if args.near_misses.is_file():
        written = near_misses(args.near_misses)
        missed = ask(full / "claims.yaml", written)
        share = sum(r["abstained"] for r in missed) / len(written)
        print(
            f"near misses ({args.near_misses.name}, asked of the whole corpus): abstained {share:.3f} (n {len(written)})"
        )


if __name__ == "__main__":
    main()
