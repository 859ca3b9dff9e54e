"""Choose the BM25 variant and parameters on PIAF dev and the seed dev set together.

    python benchmarks/retrieval.py ../shared/piaf-dev/piaf-dev.json

Retrieval only (the BM25 order, before the learned passage model): for each variant, k1, b and
paragraph weight, the seed dev set's R@1 and R@5 (answerable questions) and PIAF's sent@1,
sent@5 and par@1 (protocol of `../shared/piaf-dev/README.md`). The defaults in
`src/gpu_brief/index.py` are the row with the best mean of seed R@1 and PIAF sent@1.
"""

from __future__ import annotations

import argparse
import itertools
import os
import tempfile
from pathlib import Path

from piafdata import Scores, load, write_corpus

REPO = Path(__file__).resolve().parent.parent
DEV = REPO / "tests" / "data" / "dev_questions.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", type=Path, help="piaf-dev.json (SQuAD format)")
    parser.add_argument("--work", type=Path, help="folder for the PIAF corpus (default: a temp dir)")
    args = parser.parse_args()
    os.environ.setdefault("GPU_BRIEF_CACHE_DIR", tempfile.mkdtemp(prefix="gpu-brief-retrieval-"))

    from gpu_brief.corpus import _index_from, load_corpus
    from gpu_brief.evaluate import cites_expected, read_question_set
    from gpu_brief.qa import Engine
    from gpu_brief.qa.model import Model
    from gpu_brief.render import contract_citation
    from gpu_brief.service import run_ingest
    from gpu_brief.store import bundled_claims_path

    piaf = load(args.json)
    work = args.work or Path(tempfile.mkdtemp(prefix="gpu-brief-piaf-"))
    folder = work / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    write_corpus(piaf, folder, leave_out=False)
    piaf_claims = work / "claims.yaml"
    run_ingest(
        piaf_claims, folder, [], patterns=["*.txt"], max_bytes=10_000_000, jobs=2, reuse=True, progress=False
    )
    seed_claims = bundled_claims_path()
    corpora = {
        "seed": (seed_claims, load_corpus(seed_claims)),
        "piaf": (piaf_claims, load_corpus(piaf_claims)),
    }
    dev = [q for q in read_question_set(DEV).questions if not q.out_of_scope]
    model = Model.untrained()

    print(
        "| variant | k1 | b | paragraph weight | seed R@1 | seed R@5 | PIAF sent@1 | PIAF sent@5 | PIAF par@1 |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for variant, k1, b in itertools.product(("plus", "okapi"), (1.2, 1.5), (0.4, 0.75)):
        params = {"variant": variant, "k1": k1, "b": b, "paragraph_b": b}
        engines = {
            name: Engine(_index_from(corpus, path, params), model) for name, (path, corpus) in corpora.items()
        }
        queries = {
            "seed": [engines["seed"].query(q.question).search_groups for q in dev],
            "piaf": [engines["piaf"].query(q.question).search_groups for q in piaf.questions],
        }
        for weight in (0.0, 0.5, 1.0, 2.0):
            seed1 = seed5 = 0
            for q, groups in zip(dev, queries["seed"], strict=True):
                index = engines["seed"].index
                hits = index.search(groups, k=5, paragraph_weight=weight)
                found = [cites_expected(contract_citation(index.record(h.doc), 0.0), q) for h in hits]
                seed1 += bool(found[:1] and found[0])
                seed5 += any(found)
            scores = Scores()
            for q, groups in zip(piaf.questions, queries["piaf"], strict=True):
                index = engines["piaf"].index
                records = [index.record(h.doc) for h in index.search(groups, k=5, paragraph_weight=weight)]
                cites = [{"source": r.source, "start": r.start, "end": r.end} for r in records]
                scores.add(q, {"citations": cites, "abstained": True, "answer": ""})
            row = scores.row()
            n = len(dev)
            print(
                f"| {variant} | {k1} | {b} | {weight} | {seed1 / n:.3f} | {seed5 / n:.3f} "
                f"| {row['sent@1']:.3f} | {row['sent@5']:.3f} | {row['par@1']:.3f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
