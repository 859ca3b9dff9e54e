"""Antecedents of "il / elle / ce dernier / celui-ci": the rule of `antecedents.antecedents`, measured.

Ingests the PIAF dev half (as benchmarks/entities_piaf.py builds it, default settings), then for
each hand-labelled sentence of `benchmarks/antecedents.yaml` compares the antecedent recorded on
its claim with the person it refers to:

- precision: recorded antecedents that are the right person;
- recall: sentences about a named person that record that person;
- wrong on the others: antecedents recorded where the sentence refers to no named person.

    python benchmarks/antecedents.py ../shared/piaf-dev/piaf-dev.json [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from entities_piaf import write_corpus  # noqa: E402 - a sibling script


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("piaf", type=Path)
    parser.add_argument("--labels", type=Path, default=HERE / "antecedents.yaml")
    parser.add_argument("--keep", type=Path, help="build the corpus here and keep it")
    args = parser.parse_args()

    from gpu_brief.browse import key
    from gpu_brief.store import read_claims

    work = args.keep or Path(tempfile.mkdtemp(prefix="piaf-antecedents-"))
    os.environ.setdefault("GPU_BRIEF_CACHE_DIR", str(work / "cache"))
    corpus, claims = work / "corpus", work / "claims.yaml"
    write_corpus(args.piaf, corpus)
    subprocess.run(
        [sys.executable, "-m", "gpu_brief", "ingest", str(corpus), "-o", str(claims), "--no-progress"],
        check=True,
        capture_output=True,
    )
    by_file: dict[str, list] = {}
    for claim in read_claims(claims).claims:
        by_file.setdefault(claim.source, []).append(claim)
    labels = yaml.safe_load(args.labels.read_text(encoding="utf-8"))["sentences"]
    recorded = right = about_people = wrong_on_others = 0
    for label in labels:
        claim = next(c for c in by_file[label["file"]] if c.text.startswith(label["opens"]))
        names = [a.name for a in claim.antecedents]
        person = label["person"]
        ok = person is not None and any(key(person) in key(n) or key(n) in key(person) for n in names)
        recorded += bool(names)
        right += ok
        about_people += person is not None
        wrong_on_others += bool(names) and person is None
        mark = "right" if ok else ("WRONG" if names else ("missed" if person else "none, right"))
        print(
            f"  {label['file']}  {label['opens'][:32]:34} gold {person or '-':18} got {names or '-'}  {mark}"
        )
    print(f"{len(labels)} sentences, {about_people} about a named person; {recorded} antecedents recorded")
    print(
        f"precision {right}/{recorded} = {right / max(recorded, 1):.3f}; recall {right}/{about_people} = "
        f"{right / max(about_people, 1):.3f}; recorded on the {len(labels) - about_people} others: {wrong_on_others}"
    )


if __name__ == "__main__":
    main()
