"""PIAF (SQuAD-format French Wikipedia QA) as a gpu-brief corpus, and the protocol's metrics.

Shared by `benchmarks/piaf.py` (the measurement) and `benchmarks/train.py` (the training data).
The protocol is the one of `../shared/piaf-dev/README.md`: one `piaf_NNN.txt` per article (the
title, a blank line, then each paragraph followed by a blank line), every question asked against
the whole corpus; sent@k, par@1, SQuAD-style F1/EM with French articles removed; every 4th article
(k % 4 == 3) left out of the corpus to measure abstention on questions it cannot answer.
"""

from __future__ import annotations

import json
import re
import string
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class PiafQuestion:
    id: str
    question: str
    file: str
    answer: str
    start: int  # gold answer's offsets in the file's text
    end: int
    par_start: int  # the gold paragraph's offsets in the file's text
    par_end: int
    held_out: bool  # its article is left out of the corpus for the unanswerable measurement


@dataclass(frozen=True)
class PiafCorpus:
    files: dict[str, str]  # file name -> text
    questions: list[PiafQuestion]


def load(path: Path) -> PiafCorpus:
    """The half's articles as files and its questions with gold offsets in those files."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    files: dict[str, str] = {}
    questions: list[PiafQuestion] = []
    for k, article in enumerate(data):
        name = f"piaf_{2 * k:03d}.txt"
        text = article["title"].strip() + "\n\n"
        for paragraph in article["paragraphs"]:
            context = paragraph["context"]
            par_start = len(text)
            text += context + "\n\n"
            for qa in paragraph["qas"]:
                for gold in qa["answers"][:1]:
                    start = par_start + _locate(context, gold["text"], gold["answer_start"])
                    end = start + len(gold["text"])
                    questions.append(
                        PiafQuestion(
                            qa["id"],
                            qa["question"].strip(),
                            name,
                            gold["text"],
                            start,
                            end,
                            par_start,
                            par_start + len(context),
                            k % 4 == 3,
                        )
                    )
        files[name] = text
    return PiafCorpus(files, questions)


def _locate(context: str, answer: str, given: int) -> int:
    """The answer's offset in its paragraph: as given, else its nearest occurrence (a few PIAF
    offsets are off by some characters), else as given."""
    if context[given : given + len(answer)] == answer:
        return given
    found = [m.start() for m in re.finditer(re.escape(answer), context)]
    return min(found, key=lambda i: abs(i - given)) if found else given


def write_corpus(corpus: PiafCorpus, folder: Path, *, leave_out: bool) -> None:
    """The files of the corpus (without the held-out articles when `leave_out`)."""
    folder.mkdir(parents=True, exist_ok=True)
    held = {q.file for q in corpus.questions if q.held_out}
    for name, text in corpus.files.items():
        if leave_out and name in held:
            continue
        (folder / name).write_text(text, encoding="utf-8")


# --- metrics ---------------------------------------------------------------------------------

_ARTICLES = {"le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "au", "aux"}


def normalize(text: str) -> list[str]:
    """SQuAD-style normalisation, for French: lowercase, no accents, no punctuation, no articles."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[’'`´]", " ", text)
    text = "".join(" " if c in string.punctuation or c in "«»“”–—…" else c for c in text)
    return [w for w in text.split() if w not in _ARTICLES]


def f1(prediction: str, gold: str) -> float:
    pred, ref = normalize(prediction), normalize(gold)
    if not pred or not ref:
        return float(pred == ref)
    common = sum((Counter(pred) & Counter(ref)).values())
    if common == 0:
        return 0.0
    p, r = common / len(pred), common / len(ref)
    return 2 * p * r / (p + r)


def exact(prediction: str, gold: str) -> float:
    return float(normalize(prediction) == normalize(gold))


def covers(citation: dict[str, Any], q: PiafQuestion) -> bool:
    """In the right file and covering at least 60% of the gold answer's characters."""
    if citation["source"] != q.file:
        return False
    overlap = min(citation["end"], q.end) - max(citation["start"], q.start)
    return overlap >= 0.6 * (q.end - q.start)


@dataclass
class Scores:
    n: int = 0
    sent1: float = 0.0
    sent5: float = 0.0
    par1: float = 0.0
    f1: float = 0.0
    em: float = 0.0
    abstained: float = 0.0

    def add(self, q: PiafQuestion, result: dict[str, Any]) -> None:
        cites = result.get("citations") or []
        self.n += 1
        self.sent1 += any(covers(c, q) for c in cites[:1])
        self.sent5 += any(covers(c, q) for c in cites[:5])
        self.par1 += (
            bool(cites) and cites[0]["source"] == q.file and q.par_start <= cites[0]["start"] < q.par_end
        )
        if result["abstained"]:
            self.abstained += 1
        else:
            self.f1 += f1(result["answer"], q.answer)
            self.em += exact(result["answer"], q.answer)

    def row(self) -> dict[str, float]:
        n = max(self.n, 1)
        return {
            "sent@1": self.sent1 / n,
            "sent@5": self.sent5 / n,
            "par@1": self.par1 / n,
            "F1": self.f1 / n,
            "EM": self.em / n,
            "abstained": self.abstained / n,
        }
