"""Retrieval quality of gpu-brief against two baselines and against its own variants.

Every system answers in the `ask --format json` shape and is judged by the same code
(`gpu_brief.evaluate`). A baseline's answer is its best passage; it abstains only when no
passage shares a word with the question.

    python benchmarks/baselines.py tests/data/dev_questions.yaml [more sets...]
"""

from __future__ import annotations

import argparse
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gpu_brief.corpus import _index_from, corpus_from_claims_file
from gpu_brief.evaluate import evaluate, read_question_set
from gpu_brief.qa import Engine
from gpu_brief.render import answer_dict, contract_citation
from gpu_brief.store import bundled_claims_path, read_claims

Ask = Callable[[str], dict[str, Any]]


def passages(records: list[Any], ranked: list[tuple[int, float]]) -> dict[str, Any]:
    cites = [contract_citation(records[i], float(score)) for i, score in ranked[:5]]
    return {"answer": cites[0]["text"] if cites else "", "abstained": not cites, "citations": cites}


def whitespace_bm25(claims: list[Any]) -> Ask:
    """rank-bm25 BM25Okapi over whitespace-split, lowercased text: the naive baseline."""
    from rank_bm25 import BM25Okapi

    bm = BM25Okapi([c.text.lower().split() for c in claims])

    def ask(question: str) -> dict[str, Any]:
        scores = bm.get_scores(question.lower().split())
        ranked = sorted(enumerate(scores), key=lambda x: (-x[1], x[0]))
        return {"question": question, **passages(claims, [r for r in ranked if r[1] > 0])}

    return ask


def sqlite_fts5(claims: list[Any]) -> Ask:
    """SQLite FTS5, unicode61 tokenizer with remove_diacritics 2, ranked by bm25()."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE claims USING fts5(text, tokenize='unicode61 remove_diacritics 2')")
    db.executemany(
        "INSERT INTO claims(rowid, text) VALUES (?, ?)", [(i, c.text) for i, c in enumerate(claims)]
    )

    def ask(question: str) -> dict[str, Any]:
        words = re.findall(r"\w+", question)
        if not words:
            return {"question": question, **passages(claims, [])}
        match = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
        rows = db.execute(
            "SELECT rowid, bm25(claims) FROM claims WHERE claims MATCH ? ORDER BY bm25(claims), rowid "
            "LIMIT 5",
            (match,),
        ).fetchall()
        return {"question": question, **passages(claims, [(r, -s) for r, s in rows])}

    return ask


def ours(claims_path: Path, headings: bool = True, **params: Any) -> Ask:
    corpus = corpus_from_claims_file(read_claims(claims_path), headings=headings)
    answerer = Engine(_index_from(corpus, claims_path, params or None))
    return lambda q: answer_dict(answerer.ask(q))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--claims", type=Path, default=bundled_claims_path())
    args = parser.parse_args()
    claims = read_claims(args.claims).claims
    systems: dict[str, Ask] = {
        "gpu-brief (BM25Okapi, headings)": ours(args.claims),
        "  variant: BM25Plus": ours(args.claims, variant="plus"),
        "  variant: BM25L": ours(args.claims, variant="l"),
        "  variant: no heading terms": ours(args.claims, headings=False),
        "baseline: rank-bm25, whitespace": whitespace_bm25(claims),
        "baseline: SQLite FTS5": sqlite_fts5(claims),
    }
    for path in args.sets:
        questions = read_question_set(path)
        print(f"\n{path}")
        print("| system | lang | R@1 | R@3 | MRR | false abst. | OOS abst. | span acc. |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for name, ask in systems.items():
            for row in evaluate(questions, ask).rows():
                cells = [
                    row["r@1"],
                    row["r@3"],
                    row["mrr"],
                    row["false_abstention"],
                    row["oos_abstention"],
                    row["answer_accuracy"],
                ]
                print(
                    f"| {name} | {row['group']} | "
                    + " | ".join("-" if v is None else f"{v:.3f}" for v in cells)
                    + " |"
                )


if __name__ == "__main__":
    main()
