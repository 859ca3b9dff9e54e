"""Entities on text nobody tuned for: the PIAF dev half, ingested with default settings.

Builds the corpus as the PIAF protocol says (one `piaf_NNN.txt` per article: the title, a blank
line, then each paragraph followed by a blank line), runs `gpu-brief ingest` on it (no gazetteer,
no domain pack), then, for each labelled article of `benchmarks/piaf_entities.yaml` (its title is a
person, place or organisation the text names):

- found: `gpu-brief claims --entity NAME --format json` lists a claim of that article;
- typed: `gpu-brief entities --format json` gives the entity NAME resolves to the labelled type;

and checks that no entity of the bundled ai-news gazetteer appears unless the text names it.

    python benchmarks/entities_piaf.py ../shared/piaf-dev/piaf-dev.json [--keep DIR]

`GPU_BRIEF_NER_MODEL=fr_core_news_sm` measures the small model instead (when installed).
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

import yaml

HERE = Path(__file__).resolve().parent


def write_corpus(piaf: Path, folder: Path) -> int:
    """One file per article of the dev half: NNN is its index in the full PIAF file (2k)."""
    data = json.loads(piaf.read_text(encoding="utf-8"))["data"]
    folder.mkdir(parents=True, exist_ok=True)
    for k, article in enumerate(data):
        parts = [article["title"], ""]
        for paragraph in article["paragraphs"]:
            parts += [paragraph["context"], ""]
        (folder / f"piaf_{2 * k:03d}.txt").write_text("\n".join(parts), encoding="utf-8")
    return len(data)


def gpu_brief(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gpu_brief", *args], capture_output=True, text=True, check=False
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("piaf", type=Path)
    parser.add_argument("--labels", type=Path, default=HERE / "piaf_entities.yaml")
    parser.add_argument("--keep", type=Path, help="build the corpus here and keep it")
    args = parser.parse_args()

    from gpu_brief.browse import key
    from gpu_brief.store import domain_gazetteer_path

    labels = yaml.safe_load(args.labels.read_text(encoding="utf-8"))["articles"]
    work = args.keep or Path(tempfile.mkdtemp(prefix="piaf-entities-"))
    os.environ.setdefault("GPU_BRIEF_CACHE_DIR", str(work / "cache"))
    corpus, claims = work / "corpus", work / "claims.yaml"
    n = write_corpus(args.piaf, corpus)
    started = time.perf_counter()
    done = gpu_brief("ingest", str(corpus), "-o", str(claims), "--no-progress", "--format", "json")
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"ingest failed: {done.stderr}")
    catalog = json.loads(gpu_brief("entities", "--claims", str(claims), "--format", "json").stdout)
    print(f"{n} articles ingested in {seconds:.1f} s (CLI, one process); {len(catalog)} entities")

    found = typed = 0
    for label in labels:
        out = gpu_brief("claims", "--entity", label["name"], "--claims", str(claims), "--format", "json")
        hit = out.returncode == 0 and any(c["source"] == label["file"] for c in json.loads(out.stdout))
        wanted = key(label["name"])
        row = (  # the entity `claims --entity` resolves the name to (browse.resolve_entity)
            next((e for e in catalog if e["name"] == label["name"]), None)
            or next((e for e in catalog if key(e["name"]) == wanted), None)
            or next((e for e in catalog if any(key(a) == wanted for a in e["aliases"])), None)
        )
        kind = row["type"] if row else None
        found += hit
        typed += kind == label["type"]
        mark = ("found" if hit else "MISSED") + ("" if kind == label["type"] else f", typed {kind}")
        print(f"  {label['file']}  {label['name']!r:36} {label['type']:13} {mark}")
    print(f"claims --entity finds the article: {found}/{len(labels)} = {found / len(labels):.3f}")
    print(f"entities gives the right type:     {typed}/{len(labels)} = {typed / len(labels):.3f}")

    bundled = yaml.safe_load(domain_gazetteer_path("ai-news").read_text(encoding="utf-8"))["entities"]
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt")))
    names = {e["name"]: [e["name"], *e.get("aliases", [])] for e in bundled}
    invented = [
        e["name"]
        for e in catalog
        if e["name"] in names and not any(alias in text for alias in names[e["name"]])
    ]
    present = [e["name"] for e in catalog if e["name"] in names]
    print(
        f"bundled-gazetteer names among the entities: {len(present)} ({', '.join(present) or '-'}); "
        f"not named by the text: {len(invented)}"
    )


if __name__ == "__main__":
    main()
