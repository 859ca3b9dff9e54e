"""Whole-process speed of `gpu-brief ask` against `python -c "import typer, rich, pydantic, rank_bm25, yaml"`.

Both commands run interleaved in the same loop, so machine noise hits them alike; the figure that
matters is the ratio of medians. The index cache is warmed first (a user's second question).

    python benchmarks/startup.py            # 30 runs of each
    python benchmarks/startup.py --runs 60 --question "How much does an H100 cost?"
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

BASELINE = [sys.executable, "-c", "import typer, rich, pydantic, rank_bm25, yaml"]
HEAVY = ("numpy", "pydantic", "yaml", "rank_bm25", "Stemmer", "rich")


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def imported_by(args: list[str], env: dict[str, str]) -> set[str]:
    """Top-level modules a gpu-brief command imports (python -X importtime)."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "gpu_brief", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    ).stderr
    return {line.split("|")[-1].strip().split(".")[0] for line in out.splitlines() if "|" in line}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--question", default="How much does an H100 cost?")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gpu-brief-bench-") as cache:
        env = dict(os.environ, GPU_BRIEF_CACHE_DIR=cache)
        # A user's install has bytecode (pip compiles it; Python caches it on first import). An
        # environment that forbids writing it would time our source compilation, not our start.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        run(args, env)


def run(args: argparse.Namespace, env: dict[str, str]) -> None:
    ask = [sys.executable, "-m", "gpu_brief", "ask", args.question]
    timed(ask, env)  # build the index cache once, as a first question would
    for _ in range(3):
        timed(ask, env), timed(BASELINE, env)  # warm the OS caches
    ours, base = [], []
    for _ in range(args.runs):
        ours.append(timed(ask, env))
        base.append(timed(BASELINE, env))
    m_ours, m_base = statistics.median(ours), statistics.median(base)
    print(f"runs: {args.runs} each, interleaved, CPU count {os.cpu_count()}")
    print(
        f"baseline  python -c 'import typer, rich, pydantic, rank_bm25, yaml': median {m_base * 1000:.1f} ms"
    )
    print(f"gpu-brief ask {args.question!r}: median {m_ours * 1000:.1f} ms")
    print(f"ratio ask / baseline: {m_ours / m_base:.3f} (target <= 1.10)")
    help_imports = imported_by(["--help"], env) & set(HEAVY)
    ask_imports = imported_by(["ask", args.question], env) & set(HEAVY)
    print(f"heavy modules imported by --help: {sorted(help_imports) or 'none'}")
    print(f"heavy modules imported by ask: {sorted(ask_imports) or 'none'}")


if __name__ == "__main__":
    main()
