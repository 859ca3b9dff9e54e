"""Latency of each answer after the first in one `gpu-brief chat` session (bundled corpus).

Drives the same ChatSession the `chat` command uses, with a view that renders into memory, so
the time includes answering, re-checking the cited sources and rendering the answer.

    python benchmarks/chat_latency.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import time

from gpu_brief import render, service
from gpu_brief.chat import ChatSession
from gpu_brief.store import bundled_claims_path

QUESTIONS = [
    "Pourquoi OpenAI a-t-il reporté GPT-4.5 ?",
    "How much does an H100 cost?",
    "Quelle part du marché Nvidia détient-elle ?",
    "Who is Stacy Rasgon?",
    "Quand Google veut-il se passer de Broadcom ?",
    "Combien de GPU Elon Musk a-t-il commandés ?",
    "What did Altman say about giant models?",
    "Combien coûte l'abonnement ChatGPT Plus ?",
    "Quel est le cours du Bitcoin ?",
    "Why is OpenAI building its own chips?",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    claims = bundled_claims_path()
    times = []
    with contextlib.redirect_stdout(io.StringIO()):  # rendered as on a terminal, into memory
        started = time.perf_counter()
        session = ChatSession(service.answerer_for(claims), claims, top=3)
        view = render.ChatView()
        session.handle(QUESTIONS[0], view)
        first = time.perf_counter() - started
        for _ in range(args.rounds):
            for question in QUESTIONS:
                t = time.perf_counter()
                session.handle(question, view)
                times.append(time.perf_counter() - t)
    print(f"index load + first answer: {first * 1000:.1f} ms")
    print(
        f"each further answer ({len(times)}): median {statistics.median(times) * 1000:.2f} ms, "
        f"p90 {sorted(times)[int(0.9 * len(times))] * 1000:.2f} ms, max {max(times) * 1000:.2f} ms (target < 20 ms)"
    )


if __name__ == "__main__":
    main()
