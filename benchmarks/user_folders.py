"""Users' own folders: the articles and questions of fifteen new-user trials, through the CLI.

    python benchmarks/user_folders.py [--work DIR] [NAME ...]

`benchmarks/user_folders/trialNN/` holds what a helper wrote for a trial: French articles of their
own (news on one story each: a takeover, a flood, a hydrogen-train plan...; subfolders, Markdown,
CRLF, BOMs, tables, hard-wrapped lines, as they came) and `questions.yaml`, the question set they
wrote before running the tool (answerable questions, a third in English, and near misses naming
the articles' people and organisations). Never used to fit weights; read while fixing each
trial's defects, so not a held-out measurement either. Each folder is ingested as a user ingests
one (no domain pack: a plain corpus, the PIAF threshold) and judged by `gpu-brief eval`; the
pooled line is what a new user's folder gets.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent / "user_folders"
PATTERNS = ("--pattern", "*.txt", "--pattern", "*.md")  # the trials' Markdown articles too
COLUMNS = ("r@1", "r@3", "false_abstention", "answer_accuracy", "oos_abstention")


def evaluate(folder: Path, work: Path) -> list[dict[str, Any]]:
    """Every question's outcome (`eval --format json`), its folder ingested into `work`."""
    claims = work / f"{folder.name}.yaml"
    subprocess.run(
        [*("gpu-brief", "ingest", str(folder / "articles"), "-o", str(claims), "--no-progress"), *PATTERNS],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    run = subprocess.run(
        ["gpu-brief", "eval", str(folder / "questions.yaml"), "--claims", str(claims), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode not in (0, 1):
        raise SystemExit(f"{folder.name}: gpu-brief eval failed: {run.stderr.strip()}")
    from gpu_brief.evaluate import read_question_set

    near_misses = {q.id for q in read_question_set(folder / "questions.yaml").questions if q.out_of_scope}
    questions: list[dict[str, Any]] = json.loads(run.stdout)["questions"]
    return [{**q, "near_miss": q["id"] in near_misses} for q in questions]


def scores(rows: list[dict[str, Any]]) -> dict[str, float]:
    answerable = [r for r in rows if not r["near_miss"]]
    near_misses = [r for r in rows if r["near_miss"]]
    judged = [r for r in answerable if r["answer_ok"] is not None]

    def share(items: list[dict[str, Any]], test: Any) -> float:
        return sum(1 for r in items if test(r)) / len(items) if items else float("nan")

    return {
        "r@1": share(answerable, lambda r: r["rank"] == 1),
        "r@3": share(answerable, lambda r: r["rank"] is not None and r["rank"] <= 3),
        "false_abstention": share(answerable, lambda r: r["abstained"]),
        "answer_accuracy": share(judged, lambda r: r["answer_ok"]),
        "oos_abstention": share(near_misses, lambda r: r["abstained"]),
        "answerable": len(answerable),
        "near_misses": len(near_misses),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="trial folders (default: all)")
    parser.add_argument("--work", type=Path, help="where the claims files go (default: a temporary folder)")
    args = parser.parse_args()
    folders = (
        [HERE / n for n in args.names] if args.names else sorted(p for p in HERE.iterdir() if p.is_dir())
    )
    with tempfile.TemporaryDirectory(prefix="gpu-brief-users-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        pooled: list[dict[str, Any]] = []
        print(f"| folder | answerable + near misses | {' | '.join(COLUMNS)} |")
        print("|---|---:|" + "---:|" * len(COLUMNS))
        for folder in folders:
            rows = evaluate(folder, work)
            pooled += rows
            s = scores(rows)
            cells = " | ".join(f"{s[c]:.3f}" for c in COLUMNS)
            print(f"| {folder.name} | {s['answerable']} + {s['near_misses']} | {cells} |", flush=True)
        s = scores(pooled)
        print(
            f"| pooled | {s['answerable']} + {s['near_misses']} | {' | '.join(f'{s[c]:.3f}' for c in COLUMNS)} |"
        )


if __name__ == "__main__":
    main()
