"""Scale benchmark: 10,000 generated articles (~300,000 claims), from ingest to answers.

Measures, in one run, on this machine:
- `gpu-brief ingest` of the whole corpus, NER included: wall time, articles per second, CPU use
  (cores busy on average), peak memory of the
  whole process tree (main process and workers, sampled every 50 ms);
- re-ingesting after adding 10 articles: wall time, and that no unchanged claim changed id;
- the first question of a new process (the cached index is loaded, nothing re-tokenized);
- each further question in one process (what `chat` and `--questions` do): median latency;
- the same questions through rank-bm25's get_scores, bm25s and SQLite FTS5 over the same claims,
  with our latency as a ratio to each.

    python benchmarks/scale.py --articles 10000            # generates into a temporary folder
    python benchmarks/scale.py --articles 2000 --keep /tmp/corpus
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

QUESTIONS = [
    "Combien Nvidia dépense-t-il pour ses puces ?",
    "Pourquoi OpenAI reporte-t-il le lancement ?",
    "Quel est le prix des GPU H100 ?",
    "Qui dirige la stratégie de Microsoft ?",
    "pénurie de processeurs",
    "How much did Google invest in data centers?",
    "Why is Amazon cutting its budget?",
    "Quelle part du marché détient AMD ?",
    "Quand TSMC livrera-t-il les commandes ?",
    "What did Sam Altman announce about the chip shortage?",
    "Combien de GPU Meta commande-t-il ?",
    "Quels fournisseurs Samsung concurrence-t-il ?",
    "Who leads the AI chip market?",
    "Le gouvernement soutient-il l'industrie des semi-conducteurs ?",
    "prix électricité centres de données",
    "Pourquoi Intel perd-il des clients ?",
    "How many users does ChatGPT have?",
    "Quelle est la croissance du chiffre d'affaires de Broadcom ?",
    "Anthropic acquisition startup",
    "Les analystes estiment-ils une baisse des marges ?",
]


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, in kB (from /proc)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo += [int(c) for c in f.read().split()]
        except (OSError, StopIteration):
            continue
    return total


def run_measured(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds (all processes), peak tree memory (kB), stderr."""
    before = os.times()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss_kb(proc.pid))
            time.sleep(0.05)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    _, err = proc.communicate()
    stop.set()
    thread.join()
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err}")
    return wall, cpu, peak, err


def claim_ids(claims: Path) -> dict[tuple[str, str], str]:
    """(source, text) -> id for every claim, read straight from the YAML lines."""
    out: dict[tuple[str, str], str] = {}
    cid = source = None
    with claims.open(encoding="utf-8") as f:
        for line in f:
            if line.startswith("- id: "):
                cid = line[7:-2]
            elif line.startswith("  source: ") and cid:
                source = line[11:-2]
            elif line.startswith("  text: ") and cid and source:
                out[(source, line[9:-2])] = cid
                cid = source = None
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--repeat", type=int, default=5, help="first-question runs (new processes)")
    parser.add_argument("--no-comparisons", action="store_true", help="skip rank-bm25, bm25s and FTS5")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="gpu-brief-scale-"))
    articles, claims = work / "articles", work / "claims.yaml"
    env = dict(os.environ, GPU_BRIEF_CACHE_DIR=str(work / "cache"))
    gb = [sys.executable, "-m", "gpu_brief"]
    print(f"machine: {os.cpu_count()} cores; corpus in {work}")

    if not articles.exists():
        started = time.perf_counter()
        generate(articles, args.articles)
        print(f"generated {args.articles} articles in {time.perf_counter() - started:.1f} s")
    wall, cpu, peak, err = run_measured(
        [*gb, "ingest", str(articles), "-o", str(claims), "--full", "--progress"], env
    )
    n_claims = sum(1 for line in claims.open(encoding="utf-8") if line.startswith("- id: "))
    bar = "yes" if re.search(r"ingesting.*\d+/\d+", err) else "no"
    print(
        f"ingest (NER included): {n_claims} claims from {args.articles} articles in {wall:.1f} s wall, "
        f"{args.articles / wall:.1f} articles/s, CPU {cpu / wall:.2f} of {os.cpu_count()} cores busy on "
        f"average, peak memory {peak / 1024:.0f} MB (whole tree), progress bar shown: {bar}"
    )

    before = claim_ids(claims)
    generate(articles, 10, start=args.articles, seed=2)
    wall, _, peak, _ = run_measured([*gb, "ingest", str(articles), "-o", str(claims), "--no-progress"], env)
    after = claim_ids(claims)
    moved = sum(1 for key, cid in before.items() if after.get(key) != cid)
    print(
        f"re-ingest after adding 10 articles: {wall:.1f} s wall, peak memory {peak / 1024:.0f} MB, "
        f"{len(after) - len(before)} new claims, {moved} of {len(before)} unchanged claims changed id"
    )

    firsts = []
    for i in range(args.repeat):
        start = time.perf_counter()
        subprocess.run(
            [*gb, "ask", QUESTIONS[i % len(QUESTIONS)], "--claims", str(claims), "--format", "json"],
            env=env,
            stdout=subprocess.DEVNULL,
            check=False,
        )
        firsts.append(time.perf_counter() - start)
    print(
        f"first question of a new process: median {statistics.median(firsts):.2f} s, "
        f"max {max(firsts):.2f} s ({args.repeat} processes)"
    )

    os.environ["GPU_BRIEF_CACHE_DIR"] = env["GPU_BRIEF_CACHE_DIR"]
    from gpu_brief import service

    answerer = service.answerer_for(claims)
    answerer.ask(QUESTIONS[0])
    ours, search_only, queries = [], [], []
    for q in QUESTIONS * 3:
        start = time.perf_counter()
        answer = answerer.ask(q)
        service.verify_citations(answerer.index, [answer])
        ours.append(time.perf_counter() - start)
        query = answerer.query(q)
        groups = query.search_groups
        start = time.perf_counter()
        answerer.index.search(groups, k=10)
        search_only.append(time.perf_counter() - start)
        queries.append(sorted({t for g in query.groups for alt in g.alternatives[:1] for t, _ in alt}))
    m_ours, m_search = statistics.median(ours), statistics.median(search_only)
    print(
        f"further questions, one process: answer median {m_ours * 1000:.1f} ms "
        f"(retrieval alone {m_search * 1000:.1f} ms), p90 {sorted(ours)[int(0.9 * len(ours))] * 1000:.1f} ms"
    )

    if args.no_comparisons:
        return
    corpus = service.load_corpus(claims, validate=False)
    docs = [joined.split() for unit in corpus.units for joined in unit.terms]
    texts = [r.text for r in answerer.index.records()]
    comparisons = {}
    try:
        import bm25s

        retriever = bm25s.BM25(method="lucene")
        vocab: dict[str, int] = {}
        ids = [[vocab.setdefault(t, len(vocab)) for t in doc] for doc in docs]
        retriever.index(bm25s.tokenization.Tokenized(ids=ids, vocab=vocab), show_progress=False)
        times = []
        for terms in queries:
            q_ids = [[vocab[t] for t in terms if t in vocab] or [0]]
            start = time.perf_counter()
            retriever.retrieve(
                bm25s.tokenization.Tokenized(ids=q_ids, vocab=vocab), k=10, show_progress=False
            )
            times.append(time.perf_counter() - start)
        comparisons["bm25s (same terms, sparse matrix)"] = statistics.median(times)
    except ImportError:
        print("bm25s not installed (pip install '.[bench]'): skipped")
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE claims USING fts5(text, tokenize='unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO claims(rowid, text) VALUES (?, ?)", enumerate(texts))
    times = []
    for q in QUESTIONS * 3:
        words = re.findall(r"\w+", q)
        match = " OR ".join('"' + w + '"' for w in words)
        start = time.perf_counter()
        db.execute(
            "SELECT rowid FROM claims WHERE claims MATCH ? ORDER BY bm25(claims) LIMIT 10", (match,)
        ).fetchall()
        times.append(time.perf_counter() - start)
    comparisons["SQLite FTS5 (unicode61, remove_diacritics 2)"] = statistics.median(times)
    from rank_bm25 import BM25Plus

    sample = random.Random(0).sample(queries, 5)
    reference = BM25Plus(docs)
    times = []
    for terms in sample:
        start = time.perf_counter()
        reference.get_scores(terms)
        times.append(time.perf_counter() - start)
    comparisons["rank-bm25 BM25Plus.get_scores (same terms)"] = statistics.median(times)
    for name, seconds in comparisons.items():
        print(
            f"{name}: median {seconds * 1000:.1f} ms per question; ours (retrieval) / it = "
            f"{m_search / seconds:.2f}, ours (full answer) / it = {m_ours / seconds:.2f}"
        )


if __name__ == "__main__":
    main()
